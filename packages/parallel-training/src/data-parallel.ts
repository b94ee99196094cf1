import {
  crossEntropy,
  Linear,
  manualSeed,
  type Parameter,
  ReLU,
  Sequential,
  SGD,
  Tensor,
} from '@mle/autograd';
import { mnistArrays } from '@mle/autograd/mnist';
import { fromTypedArray, type NDArray, setMatmulThreads } from '@mle/tensor';
import { BucketedAllReduce, type CommTransport, flatLayout } from './overlap.js';
import type { Peer } from './peer.js';
import { type RingLink, ringAllReduce } from './ring.js';

/** One data-parallel training run: the model, the global batch every step, and the optimizer. */
export interface DataParallelConfig {
  /** Layer widths, input first: [784, 128, 10] is the MNIST MLP; [784, 1024, 1024, 10] the wide one. */
  layers: number[];
  /** Examples per step across all replicas; each of N replicas takes globalBatch / N of them. */
  globalBatch: number;
  steps: number;
  lr: number;
  momentum: number;
  seed: number;
  /** Steps before timing starts (the first steps warm up the kernels and allocate). Default 0. */
  warmup?: number;
  /** Read the MNIST digit files from this directory (a mounted volume) instead of the mnist package. */
  dataDir?: string;
}

export const MNIST_MLP: DataParallelConfig = {
  layers: [784, 128, 10],
  globalBatch: 128,
  steps: 20,
  lr: 0.05,
  momentum: 0.9,
  seed: 1,
};

/** Compute dominates: ~1.9 M parameters (7.4 MB of gradients) against 6 · 1024 · 1.9 M ≈ 11.5 GFLOP a step. */
export const WIDE_MLP: DataParallelConfig = {
  ...MNIST_MLP,
  layers: [784, 1024, 1024, 10],
  globalBatch: 1024,
};

/**
 * How a replica's gradients become the update: 'ring' all-reduces (mean) the flat gradient and every replica steps
 * its own optimizer; 'parameter-server' sends it to rank 0, which averages, steps the one optimizer and sends the
 * parameters back. 'none' is a single replica.
 */
export type Sync =
  | { kind: 'none' }
  | { kind: 'ring'; link: RingLink }
  | { kind: 'bucketed'; transport: CommTransport; rank: number; size: number; capFloats: number }
  | { kind: 'parameter-server'; rank: number; size: number; star: Peer[] };

export interface ReplicaLog {
  rank: number;
  size: number;
  /** This replica's loss on its shard, every step (the global batch's loss is their mean: the shards are equal). */
  losses: number[];
  /** The parameters after the last step, flattened in the model's order. */
  parameters: number[];
  /**
   * Per timed step, milliseconds: forward + backward; the synchronization that follows it (when bucketed, the part
   * not hidden behind the backward pass; it includes waiting for the slowest replica); the optimizer's update.
   */
  computeMs: number[];
  communicateMs: number[];
  updateMs: number[];
  /** Parameters in the model (the floats each all-reduce moves). */
  parameterCount: number;
}

export function buildMlp(layers: number[]): Sequential {
  if (layers.length < 2 || layers.some((w) => !Number.isInteger(w) || w < 1))
    throw new RangeError(`layers must be two or more positive widths, got [${layers}]`);
  const modules = [];
  for (let i = 0; i + 1 < layers.length; i++) {
    modules.push(new Linear(layers[i]!, layers[i + 1]!));
    if (i + 2 < layers.length) modules.push(new ReLU());
  }
  return new Sequential(...modules);
}

const valuesOf = (p: Parameter) => p.value.data as Float32Array;

/**
 * Trains one replica. Every replica builds the same initial model (same seed), walks the same sequence of global
 * batches and takes its rank's contiguous share of each; the gradients are averaged by `sync`. With equal shards
 * and a mean loss, the averaged gradient is the global batch's gradient, so N replicas follow the single replica's
 * trajectory up to float32 rounding (the sums are taken in another order).
 */
export async function trainReplica(config: DataParallelConfig, sync: Sync): Promise<ReplicaLog> {
  const rank = sync.kind === 'ring' ? sync.link.rank : sync.kind === 'none' ? 0 : sync.rank;
  const size = sync.kind === 'ring' ? sync.link.size : sync.kind === 'none' ? 1 : sync.size;
  const { globalBatch, steps, lr, momentum, seed, warmup = 0 } = config;
  if (globalBatch % size !== 0)
    throw new RangeError(`the global batch (${globalBatch}) must divide evenly among ${size} replicas`);
  setMatmulThreads(1); // each replica owns one core
  const { train } = mnistArrays({ seed, dir: config.dataDir });
  const inputs = config.layers[0]!;
  if (inputs !== train.x.shape[1])
    throw new RangeError(`the first layer takes ${inputs} inputs; MNIST images have ${train.x.shape[1]}`);
  manualSeed(seed);
  const model = buildMlp(config.layers);
  const params = model.parameters();
  const optimizer = new SGD(params, { lr, momentum });
  const { offsets, total } = flatLayout(params.map((p) => p.size));
  const bucketed =
    sync.kind === 'bucketed'
      ? new BucketedAllReduce(params, sync.capFloats, sync.transport, rank)
      : undefined;
  const flat = bucketed?.flat ?? new Float32Array(total);
  const shard = globalBatch / size;
  const count = train.x.shape[0]!;
  const images = train.x.data as Float32Array;
  const labels = train.y.data as Int32Array;
  const x = new Float32Array(shard * inputs);
  const y = new Int32Array(shard);
  const log: ReplicaLog = {
    rank,
    size,
    losses: [],
    parameters: [],
    computeMs: [],
    communicateMs: [],
    updateMs: [],
    parameterCount: total,
  };

  try {
    for (let step = 0; step < warmup + steps; step++) {
      const started = performance.now();
      // Global batch `step` is rows [step·B, (step + 1)·B) of the (already shuffled) training set, wrapping round.
      for (let i = 0; i < shard; i++) {
        const row = (step * globalBatch + rank * shard + i) % count;
        x.set(images.subarray(row * inputs, (row + 1) * inputs), i * inputs);
        y[i] = labels[row]!;
      }
      optimizer.zeroGrad();
      const loss = crossEntropy(
        model.forward(new Tensor(fromTypedArray(x, [shard, inputs]))),
        fromTypedArray(y, [shard]),
      );
      // Bucketed: each bucket's all-reduce starts on the communication thread as soon as the backward pass finishes it.
      loss.backward({ onLeafGrad: bucketed?.onLeafGrad });
      const computed = performance.now();
      let updateMs = 0;
      const update = () => {
        const t = performance.now();
        optimizer.step();
        updateMs = performance.now() - t;
      };
      // Bucketed, the hook has already copied each gradient in; otherwise gather them for the collective now.
      if (!bucketed && sync.kind !== 'none')
        params.forEach((p, i) => {
          flat.set(p.grad!.toReadonlyTypedArray() as Float32Array, offsets[i]);
        });
      if (bucketed) {
        bucketed.wait();
        setGrads(params, offsets, flat);
        update();
      } else if (sync.kind === 'ring') {
        await ringAllReduce(sync.link, flat, 'mean');
        setGrads(params, offsets, flat);
        update();
      } else if (sync.kind === 'parameter-server') {
        await parameterServerStep(sync, flat, params, offsets, update);
      } else {
        update();
      }
      const done = performance.now();
      if (step >= warmup) {
        log.losses.push(loss.item());
        log.computeMs.push(computed - started);
        log.updateMs.push(updateMs);
        log.communicateMs.push(done - computed - updateMs);
      }
    }
  } finally {
    await bucketed?.close();
  }
  log.parameters = params.flatMap((p) => Array.from(valuesOf(p)));
  return log;
}

/** Points each gradient at its range of the flat buffer (views, not copies: the update reads them before the next step writes). */
function setGrads(params: Parameter[], offsets: number[], flat: Float32Array): void {
  params.forEach((p, i) => {
    p.grad = fromTypedArray(flat.subarray(offsets[i], offsets[i]! + p.size), p.shape as number[]) as NDArray;
  });
}

/**
 * A parameter server on rank 0 (Li et al. 2014, reduced to one server shard): every other replica pushes its
 * gradient; the server sums them with its own, divides, steps the one optimizer and pushes the new parameters to
 * every replica. The server moves 2(N − 1) buffers a step where a ring rank moves 2(N − 1)/N: its link is the
 * bottleneck the ring removes.
 */
async function parameterServerStep(
  sync: Extract<Sync, { kind: 'parameter-server' }>,
  flat: Float32Array,
  params: Parameter[],
  offsets: number[],
  step: () => void,
): Promise<void> {
  if (sync.rank === 0) {
    const incoming = new Float32Array(flat.length);
    for (const peer of sync.star) {
      const n = await peer.receive(incoming);
      if (n !== flat.length)
        throw new Error(`rank 0: rank ${peer.peerRank} pushed ${n} gradients, expected ${flat.length}`);
      for (let i = 0; i < n; i++) flat[i]! += incoming[i]!;
    }
    for (let i = 0; i < flat.length; i++) flat[i]! /= sync.size;
    setGrads(params, offsets, flat);
    step();
    params.forEach((p, i) => {
      flat.set(valuesOf(p), offsets[i]);
    });
    await Promise.all(sync.star.map((peer) => peer.send(flat)));
  } else {
    const server = sync.star[0]!;
    await server.send(flat);
    const n = await server.receive(flat);
    if (n !== flat.length)
      throw new Error(`rank ${sync.rank}: the server sent ${n} parameters, expected ${flat.length}`);
    params.forEach((p, i) => {
      valuesOf(p).set(flat.subarray(offsets[i], offsets[i]! + p.size));
    });
  }
}
