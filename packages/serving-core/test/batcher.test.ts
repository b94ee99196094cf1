import { describe, expect, it } from 'vitest';
import { DeadlineExceeded, DynamicBatcher, FakeClock, Overloaded, type ServingError } from '../src/index.js';
import { DoublingRuntime, flush, rowsOf } from './fakes.js';

function setup(
  options: Partial<{ maxBatchSize: number; maxQueueDelayMs: number; maxQueueSize: number }> = {},
) {
  const clock = new FakeClock();
  const runtime = new DoublingRuntime();
  const batches: [number, number][] = [];
  const batcher = new DynamicBatcher(runtime, {
    model: 'm',
    maxBatchSize: 4,
    maxQueueDelayMs: 10,
    maxQueueSize: 8,
    clock,
    onBatch: (rows, requests) => batches.push([rows, requests]),
    ...options,
  });
  return { clock, runtime, batcher, batches };
}

describe('DynamicBatcher', () => {
  it('runs a batch as soon as it is full, without waiting for the delay', async () => {
    const { runtime, batcher } = setup();
    const results = [1, 2, 3, 4].map((v) => batcher.infer({ inputs: rowsOf(1, v) }));
    await flush();
    expect(runtime.batches).toEqual([4]);
    const outputs = await Promise.all(results);
    expect(outputs.map((o) => Array.from(o[0]!.data as Float32Array))).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
      [8, 8],
    ]);
  });

  it('waits at most max_queue_delay for batchmates, then runs what it has', async () => {
    const { clock, runtime, batcher } = setup();
    const a = batcher.infer({ inputs: rowsOf(1, 1) });
    clock.advance(4);
    const b = batcher.infer({ inputs: rowsOf(2, 2) });
    clock.advance(5);
    await flush();
    expect(runtime.batches).toEqual([]); // 9 ms after the first request: still waiting
    clock.advance(1);
    await flush();
    expect(runtime.batches).toEqual([3]);
    expect((await b)[0]!.shape).toEqual([2, 2]);
    expect((await a)[0]!.shape).toEqual([1, 2]);
  });

  it('never puts more than max_batch_size rows in a batch, and keeps request order', async () => {
    const { clock, runtime, batcher, batches } = setup();
    const results = [3, 2, 1, 2].map((rows, i) => batcher.infer({ inputs: rowsOf(rows, i) }));
    clock.advance(10);
    await flush();
    clock.advance(10);
    await flush();
    clock.advance(10);
    await Promise.all(results);
    expect(runtime.batches).toEqual([3, 3, 2]);
    expect(batches).toEqual([
      [3, 1],
      [3, 2],
      [2, 1],
    ]);
    expect(Array.from((await results[3]!)[0]!.data as Float32Array)).toEqual([6, 6, 6, 6]);
  });

  it('refuses requests beyond the queue bound with Overloaded', async () => {
    const { batcher } = setup({ maxQueueSize: 2, maxBatchSize: 8 });
    const ok = [batcher.infer({ inputs: rowsOf(1, 1) }), batcher.infer({ inputs: rowsOf(1, 1) })];
    await expect(batcher.infer({ inputs: rowsOf(1, 1) })).rejects.toBeInstanceOf(Overloaded);
    await expect(batcher.infer({ inputs: rowsOf(1, 1) })).rejects.toThrow(
      'model m: queue full (2 requests waiting); retry later',
    );
    void batcher.shutdown();
    await Promise.all(ok);
  });

  it('drops a request whose deadline passed while it waited, and serves the rest', async () => {
    const { clock, batcher } = setup();
    const late = batcher.infer({ inputs: rowsOf(1, 1), deadline: 5 });
    const fine = batcher.infer({ inputs: rowsOf(1, 2), deadline: 50 });
    clock.advance(10);
    await expect(late).rejects.toBeInstanceOf(DeadlineExceeded);
    await expect(late).rejects.toThrow('model m: deadline passed after 10 ms in the queue');
    expect((await fine)[0]!.data[0]).toBe(4);
  });

  it('isolates a failing request: its batchmates still get answers', async () => {
    const { runtime, batcher } = setup();
    const results = [1, Number.NaN, 3, 4].map((v) => batcher.infer({ inputs: rowsOf(1, v) }));
    const settled = await Promise.allSettled(results);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'fulfilled']);
    const error = (settled[1] as PromiseRejectedResult).reason as ServingError;
    expect(error.code).toBe('INFERENCE_FAILED');
    expect(error.message).toBe('model m: NaN in input');
    expect(runtime.batches).toEqual([4, 1, 1, 1, 1]);
  });

  it('does not batch requests whose non-batch dimensions differ', async () => {
    const { clock, runtime, batcher } = setup();
    const wide = [{ name: 'x', datatype: 'FP32' as const, shape: [1, 3], data: new Float32Array(3) }];
    const results = [
      batcher.infer({ inputs: rowsOf(1, 1) }),
      batcher.infer({ inputs: wide }),
      batcher.infer({ inputs: rowsOf(1, 1) }),
    ];
    clock.advance(10);
    await flush();
    clock.advance(10);
    await flush();
    clock.advance(10);
    await Promise.all(results);
    expect(runtime.batches).toEqual([1, 1, 1]);
  });

  it('shutdown runs what is queued at once, then refuses new requests', async () => {
    const { runtime, batcher } = setup();
    const queued = [batcher.infer({ inputs: rowsOf(1, 1) }), batcher.infer({ inputs: rowsOf(1, 2) })];
    const done = batcher.shutdown();
    await expect(batcher.infer({ inputs: rowsOf(1, 3) })).rejects.toThrow(
      'model m: shutting down, not accepting requests',
    );
    await done;
    expect(runtime.batches).toEqual([2]);
    expect(await Promise.all(queued)).toHaveLength(2);
    await batcher.shutdown(); // idempotent when empty
  });

  it('shutdown waits for the batch in flight', async () => {
    const { runtime, batcher } = setup({ maxBatchSize: 1 });
    let open!: () => void;
    runtime.gate = new Promise((resolve) => {
      open = resolve;
    });
    const inFlight = batcher.infer({ inputs: rowsOf(1, 5) });
    await flush();
    let finished = false;
    const done = batcher.shutdown().then(() => {
      finished = true;
    });
    await flush();
    expect(finished).toBe(false);
    open();
    await done;
    expect((await inFlight)[0]!.data[0]).toBe(10);
  });

  it('validates the request and its own options', async () => {
    const { batcher } = setup();
    await expect(batcher.infer({ inputs: rowsOf(5, 1) })).rejects.toThrow(
      'model m: batch of 5 rows, max_batch_size is 4',
    );
    await expect(batcher.infer({ inputs: [] })).rejects.toThrow(
      'every input needs the same first (batch) dimension',
    );
    await expect(
      batcher.infer({ inputs: [...rowsOf(1, 1), { ...rowsOf(2, 1)[0]!, name: 'z' }] }),
    ).rejects.toThrow('same first (batch) dimension');
    const runtime = new DoublingRuntime();
    expect(
      () => new DynamicBatcher(runtime, { model: 'm', maxBatchSize: 0, maxQueueDelayMs: 1, maxQueueSize: 1 }),
    ).toThrow('maxBatchSize must be a positive integer');
    expect(
      () =>
        new DynamicBatcher(runtime, { model: 'm', maxBatchSize: 1, maxQueueDelayMs: -1, maxQueueSize: 1 }),
    ).toThrow('maxQueueDelayMs must be ≥ 0');
  });

  it('works on the real clock too', async () => {
    const runtime = new DoublingRuntime();
    const batcher = new DynamicBatcher(runtime, {
      model: 'm',
      maxBatchSize: 8,
      maxQueueDelayMs: 5,
      maxQueueSize: 8,
    });
    const results = await Promise.all([
      batcher.infer({ inputs: rowsOf(1, 1) }),
      batcher.infer({ inputs: rowsOf(1, 2) }),
    ]);
    expect(results).toHaveLength(2);
    expect(runtime.batches).toEqual([2]);
    expect(batcher.queueDepth).toBe(0);
  });
});
