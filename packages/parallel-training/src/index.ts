/** Data, tensor and pipeline parallelism from scratch; first, the ring all-reduce and its shared-memory transport. */
export { chunkStart, type RingLink, ringAllReduce } from './ring.js';
export {
  RankFailure,
  runThreadGroup,
  type ThreadGroupData,
  type ThreadGroupOptions,
  threadLink,
} from './threads.js';
