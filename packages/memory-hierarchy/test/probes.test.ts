import { describe, expect, it } from 'vitest';
import { bandwidthCurve, readSum, stridedSum, strideSweep } from '../src/bandwidth.js';
import { pairChain, randomLineChain } from '../src/chains.js';
import { chase, latencyCurve, tlbCurve, workingSetSizes } from '../src/latency.js';
import { detectLineSize, pairCurve } from '../src/line-size.js';
import { nsPerUnit } from '../src/timing.js';
import { WasmProbe } from '../src/wasm.js';

const quick = { targetMs: 1, repeats: 1 };

describe('the chase, in JavaScript and WebAssembly', () => {
  it('returns to its start after exactly one lap, and both engines stop at the same slot after any count', async () => {
    const chain = randomLineChain(256 * 1024, 3);
    expect(chase(chain.next, chain.start, chain.length)).toBe(chain.start);
    expect(chase(chain.next, chain.start, chain.length - 1)).not.toBe(chain.start);
    const wasm = await WasmProbe.create();
    for (const steps of [0, 1, 17, 1000, chain.length, 3 * chain.length + 5]) {
      wasm.load(chain);
      expect(wasm.chase(steps) / 4).toBe(chase(chain.next, chain.start, steps));
    }
  });

  it('each call continues where the last stopped, so timed runs do not re-walk a cached prefix', async () => {
    const chain = randomLineChain(1 << 20, 4);
    const wasm = await WasmProbe.create();
    wasm.load(chain);
    wasm.chase(100);
    expect(wasm.chase(250) / 4).toBe(chase(chain.next, chain.start, 350));
  });

  it('the pair chain loads block + 64, then + offset, then the next block + 64, in WebAssembly too', async () => {
    const chain = pairChain(8 * 512, 512, 64, 1);
    const wasm = await WasmProbe.create();
    wasm.load(chain);
    expect(wasm.chase(1)).toBe(128);
    expect(wasm.chase(1) % 512).toBe(64);
    expect(wasm.chase(chain.length - 2)).toBe(64);
  });

  it('latencyCurve gives one positive time per working set for both engines; tlbCurve one per page count', async () => {
    const sizes = workingSetSizes(4096, 64 * 1024);
    expect(sizes).toEqual([4096, 8192, 12288, 16384, 24576, 32768, 49152, 65536]);
    const curves = latencyCurve(sizes, 'page-local', { ...quick, wasm: await WasmProbe.create() });
    for (const curve of [curves.js, curves.wasm]) {
      expect(curve.map((p) => p.bytes)).toEqual(sizes);
      for (const p of curve) expect(p.ns).toBeGreaterThan(0);
    }
    expect(tlbCurve([1, 4], quick).map((p) => p.bytes)).toEqual([4096, 16384]);
  });

  it('workingSetSizes names a range it cannot cover', () => {
    expect(() => workingSetSizes(1024, 4096)).toThrow('need 4096 <= minBytes <= maxBytes, got 1024, 4096');
  });
});

describe('bandwidth kernels', () => {
  it('the WebAssembly SIMD sum equals the JavaScript sum of the same bytes', async () => {
    const wasm = await WasmProbe.create();
    const view = wasm.reserve(4096);
    for (let i = 0; i < view.length; i++) view[i] = (i * 2654435761) >>> 0;
    const expected = readSum(new Int32Array(view.buffer, 0, view.length), view.length);
    expect(wasm.read(4096)).toBe(expected);
    let reference = 0;
    for (let i = 0; i < view.length; i++) reference = (reference + (view[i]! | 0)) | 0;
    expect(expected).toBe(reference);
  });

  it('stridedSum reads every stride-th element, in JavaScript and in WebAssembly', async () => {
    const view = Int32Array.from({ length: 112 }, (_, i) => i);
    expect(stridedSum(view, 1)).toBe(6216);
    expect(stridedSum(view, 16)).toBe(0 + 16 + 32 + 48 + 64 + 80 + 96);
    const wasm = await WasmProbe.create();
    wasm.reserve(view.byteLength).set(view);
    expect(wasm.stridedRead(view.byteLength, 4)).toBe(6216);
    expect(wasm.stridedRead(view.byteLength, 64)).toBe(336);
  });

  it('bandwidthCurve and strideSweep report every kernel and stride, and name bad sizes', async () => {
    const wasm = await WasmProbe.create();
    const points = bandwidthCurve([4096, 65536], wasm, quick);
    expect(points.map((p) => `${p.kernel}@${p.bytes}`)).toHaveLength(8);
    for (const p of points) expect(p.gbPerSecond).toBeGreaterThan(0);
    expect(() => bandwidthCurve([4096, 100], wasm, quick)).toThrow('multiples of 64 bytes, got 100');
    expect(() => bandwidthCurve([], wasm, quick)).toThrow('no working sets given');
    const sweep = strideSweep(1 << 20, [1, 16], wasm, quick);
    expect(sweep.map((p) => `${p.engine}@${p.stride}`)).toEqual(['JS@1', 'wasm@1', 'JS@16', 'wasm@16']);
    expect(() => strideSweep(1 << 20, [0], wasm, quick)).toThrow('strides must be positive integers, got 0');
    expect(() => strideSweep(1001, [1], wasm, quick)).toThrow(
      'bytes must be a positive multiple of 4, got 1001',
    );
  });
});

describe('line size', () => {
  it('detectLineSize picks the first offset past halfway from one line to two', () => {
    const costs = [100, 101, 99, 102, 150, 151, 149];
    const offsets = [4, 8, 16, 32, 64, 128, 256];
    expect(detectLineSize(offsets.map((offsetBytes, i) => ({ offsetBytes, nsPerBlock: costs[i]! })))).toBe(
      64,
    );
    const apple = [100, 100, 100, 100, 100, 150, 150]; // a 128-byte line
    expect(detectLineSize(offsets.map((offsetBytes, i) => ({ offsetBytes, nsPerBlock: apple[i]! })))).toBe(
      128,
    );
  });

  it('the jump marks the line even when farther misses cost more (measured here: a prefetcher helps near ones)', () => {
    const measured = [195.0, 193.8, 196.4, 195.3, 225.6, 229.9, 270.8];
    const offsets = [4, 8, 16, 32, 64, 128, 256];
    expect(detectLineSize(offsets.map((offsetBytes, i) => ({ offsetBytes, nsPerBlock: measured[i]! })))).toBe(
      64,
    );
  });

  it('says so when no offset leaves the line', () => {
    const flat = [4, 8, 16].map((offsetBytes) => ({ offsetBytes, nsPerBlock: 100 }));
    expect(detectLineSize(flat)).toBeUndefined();
    expect(() => detectLineSize(flat.slice(0, 1))).toThrow('need at least 2 offsets');
  });

  it('pairCurve times each offset in WebAssembly memory', async () => {
    const points = pairCurve(await WasmProbe.create(), [4, 64], { ...quick, bytes: 1 << 20 });
    expect(points.map((p) => p.offsetBytes)).toEqual([4, 64]);
    for (const p of points) expect(p.nsPerBlock).toBeGreaterThan(0);
  });
});

describe('timing', () => {
  it('nsPerUnit calibrates the unit count and divides by it', () => {
    // A fake clock that advances exactly 1 µs per unit of work: the answer must be 1000 ns whatever the machine.
    let clock = 0;
    const unitCounts: number[] = [];
    const ns = nsPerUnit(
      (units) => {
        unitCounts.push(units);
        clock += units * 1e-3;
        return units;
      },
      { targetMs: 5, repeats: 3, initialUnits: 16, now: () => clock },
    );
    // Calibration multiplies by 8 while a run is under targetMs / 8, then scales to targetMs (5000 units).
    expect(unitCounts).toEqual([16, 128, 1024, 5000, 5000, 5000]);
    expect(ns).toBeCloseTo(1000, 6);
  });
});
