import { readFileSync } from 'node:fs';
import { availableParallelism, cpus } from 'node:os';

/** What a bench figure depends on: machines of the same kind differ in CPU, cores and vector instructions. */
export interface MachineInfo {
  cpu: string;
  cores: number;
  /** The vector-instruction features that matter to the kernels measured here, as the kernel names them. */
  simd: string[];
  node: string;
  platform: string;
}

/** /proc/cpuinfo flag → the name people use. Order: the line lists them from oldest to newest. */
const X86_FEATURES: [flag: string, name: string][] = [
  ['sse4_2', 'SSE4.2'],
  ['avx', 'AVX'],
  ['avx2', 'AVX2'],
  ['fma', 'FMA'],
  ['avx512f', 'AVX-512F'],
  ['avx512bw', 'AVX-512BW'],
  ['avx512_vnni', 'AVX-512 VNNI'],
  ['avx_vnni', 'AVX-VNNI'],
  ['avx512_bf16', 'AVX-512 BF16'],
  ['amx_tile', 'AMX'],
];
const ARM_FEATURES: [flag: string, name: string][] = [
  ['asimd', 'NEON'],
  ['asimddp', 'NEON dot product'],
  ['sve', 'SVE'],
  ['sve2', 'SVE2'],
];

/** The features named in a /proc/cpuinfo text (its first "flags" or "Features" line). */
export function simdFeatures(cpuinfo: string, arch: string = process.arch): string[] {
  const line = cpuinfo.match(/^(?:flags|Features)\s*:\s*(.*)$/m)?.[1] ?? '';
  const flags = new Set(line.split(/\s+/));
  const table = arch === 'arm64' ? ARM_FEATURES : X86_FEATURES;
  return table.filter(([flag]) => flags.has(flag)).map(([, name]) => name);
}

function readCpuinfo(): string {
  try {
    return readFileSync('/proc/cpuinfo', 'utf8');
  } catch {
    return ''; // not Linux: the features are reported as unknown
  }
}

let cached: MachineInfo | undefined;

/** This machine, read once: CPU model, usable cores, SIMD features, Node version, platform. */
export function machineInfo(): MachineInfo {
  if (cached) return cached;
  const cpuinfo = readCpuinfo();
  const model =
    cpuinfo.match(/^model name\s*:\s*(.*)$/m)?.[1]?.trim() ?? cpus()[0]?.model.trim() ?? 'unknown CPU';
  cached = {
    cpu: model,
    cores: availableParallelism(),
    simd: simdFeatures(cpuinfo),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
  };
  return cached;
}

/** One line for a table header or a README: `AMD EPYC · 2 cores · AVX2 FMA, no AVX-512 · Node v20.20.2 · linux-x64`. */
export function machineLine(machine: MachineInfo = machineInfo()): string {
  const x86 = machine.platform.endsWith('x64');
  const simd =
    machine.simd.length === 0
      ? 'SIMD features unknown'
      : `${machine.simd.join(' ')}${x86 && !machine.simd.includes('AVX-512F') ? ', no AVX-512' : ''}`;
  return [machine.cpu, `${machine.cores} cores`, simd, `Node ${machine.node}`, machine.platform].join(' · ');
}
