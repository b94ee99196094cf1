/** A rank of the demo's thread group: times ring all-reduces of growing buffers and posts its timings. */
import { parentPort, workerData } from 'node:worker_threads';
import { ringAllReduce } from './ring.js';
import { type ThreadGroupData, threadLink } from './threads.js';

const { group, lengths, repeats } = workerData as {
  group: ThreadGroupData;
  lengths: number[];
  repeats: number;
};
const link = threadLink(group);
const timings: number[][] = [];
for (const length of lengths) {
  const buffer = Float32Array.from({ length }, (_, i) => group.rank + i);
  const times: number[] = [];
  for (let r = 0; r < repeats + 1; r++) {
    const start = performance.now();
    await ringAllReduce(link, buffer, 'mean');
    if (r > 0) times.push(performance.now() - start); // the first is a warm-up
  }
  timings.push(times);
}
parentPort!.postMessage(timings);
