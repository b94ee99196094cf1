import { pairChain } from './chains.js';
import { nsPerUnit, type TimingOptions } from './timing.js';
import type { WasmProbe } from './wasm.js';

export interface PairPoint {
  /** Distance from the first load of a block to the second, in bytes. */
  offsetBytes: number;
  /** Median nanoseconds per block (two dependent loads). */
  nsPerBlock: number;
}

/**
 * Times the pair chain (see pairChain) for each offset. It runs in WebAssembly memory because address 0 of a
 * WebAssembly memory is page-aligned, so every block starts a cache line; a JavaScript ArrayBuffer is placed
 * wherever the allocator puts it, which would shift every offset by the same unknown amount.
 */
export function pairCurve(
  wasm: WasmProbe,
  offsets: readonly number[],
  options: TimingOptions & { bytes?: number; blockBytes?: number; seed?: number } = {},
): PairPoint[] {
  const { bytes = 128 * 2 ** 20, blockBytes = 512, seed = 1 } = options;
  return offsets.map((offsetBytes) => {
    wasm.load(pairChain(bytes, blockBytes, offsetBytes, seed));
    return { offsetBytes, nsPerBlock: 2 * nsPerUnit((steps) => wasm.chase(steps), options) };
  });
}

/**
 * The cache-line size: the smallest offset whose cost is past halfway from the cheapest pair (both loads in one
 * line) to the dearest (two lines). Offsets must be sorted ascending and start inside a line.
 */
export function detectLineSize(points: readonly PairPoint[]): number {
  if (points.length < 2)
    throw new RangeError(`detectLineSize: need at least 2 offsets, got ${points.length}`);
  points.forEach((p, i) => {
    if (!(Number.isFinite(p.nsPerBlock) && p.nsPerBlock > 0))
      throw new RangeError(
        `detectLineSize: point ${i} has nsPerBlock ${p.nsPerBlock}, expected a positive number`,
      );
    if (i > 0 && p.offsetBytes <= points[i - 1]!.offsetBytes)
      throw new RangeError('detectLineSize: offsets must increase');
  });
  const low = points[0]!.nsPerBlock;
  const high = Math.max(...points.map((p) => p.nsPerBlock));
  if (high < 1.1 * low)
    throw new RangeError(
      `detectLineSize: no offset costs 10% more than the first (${low.toFixed(1)} ns); try offsets past the line size`,
    );
  return points.find((p) => p.nsPerBlock > (low + high) / 2)!.offsetBytes;
}
