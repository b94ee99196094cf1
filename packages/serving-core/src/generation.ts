import { checkSampler, type SamplerSettings, sampleToken } from '@mle/decoding';
import type { SlotRow } from '@mle/onnx-runtime';
import { Rng } from '@mle/tensor';
import { type Clock, systemClock } from './clock.js';
import { Overloaded, ServingError } from './errors.js';

/**
 * What the scheduler needs of a language model: memory for a fixed number of sequences (slots), and one step over
 * rows that each bring new tokens for the sequence in their slot, answering each row's next-token logits
 * (onnx-runtime's CausalLmSlots has this shape; the scheduler never loads an engine itself).
 */
export interface LanguageModel {
  readonly vocabSize: number;
  /** Per row, the logits after its last new token ([vocab]). */
  step(rows: readonly SlotRow[]): Promise<Float32Array[]>;
  /** Empties a slot: its next row starts a new sequence. */
  reset(slot: number): void;
  release(): Promise<void>;
}

/**
 * How requests share the model:
 *  - `continuous`: iteration-level scheduling (Orca, vLLM): a request joins the running batch at the next step
 *    and leaves it when done, so a short request never waits for a long one;
 *  - `request-level`: a batch is formed from the queue and runs until its last request is done, then the next;
 *  - `sequential`: one request at a time.
 */
export type Scheduling = 'continuous' | 'request-level' | 'sequential';
export const SCHEDULINGS: readonly Scheduling[] = ['continuous', 'request-level', 'sequential'];

export interface SchedulerOptions {
  /** The model's name, for errors. */
  model: string;
  /** Prompt and generated tokens together may not exceed this. */
  contextLength: number;
  /** Sequences decoded together, each with its own cache. */
  maxSlots: number;
  /** Requests allowed to wait for a slot; one more is refused with Overloaded. */
  maxQueueSize: number;
  scheduling: Scheduling;
  clock?: Clock;
  /** After each model step, for metrics: a prefill of new requests or a decode step of the running ones. */
  onStep?: (kind: 'prefill' | 'decode', rows: number, ms: number) => void;
  /** When a request's first token is out, with the time since it was submitted. */
  onFirstToken?: (ms: number) => void;
}

export interface GenerationRequest {
  prompt: readonly number[];
  /** New tokens at most. */
  maxTokens: number;
  sampler?: SamplerSettings;
  /** Called with the tokens so far after each one; true ends generation with finish reason "stop". */
  stop?: (tokens: readonly number[]) => boolean;
  /** Absolute clock time after which generation ends with finish reason "deadline". */
  deadline?: number;
  /** Aborting it ends the request at the next step (its slot is freed) with finish reason "cancelled". */
  signal?: AbortSignal;
  /** Each new token as soon as it is chosen (streaming). A throw ends the request as cancelled. */
  onToken?: (token: number) => void;
}

export type FinishReason = 'length' | 'stop' | 'cancelled' | 'deadline' | 'shutdown';

export interface GenerationResult {
  tokens: number[];
  finishReason: FinishReason;
  promptTokens: number;
  /** From submission to the first token, ms; undefined when none came. */
  timeToFirstTokenMs?: number;
}

interface Sequence {
  request: GenerationRequest;
  sampler: Required<SamplerSettings>;
  rng: Rng;
  submittedAt: number;
  tokens: number[];
  /** The model's memory this sequence occupies while it runs. */
  slot?: number;
  firstTokenAt?: number;
  resolve: (result: GenerationResult) => void;
  reject: (error: Error) => void;
}

/**
 * Runs generation requests on one language model with a bounded queue and a fixed number of slots. Each loop
 * iteration frees the slots of requests that ended (cancelled, past their deadline), admits waiting requests as the
 * scheduling allows and runs their prefill as one batch, then runs one decode step for every running sequence
 * together, each row with its own cache, and samples each row's next token with its own settings and seed.
 */
export class GenerationScheduler {
  private readonly queue: Sequence[] = [];
  private readonly slots: Sequence[] = [];
  /** Slot numbers not in use; the lowest is taken first, so the running batch stays at the front of the memory. */
  private readonly free: number[];
  private readonly clock: Clock;
  private loop: Promise<void> | undefined;
  private closing = false;
  /** Set when shutdown's grace period is over: running sequences end at the next step. */
  private cutOff = false;

  constructor(
    private readonly lm: LanguageModel,
    private readonly options: SchedulerOptions,
  ) {
    for (const key of ['contextLength', 'maxSlots', 'maxQueueSize'] as const)
      if (!(Number.isInteger(options[key]) && options[key] >= 1))
        throw new RangeError(`GenerationScheduler: ${key} must be a positive integer, got ${options[key]}`);
    this.clock = options.clock ?? systemClock;
    this.free = Array.from({ length: options.maxSlots }, (_, i) => i);
  }

  /** Requests waiting for a slot. */
  get queueDepth(): number {
    return this.queue.length;
  }

  /** Sequences in the running batch. */
  get activeSlots(): number {
    return this.slots.length;
  }

  get maxSlots(): number {
    return this.options.maxSlots;
  }

  /** Queues a request; resolves when it ends, rejects when it cannot be run (bad input, full queue, shutting down). */
  submit(request: GenerationRequest): Promise<GenerationResult> {
    const { model, contextLength, maxQueueSize } = this.options;
    if (this.closing)
      return Promise.reject(
        new ServingError('SHUTTING_DOWN', `model ${model}: shutting down, not accepting requests`),
      );
    let sampler: Required<SamplerSettings>;
    try {
      sampler = this.check(request);
    } catch (error) {
      return Promise.reject(new ServingError('INVALID_INPUT', `model ${model}: ${(error as Error).message}`));
    }
    if (this.queue.length >= maxQueueSize) return Promise.reject(new Overloaded(model, maxQueueSize));
    if (request.prompt.length + request.maxTokens > contextLength) {
      // Checked last: the message names both numbers, which are only meaningful once each is valid.
      return Promise.reject(
        new ServingError(
          'INVALID_INPUT',
          `model ${model}: the context is ${contextLength} tokens; the prompt has ${request.prompt.length} and ${request.maxTokens} more were asked for (${request.prompt.length + request.maxTokens}); shorten the prompt or ask for fewer tokens`,
        ),
      );
    }
    return new Promise((resolve, reject) => {
      this.queue.push({
        request,
        sampler,
        rng: new Rng(sampler.seed),
        submittedAt: this.clock.now(),
        tokens: [],
        resolve,
        reject,
      });
      this.loop ??= this.run().finally(() => {
        this.loop = undefined;
      });
    });
  }

  /**
   * Stops accepting requests and ends those still waiting (finish reason "shutdown", no tokens); running sequences
   * finish unless `graceMs` passes first, after which they end at the next step with what they have.
   */
  async shutdown(graceMs = 10_000): Promise<void> {
    this.closing = true;
    for (const waiting of this.queue.splice(0)) this.finish(waiting, 'shutdown');
    const cancel = this.clock.setTimer(graceMs, () => {
      this.cutOff = true;
    });
    await this.loop;
    cancel();
  }

  private check(request: GenerationRequest): Required<SamplerSettings> {
    const { vocabSize } = this.lm;
    if (request.prompt.length === 0) throw new RangeError('the prompt is empty; give at least one token');
    request.prompt.forEach((token, i) => {
      if (!(Number.isInteger(token) && token >= 0 && token < vocabSize))
        throw new RangeError(`prompt token ${i} is ${token}, outside the vocabulary 0..${vocabSize - 1}`);
    });
    if (!(Number.isInteger(request.maxTokens) && request.maxTokens >= 1))
      throw new RangeError(`maxTokens must be a positive integer, got ${request.maxTokens}`);
    return checkSampler(request.sampler ?? {}, vocabSize, 'sampling');
  }

  private async run(): Promise<void> {
    // Requests submitted in the same turn of the event loop start together.
    await new Promise<void>((resolve) => setImmediate(resolve));
    while (this.slots.length > 0 || this.queue.length > 0) {
      this.dropEnded();
      const admitted = this.admit();
      if (admitted.length > 0) await this.advance('prefill', admitted);
      // A request cancelled while the prefill ran is not decoded again.
      this.dropEnded();
      const running = this.slots.filter((s) => s.tokens.length > 0);
      if (running.length > 0) await this.advance('decode', running);
      // Let the event loop in between steps: new requests, disconnects and streamed writes happen here.
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /** Frees the slots (and queue places) of requests cancelled, past their deadline, or cut off by shutdown. */
  private dropEnded(): void {
    const now = this.clock.now();
    const ended = (s: Sequence): FinishReason | undefined => {
      if (s.request.signal?.aborted) return 'cancelled';
      if (s.request.deadline !== undefined && now >= s.request.deadline) return 'deadline';
      if (this.cutOff && this.slots.includes(s)) return 'shutdown';
      return undefined;
    };
    for (const list of [this.slots, this.queue]) {
      for (let i = list.length - 1; i >= 0; i--) {
        const reason = ended(list[i]!);
        if (reason) this.finish(list.splice(i, 1)[0]!, reason);
      }
    }
  }

  private admit(): Sequence[] {
    const { maxSlots, scheduling } = this.options;
    const capacity = scheduling === 'sequential' ? 1 : maxSlots;
    // Request-level batching starts a new batch only once the last one is done.
    if (scheduling !== 'continuous' && this.slots.length > 0) return [];
    const admitted = this.queue.splice(0, Math.max(0, capacity - this.slots.length));
    for (const s of admitted) {
      this.free.sort((a, b) => a - b);
      s.slot = this.free.shift()!;
      this.lm.reset(s.slot);
    }
    this.slots.push(...admitted);
    return admitted;
  }

  /** One model step for `sequences`: a prefill of their prompts or a decode of their last tokens. */
  private async advance(kind: 'prefill' | 'decode', sequences: Sequence[]): Promise<void> {
    const rows: SlotRow[] = sequences.map((s) => ({
      slot: s.slot!,
      tokens: kind === 'prefill' ? s.request.prompt : [s.tokens.at(-1)!],
    }));
    const started = this.clock.now();
    let step: Float32Array[];
    try {
      step = await this.lm.step(rows);
    } catch (error) {
      for (const s of sequences) {
        this.slots.splice(this.slots.indexOf(s), 1);
        this.release(s);
        s.reject(
          new ServingError('INFERENCE_FAILED', `model ${this.options.model}: ${(error as Error).message}`, {
            cause: error,
          }),
        );
      }
      return;
    }
    this.options.onStep?.(kind, rows.length, this.clock.now() - started);
    sequences.forEach((s, r) => {
      const last = Float64Array.from(step[r]!);
      const context = [...s.request.prompt, ...s.tokens];
      const token = sampleToken(last, context, s.sampler, s.rng);
      s.tokens.push(token);
      if (s.firstTokenAt === undefined) {
        s.firstTokenAt = this.clock.now();
        this.options.onFirstToken?.(s.firstTokenAt - s.submittedAt);
      }
      let reason: FinishReason | undefined;
      try {
        s.request.onToken?.(token);
      } catch {
        reason = 'cancelled';
      }
      if (!reason && s.request.stop?.(s.tokens)) reason = 'stop';
      if (!reason && s.tokens.length >= s.request.maxTokens) reason = 'length';
      if (reason) {
        this.slots.splice(this.slots.indexOf(s), 1);
        this.finish(s, reason);
      }
    });
  }

  /** Gives the sequence's slot back. */
  private release(s: Sequence): void {
    if (s.slot === undefined) return;
    this.free.push(s.slot);
    s.slot = undefined;
  }

  private finish(s: Sequence, finishReason: FinishReason): void {
    this.release(s);
    s.resolve({
      tokens: s.tokens,
      finishReason,
      promptTokens: s.request.prompt.length,
      ...(s.firstTokenAt !== undefined ? { timeToFirstTokenMs: s.firstTokenAt - s.submittedAt } : {}),
    });
  }
}
