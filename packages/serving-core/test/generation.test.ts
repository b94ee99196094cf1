import type { SlotRow } from '@mle/onnx-runtime';
import { describe, expect, it } from 'vitest';
import {
  CharacterTokenizer,
  FakeClock,
  GenerationScheduler,
  type LanguageModel,
  type SchedulerOptions,
} from '../src/index.js';

/**
 * A language model whose next token is always (last + 1) mod vocab, by a wide margin: greedy text is predictable,
 * and every step's rows are recorded (new tokens, cached length) so tests can see who shared which step.
 */
class CountingModel implements LanguageModel {
  readonly steps: { tokens: number; cached: number }[][] = [];
  /** While set, a step waits for it: the test decides when the model answers. */
  hold: Promise<void> | undefined;
  fail = false;
  released = false;

  /** Positions each slot holds. */
  readonly lengths = new Map<number, number>();

  constructor(readonly vocabSize = 5) {}

  async step(rows: readonly SlotRow[]): Promise<Float32Array[]> {
    this.steps.push(rows.map((r) => ({ tokens: r.tokens.length, cached: this.lengths.get(r.slot) ?? 0 })));
    await this.hold;
    if (this.fail) throw new Error('the model failed');
    for (const r of rows) this.lengths.set(r.slot, (this.lengths.get(r.slot) ?? 0) + r.tokens.length);
    return rows.map((r) => {
      const logits = new Float32Array(this.vocabSize);
      logits[(r.tokens.at(-1)! + 1) % this.vocabSize] = 10;
      return logits;
    });
  }

  reset(slot: number): void {
    this.lengths.set(slot, 0);
  }

  async release(): Promise<void> {
    this.released = true;
  }
}

const greedy = { temperature: 0 };

function scheduler(lm: LanguageModel, extra: Partial<SchedulerOptions> = {}) {
  return new GenerationScheduler(lm, {
    model: 'counting',
    contextLength: 64,
    maxSlots: 4,
    maxQueueSize: 8,
    scheduling: 'continuous',
    ...extra,
  });
}

/** Resolves once `check` holds, polling between event-loop turns. */
async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 10_000 && !check(); i++) await new Promise((r) => setImmediate(r));
  expect(check()).toBe(true);
}

function gate() {
  let open!: () => void;
  const closed = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { closed, open };
}

describe('GenerationScheduler', () => {
  it('generates greedily: a prefill, then one decode step per token, with the first token timed', async () => {
    const lm = new CountingModel();
    const result = await scheduler(lm).submit({ prompt: [1, 2], maxTokens: 4, sampler: greedy });
    expect(result).toMatchObject({ tokens: [3, 4, 0, 1], finishReason: 'length', promptTokens: 2 });
    expect(result.timeToFirstTokenMs).toBeGreaterThanOrEqual(0);
    expect(lm.steps).toEqual([
      [{ tokens: 2, cached: 0 }],
      [{ tokens: 1, cached: 2 }],
      [{ tokens: 1, cached: 3 }],
      [{ tokens: 1, cached: 4 }],
    ]);
  });

  it('continuous: a request joins the running batch at the next step and leaves it when done', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm);
    const long = s.submit({ prompt: [0], maxTokens: 8, sampler: greedy });
    await until(() => lm.steps.length >= 3);
    const short = await s.submit({ prompt: [2, 3, 4], maxTokens: 2, sampler: greedy });
    expect(short.tokens).toEqual([0, 1]);
    expect((await long).tokens).toEqual([1, 2, 3, 4, 0, 1, 2, 3]);
    // The short request's prefill ran while the long one was mid-way, and the decode step after it carried both.
    const prefill = lm.steps.findIndex((step) => step.some((r) => r.tokens === 3));
    expect(prefill).toBeGreaterThan(1);
    expect(lm.steps[prefill + 1]).toEqual([
      { tokens: 1, cached: expect.any(Number) },
      { tokens: 1, cached: 3 },
    ]);
    expect(lm.steps.at(-1)).toHaveLength(1); // the long one alone again, after the short one left
  });

  it('request-level: a new request waits until the whole running batch is done', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm, { scheduling: 'request-level' });
    const first = s.submit({ prompt: [0], maxTokens: 6, sampler: greedy });
    await until(() => lm.steps.length >= 2);
    const second = s.submit({ prompt: [1, 1], maxTokens: 2, sampler: greedy });
    await Promise.all([first, second]);
    const prefill = lm.steps.findIndex((step) => step.some((r) => r.tokens === 2));
    expect(prefill).toBe(6); // after the first request's prefill and its 5 decode steps
    expect(lm.steps.every((step) => step.length === 1)).toBe(true);
  });

  it('request-level batches what is waiting together; sequential runs one at a time', async () => {
    for (const [scheduling, widest] of [
      ['request-level', 3],
      ['sequential', 1],
    ] as const) {
      const lm = new CountingModel();
      const s = scheduler(lm, { scheduling });
      const requests = [0, 1, 2].map((p) => s.submit({ prompt: [p], maxTokens: 3, sampler: greedy }));
      const results = await Promise.all(requests);
      expect(results.map((r) => r.tokens)).toEqual([
        [1, 2, 3],
        [2, 3, 4],
        [3, 4, 0],
      ]);
      expect(Math.max(...lm.steps.map((step) => step.length))).toBe(widest);
    }
  });

  it('never decodes more sequences together than it has slots; the rest wait in the queue', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm, { maxSlots: 2 });
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((p) => s.submit({ prompt: [p], maxTokens: 3, sampler: greedy })),
    );
    expect(results.every((r) => r.tokens.length === 3)).toBe(true);
    expect(Math.max(...lm.steps.map((step) => step.length))).toBe(2);
  });

  it('a cancelled request leaves the batch at the next step, and its slot goes to a waiting one', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm, { maxSlots: 1 });
    const abort = new AbortController();
    const held = gate();
    lm.hold = held.closed;
    const cancelled = s.submit({ prompt: [0], maxTokens: 50, sampler: greedy, signal: abort.signal });
    const waiting = s.submit({ prompt: [3, 3], maxTokens: 2, sampler: greedy });
    await until(() => lm.steps.length === 1);
    expect([s.activeSlots, s.queueDepth]).toEqual([1, 1]);
    abort.abort();
    lm.hold = undefined;
    held.open();
    const result = await cancelled;
    expect(result.finishReason).toBe('cancelled');
    expect(result.tokens).toEqual([1]); // the prefill's token, then nothing more
    expect((await waiting).tokens).toEqual([4, 0]);
    // After the prefill that was in flight, no step carried the cancelled sequence (cached length 1).
    expect(lm.steps.slice(1).flat()).not.toContainEqual({ tokens: 1, cached: 1 });
  });

  it('ends a request at its deadline with what it has', async () => {
    const lm = new CountingModel();
    const clock = new FakeClock();
    const s = scheduler(lm, { clock });
    const held = gate();
    lm.hold = held.closed;
    const late = s.submit({ prompt: [0], maxTokens: 50, sampler: greedy, deadline: clock.now() + 100 });
    await until(() => lm.steps.length === 1);
    clock.advance(150);
    lm.hold = undefined;
    held.open();
    expect(await late).toMatchObject({ finishReason: 'deadline', tokens: [1] });
  });

  it('stops on the stop callback, and ends a request whose token callback throws (a closed stream)', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm);
    const stopped = await s.submit({
      prompt: [0],
      maxTokens: 50,
      sampler: greedy,
      stop: (tokens) => tokens.includes(3),
    });
    expect(stopped).toMatchObject({ finishReason: 'stop', tokens: [1, 2, 3] });
    const seen: number[] = [];
    const broken = await s.submit({
      prompt: [0],
      maxTokens: 50,
      sampler: greedy,
      onToken: (token) => {
        seen.push(token);
        if (seen.length === 2) throw new Error('socket closed');
      },
    });
    expect(broken).toMatchObject({ finishReason: 'cancelled', tokens: [1, 2] });
  });

  it('the same seed gives the same sampled tokens; another seed, others', async () => {
    const lm = new CountingModel(50);
    // Flat logits but one: sampling at temperature 50 is close to uniform.
    const s = scheduler(lm);
    const run = (seed: number) =>
      s.submit({ prompt: [0], maxTokens: 20, sampler: { temperature: 50, seed } }).then((r) => r.tokens);
    const [a, b, c] = await Promise.all([run(1), run(1), run(2)]);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('refuses what it cannot run, naming it: bad prompts and settings, an over-long request, a full queue', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm, { maxSlots: 1, maxQueueSize: 1, contextLength: 8 });
    await expect(s.submit({ prompt: [], maxTokens: 1 })).rejects.toThrow('the prompt is empty');
    await expect(s.submit({ prompt: [1, 7], maxTokens: 1 })).rejects.toThrow(
      'prompt token 1 is 7, outside the vocabulary 0..4',
    );
    await expect(s.submit({ prompt: [1], maxTokens: 0 })).rejects.toThrow(
      'maxTokens must be a positive integer, got 0',
    );
    await expect(s.submit({ prompt: [1], maxTokens: 1, sampler: { topK: 9 } })).rejects.toThrow(
      'sampling: topK must be an integer in 1..5, got 9',
    );
    await expect(s.submit({ prompt: [1, 2, 3], maxTokens: 6 })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message:
        'model counting: the context is 8 tokens; the prompt has 3 and 6 more were asked for (9); shorten the prompt or ask for fewer tokens',
    });
    const held = gate();
    lm.hold = held.closed;
    const running = s.submit({ prompt: [1], maxTokens: 2, sampler: greedy });
    await until(() => lm.steps.length === 1);
    const queued = s.submit({ prompt: [1], maxTokens: 2, sampler: greedy });
    await expect(s.submit({ prompt: [1], maxTokens: 2 })).rejects.toMatchObject({ code: 'OVERLOADED' });
    lm.hold = undefined;
    held.open();
    await Promise.all([running, queued]);
  });

  it('a failed step fails only the requests in it; the next ones are served', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm);
    lm.fail = true;
    await expect(s.submit({ prompt: [1], maxTokens: 2 })).rejects.toMatchObject({
      code: 'INFERENCE_FAILED',
      message: 'model counting: the model failed',
    });
    lm.fail = false;
    expect((await s.submit({ prompt: [1], maxTokens: 2, sampler: greedy })).tokens).toEqual([2, 3]);
    expect(s.activeSlots).toBe(0);
  });

  it('shutdown: waiting requests end at once, running ones finish, new ones are refused', async () => {
    const lm = new CountingModel();
    const s = scheduler(lm, { maxSlots: 1 });
    const held = gate();
    lm.hold = held.closed;
    const running = s.submit({ prompt: [0], maxTokens: 3, sampler: greedy });
    const waiting = s.submit({ prompt: [0], maxTokens: 3, sampler: greedy });
    await until(() => lm.steps.length === 1);
    const stopped = s.shutdown();
    expect(await waiting).toMatchObject({ finishReason: 'shutdown', tokens: [] });
    await expect(s.submit({ prompt: [0], maxTokens: 1 })).rejects.toMatchObject({ code: 'SHUTTING_DOWN' });
    lm.hold = undefined;
    held.open();
    expect(await running).toMatchObject({ finishReason: 'length', tokens: [1, 2, 3] });
    await stopped;
  });

  it('shutdown past its grace period ends running requests at the next step with what they have', async () => {
    const lm = new CountingModel();
    const clock = new FakeClock();
    const s = scheduler(lm, { clock });
    const held = gate();
    lm.hold = held.closed;
    const running = s.submit({ prompt: [0], maxTokens: 40, sampler: greedy });
    await until(() => lm.steps.length === 1);
    const stopped = s.shutdown(1000);
    clock.advance(1000);
    lm.hold = undefined;
    held.open();
    expect(await running).toMatchObject({ finishReason: 'shutdown', tokens: [1] });
    await stopped;
  });
});

describe('CharacterTokenizer', () => {
  it('maps each character of the alphabet to its index and back', () => {
    const t = new CharacterTokenizer('ab c');
    expect(t.vocabSize).toBe(4);
    expect(t.encode('a cab')).toEqual([0, 2, 3, 0, 1]);
    expect(t.decode([3, 0, 1])).toBe('cab');
  });

  it('names the characters it cannot spell, and refuses an alphabet that repeats one', () => {
    const t = new CharacterTokenizer('abc');
    expect(() => t.encode('abz{z')).toThrow(
      'the text has 2 characters the model\'s 3-character alphabet lacks: "z", "{"',
    );
    expect(() => t.decode([3])).toThrow('token 3 is outside the alphabet 0..2');
    expect(() => new CharacterTokenizer('aba')).toThrow('repeats a character');
  });
});
