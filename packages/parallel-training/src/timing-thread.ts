/** A rank of a timing thread group: times ring all-reduces of growing buffers over shared memory, posts the times. */
import { parentPort, workerData } from 'node:worker_threads';
import { type ThreadGroupData, threadLink } from './threads.js';
import { timeAllReduces } from './timing.js';

const { group, lengths, repeats } = workerData as {
  group: ThreadGroupData;
  lengths: number[];
  repeats: number;
};
parentPort!.postMessage(await timeAllReduces(threadLink(group), lengths, repeats));
