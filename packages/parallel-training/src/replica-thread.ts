/**
 * A data-parallel replica as a worker thread of a thread group: the ring runs over shared memory, in this thread
 * after the backward pass, or (bucketCap set) on a communication thread overlapping it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { type DataParallelConfig, trainReplica } from './data-parallel.js';
import { type ThreadGroupData, threadLink } from './threads.js';

const { group, config, bucketCap } = workerData as {
  group: ThreadGroupData;
  config: DataParallelConfig;
  bucketCap?: number;
};
parentPort!.postMessage(
  await trainReplica(
    config,
    bucketCap
      ? {
          kind: 'bucketed',
          transport: { kind: 'threads', group },
          rank: group.rank,
          size: group.size,
          capFloats: bucketCap,
        }
      : { kind: 'ring', link: threadLink(group) },
  ),
);
