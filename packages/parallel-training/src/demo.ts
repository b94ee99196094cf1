/** Run: pnpm --filter @mle/parallel-training demo [-- --quick] */
import { demoFlags, formatTable, median } from '@mle/report';
import { runThreadGroup } from './index.js';

const { quick } = demoFlags();
const lengths = quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000, 4_000_000];
const repeats = quick ? 3 : 9;
const rows: string[][] = [];
for (const size of [2, 4]) {
  const timings = await runThreadGroup<number[][]>(new URL('./demo-rank.ts', import.meta.url), size, {
    capacity: Math.ceil(Math.max(...lengths) / size) + 1,
    workerData: { lengths, repeats },
  });
  lengths.forEach((length, k) => {
    // A step ends when its slowest rank does: the median over repeats of the slowest rank's time.
    const ms = median(
      timings[0]!.slice(0, repeats).map((_, r) => Math.max(...timings.map((t) => t[k]![r]!))),
    );
    const bytesPerRank = (2 * (size - 1) * 4 * length) / size;
    rows.push([
      String(size),
      length.toLocaleString('en-US'),
      (bytesPerRank / 1e6).toFixed(2),
      ms.toFixed(3),
      (bytesPerRank / (ms / 1000) / 1e9).toFixed(2),
    ]);
  });
}
console.log(
  `Ring all-reduce (mean) of float32 buffers over shared memory, one worker thread per rank; median of ${repeats} after a warm-up (this machine has 2 cores, so 4 ranks share them):`,
);
console.log(
  formatTable(['ranks', 'values', 'MB sent per rank', 'ms', 'GB/s per rank'], rows, {
    align: ['right', 'right', 'right', 'right', 'right'],
  }),
);
console.log(
  'Each rank sends 2(N − 1)/N of the buffer, however many ranks there are: the ring’s bandwidth cost is flat in N.',
);
