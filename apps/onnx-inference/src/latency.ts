import { median } from '@mle/report';

export interface LatencyStats {
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Items (rows of the batch) per second, from the median latency. */
  itemsPerSecond: number;
}

/** Nearest-rank percentile of sorted samples. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new RangeError('percentile of no samples');
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export function latencyStats(samplesMs: readonly number[], batch: number): LatencyStats {
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const p50 = median(sorted);
  return {
    p50,
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    mean: sorted.reduce((a, b) => a + b, 0) / sorted.length,
    itemsPerSecond: (batch * 1000) / p50,
  };
}

/** Times `run` `iters` times after `warmup` untimed runs (the first runs can be 1000× slower). */
export async function timeRuns(
  run: () => Promise<unknown> | unknown,
  warmup: number,
  iters: number,
  onIter?: () => void,
): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await run();
  const samples: number[] = [];
  for (let i = 0; i < iters; i++) {
    const start = performance.now();
    await run();
    samples.push(performance.now() - start);
    onIter?.();
  }
  return samples;
}
