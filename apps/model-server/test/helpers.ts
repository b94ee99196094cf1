import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, manualSeed, Sequential, Softmax } from '@mle/autograd';
import { exportGptOnnx, type GPT, randomGpt } from '@mle/gpt';
import { exportModule } from '@mle/onnx';
import { type Clock, ModelRepository, type ModelRuntime } from '@mle/serving-core';
import * as T from '@mle/tensor';
import { pino } from 'pino';
import { createServer } from '../src/app.js';
import { createMetrics } from '../src/metrics.js';
import { servedLanguageModels, servedRuntimes } from '../src/runtimes.js';

export const scratch = mkdtempSync(join(tmpdir(), 'mle-model-server-'));

/** A classifier 4 → 3 with softmax, exported to ONNX: small, but a real onnxruntime session. */
export function tinyClassifier() {
  manualSeed(3);
  return new Sequential(new Linear(4, 3), new Softmax());
}

let repos = 0;
/** A model repository folder with one ONNX model "tiny" (version 1). */
export function tinyRepository(
  options: { maxBatchSize?: number; delayUs?: number; queue?: number; monitoring?: unknown } = {},
): string {
  const root = join(scratch, `repo${repos++}`);
  mkdirSync(join(root, 'tiny', '1'), { recursive: true });
  writeFileSync(join(root, 'tiny', '1', 'model.onnx'), exportModule(tinyClassifier(), T.zeros([1, 4])));
  writeFileSync(
    join(root, 'tiny', 'config.json'),
    JSON.stringify({
      name: 'tiny',
      platform: 'onnxruntime_onnx',
      max_batch_size: options.maxBatchSize ?? 8,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [4] }],
      output: [{ name: 'output', data_type: 'TYPE_FP32', dims: [3] }],
      dynamic_batching: { max_queue_delay_us: options.delayUs ?? 500, max_queue_size: options.queue ?? 64 },
      labels: ['a', 'b', 'c'],
      ...(options.monitoring ? { monitoring: options.monitoring } : {}),
    }),
  );
  return root;
}

export interface Reply {
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: string };
  text: string;
}

export interface TestServer {
  base: string;
  call(
    path: string,
    init?: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
  repository: ModelRepository | undefined;
}

/** The app on an ephemeral loopback port, with a fetch helper; `close` stops the server and the repository. */
export async function startServer(
  root: string,
  extra: {
    requestTimeoutMs?: number;
    generateTimeoutMs?: number;
    maxBodyBytes?: number;
    runtime?: () => ModelRuntime;
    /** The repository's clock, which the server's deadlines follow too. */
    clock?: Clock;
    webRoot?: string;
  } = {},
): Promise<TestServer> {
  let repository: ModelRepository | undefined;
  const metrics = createMetrics(() => repository);
  repository = new ModelRepository({
    root,
    pollMs: 0,
    runtimes: extra.runtime ? { onnxruntime_onnx: extra.runtime } : servedRuntimes,
    languageModels: servedLanguageModels,
    onGenerationStep: (model, kind, rows) => metrics.decodeBatch.observe({ model, kind }, rows),
    onFirstToken: (model, ms) => metrics.timeToFirstToken.observe({ model }, ms / 1000),
    ...(extra.clock ? { clock: extra.clock } : {}),
    onBatch: (model, rows) => metrics.batchSize.observe({ model }, rows),
  });
  await repository.start();
  const app = createServer({
    repository,
    logger: pino({ level: process.env.TEST_LOG ?? 'silent' }),
    metrics,
    maxBodyBytes: extra.maxBodyBytes ?? 64 * 1024,
    requestTimeoutMs: extra.requestTimeoutMs ?? 5000,
    ...(extra.generateTimeoutMs ? { generateTimeoutMs: extra.generateTimeoutMs } : {}),
    ...(extra.webRoot ? { webRoot: extra.webRoot } : {}),
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const call = async (
    path: string,
    init: { method?: string; body?: unknown; raw?: string; headers?: Record<string, string> } = {},
  ) => {
    const response = await fetch(base + path, {
      method: init.method ?? (init.body !== undefined || init.raw !== undefined ? 'POST' : 'GET'),
      headers: { 'content-type': 'application/json', ...init.headers },
      ...(init.raw !== undefined
        ? { body: init.raw }
        : init.body !== undefined
          ? { body: JSON.stringify(init.body) }
          : {}),
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      json: json as Record<string, unknown> & { error?: string },
      text,
    };
  };
  const close = async () => {
    await new Promise((resolve) => server.close(resolve));
    await repository?.close();
  };
  return { base, call, close, repository };
}

export const inferBody = (rows: number[][], name = 'input') => ({
  inputs: [{ name, shape: [rows.length, rows[0]!.length], datatype: 'FP32', data: rows.flat() }],
});

/** The tiny GPT's alphabet: one character per token of its 11-token vocabulary. */
export const GPT_ALPHABET = 'abcdefghij ';

/**
 * A GPT small enough for tests (2 layers, width 16, context 32) with every weight N(0, 0.3²), so its greedy choices
 * are far from ties; exported to ONNX into a repository as "gpt" beside the tiny classifier.
 */
export function tinyGpt(contextLength = 32): GPT {
  const config = { layers: 2, heads: 2, width: 16, dropout: 0, bias: true, positions: 'rope' as const };
  return randomGpt({ ...config, vocabSize: GPT_ALPHABET.length, contextLength }, 5);
}

export function gptRepository(
  options: {
    slots?: number;
    queue?: number;
    scheduling?: string;
    defaults?: Record<string, unknown>;
    context?: number;
  } = {},
): string {
  const root = tinyRepository();
  const context = options.context ?? 32;
  mkdirSync(join(root, 'gpt', '1'), { recursive: true });
  writeFileSync(join(root, 'gpt', '1', 'model.onnx'), exportGptOnnx(tinyGpt(context)));
  writeFileSync(
    join(root, 'gpt', 'config.json'),
    JSON.stringify({
      name: 'gpt',
      platform: 'onnxruntime_onnx',
      max_batch_size: options.slots ?? 4,
      generation: {
        tokenizer: { type: 'characters', alphabet: GPT_ALPHABET },
        context_length: context,
        scheduling: options.scheduling ?? 'continuous',
        max_queue_size: options.queue ?? 64,
        defaults: { max_tokens: 8, ...options.defaults },
      },
    }),
  );
  return root;
}

/** Server-Sent Events read off a fetch response: each event's name (if any) and data. */
export async function* serverSentEvents(
  response: globalThis.Response,
): AsyncGenerator<{ event?: string; data: string }> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const event = /^event: (.*)$/m.exec(block)?.[1];
      const data = [...block.matchAll(/^data: (.*)$/gm)].map((m) => m[1]).join('\n');
      yield { ...(event ? { event } : {}), data };
    }
  }
}

/** The server as a real process, for the tests that need one (admission, generation): scripts/spawn-server.ts. */
export {
  type ModelServerProcess as ServerProcess,
  spawnModelServer as spawnServer,
} from '../scripts/spawn-server.js';
