/**
 * A data-parallel replica as a process: joins the job from RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT, reads the
 * run from DP_CONFIG (JSON) and the synchronization from DP_SYNC: 'ring' (the default), 'parameter-server', or
 * 'bucketed' (the ring on a communication thread overlapping the backward pass, buckets of DP_BUCKET_CAP floats).
 */
import { type DataParallelConfig, trainReplica } from './data-parallel.js';
import { reportFailure, reportResult, runRank } from './launch.js';
import { groupFromEnv } from './tcp.js';

const config = JSON.parse(process.env.DP_CONFIG ?? 'null') as DataParallelConfig | null;
if (!config)
  throw new Error('DP_CONFIG is not set: the run, as JSON (layers, globalBatch, steps, lr, momentum, seed)');
const sync = process.env.DP_SYNC ?? 'ring';
if (sync === 'bucketed') {
  // The communication thread joins the group itself: the sockets live where the ring runs.
  const env = groupFromEnv();
  const capFloats = Number(process.env.DP_BUCKET_CAP);
  if (!(capFloats >= 1))
    throw new Error(`DP_BUCKET_CAP must be a bucket size in floats, got "${process.env.DP_BUCKET_CAP}"`);
  try {
    reportResult(
      await trainReplica(config, {
        kind: 'bucketed',
        transport: { kind: 'tcp', env },
        rank: env.rank,
        size: env.size,
        capFloats,
      }),
    );
  } catch (error) {
    reportFailure(error, env.rank);
  }
} else if (sync === 'ring' || sync === 'parameter-server') {
  await runRank((group) =>
    trainReplica(
      config,
      sync === 'ring'
        ? { kind: 'ring', link: group.ring }
        : { kind: 'parameter-server', rank: group.rank, size: group.size, star: group.star },
    ),
  );
} else throw new Error(`DP_SYNC must be "ring", "parameter-server" or "bucketed", got "${sync}"`);
