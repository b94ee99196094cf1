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
  const { bytes = 128 * 2 ** 20, blockBytes = 512, seed = 1, repeats = 9 } = options;
  return offsets.map((offsetBytes) => {
    wasm.load(pairChain(bytes, blockBytes, offsetBytes, seed));
    return { offsetBytes, nsPerBlock: 2 * nsPerUnit((steps) => wasm.chase(steps), { ...options, repeats }) };
  });
}

/**
 * The cache-line size: the first offset whose pair costs more than 10% above the cheapest pair at a smaller offset.
 * Inside the line the second load is an L1 hit and the cost varies by a few percent; past it the second load is a
 * miss, which costs at least 10% more even where a prefetcher or an open DRAM row helps it (and how much more
 * varies with the distance, so the jump, not the highest cost, marks the line). Offsets must be sorted ascending and
 * start inside a line. Undefined when no offset rises that far: the probe cannot tell (on a noisy guest the pairs
 * can scatter by more than the jump, as on the AMD EPYC fixture).
 */
export function detectLineSize(points: readonly PairPoint[], minRise = 0.1): number | undefined {
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
  let cheapest = points[0]!.nsPerBlock;
  for (const p of points.slice(1)) {
    if (p.nsPerBlock > (1 + minRise) * cheapest) return p.offsetBytes;
    cheapest = Math.min(cheapest, p.nsPerBlock);
  }
  return undefined;
}
