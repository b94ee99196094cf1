/**
 * The generation benchmark, part of `pnpm --filter @mle/model-server bench`: the character GPT served three ways —
 * continuous batching, request-level batching and one request at a time — each by our server in its own process,
 * loaded on loopback by 1, 8 and 32 streaming clients. Every client sends the same fixed list of requests whose
 * lengths differ (as real traffic does), so every scheduling does the same work: tokens/s overall, time to first
 * token and the gap between tokens of one stream (p50 and p99).
 */
import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CausalLm, CausalLmSlots } from '@mle/onnx-runtime';
import type { BenchResult } from '@mle/report';
import { median, percentile } from '@mle/report';

export const SCHEDULINGS = ['continuous', 'request-level', 'sequential'] as const;
export const GENERATION_CONCURRENCY = [1, 8, 32];
const PROMPT = 'Call me Ishmael. ';
/** New tokens per request, cycled: lengths that differ by 12×, all within the context of 128. */
const LENGTHS = [8, 24, 48, 96];

export interface Launched {
  port: number;
  child: ChildProcess;
}

interface Stream {
  tokens: number;
  ttftMs: number;
  gapsMs: number[];
}

/** One streaming request: the time to its first token and the gaps between the tokens after it. */
async function stream(port: number, maxTokens: number, seed: number): Promise<Stream> {
  const started = performance.now();
  const response = await fetch(`http://127.0.0.1:${port}/v2/models/gpt-char/generate_stream`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      text_input: PROMPT,
      parameters: { max_tokens: maxTokens, temperature: 0.8, seed },
    }),
  });
  if (!response.ok || !response.body)
    throw new Error(`generate_stream: HTTP ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let buffer = '';
  let last = started;
  let tokens = 0;
  let ttftMs = Number.NaN;
  const gapsMs: number[] = [];
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const event = JSON.parse(buffer.slice(6, end)) as { text_output: string; finish_reason?: string };
      buffer = buffer.slice(end + 2);
      if (!event.text_output) continue;
      const now = performance.now();
      if (tokens === 0) ttftMs = now - started;
      else gapsMs.push(now - last);
      last = now;
      tokens += 1;
    }
  }
  // A token may decode to nothing visible only at a stop sequence, and there is none: each token is an event.
  if (tokens !== maxTokens) throw new Error(`generate_stream: ${tokens} tokens, expected ${maxTokens}`);
  return { tokens, ttftMs, gapsMs };
}

/** `clients` clients, each sending its requests one after another; all of them together. */
async function load(port: number, clients: number, perClient: number, lengths: readonly number[]) {
  const started = performance.now();
  const streams = await Promise.all(
    Array.from({ length: clients }, async (_, client) => {
      const done: Stream[] = [];
      for (let i = 0; i < perClient; i++)
        done.push(await stream(port, lengths[(client + i) % lengths.length]!, client * 1000 + i));
      return done;
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const all = streams.flat();
  const tokens = all.reduce((sum, s) => sum + s.tokens, 0);
  return {
    tokensPerS: tokens / seconds,
    ttft: all.map((s) => s.ttftMs),
    gaps: all.flatMap((s) => s.gapsMs),
  };
}

/** The gpt-char model of a built repository, in a repository of its own with the given scheduling. */
function repositoryFor(built: string, work: string, scheduling: string): string {
  const root = join(work, `gen-${scheduling}`);
  mkdirSync(join(root, 'gpt-char', '1'), { recursive: true });
  writeFileSync(
    join(root, 'gpt-char', '1', 'model.onnx'),
    readFileSync(join(built, 'gpt-char', '1', 'model.onnx')),
  );
  const config = JSON.parse(readFileSync(join(built, 'gpt-char', 'config.json'), 'utf8'));
  config.max_batch_size = 32;
  config.generation.scheduling = scheduling;
  config.generation.max_queue_size = 1024;
  writeFileSync(join(root, 'gpt-char', 'config.json'), JSON.stringify(config));
  return root;
}

export async function generationBench(options: {
  built: string;
  work: string;
  quick: boolean;
  launch: (env: Record<string, string>) => Promise<Launched>;
  stop: (child: ChildProcess) => Promise<void>;
  onCase?: (scheduling: string, clients: number) => void;
}): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  // A smaller model (the quick run's) gets the same mix of lengths, scaled to fit its context.
  const config = JSON.parse(readFileSync(join(options.built, 'gpt-char', 'config.json'), 'utf8'));
  const room = config.generation.context_length - Array.from(PROMPT).length;
  const lengths = LENGTHS.map((n) => Math.max(1, Math.floor((n * Math.min(room, 96)) / 96)));
  // All three servers up at once, each case run on each in turn: a slow spell of a shared machine falls on all.
  const servers = await Promise.all(
    SCHEDULINGS.map((scheduling) =>
      options.launch({ MODEL_REPOSITORY: repositoryFor(options.built, options.work, scheduling) }),
    ),
  );
  try {
    for (const server of servers) await load(server.port, 4, 1, lengths); // warm-up, not recorded
    for (const clients of GENERATION_CONCURRENCY) {
      // The same requests for every scheduling: enough that each client sends several of them.
      const perClient = Math.max(options.quick ? 1 : 2, Math.ceil((options.quick ? 8 : 64) / clients));
      for (const [i, scheduling] of SCHEDULINGS.entries()) {
        const r = await load(servers[i]!.port, clients, perClient, lengths);
        const c = `gen-c${clients}`;
        const add = (metric: string, value: number, unit: string) =>
          results.push({ case: c, impl: scheduling, metric, value, unit });
        add('tokens_per_s', r.tokensPerS, 'tokens/s');
        add('ttft_p50_ms', percentile(r.ttft, 50), 'ms');
        add('ttft_p99_ms', percentile(r.ttft, 99), 'ms');
        add('itl_p50_ms', percentile(r.gaps, 50), 'ms');
        add('itl_p99_ms', percentile(r.gaps, 99), 'ms');
        options.onCase?.(scheduling, clients);
      }
    }
  } finally {
    for (const server of servers) await options.stop(server.child);
  }
  return results;
}

export const GENERATION_WORKLOAD = `each client sends its requests one after another, the prompt "${PROMPT}" and ${LENGTHS.join(', ')} new tokens in turn (temperature 0.8, seeded)`;

/**
 * One decode step of the served model in this process, B sequences with 64 cached positions each: through CausalLm
 * (each sequence's cache copied into the batch and back out every step) and through CausalLmSlots (the caches stay
 * in their slots; only the new positions move). Median of 40 steps after 5 of warm-up.
 */
export async function decodeStepBench(built: string, quick: boolean): Promise<BenchResult[]> {
  const lm = await CausalLm.create(readFileSync(join(built, 'gpt-char', '1', 'model.onnx')));
  const context = JSON.parse(readFileSync(join(built, 'gpt-char', 'config.json'), 'utf8')).generation
    .context_length as number;
  const results: BenchResult[] = [];
  const steps = quick ? 10 : 45;
  // 64 cached positions, or fewer in a smaller model's context (the quick run's).
  const cached = Math.min(64, context - steps);
  const prompt = (i: number) => Array.from({ length: cached }, (_, t) => (t * 7 + i) % lm.shape.vocabSize);
  try {
    for (const B of [1, 8, 32]) {
      const copied: number[] = [];
      let caches = (await lm.step(Array.from({ length: B }, (_, i) => ({ tokens: prompt(i) })))).caches;
      for (let s = 0; s < steps; s++) {
        const started = performance.now();
        caches = (await lm.step(caches.map((cache) => ({ tokens: [1], cache })))).caches;
        copied.push(performance.now() - started);
      }
      const slots = new CausalLmSlots(lm, 32, context);
      await slots.step(Array.from({ length: B }, (_, i) => ({ slot: i, tokens: prompt(i) })));
      const inPlace: number[] = [];
      for (let s = 0; s < steps; s++) {
        const started = performance.now();
        await slots.step(Array.from({ length: B }, (_, i) => ({ slot: i, tokens: [1] })));
        inPlace.push(performance.now() - started);
      }
      const c = `decode-step-b${B}`;
      results.push({
        case: c,
        impl: 'CausalLm (caches copied)',
        metric: 'ms',
        value: median(copied.slice(5)),
        unit: 'ms',
      });
      results.push({
        case: c,
        impl: 'CausalLmSlots',
        metric: 'ms',
        value: median(inPlace.slice(5)),
        unit: 'ms',
      });
    }
  } finally {
    await lm.release();
  }
  return results;
}
