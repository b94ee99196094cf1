/** A data-parallel replica as a worker thread of a thread group: the ring runs over shared memory. */
import { parentPort, workerData } from 'node:worker_threads';
import { type DataParallelConfig, trainReplica } from './data-parallel.js';
import { type ThreadGroupData, threadLink } from './threads.js';

const { group, config } = workerData as { group: ThreadGroupData; config: DataParallelConfig };
parentPort!.postMessage(await trainReplica(config, { kind: 'ring', link: threadLink(group) }));
