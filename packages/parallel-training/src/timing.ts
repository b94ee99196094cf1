import { median } from '@mle/report';
import { launchProcesses } from './launch.js';
import { type RingLink, ringAllReduce } from './ring.js';
import { runThreadGroup, siblingModule } from './threads.js';

/** Times ring all-reduces (mean) of each length on this rank, `repeats` times after a warm-up: ms[length][repeat]. */
export async function timeAllReduces(
  link: RingLink,
  lengths: number[],
  repeats: number,
): Promise<number[][]> {
  const timings: number[][] = [];
  for (const length of lengths) {
    const buffer = Float32Array.from({ length }, (_, i) => link.rank + i);
    const times: number[] = [];
    for (let r = 0; r < repeats + 1; r++) {
      const start = performance.now();
      await ringAllReduce(link, buffer, 'mean');
      if (r > 0) times.push(performance.now() - start);
    }
    timings.push(times);
  }
  return timings;
}

/**
 * The all-reduce's time for each length on `ranks` ranks of a transport: a collective ends when its slowest rank
 * does, so each repeat counts the slowest rank's time; the median over repeats, in seconds.
 */
export async function allReduceSeconds(
  transport: 'threads' | 'tcp',
  ranks: number,
  lengths: number[],
  repeats: number,
): Promise<number[]> {
  const timings =
    transport === 'threads'
      ? await runThreadGroup<number[][]>(siblingModule('timing-thread', import.meta.url), ranks, {
          capacity: Math.ceil(Math.max(...lengths) / ranks) + 1,
          workerData: { lengths, repeats },
        })
      : await launchProcesses<number[][]>(siblingModule('timing-process', import.meta.url), ranks, {
          env: { TIMING: JSON.stringify({ lengths, repeats }) },
        });
  return lengths.map(
    (_, k) => median(timings[0]![k]!.map((__, r) => Math.max(...timings.map((t) => t[k]![r]!)))) / 1000,
  );
}
