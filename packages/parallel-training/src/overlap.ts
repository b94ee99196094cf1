import type { Worker } from 'node:worker_threads';
import type { Parameter, Tensor } from '@mle/autograd';
import type { ProcessGroupEnv } from './tcp.js';
import { RankFailure, siblingModule, type ThreadGroupData, workerFor } from './threads.js';

/** Where the communication thread's ring runs: the thread group's mailboxes, or TCP joined from the environment. */
export type CommTransport =
  | { kind: 'threads'; group: ThreadGroupData }
  | { kind: 'tcp'; env: ProcessGroupEnv };

/** A contiguous range of the flat gradient, [start, end), holding parameters [first, last). */
export interface Bucket {
  first: number;
  last: number;
  start: number;
  end: number;
}

/** Where each parameter (by size, in order) sits in the flat buffer the collectives move, and the buffer's length. */
export function flatLayout(sizes: readonly number[]): { offsets: number[]; total: number } {
  const offsets: number[] = [];
  let total = 0;
  for (const size of sizes) {
    offsets.push(total);
    total += size;
  }
  return { offsets, total };
}

/**
 * Buckets as PyTorch DDP forms them: parameters in reverse order (the order the backward pass finishes them), cut
 * when a bucket reaches `capFloats`. Each bucket is a contiguous suffix-range of the flat layout (parameters are laid
 * out in forward order), so it is all-reduced in place.
 */
export function makeBuckets(sizes: number[], capFloats: number): Bucket[] {
  if (!(capFloats >= 1)) throw new RangeError(`a bucket must hold at least one float, got ${capFloats}`);
  const { offsets } = flatLayout(sizes);
  const buckets: Bucket[] = [];
  let last = sizes.length;
  while (last > 0) {
    let first = last - 1;
    while (first > 0 && offsets[last - 1]! + sizes[last - 1]! - offsets[first - 1]! <= capFloats) first--;
    buckets.push({ first, last, start: offsets[first]!, end: offsets[last - 1]! + sizes[last - 1]! });
    last = first;
  }
  return buckets;
}

// The control words shared with the communication thread.
const DONE = 0; // buckets it has all-reduced, ever
const FAILED = 1; // 1 once it failed
const FAILED_RANK = 2;
const SLICE_MS = 20;

/**
 * Gradient all-reduce overlapped with the backward pass, as PyTorch DDP does it: a communication thread owns the
 * ring; as the backward pass completes each bucket's gradients (autograd's onLeafGrad hook), they are copied into a
 * shared flat buffer and the bucket is posted; the thread all-reduces posted buckets in order while the backward
 * pass goes on through the earlier layers. `wait()` blocks until the step's last bucket is done.
 */
export class BucketedAllReduce {
  readonly flat: Float32Array;
  readonly buckets: Bucket[];
  private readonly control = new Int32Array(new SharedArrayBuffer(3 * 4));
  private readonly worker: Worker;
  private readonly offsets: number[];
  private readonly index = new Map<Tensor, number>();
  private readonly ready: Uint8Array;
  private nextBucket = 0;
  private posted = 0;

  constructor(
    params: Parameter[],
    capFloats: number,
    transport: CommTransport,
    private readonly rank: number,
    private readonly timeoutMs = 60_000,
  ) {
    const sizes = params.map((p) => p.size);
    this.buckets = makeBuckets(sizes, capFloats);
    const { offsets, total } = flatLayout(sizes);
    this.offsets = offsets;
    this.flat = new Float32Array(new SharedArrayBuffer(total * 4));
    this.ready = new Uint8Array(params.length);
    params.forEach((p, i) => {
      this.index.set(p, i);
    });
    this.worker = workerFor(siblingModule('overlap-worker', import.meta.url), {
      workerData: {
        transport,
        control: this.control.buffer,
        flat: this.flat.buffer,
        buckets: this.buckets,
        timeoutMs,
      },
    });
    this.worker.on('error', () => {
      // Reported through the control words (the thread catches its own errors); this keeps the process up.
      Atomics.store(this.control, FAILED, 1);
    });
  }

  /** Pass as backward({ onLeafGrad }): copies a finished gradient in and posts every bucket it completes, in order. */
  readonly onLeafGrad = (leaf: Tensor): void => {
    const i = this.index.get(leaf);
    if (i === undefined) return;
    this.flat.set(leaf.grad!.toReadonlyTypedArray() as Float32Array, this.offsets[i]);
    this.ready[i] = 1;
    for (let b = this.buckets[this.nextBucket]; b; b = this.buckets[this.nextBucket]) {
      for (let p = b.first; p < b.last; p++) if (!this.ready[p]) return;
      this.nextBucket++;
      this.post();
    }
  };

  /** Waits for every bucket of this step, then leaves the averaged gradient in the flat buffer. */
  wait(): void {
    if (this.nextBucket !== this.buckets.length)
      throw new Error(
        `rank ${this.rank}: ${this.buckets.length - this.nextBucket} buckets never received a gradient`,
      );
    const deadline = Date.now() + this.timeoutMs;
    for (;;) {
      if (Atomics.load(this.control, FAILED) === 1) {
        const failed = Atomics.load(this.control, FAILED_RANK);
        throw new RankFailure(
          `rank ${this.rank}: rank ${failed} failed during the gradient all-reduce`,
          failed,
        );
      }
      const done = Atomics.load(this.control, DONE);
      if (done === this.posted) break;
      if (Date.now() > deadline)
        throw new Error(
          `rank ${this.rank}: the communication thread did not finish within ${this.timeoutMs} ms`,
        );
      Atomics.wait(this.control, DONE, done, SLICE_MS);
    }
    this.nextBucket = 0;
    this.ready.fill(0);
  }

  /** Stops the communication thread, after it has closed its transport (or 5 s). */
  async close(): Promise<void> {
    this.worker.postMessage('stop');
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 5_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      this.worker.once('message', done);
      this.worker.once('exit', done);
    });
    await this.worker.terminate();
  }

  private post(): void {
    this.worker.postMessage(this.nextBucket - 1);
    this.posted++;
  }
}

export const CONTROL = { DONE, FAILED, FAILED_RANK } as const;
