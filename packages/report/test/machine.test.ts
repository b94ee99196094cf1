import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { machineInfo, machineLine, simdFeatures } from '../src/index.js';

// Flags lines as two machines of this kind print them (shortened to the flags that matter).
const XEON =
  'processor\t: 0\nmodel name\t: Intel Xeon\nflags\t\t: fpu sse4_2 avx avx2 fma avx512f avx512bw avx512_vnni\n';
const EPYC = 'processor\t: 0\nmodel name\t: AMD EPYC\nflags\t\t: fpu sse4_2 avx fma avx2 avx_vnni\n';

describe('machine', () => {
  it('names the SIMD features in a cpuinfo text, in a fixed order', () => {
    expect(simdFeatures(XEON, 'x64')).toEqual([
      'SSE4.2',
      'AVX',
      'AVX2',
      'FMA',
      'AVX-512F',
      'AVX-512BW',
      'AVX-512 VNNI',
    ]);
    expect(simdFeatures(EPYC, 'x64')).toEqual(['SSE4.2', 'AVX', 'AVX2', 'FMA', 'AVX-VNNI']);
    expect(simdFeatures('Features\t: fp asimd asimddp sve\n', 'arm64')).toEqual([
      'NEON',
      'NEON dot product',
      'SVE',
    ]);
    expect(simdFeatures('', 'x64')).toEqual([]);
  });

  it('says when AVX-512 is missing, and when the features are unknown', () => {
    const base = { cpu: 'AMD EPYC', cores: 2, node: 'v20.20.2', platform: 'linux-x64' };
    expect(machineLine({ ...base, simd: ['AVX2', 'FMA'] })).toBe(
      'AMD EPYC · 2 cores · AVX2 FMA, no AVX-512 · Node v20.20.2 · linux-x64',
    );
    expect(machineLine({ ...base, simd: ['AVX2', 'AVX-512F'] })).toBe(
      'AMD EPYC · 2 cores · AVX2 AVX-512F · Node v20.20.2 · linux-x64',
    );
    expect(machineLine({ ...base, simd: [] })).toContain('SIMD features unknown');
  });

  it('reads this machine: its cores, Node version and, on Linux, the flags in /proc/cpuinfo', () => {
    const machine = machineInfo();
    expect(machine.cores).toBe(availableParallelism());
    expect(machine.node).toBe(process.version);
    expect(machine.platform).toBe(`${process.platform}-${process.arch}`);
    if (process.platform === 'linux')
      expect(machine.simd).toEqual(simdFeatures(readFileSync('/proc/cpuinfo', 'utf8')));
  });
});
