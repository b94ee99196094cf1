/**
 * A cost model of synchronous data-parallel training (the α–β model of collective communication; Thakur, Rabenseifner
 * & Gropp 2005): a step is the replica's share of the compute, the gradient all-reduce and the optimizer's update.
 * A ring all-reduce of b bytes over N ranks sends 2(N − 1)/N · b per rank in 2(N − 1) steps, each paying the
 * link's latency α: t = 2(N − 1)/N · b / bandwidth + 2(N − 1) · α.
 */

export interface Link {
  name: string;
  /** Bytes per second each rank can send to the next, one direction. */
  bandwidth: number;
  /** Seconds a ring step costs beyond the bytes (α). */
  latency: number;
}

export function ringAllReduceSeconds(ranks: number, bytes: number, link: Link): number {
  if (ranks <= 1) return 0;
  return ((2 * (ranks - 1)) / ranks) * (bytes / link.bandwidth) + 2 * (ranks - 1) * link.latency;
}

/**
 * The α–β fit of a link from two all-reduce timings on `ranks` ranks, a small buffer (latency-bound) and a large one
 * (bandwidth-bound).
 */
export function fitLink(
  name: string,
  ranks: number,
  small: { bytes: number; seconds: number },
  large: { bytes: number; seconds: number },
): Link {
  const share = (2 * (ranks - 1)) / ranks;
  const perByte = (large.seconds - small.seconds) / (share * (large.bytes - small.bytes));
  if (!(perByte > 0))
    throw new Error(`fitLink(${name}): the large all-reduce was not slower than the small one`);
  const latency = Math.max(0, (small.seconds - share * small.bytes * perByte) / (2 * (ranks - 1)));
  return { name, bandwidth: 1 / perByte, latency };
}

export interface StepModel {
  /** Floating-point operations of one step on the whole global batch (forward and backward). */
  flops: number;
  /** What one replica sustains (measured: this repository's matmul kernel on one core). */
  flopsPerSecond: number;
  /** The optimizer's update, every replica doing all of it (as DDP does; ZeRO would shard it). */
  updateSeconds: number;
  gradientBytes: number;
  link: Link;
  replicas: number;
  /** Whether the all-reduce runs behind the backward pass (buckets): at best it hides under its 2/3 of the compute. */
  overlap?: boolean;
}

export interface StepPrediction {
  compute: number;
  allReduce: number;
  /** The part of the all-reduce the step waits for. */
  exposed: number;
  update: number;
  total: number;
}

/** Predicted seconds of one step: compute / N, the all-reduce not hidden, the update. */
export function predictStep(m: StepModel): StepPrediction {
  const compute = m.flops / m.replicas / m.flopsPerSecond;
  const allReduce = ringAllReduceSeconds(m.replicas, m.gradientBytes, m.link);
  const exposed = m.overlap ? Math.max(0, allReduce - (2 / 3) * compute) : allReduce;
  return { compute, allReduce, exposed, update: m.updateSeconds, total: compute + exposed + m.updateSeconds };
}

/**
 * The multiply-adds of an MLP's step, counted as 2 FLOP each: forward 2·B·W and backward 4·B·W (the gradient with
 * respect to the input and to the weight), W the weights Σ in·out. Biases, activations and the loss are left out.
 */
export const mlpStepFlops = (layers: number[], batch: number): number =>
  6 * batch * layers.slice(1).reduce((sum, out, i) => sum + layers[i]! * out, 0);

/**
 * Published interconnect bandwidths, per GPU and direction, for the scale-out chart. Latencies are estimates of one
 * ring step's fixed cost (order of magnitude, not datasheet figures).
 */
export const INTERCONNECTS: (Link & { id: string; source: string })[] = [
  {
    id: 'nvlink-4',
    name: 'NVLink 4, 450 GB/s',
    bandwidth: 450e9,
    latency: 3e-6,
    source: 'NVIDIA H100 Tensor Core GPU datasheet: NVLink 900 GB/s per GPU (both directions)',
  },
  {
    id: 'infiniband-ndr',
    name: 'InfiniBand NDR, 50 GB/s',
    bandwidth: 50e9,
    latency: 6e-6,
    source: 'NVIDIA ConnectX-7 / DGX H100: one 400 Gb/s NDR port per GPU',
  },
  {
    id: 'ethernet-100g',
    name: '100 Gb Ethernet, 12.5 GB/s',
    bandwidth: 12.5e9,
    latency: 20e-6,
    source: 'IEEE 802.3 100 Gb/s Ethernet (100GBASE-SR4 and kin): 100 Gb/s per port',
  },
];
