import { nsPerUnit, type TimingOptions } from './timing.js';
import type { WasmProbe } from './wasm.js';

export type BandwidthKernel = 'read (JS loop)' | 'read (wasm SIMD)' | 'write (fill)' | 'copy (set)';

export interface BandwidthPoint {
  kernel: BandwidthKernel;
  bytes: number;
  /** Bytes moved per second, in GB/s (10⁹); a copy moves each byte twice, once read and once written (as STREAM counts). */
  gbPerSecond: number;
}

/** Sums a buffer as 32-bit integers with four independent accumulators, so no load waits on the previous add. */
export function readSum(view: Int32Array, length: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  for (let i = 0; i < length; i += 4) {
    a = (a + view[i]!) | 0;
    b = (b + view[i + 1]!) | 0;
    c = (c + view[i + 2]!) | 0;
    d = (d + view[i + 3]!) | 0;
  }
  return (a + b + c + d) | 0;
}

/**
 * Sequential bandwidth for each working set (bytes, multiples of 64): a JavaScript read loop, the same read in
 * WebAssembly SIMD, a write (TypedArray.fill, a memset) and a copy from one half of the set to the other
 * (TypedArray.set, a memcpy). Each working set is passed over repeatedly, so it stays in whatever level holds it.
 */
export function bandwidthCurve(
  sizes: readonly number[],
  wasm: WasmProbe,
  options: TimingOptions = {},
): BandwidthPoint[] {
  if (sizes.length === 0) throw new RangeError('bandwidthCurve: no working sets given');
  for (const size of sizes) {
    if (!Number.isInteger(size) || size < 64 || size % 64 !== 0)
      throw new RangeError(
        `bandwidthCurve: working sets must be positive multiples of 64 bytes, got ${size}`,
      );
  }
  const largest = Math.max(...sizes);
  const buffer = new ArrayBuffer(largest);
  const ints = new Int32Array(buffer);
  const bytes = new Uint8Array(buffer);
  ints.fill(1);
  wasm.reserve(largest).fill(1);
  const timing = { ...options, initialUnits: 1 };
  const points: BandwidthPoint[] = [];
  for (const size of sizes) {
    const half = size / 2;
    const rate = (kernel: BandwidthKernel, moved: number, pass: () => number) => {
      const ns = nsPerUnit((passes) => {
        let result = 0;
        for (let p = 0; p < passes; p++) result ^= pass();
        return result;
      }, timing);
      points.push({ kernel, bytes: size, gbPerSecond: moved / ns });
    };
    const length = size / 4;
    rate('read (JS loop)', size, () => readSum(ints, length));
    rate('read (wasm SIMD)', size, () => wasm.read(size));
    rate('write (fill)', size, () => {
      bytes.fill(2, 0, size);
      return bytes[size - 1]!;
    });
    rate('copy (set)', size, () => {
      bytes.set(bytes.subarray(half, size), 0);
      return bytes[0]!;
    });
  }
  return points;
}

export interface StridePoint {
  engine: 'JS' | 'wasm';
  /** Distance between consecutive reads, in 4-byte elements. */
  stride: number;
  nsPerRead: number;
  /** Bytes the program asked for per second (4 per read), in GB/s: what a strided layout delivers to the code. */
  usefulGbPerSecond: number;
}

/** Reads every `stride`-th 32-bit element of `view` once. */
export function stridedSum(view: Int32Array, stride: number): number {
  let s = 0;
  for (let i = 0; i < view.length; i += stride) s = (s + view[i]!) | 0;
  return s;
}

/**
 * Strided reads over a buffer larger than the caches, in JavaScript and in WebAssembly. Up to the line size every
 * line is fetched whatever the stride, so the bytes the code uses fall with the stride while the traffic does not;
 * past it, each read costs a line of its own.
 */
export function strideSweep(
  bytes: number,
  strides: readonly number[],
  wasm: WasmProbe,
  options: TimingOptions = {},
): StridePoint[] {
  if (!Number.isInteger(bytes) || bytes < 4 || bytes % 4 !== 0)
    throw new RangeError(`strideSweep: bytes must be a positive multiple of 4, got ${bytes}`);
  const view = new Int32Array(bytes / 4).fill(1);
  wasm.reserve(bytes).fill(1);
  const timing = { ...options, initialUnits: 1 };
  const points: StridePoint[] = [];
  for (const stride of strides) {
    if (!Number.isInteger(stride) || stride < 1)
      throw new RangeError(`strideSweep: strides must be positive integers, got ${stride}`);
    const reads = Math.ceil(view.length / stride);
    const passes = {
      JS: () => stridedSum(view, stride),
      wasm: () => wasm.stridedRead(bytes, stride * 4),
    };
    for (const engine of ['JS', 'wasm'] as const) {
      const nsPerPass = nsPerUnit((count) => {
        let s = 0;
        for (let p = 0; p < count; p++) s ^= passes[engine]();
        return s;
      }, timing);
      points.push({
        engine,
        stride,
        nsPerRead: nsPerPass / reads,
        usefulGbPerSecond: (reads * 4) / nsPerPass,
      });
    }
  }
  return points;
}
