/** Run: pnpm --filter @mle/parallel-training demo [-- --quick] */
import { demoFlags, formatTable } from '@mle/report';
import {
  allReduceSeconds,
  hyperband,
  MNIST_MLP,
  MNIST_SPACE,
  type ReplicaLog,
  runDataParallel,
  runSearch,
  type Strategy,
  siblingModule,
  workerExecutor,
} from './index.js';

const { quick } = demoFlags();
const lengths = quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000, 4_000_000];
const repeats = quick ? 3 : 9;
const rows: string[][] = [];
for (const transport of ['threads', 'tcp'] as const)
  for (const size of [2, 4]) {
    const seconds = await allReduceSeconds(transport, size, lengths, repeats);
    lengths.forEach((length, k) => {
      const bytesPerRank = (2 * (size - 1) * 4 * length) / size;
      rows.push([
        transport,
        String(size),
        length.toLocaleString('en-US'),
        (bytesPerRank / 1e6).toFixed(2),
        (seconds[k]! * 1000).toFixed(3),
        (bytesPerRank / seconds[k]! / 1e9).toFixed(2),
      ]);
    });
  }
console.log(
  `Ring all-reduce (mean) of float32 buffers, one rank per worker thread (shared memory) or per process (TCP on loopback); median of ${repeats} after a warm-up, each the slowest rank's time (this machine has 2 cores, so 4 ranks share them):`,
);
console.log(
  formatTable(['transport', 'ranks', 'values', 'MB sent per rank', 'ms', 'GB/s per rank'], rows, {
    align: ['left', 'right', 'right', 'right', 'right', 'right'],
  }),
);
console.log(
  'Each rank sends 2(N − 1)/N of the buffer, however many ranks there are: the ring’s bandwidth cost is flat in N.\n',
);

// Data-parallel SGD: the same 20 steps on one replica and on two, every way; the parameters must agree.
const config = { ...MNIST_MLP, steps: quick ? 10 : 20 };
const maxDiff = (a: number[], b: number[]) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
const [single] = await runDataParallel(config, 1, 'ring-threads');
const runs: [string, ReplicaLog[]][] = [['1 replica', [single!]]];
for (const strategy of ['ring-threads', 'ring-tcp', 'parameter-server'] satisfies Strategy[])
  runs.push([`2 replicas, ${strategy}`, await runDataParallel(config, 2, strategy)]);
runs.push([
  '2 replicas, ring-threads, bucketed overlap',
  await runDataParallel(config, 2, 'ring-threads', { bucketCap: 30_000 }),
]);
console.log(
  `Data-parallel SGD on the MNIST MLP (${config.layers.join('-')}, global batch ${config.globalBatch}, ${config.steps} steps, seed ${config.seed}):`,
);
console.log(
  formatTable(
    ['run', 'final loss (global batch)', 'max |Δ parameter| vs 1 replica'],
    runs.map(([name, logs]) => {
      const loss = logs.reduce((s, l) => s + l.losses.at(-1)!, 0) / logs.length;
      return [
        name,
        loss.toFixed(6),
        Math.max(...logs.map((l) => maxDiff(l.parameters, single!.parameters))).toExponential(1),
      ];
    }),
    { align: ['left', 'right', 'right'] },
  ),
);

// Hyperband on the MNIST MLP, small: R = 3 epochs, η = 3, two trials at a time in worker threads.
const search = await runSearch(
  hyperband(MNIST_SPACE, { maxEpochs: 3, eta: 3, seed: 1 }),
  workerExecutor(siblingModule('search/mnist-worker', import.meta.url), 2, { workerData: { seed: 1 } }),
  { concurrency: 2 },
);
console.log('\nHyperband on the MNIST MLP (R = 3 epochs, η = 3, seed 1), two trials at a time:');
console.log(
  formatTable(
    ['trial', 'rung', 'lr', 'width', 'batch', 'dropout', 'epochs', 'dev accuracy'],
    [...search.outcomes]
      .sort((a, b) => a.id - b.id)
      .map((o) => [
        String(o.id),
        o.tag ?? '',
        (o.config.lr as number).toExponential(1),
        String(o.config.hidden),
        String(o.config.batchSize),
        (o.config.dropout as number).toFixed(2),
        String(o.scores.length),
        `${(100 * o.scores.at(-1)!).toFixed(1)}%`,
      ]),
    { align: ['right', 'left', 'right', 'right', 'right', 'right', 'right', 'right'] },
  ),
);
console.log(
  `Best: ${(100 * search.best!.score).toFixed(1)}% (trial ${search.best!.id}) in ${search.totalEpochs} epochs. Timings and the four searches compared: pnpm --filter @mle/parallel-training bench.`,
);
