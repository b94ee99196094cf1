/**
 * A data-parallel replica as a process: joins the job from RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT, reads the
 * run from DP_CONFIG (JSON) and the synchronization from DP_SYNC ('ring', the default, or 'parameter-server').
 */
import { type DataParallelConfig, trainReplica } from './data-parallel.js';
import { runRank } from './launch.js';

const config = JSON.parse(process.env.DP_CONFIG ?? 'null') as DataParallelConfig | null;
if (!config)
  throw new Error('DP_CONFIG is not set: the run, as JSON (layers, globalBatch, steps, lr, momentum, seed)');
const sync = process.env.DP_SYNC ?? 'ring';
if (sync !== 'ring' && sync !== 'parameter-server')
  throw new Error(`DP_SYNC must be "ring" or "parameter-server", got "${sync}"`);
await runRank((group) =>
  trainReplica(
    config,
    sync === 'ring'
      ? { kind: 'ring', link: group.ring }
      : { kind: 'parameter-server', rank: group.rank, size: group.size, star: group.star },
  ),
);
