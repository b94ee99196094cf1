import { beforeAll, describe, expect, it } from 'vitest';
import { MNIST_MLP, makeBuckets, type ReplicaLog, runDataParallel, trainReplica } from '../src/index.js';

// 20 steps of SGD with momentum on the MNIST MLP, global batch 128, from the same seed.
const config = { ...MNIST_MLP, steps: 20 };
let single: ReplicaLog;
beforeAll(async () => {
  single = (await runDataParallel(config, 1, 'ring-threads'))[0]!;
});

const maxAbsDiff = (a: number[], b: number[]) => {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
};
const globalLosses = (logs: ReplicaLog[]) =>
  logs[0]!.losses.map((_, step) => logs.reduce((sum, log) => sum + log.losses[step]!, 0) / logs.length);

describe('buckets, as DDP forms them', () => {
  it('cuts the parameters in reverse order into contiguous ranges no larger than the cap (one larger parameter alone)', () => {
    // Sizes of a 784-128-10 MLP: weight, bias, weight, bias.
    expect(makeBuckets([100_352, 128, 1_280, 10], 30_000)).toEqual([
      { first: 1, last: 4, start: 100_352, end: 101_770 },
      { first: 0, last: 1, start: 0, end: 100_352 },
    ]);
    expect(makeBuckets([4, 4, 4, 4], 8).map((b) => [b.first, b.last])).toEqual([
      [2, 4],
      [0, 2],
    ]);
    expect(makeBuckets([4, 4, 4], 1e9)).toEqual([{ first: 0, last: 3, start: 0, end: 12 }]);
    expect(() => makeBuckets([4], 0)).toThrow('a bucket must hold at least one float, got 0');
  });
});

describe('data-parallel SGD equals one replica with the same global batch, step for step', () => {
  it.each([
    ['ring-threads', 2],
    ['ring-threads', 4],
    ['ring-tcp', 2],
    ['ring-tcp', 4],
    ['parameter-server', 2],
    ['parameter-server', 4],
  ] as const)(
    '%s, %i replicas: every replica ends on the single replica’s parameters (float32 rounding)',
    async (strategy, replicas) => {
      const logs = await runDataParallel(config, replicas, strategy);
      expect(logs.map((l) => l.rank)).toEqual([...Array(replicas).keys()]);
      // The global loss (the mean of the equal shards' losses) follows the single replica's at every step.
      expect(maxAbsDiff(globalLosses(logs), single.losses)).toBeLessThan(1e-5);
      for (const log of logs) expect(maxAbsDiff(log.parameters, single.parameters)).toBeLessThan(2e-6);
    },
  );

  it.each([
    ['ring-threads', 2],
    ['ring-tcp', 2],
    ['ring-threads', 4],
  ] as const)(
    '%s, %i replicas, all-reduce overlapped with the backward pass (buckets on a communication thread): the same',
    async (strategy, replicas) => {
      // A 30,000-float cap cuts the MLP's gradient into two buckets: the first layer's weight, then everything after it.
      const logs = await runDataParallel(config, replicas, strategy, { bucketCap: 30_000 });
      expect(maxAbsDiff(globalLosses(logs), single.losses)).toBeLessThan(1e-5);
      for (const log of logs) expect(maxAbsDiff(log.parameters, single.parameters)).toBeLessThan(2e-6);
    },
  );

  it('the comparison can fail: a replica that trains on its shard alone, unaveraged, ends elsewhere', async () => {
    const alone = await trainReplica({ ...config, globalBatch: config.globalBatch / 2 }, { kind: 'none' });
    expect(maxAbsDiff(alone.parameters, single.parameters)).toBeGreaterThan(1e-3);
  });

  it('refuses a global batch that does not divide among the replicas, before and inside a replica', async () => {
    await expect(runDataParallel({ ...config, globalBatch: 126 }, 4, 'ring-tcp')).rejects.toThrow(
      'the global batch (126) must divide evenly among 4 replicas',
    );
    await expect(
      trainReplica({ ...config, globalBatch: 126 }, { kind: 'parameter-server', rank: 0, size: 4, star: [] }),
    ).rejects.toThrow('the global batch (126) must divide evenly among 4 replicas');
  });
});
