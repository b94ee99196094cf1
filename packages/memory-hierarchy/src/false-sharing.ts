import { Worker } from 'node:worker_threads';
import { median } from '@mle/report';

/**
 * Each worker waits for the start flag, then adds 1 to its own counter `iterations` times and reports how long that
 * took. The counters are different integers; whether they share a cache line is the experiment. Atomics.add makes
 * every increment a read-modify-write of memory; a plain `view[slot]++` loop timed the same at every gap on this
 * machine, because the optimizing compiler need not load and store the counter every iteration. (An eval'd worker
 * is CommonJS, hence require.)
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { counters, start, slot, iterations } = workerData;
const view = new Int32Array(counters);
const go = new Int32Array(start);
parentPort.postMessage('ready');
Atomics.wait(go, 0, 0);
const t0 = performance.now();
for (let i = 0; i < iterations; i++) Atomics.add(view, slot, 1);
parentPort.postMessage(performance.now() - t0);
`;

export interface FalseSharingResult {
  /** Bytes between the two counters. */
  gapBytes: number;
  /** Increments each worker made. */
  iterations: number;
  /** Median over repeats of the slower worker's time, ms. */
  ms: number;
}

/**
 * Two worker threads, each incrementing its own 32-bit counter in one SharedArrayBuffer, `gapBytes` apart.
 * Counters in one cache line make the cores pass the line back and forth on every store (false sharing),
 * although no value is shared.
 */
export async function falseSharing(
  gapBytes: number,
  iterations: number,
  repeats = 3,
): Promise<FalseSharingResult> {
  if (!Number.isInteger(gapBytes) || gapBytes < 4 || gapBytes % 4 !== 0 || gapBytes > 4096)
    throw new RangeError(`falseSharing: gapBytes must be a multiple of 4 in [4, 4096], got ${gapBytes}`);
  if (!Number.isInteger(iterations) || iterations < 1)
    throw new RangeError(`falseSharing: iterations must be a positive integer, got ${iterations}`);
  const samples: number[] = [];
  for (let r = 0; r < repeats; r++) samples.push(await raceOnce(gapBytes, iterations));
  return { gapBytes, iterations, ms: median(samples) };
}

async function raceOnce(gapBytes: number, iterations: number): Promise<number> {
  // The buffer of a shared WebAssembly memory: its address 0 is page-aligned, so the first counter starts a cache
  // line and the two share a line exactly when the gap is less than the line size. A plain SharedArrayBuffer is
  // placed wherever the allocator puts it (here: 16-byte aligned), which would move that boundary by an unknown amount.
  const counters = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true }).buffer;
  const start = new SharedArrayBuffer(4);
  const slots = [0, gapBytes / 4];
  const workers = slots.map(
    (slot) => new Worker(WORKER_SOURCE, { eval: true, workerData: { counters, start, slot, iterations } }),
  );
  try {
    const results = workers.map((worker) => messages(worker));
    await Promise.all(results.map((r) => r.next()));
    const go = new Int32Array(start);
    Atomics.store(go, 0, 1);
    Atomics.notify(go, 0);
    const times = await Promise.all(results.map(async (r) => (await r.next()) as number));
    const view = new Int32Array(counters);
    for (const slot of slots) {
      if (view[slot] !== iterations)
        throw new Error(`falseSharing: counter ${slot} reached ${view[slot]}, expected ${iterations}`);
    }
    return Math.max(...times);
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/** The worker's messages in order, as a pull-based queue; a worker error rejects the pending pull. */
function messages(worker: Worker): { next(): Promise<unknown> } {
  const queue: unknown[] = [];
  const waiting: { resolve(value: unknown): void; reject(error: Error): void }[] = [];
  let failure: Error | undefined;
  worker.on('message', (value) => {
    const pending = waiting.shift();
    if (pending) pending.resolve(value);
    else queue.push(value);
  });
  worker.on('error', (error) => {
    failure = error;
    for (const pending of waiting.splice(0)) pending.reject(error);
  });
  return {
    next() {
      if (queue.length > 0) return Promise.resolve(queue.shift());
      if (failure) return Promise.reject(failure);
      return new Promise((resolve, reject) => waiting.push({ resolve, reject }));
    },
  };
}

/**
 * The cache-line size from a false-sharing sweep (`results` over increasing gaps): the smallest gap from which on
 * no pair of counters contends, where contending means more than `contended` times the fastest gap's time.
 * Coherence works on whole lines, so two counters slow each other exactly when they share one; no prefetcher can
 * hide that, unlike a miss. Undefined when the sweep cannot tell: the smallest gap does not contend (the two
 * workers may run on one core, sharing its L1) or every gap does (the line is longer than the largest gap).
 */
export function falseSharingLineSize(
  results: readonly FalseSharingResult[],
  contended = 2,
): number | undefined {
  if (results.length < 2)
    throw new RangeError(`falseSharingLineSize: need at least 2 gaps, got ${results.length}`);
  results.forEach((r, i) => {
    if (!(Number.isFinite(r.ms) && r.ms > 0))
      throw new RangeError(
        `falseSharingLineSize: gap ${r.gapBytes} B has time ${r.ms}, expected a positive number`,
      );
    if (i > 0 && r.gapBytes <= results[i - 1]!.gapBytes)
      throw new RangeError('falseSharingLineSize: gaps must increase');
  });
  const fastest = Math.min(...results.map((r) => r.ms));
  const slow = results.map((r) => r.ms > contended * fastest);
  if (!slow[0]) return undefined;
  const lastSlow = slow.lastIndexOf(true);
  return lastSlow + 1 < results.length ? results[lastSlow + 1]!.gapBytes : undefined;
}
