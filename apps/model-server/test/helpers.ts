import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, manualSeed, Sequential, Softmax } from '@mle/autograd';
import { exportModule } from '@mle/onnx';
import { type Clock, ModelRepository, type ModelRuntime } from '@mle/serving-core';
import * as T from '@mle/tensor';
import { pino } from 'pino';
import { createServer } from '../src/app.js';
import { createMetrics } from '../src/metrics.js';
import { servedRuntimes } from '../src/runtimes.js';

export const scratch = mkdtempSync(join(tmpdir(), 'mle-model-server-'));

/** A classifier 4 → 3 with softmax, exported to ONNX: small, but a real onnxruntime session. */
export function tinyClassifier() {
  manualSeed(3);
  return new Sequential(new Linear(4, 3), new Softmax());
}

let repos = 0;
/** A model repository folder with one ONNX model "tiny" (version 1). */
export function tinyRepository(
  options: { maxBatchSize?: number; delayUs?: number; queue?: number } = {},
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
