/**
 * A thread of the concurrent matmul microbenchmark: one single-threaded kernel timing an m×k by k×n product, started
 * with the other threads at a barrier so that all of them run at once, as N replicas do.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { median } from '@mle/report';
import { matmul, Rng, setMatmulThreads } from '@mle/tensor';

const { m, k, n, runs, barrier, threads } = workerData as {
  m: number;
  k: number;
  n: number;
  runs: number;
  barrier: SharedArrayBuffer;
  threads: number;
};
setMatmulThreads(1);
const rng = new Rng(1);
const a = rng.uniform([m, k], -0.5, 0.5);
const b = rng.uniform([k, n], -0.5, 0.5);
matmul(a, b); // warm-up
const arrived = new Int32Array(barrier);
Atomics.add(arrived, 0, 1);
Atomics.notify(arrived, 0);
for (let seen = Atomics.load(arrived, 0); seen < threads; seen = Atomics.load(arrived, 0))
  Atomics.wait(arrived, 0, seen, 100);
const times: number[] = [];
for (let r = 0; r < runs; r++) {
  const start = performance.now();
  matmul(a, b);
  times.push(performance.now() - start);
}
parentPort!.postMessage(median(times));
