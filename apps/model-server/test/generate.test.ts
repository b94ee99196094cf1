import { generate } from '@mle/gpt';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  GPT_ALPHABET,
  gptRepository,
  serverSentEvents,
  spawnServer,
  startServer,
  type TestServer,
  tinyGpt,
} from './helpers.js';

const encode = (text: string) => Array.from(text, (c) => GPT_ALPHABET.indexOf(c));
const decode = (ids: readonly number[]) => ids.map((i) => GPT_ALPHABET[i]).join('');
/** What the TypeScript model generates greedily: the reference every route must give. */
const greedy = (prompt: string, maxTokens: number) =>
  decode(generate(tinyGpt(), encode(prompt), { maxTokens, temperature: 0 }).tokens);

let server: TestServer;
let client: OpenAI;
beforeAll(async () => {
  server = await startServer(gptRepository());
  client = new OpenAI({ baseURL: `${server.base}/v1`, apiKey: 'not-needed', maxRetries: 0 });
});
afterAll(() => server.close());

const post = (path: string, body: unknown, signal?: AbortSignal) =>
  fetch(server.base + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    ...(signal ? { signal } : {}),
  });

describe("Triton's generate extension", () => {
  it('generate: the greedy text of the TypeScript model, with the finish reason and token counts', async () => {
    const reply = await server.call('/v2/models/gpt/generate', {
      body: { text_input: 'abc de', parameters: { max_tokens: 12, temperature: 0 } },
    });
    expect(reply.status).toBe(200);
    expect(reply.json).toEqual({
      model_name: 'gpt',
      model_version: '1',
      text_output: greedy('abc de', 12),
      finish_reason: 'length',
      usage: { prompt_tokens: 6, completion_tokens: 12, total_tokens: 18 },
    });
  });

  it('generate_stream: one event per token, which add up to the same text, then a last event with the reason', async () => {
    const response = await post('/v2/models/gpt/generate_stream', {
      text_input: 'abc de',
      parameters: { max_tokens: 12, temperature: 0 },
    });
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const events = [];
    for await (const e of serverSentEvents(response)) events.push(JSON.parse(e.data));
    expect(events).toHaveLength(13);
    expect(events.slice(0, 12).every((e) => e.text_output.length === 1)).toBe(true);
    expect(events.map((e) => e.text_output).join('')).toBe(greedy('abc de', 12));
    expect(events.at(-1)).toMatchObject({ text_output: '', finish_reason: 'length' });
  });

  it('a stop sequence ends the text before it, streamed or not, and never shows part of it', async () => {
    const free = greedy('ab', 20);
    const stop = free.slice(6, 8);
    const expected = free.slice(0, free.indexOf(stop));
    const body = { text_input: 'ab', parameters: { max_tokens: 20, temperature: 0, stop: [stop, 'zzz'] } };
    const reply = await server.call('/v2/models/gpt/generate', { body });
    expect(reply.json).toMatchObject({ text_output: expected, finish_reason: 'stop' });
    const streamed: string[] = [];
    for await (const e of serverSentEvents(await post('/v2/models/gpt/generate_stream', body)))
      streamed.push(JSON.parse(e.data).text_output);
    expect(streamed.join('')).toBe(expected);
  });

  it('the same seed gives the same sampled text; the defaults come from the model config', async () => {
    const body = { text_input: 'ab', parameters: { temperature: 1, seed: 7 } };
    const [a, b] = await Promise.all([
      server.call('/v2/models/gpt/generate', { body }),
      server.call('/v2/models/gpt/generate', { body }),
    ]);
    expect(a.json.text_output).toBe(b.json.text_output);
    expect((a.json.text_output as string).length).toBe(8); // max_tokens 8 in config.json
  });
});

describe('OpenAI-compatible routes, through the official openai client', () => {
  it('models.list names the generative models only', async () => {
    const models = await client.models.list();
    expect(models.data.map((m) => m.id)).toEqual(['gpt']);
    expect(models.data[0]).toMatchObject({ object: 'model', owned_by: 'mle-learner' });
  });

  it('completions.create: the greedy text, finish reason and usage', async () => {
    const completion = await client.completions.create({
      model: 'gpt',
      prompt: 'abc de',
      max_tokens: 12,
      temperature: 0,
    });
    expect(completion.object).toBe('text_completion');
    expect(completion.choices).toEqual([
      { index: 0, text: greedy('abc de', 12), logprobs: null, finish_reason: 'length' },
    ]);
    expect(completion.usage).toEqual({ prompt_tokens: 6, completion_tokens: 12, total_tokens: 18 });
  });

  it('completions.create with stream: chunks that add up to the same text, the last with the reason', async () => {
    const stream = await client.completions.create({
      model: 'gpt',
      prompt: 'abc de',
      max_tokens: 12,
      temperature: 0,
      stream: true,
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]!.text).join('')).toBe(greedy('abc de', 12));
    expect(chunks.at(-1)!.choices[0]!.finish_reason).toBe('length');
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  it("errors arrive as the client's typed errors, with the server's message", async () => {
    await expect(client.completions.create({ model: 'nope', prompt: 'a' })).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('no model named "nope"'),
    });
    await expect(client.completions.create({ model: 'gpt', prompt: 'a', n: 2 })).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('n: only n = 1 is served'),
    });
    await expect(
      client.completions.create({ model: 'gpt', prompt: 'a'.repeat(30), max_tokens: 5 }),
    ).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining(
        'the context is 32 tokens; the prompt has 30 and 5 more were asked for',
      ),
    });
  });
});

describe('bad input and faults', () => {
  it('answers 4xx naming what was wrong, and never 500s on input', async () => {
    const cases: [string, unknown, number, string][] = [
      [
        '/v2/models/gpt/generate',
        { text_input: 'ab', parameters: { temperature: -1 } },
        400,
        'parameters.temperature',
      ],
      ['/v2/models/gpt/generate', { text_input: 'ab', parameters: { top_k: 0 } }, 400, 'parameters.top_k'],
      [
        '/v2/models/gpt/generate',
        { text_input: 'ab', parameters: { top_k: 12 } },
        400,
        "more than the model's 11 tokens",
      ],
      ['/v2/models/gpt/generate', { text_input: 'ab', parameters: { top_p: 1.5 } }, 400, 'parameters.top_p'],
      [
        '/v2/models/gpt/generate',
        { text_input: 'ab', parameters: { beams: 4 } },
        400,
        'Unrecognized key: "beams"',
      ],
      [
        '/v2/models/gpt/generate',
        { text_input: 'ab', parameters: { max_tokens: 33 } },
        400,
        "over this model's limit of 32",
      ],
      ['/v2/models/gpt/generate', { text_input: 'xyz{' }, 400, 'alphabet lacks: "x", "y", "z", "{"'],
      ['/v2/models/gpt/generate', { text_input: '' }, 400, 'prompt: empty'],
      ['/v2/models/gpt/generate', { prompt: 'ab' }, 400, 'text_input'],
      ['/v2/models/gpt/generate', { text_input: 'a'.repeat(40) }, 400, 'the context is 32 tokens'],
      ['/v2/models/nope/generate', { text_input: 'ab' }, 404, 'no model named "nope"'],
      ['/v2/models/tiny/generate', { text_input: 'ab' }, 400, 'model tiny does not generate text'],
      ['/v2/models/gpt/infer', { inputs: [] }, 400, 'model gpt generates text'],
    ];
    for (const [path, body, status, message] of cases) {
      const reply = await server.call(path, { body });
      expect(reply.status, `${path} ${JSON.stringify(body)}`).toBe(status);
      expect(reply.json.error, `${path} ${JSON.stringify(body)}`).toContain(message);
    }
    const malformed = await server.call('/v2/models/gpt/generate', { raw: '{"text_input": ' });
    expect(malformed.status).toBe(400);
  });

  it('a client that disconnects mid-stream is cancelled: its slot is freed and the server goes on', async () => {
    const scheduler = server.repository!.get('gpt').generator!.scheduler;
    const abort = new AbortController();
    const response = await post(
      '/v2/models/gpt/generate_stream',
      { text_input: 'ab', parameters: { max_tokens: 30, temperature: 0 } },
      abort.signal,
    );
    const events = serverSentEvents(response);
    await events.next();
    expect(scheduler.activeSlots).toBe(1);
    abort.abort();
    await vi.waitFor(() => expect(scheduler.activeSlots).toBe(0), { timeout: 10_000, interval: 5 });
    const metrics = await server.call('/metrics');
    expect(metrics.text).toMatch(
      /mle_generated_tokens_total\{model="gpt",finish="cancelled"\} ([1-9]|[12][0-9])\b/,
    );
    const after = await server.call('/v2/models/gpt/generate', { body: { text_input: 'ab' } });
    expect(after.status).toBe(200);
  });

  it('a full queue answers 503 with Retry-After', async () => {
    const small = await startServer(gptRepository({ slots: 1, queue: 1 }));
    try {
      const body = { text_input: 'ab', parameters: { max_tokens: 30 } };
      const replies = await Promise.all(
        Array.from({ length: 6 }, () => small.call('/v2/models/gpt/generate', { body })),
      );
      const refused = replies.filter((r) => r.status === 503);
      expect(refused.length).toBeGreaterThan(0);
      expect(refused[0]!.headers.get('retry-after')).toBe('1');
      expect(refused[0]!.json.error).toContain('queue full');
      expect(replies.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(2);
    } finally {
      await small.close();
    }
  });

  it('metrics: tokens generated, time to first token, active slots and queue depth', async () => {
    await server.call('/v2/models/gpt/generate', {
      body: { text_input: 'ab', parameters: { max_tokens: 3 } },
    });
    const text = (await server.call('/metrics')).text;
    expect(text).toMatch(/mle_generated_tokens_total\{model="gpt",finish="length"\} \d+/);
    expect(text).toMatch(/mle_time_to_first_token_seconds_count\{model="gpt"\} [1-9]/);
    expect(text).toMatch(/mle_generation_batch_rows_count\{model="gpt",kind="decode"\} [1-9]/);
    expect(text).toContain('mle_generation_active_slots{model="gpt"} 0');
    expect(text).toContain('mle_inference_queue_depth{model="gpt"} 0');
  });

  it('SIGTERM while streaming: the running stream finishes, waiting ones end with a final "shutdown" event, exit 0', async () => {
    // A long context, so the running stream (500 tokens) is still going when the signal arrives.
    const { child, port, exited } = await spawnServer({
      MODEL_REPOSITORY: gptRepository({ slots: 1, context: 512 }),
      LOG_LEVEL: 'silent',
    });
    const open = () =>
      fetch(`http://127.0.0.1:${port}/v2/models/gpt/generate_stream`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ text_input: 'ab', parameters: { max_tokens: 500, temperature: 0 } }),
      });
    // One slot: the first stream runs, the other two wait for it.
    const first = await open();
    const events = serverSentEvents(first);
    const firstEvent = await events.next();
    const waiting = [open(), open()];
    await vi.waitFor(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics).toMatch(/^mle_inference_queue_depth\{model="gpt"\} 2$/m);
      },
      { timeout: 60_000, interval: 10 },
    );
    child.kill('SIGTERM');
    const rest = [firstEvent.value!];
    for await (const e of events) rest.push(e);
    const finished = rest.map((e) => JSON.parse(e.data));
    const reference = decode(generate(tinyGpt(512), encode('ab'), { maxTokens: 500, temperature: 0 }).tokens);
    expect(finished.map((e) => e.text_output).join('')).toBe(reference);
    expect(finished.at(-1)).toMatchObject({ finish_reason: 'length' });
    for (const response of await Promise.all(waiting)) {
      expect(response.status).toBe(200);
      const ended = [];
      for await (const e of serverSentEvents(response)) ended.push(JSON.parse(e.data));
      expect(ended).toEqual([
        expect.objectContaining({ text_output: '', finish_reason: 'shutdown', usage: expect.anything() }),
      ]);
    }
    expect(await exited).toBe(0);
  });
});
