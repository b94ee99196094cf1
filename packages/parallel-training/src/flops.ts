import type { Worker } from 'node:worker_threads';
import { median } from '@mle/report';
import { siblingModule, workerFor } from './threads.js';

/**
 * FLOP/s of the single-threaded matmul kernel on an m×k by k×n product while `threads` copies run at once, one per
 * worker thread, as `threads` data-parallel replicas do: cores share caches and memory bandwidth, so one core's
 * rate under load is what a replica gets. The median over the threads.
 */
export async function concurrentMatmulFlops(
  threads: number,
  shape: { m: number; k: number; n: number },
  runs: number,
): Promise<number> {
  const barrier = new SharedArrayBuffer(4);
  const workers: Worker[] = Array.from({ length: threads }, () =>
    workerFor(siblingModule('flops-thread', import.meta.url), {
      workerData: { ...shape, runs, barrier, threads },
    }),
  );
  try {
    const ms = await Promise.all(
      workers.map(
        (w) =>
          new Promise<number>((resolve, reject) => {
            w.once('message', resolve);
            w.once('error', reject);
          }),
      ),
    );
    return (2 * shape.m * shape.k * shape.n) / (median(ms) / 1000);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
