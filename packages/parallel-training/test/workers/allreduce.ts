/** A rank of the tests' thread groups: all-reduces a rank-dependent buffer and posts the result. */
import { parentPort, workerData } from 'node:worker_threads';
import { ringAllReduce, type ThreadGroupData, threadLink } from '../../src/index.js';

const { group, length, op, failRank, hangRank } = workerData as {
  group: ThreadGroupData;
  length: number;
  op: 'sum' | 'mean';
  failRank?: number;
  hangRank?: number;
};
if (group.rank === failRank) throw new Error('a replica crashed before its first send');
if (group.rank === hangRank) {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    // stuck in its own computation, never reaching a wait
  }
}
const buffer = Float32Array.from({ length }, (_, i) => (group.rank + 1) * (i + 1));
await ringAllReduce(threadLink(group), buffer, op);
parentPort!.postMessage(Array.from(buffer));
