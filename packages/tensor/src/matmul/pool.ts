import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { type Layout, wasmMatmul } from './wasm.js';

// Control words shared with each worker: [state, a, b, c, rows, k, n, scratch].
const IDLE = 0;
const RUN = 1;
const DONE = 2;
const FAILED = 3;
const EXIT = 4;
/** A worker that has not answered in this long is broken; the caller gets an error instead of a hang. */
const TIMEOUT_MS = 30_000;

// Plain JavaScript so it runs the same under tsx, Vitest and compiled dist/ without a TypeScript loader.
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const control = new Int32Array(workerData.control);
let kernel;
try {
  const abort = () => { throw new Error('matmul: the WebAssembly kernel aborted'); };
  kernel = new WebAssembly.Instance(workerData.module, { env: { memory: workerData.memory, abort } }).exports;
} catch (error) {
  Atomics.store(control, 0, ${FAILED});
  Atomics.notify(control, 0);
  throw error;
}
for (;;) {
  const state = Atomics.load(control, 0);
  if (state === ${EXIT}) break;
  if (state === ${RUN}) {
    try {
      kernel.matmul(control[1], control[2], control[3], control[4], control[5], control[6], control[7]);
      Atomics.store(control, 0, ${DONE});
    } catch {
      Atomics.store(control, 0, ${FAILED});
    }
    Atomics.notify(control, 0);
    continue;
  }
  Atomics.wait(control, 0, state);
}
`;

interface Helper {
  worker: Worker;
  control: Int32Array;
}

/**
 * Rung 5: the SIMD kernel split by row blocks over worker threads that share the kernel's memory. The
 * calling thread takes one block itself and waits on Atomics for the rest, so `run` stays synchronous.
 * Workers are unref'd (they never keep a process alive) and are terminated after `idleMs` without work.
 */
export class MatmulPool {
  readonly threads: number;
  private helpers: Helper[] = [];
  private idleTimer: NodeJS.Timeout | undefined;

  constructor(
    threads = availableParallelism(),
    private readonly idleMs = 2_000,
  ) {
    if (!Number.isInteger(threads) || threads < 1)
      throw new RangeError(`MatmulPool: threads must be a positive integer, got ${threads}`);
    this.threads = threads;
  }

  /** Number of live worker threads (the calling thread is not counted). */
  get liveWorkers(): number {
    return this.helpers.length;
  }

  multiply(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
    const wasm = wasmMatmul();
    const parts = Math.min(this.threads, Math.ceil(m / 4));
    return wasm.multiply(a, b, m, k, n, parts, (layout) => this.compute(layout, m, k, n, parts));
  }

  /** Terminates the workers now; the next multiply starts new ones. */
  close(): void {
    clearTimeout(this.idleTimer);
    for (const { worker, control } of this.helpers) {
      Atomics.store(control, 0, EXIT);
      Atomics.notify(control, 0);
      void worker.terminate();
    }
    this.helpers = [];
  }

  private compute(layout: Layout, m: number, k: number, n: number, parts: number): void {
    const wasm = wasmMatmul();
    clearTimeout(this.idleTimer);
    this.ensureHelpers(parts - 1);
    // Row blocks in multiples of the kernel's 4-row tile; the calling thread takes the first.
    const block = Math.ceil(m / parts / 4) * 4;
    const jobs: Helper[] = [];
    for (let t = 1; t < parts; t++) {
      const r0 = Math.min(t * block, m);
      const rows = Math.min(block, m - r0);
      if (rows <= 0) break;
      const helper = this.helpers[t - 1]!;
      helper.control.set([
        RUN,
        layout.a + r0 * k * 4,
        layout.b,
        layout.c + r0 * n * 4,
        rows,
        k,
        n,
        layout.scratch[t]!,
      ]);
      Atomics.notify(helper.control, 0);
      jobs.push(helper);
    }
    wasm.kernel.matmul(layout.a, layout.b, layout.c, Math.min(block, m), k, n, layout.scratch[0]!);
    for (const job of jobs) {
      const deadline = Date.now() + TIMEOUT_MS;
      for (let state = Atomics.load(job.control, 0); state === RUN; state = Atomics.load(job.control, 0)) {
        if (Atomics.wait(job.control, 0, RUN, deadline - Date.now()) === 'timed-out') {
          this.close();
          throw new Error(`matmul: a worker thread did not answer within ${TIMEOUT_MS / 1000} s`);
        }
      }
      const state = Atomics.exchange(job.control, 0, IDLE);
      if (state !== DONE) {
        this.close();
        throw new Error('matmul: a worker thread failed to run the WebAssembly kernel');
      }
    }
    this.idleTimer = setTimeout(() => this.close(), this.idleMs).unref();
  }

  private ensureHelpers(count: number): void {
    const wasm = wasmMatmul();
    while (this.helpers.length < count) {
      const control = new Int32Array(new SharedArrayBuffer(8 * 4));
      const worker = new Worker(WORKER_SOURCE, {
        eval: true,
        workerData: { module: wasm.module, memory: wasm.memory, control: control.buffer },
      });
      worker.unref();
      // Errors are reported through the control word; this keeps an unhandled 'error' event from crashing the process.
      worker.on('error', () => {});
      this.helpers.push({ worker, control });
    }
  }
}

let defaultPool: MatmulPool | undefined;

/**
 * Sets the process-wide pool's thread count (1 makes every product single-threaded: a data-parallel replica that
 * must own one core). The old pool's workers are stopped.
 */
export function setMatmulThreads(threads: number): void {
  const pool = new MatmulPool(threads);
  defaultPool?.close();
  defaultPool = pool;
}

/** The process-wide pool, one thread per available core. */
export function matmulPool(): MatmulPool {
  defaultPool ??= new MatmulPool();
  return defaultPool;
}

/** Rung 5 with the default pool. */
export function matmulWasmParallel(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  return matmulPool().multiply(a, b, m, k, n);
}
