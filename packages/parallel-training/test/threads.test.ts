import { describe, expect, it } from 'vitest';
import { chunkStart, RankFailure, runThreadGroup } from '../src/index.js';

const WORKER = new URL('./workers/allreduce.ts', import.meta.url);

const run = (size: number, length: number, extra: Record<string, unknown> = {}, timeoutMs = 10_000) =>
  runThreadGroup<number[]>(WORKER, size, {
    capacity: Math.ceil(length / size) + 1,
    timeoutMs,
    workerData: { length, op: 'sum', ...extra },
  });

describe('ring all-reduce over shared memory, one worker thread per rank', () => {
  it('chunks cover the buffer without overlap, for any length and ring size', () => {
    for (const [n, size] of [
      [10, 3],
      [2, 4],
      [7, 7],
    ] as const) {
      expect(chunkStart(0, size, n)).toBe(0);
      expect(chunkStart(size, size, n)).toBe(n);
      for (let c = 0; c < size; c++)
        expect(chunkStart(c + 1, size, n)).toBeGreaterThanOrEqual(chunkStart(c, size, n));
    }
  });

  it.each([
    [1, 5],
    [2, 7],
    [3, 1000],
    [4, 3],
  ])('%i ranks, %i values: every rank ends with the element-wise sum', async (size, length) => {
    const results = await run(size, length);
    // Rank r holds (r + 1)·(i + 1): the sum over ranks is size(size + 1)/2 · (i + 1), exact in float32.
    const expected = Array.from({ length }, (_, i) => ((size * (size + 1)) / 2) * (i + 1));
    expect(results).toEqual(Array.from({ length: size }, () => expected));
  });

  it('mean divides the sum by the number of ranks', async () => {
    const results = await run(4, 9, { op: 'mean' });
    expect(results[2]).toEqual(Array.from({ length: 9 }, (_, i) => 2.5 * (i + 1)));
  });

  it('a rank that throws fails the group with its rank named, and the others stop waiting for it', async () => {
    const start = Date.now();
    const failure = await run(3, 100, { failRank: 2 }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RankFailure);
    expect((failure as RankFailure).failedRank).toBe(2);
    expect((failure as Error).message).toContain('rank 2 failed: a replica crashed before its first send');
    expect(Date.now() - start).toBeLessThan(5_000); // well inside the 10 s timeout: the abort woke the waiters
  });

  it('a rank that hangs is timed out and named, and its thread is terminated', async () => {
    const start = Date.now();
    const failure = await run(3, 100, { hangRank: 1 }, 1_000).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(RankFailure);
    expect((failure as Error).message).toMatch(/timed out after 1000 ms .*rank 1 did not answer/);
    expect(Date.now() - start).toBeLessThan(8_000); // the hung worker would spin for 60 s if not terminated
  });
});
