import { type DataParallelConfig, type ReplicaLog, trainReplica } from './data-parallel.js';
import { launchProcesses } from './launch.js';
import { runThreadGroup, siblingModule } from './threads.js';

export type Strategy = 'ring-threads' | 'ring-tcp' | 'parameter-server';

/** The parameters of an MLP with these widths (weights and biases). */
export const parameterCount = (layers: number[]): number =>
  layers.slice(1).reduce((sum, out, i) => sum + (layers[i]! + 1) * out, 0);

/**
 * Runs `config` on `replicas` replicas: worker threads with a shared-memory ring, processes with a TCP ring, or
 * processes round a parameter server on rank 0 (TCP). One replica runs in this thread, with no synchronization.
 * Resolves with every replica's log, rank order.
 */
export async function runDataParallel(
  config: DataParallelConfig,
  replicas: number,
  strategy: Strategy,
  options: {
    timeoutMs?: number;
    /** Overlap the ring with the backward pass (buckets of this many floats, on a communication thread). */
    bucketCap?: number;
  } = {},
): Promise<ReplicaLog[]> {
  if (!Number.isInteger(replicas) || replicas < 1)
    throw new RangeError(`replicas must be a whole number ≥ 1, got ${replicas}`);
  if (config.globalBatch % replicas !== 0)
    throw new RangeError(
      `the global batch (${config.globalBatch}) must divide evenly among ${replicas} replicas`,
    );
  if (replicas === 1 && strategy === 'ring-threads') return [await trainReplica(config, { kind: 'none' })];
  if (strategy === 'ring-threads') {
    return runThreadGroup<ReplicaLog>(siblingModule('replica-thread', import.meta.url), replicas, {
      capacity: Math.ceil(parameterCount(config.layers) / replicas) + 1,
      timeoutMs: options.timeoutMs ?? 60_000,
      workerData: { config, bucketCap: options.bucketCap },
    });
  }
  return launchProcesses<ReplicaLog>(siblingModule('replica-process', import.meta.url), replicas, {
    env: {
      DP_CONFIG: JSON.stringify(config),
      DP_SYNC: strategy === 'ring-tcp' ? 'ring' : 'parameter-server',
    },
  });
}
