import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { FakeClock, type ModelRuntime, type NamedTensor } from '@mle/serving-core';
import { describe, expect, it, vi } from 'vitest';
import { inferBody, spawnServer, startServer, tinyRepository } from './helpers.js';

/** A runtime that holds every batch until released, to fill the queue on purpose. */
function heldRuntime() {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  let started!: () => void;
  /** Resolves when the first batch reaches the runtime. */
  const running = new Promise<void>((resolve) => {
    started = resolve;
  });
  const runtime: ModelRuntime = {
    platform: 'held',
    load: async () => ({
      inputs: [{ name: 'input', datatype: 'FP32', shape: [-1, 4] }],
      outputs: [{ name: 'output', datatype: 'FP32', shape: [-1, 3] }],
    }),
    infer: async (inputs: NamedTensor[]) => {
      started();
      await gate;
      return [
        {
          name: 'output',
          datatype: 'FP32',
          shape: [inputs[0]!.shape[0]!, 3],
          data: new Float32Array(inputs[0]!.shape[0]! * 3),
        },
      ];
    },
    release: async () => {},
  };
  return { runtime, running, release: () => release() };
}

describe('admission control', () => {
  it('a full queue answers 503 with Retry-After; a request past its deadline answers 504', async () => {
    const held = heldRuntime();
    // The server sets deadlines on the repository's clock, the one its batchers compare them on: time moves
    // only when the test says so.
    const clock = new FakeClock();
    const server = await startServer(tinyRepository({ maxBatchSize: 1, queue: 1, delayUs: 0 }), {
      runtime: () => held.runtime,
      requestTimeoutMs: 50,
      clock,
    });
    const body = inferBody([[1, 2, 3, 4]]);
    const first = server.call('/v2/models/tiny/infer', { body }); // runs, held
    await held.running;
    const second = server.call('/v2/models/tiny/infer', { body }); // waits in the queue (size 1)
    const batcher = server.repository!.get('tiny').batcher!;
    await vi.waitFor(() => expect(batcher.queueDepth).toBe(1), { timeout: 60_000, interval: 5 });
    const third = await server.call('/v2/models/tiny/infer', { body });
    expect(third.status).toBe(503);
    expect(third.headers.get('retry-after')).toBe('1');
    expect(third.json.error).toBe('model tiny: queue full (1 requests waiting); retry later');
    clock.advance(60); // the queued request's 50 ms deadline passes
    held.release();
    expect((await first).status).toBe(200);
    const late = await second;
    expect(late.status).toBe(504);
    expect(late.json.error).toBe('model tiny: deadline passed after 60 ms in the queue');
    await server.close();
  });

  it('SIGTERM: the process stops accepting, answers what it holds, releases the models and exits 0', async () => {
    // Requests wait up to 10 minutes for batchmates: only the shutdown's drain can answer them within the test.
    const root = tinyRepository({ delayUs: 600_000_000, maxBatchSize: 8 });
    const { child, port, exited, logs } = await spawnServer({ MODEL_REPOSITORY: root, LOG_LEVEL: 'info' });
    const post = () =>
      fetch(`http://127.0.0.1:${port}/v2/models/tiny/infer`, {
        method: 'POST',
        body: JSON.stringify(inferBody([[1, 2, 3, 4]])),
      });
    const inFlight = [post(), post(), post()];
    await vi.waitFor(
      async () => {
        const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        expect(metrics).toMatch(/^mle_inference_queue_depth\{model="tiny"\} 3$/m);
      },
      { timeout: 60_000, interval: 20 },
    ); // all three queued in the batcher, not yet run
    child.kill('SIGTERM');
    const answers = await Promise.all(inFlight);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(await exited).toBe(0);
    const lines = logs()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines.some((l) => l.msg === 'shutting down: no new connections, draining requests')).toBe(true);
    expect(lines.filter((l) => l.msg === 'request').every((l) => typeof l.reqId === 'string')).toBe(true);
    expect(lines.at(-1).msg).toBe('stopped');
    await expect(fetch(`http://127.0.0.1:${port}/v2/health/live`)).rejects.toThrow();
  });

  it('refuses a bad configuration at start, naming the variable', async () => {
    const child = spawn(
      fileURLToPath(new URL('../node_modules/.bin/tsx', import.meta.url)),
      ['--conditions=@mle/source', 'src/main.ts'],
      {
        cwd: fileURLToPath(new URL('..', import.meta.url)),
        env: { ...process.env, PORT: 'eighty', MODEL_REPOSITORY: '/nonexistent' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (c) => {
      stderr += c;
    });
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).not.toBe(0);
    expect(stderr).toContain('invalid configuration: PORT:');
  });
});
