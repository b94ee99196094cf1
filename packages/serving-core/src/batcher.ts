import { type Clock, systemClock } from './clock.js';
import { DeadlineExceeded, Overloaded, ServingError } from './errors.js';
import { ARRAY_OF, elementCount, type ModelRuntime, type NamedTensor, type TensorValues } from './runtime.js';

export interface BatcherOptions {
  /** Name for error messages and metrics. */
  model: string;
  /** Most rows (sum of the requests' batch sizes) in one call to the runtime. */
  maxBatchSize: number;
  /** Longest a request waits for batchmates before its batch runs anyway, in ms. */
  maxQueueDelayMs: number;
  /** Requests allowed to wait; one more is refused with Overloaded. */
  maxQueueSize: number;
  clock?: Clock;
  /** Called after every runtime call, for metrics. */
  onBatch?: (rows: number, requests: number, ms: number) => void;
}

export interface InferRequest {
  inputs: NamedTensor[];
  /** Absolute clock time after which the request is not worth answering. */
  deadline?: number;
}

interface Pending {
  request: InferRequest;
  rows: number;
  enqueuedAt: number;
  resolve: (outputs: NamedTensor[]) => void;
  reject: (error: Error) => void;
}

/**
 * Triton's dynamic batcher for one model: requests queue up (bounded), and a batch runs when it reaches
 * maxBatchSize rows or when its oldest request has waited maxQueueDelay — whichever comes first. One batch
 * runs at a time; results are split back in request order. If a batch fails, each of its requests is
 * retried alone, so one bad request does not fail its batchmates.
 */
export class DynamicBatcher {
  private readonly queue: Pending[] = [];
  private readonly clock: Clock;
  private cancelTimer: (() => void) | undefined;
  private running = false;
  private closing = false;
  private drained: (() => void) | undefined;

  constructor(
    private readonly runtime: ModelRuntime,
    private readonly options: BatcherOptions,
  ) {
    for (const key of ['maxBatchSize', 'maxQueueSize'] as const) {
      if (!Number.isInteger(options[key]) || options[key] < 1)
        throw new RangeError(`DynamicBatcher: ${key} must be a positive integer, got ${options[key]}`);
    }
    if (!(options.maxQueueDelayMs >= 0))
      throw new RangeError(`DynamicBatcher: maxQueueDelayMs must be ≥ 0, got ${options.maxQueueDelayMs}`);
    this.clock = options.clock ?? systemClock;
  }

  /** Requests waiting (not counting the batch running now). */
  get queueDepth(): number {
    return this.queue.length;
  }

  infer(request: InferRequest): Promise<NamedTensor[]> {
    const { model, maxBatchSize, maxQueueSize } = this.options;
    if (this.closing)
      return Promise.reject(
        new ServingError('SHUTTING_DOWN', `model ${model}: shutting down, not accepting requests`),
      );
    const rows = request.inputs[0]?.shape[0];
    if (rows === undefined || request.inputs.some((t) => t.shape[0] !== rows)) {
      return Promise.reject(
        new ServingError(
          'INVALID_INPUT',
          `model ${model}: every input needs the same first (batch) dimension`,
        ),
      );
    }
    if (rows < 1 || rows > maxBatchSize) {
      return Promise.reject(
        new ServingError(
          'INVALID_INPUT',
          `model ${model}: batch of ${rows} rows, max_batch_size is ${maxBatchSize}`,
        ),
      );
    }
    if (this.queue.length >= maxQueueSize) return Promise.reject(new Overloaded(model, maxQueueSize));
    return new Promise((resolve, reject) => {
      this.queue.push({ request, rows, enqueuedAt: this.clock.now(), resolve, reject });
      this.schedule();
    });
  }

  /** Stops accepting requests, runs everything already queued without waiting for batchmates, then resolves. */
  shutdown(): Promise<void> {
    this.closing = true;
    this.schedule();
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drained = resolve;
    });
  }

  private schedule(): void {
    if (this.running) return;
    if (this.queue.length === 0) {
      this.drained?.();
      return;
    }
    const queuedRows = this.queue.reduce((n, p) => n + p.rows, 0);
    if (this.closing || queuedRows >= this.options.maxBatchSize) {
      void this.dispatch();
      return;
    }
    if (!this.cancelTimer) {
      const wait = this.queue[0]!.enqueuedAt + this.options.maxQueueDelayMs - this.clock.now();
      this.cancelTimer = this.clock.setTimer(wait, () => {
        this.cancelTimer = undefined;
        void this.dispatch();
      });
    }
  }

  private async dispatch(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = undefined;
    const now = this.clock.now();
    const batch: Pending[] = [];
    let rows = 0;
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      if (next.request.deadline !== undefined && next.request.deadline < now) {
        this.queue.shift();
        next.reject(new DeadlineExceeded(this.options.model, now - next.enqueuedAt));
        continue;
      }
      if (batch.length > 0 && (rows + next.rows > this.options.maxBatchSize || !compatible(batch[0]!, next)))
        break;
      batch.push(this.queue.shift()!);
      rows += next.rows;
    }
    if (batch.length === 0) {
      this.schedule();
      return;
    }
    this.running = true;
    try {
      await this.run(batch, rows);
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  private async run(batch: Pending[], rows: number): Promise<void> {
    const started = this.clock.now();
    try {
      const outputs = await this.runtime.infer(concatenate(batch.map((p) => p.request.inputs)));
      this.options.onBatch?.(rows, batch.length, this.clock.now() - started);
      let offset = 0;
      for (const p of batch) {
        p.resolve(outputs.map((o) => sliceRows(o, offset, p.rows)));
        offset += p.rows;
      }
    } catch (error) {
      this.options.onBatch?.(rows, batch.length, this.clock.now() - started);
      if (batch.length === 1) {
        batch[0]!.reject(
          error instanceof ServingError
            ? error
            : new ServingError(
                'INFERENCE_FAILED',
                `model ${this.options.model}: ${(error as Error).message}`,
                { cause: error },
              ),
        );
        return;
      }
      // Isolate the failure: each request alone, so only the one that cannot run fails.
      for (const p of batch) await this.run([p], p.rows);
    }
  }
}

/** Requests batch together when their inputs agree on names, types and every non-batch dimension. */
function compatible(a: Pending, b: Pending): boolean {
  const key = (p: Pending) =>
    p.request.inputs.map((t) => `${t.name}:${t.datatype}:${t.shape.slice(1).join('x')}`).join('|');
  return key(a) === key(b);
}

function concatenate(requests: NamedTensor[][]): NamedTensor[] {
  if (requests.length === 1) return requests[0]!;
  return requests[0]!.map((first, i) => {
    const parts = requests.map((inputs) => inputs[i]!);
    const rows = parts.reduce((n, t) => n + t.shape[0]!, 0);
    const data = new ARRAY_OF[first.datatype](parts.reduce((n, t) => n + t.data.length, 0));
    let at = 0;
    for (const t of parts) {
      (data as Float32Array).set(t.data as Float32Array, at);
      at += t.data.length;
    }
    return { ...first, shape: [rows, ...first.shape.slice(1)], data };
  });
}

function sliceRows(t: NamedTensor, start: number, rows: number): NamedTensor {
  const perRow = elementCount(t.shape.slice(1));
  const data = t.data.slice(start * perRow, (start + rows) * perRow) as TensorValues;
  return { ...t, shape: [rows, ...t.shape.slice(1)], data };
}
