import type { NDArray } from '@mle/tensor';
import * as T from '@mle/tensor';
import * as ops from '../ops.js';
import { noGrad, Tensor } from '../tensor.js';
import { conv2d, maxPool2d } from './functional.js';
import { globalRng, kaimingUniform, torchDefaultUniform, xavierUniform } from './init.js';
import { layerNorm } from './layer-norm.js';
import { Module, Parameter } from './module.js';

export type Init = 'torch' | 'xavier' | 'kaiming';

function initWeight(shape: number[], fanIn: number, init: Init): NDArray {
  if (init === 'xavier') return xavierUniform(shape);
  if (init === 'kaiming') return kaimingUniform(shape);
  return torchDefaultUniform(shape, fanIn);
}

/** y = x·Wᵀ + b, with W [out, in] as PyTorch stores it. */
export class Linear extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: { bias?: boolean; init?: Init } = {},
  ) {
    super();
    this.weight = new Parameter(initWeight([outFeatures, inFeatures], inFeatures, options.init ?? 'torch'));
    this.bias = options.bias === false ? null : new Parameter(torchDefaultUniform([outFeatures], inFeatures));
  }

  forward(x: Tensor): Tensor {
    if (x.shape.at(-1) !== this.inFeatures) {
      throw new RangeError(
        `Linear(${this.inFeatures}, ${this.outFeatures}): input has ${x.shape.at(-1)} features, shape [${x.shape}]`,
      );
    }
    // Leading axes are folded into rows: one [rows, in]·[in, out] product on the matmul kernel, rather than one
    // small product per batch entry and a reduction over them for the weight's gradient.
    const rows = x.shape.length > 2 ? ops.reshape(x, [-1, this.inFeatures]) : x;
    const product = ops.matmul(rows, ops.transpose(this.weight));
    const y = this.bias ? ops.add(product, this.bias) : product;
    return x.shape.length > 2 ? ops.reshape(y, [...x.shape.slice(0, -1), this.outFeatures]) : y;
  }
}

export class Conv2d extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    readonly kernelSize: number,
    readonly options: { stride?: number; padding?: number; bias?: boolean; init?: Init } = {},
  ) {
    super();
    const fanIn = inChannels * kernelSize * kernelSize;
    this.weight = new Parameter(
      initWeight([outChannels, inChannels, kernelSize, kernelSize], fanIn, options.init ?? 'torch'),
    );
    this.bias = options.bias === false ? null : new Parameter(torchDefaultUniform([outChannels], fanIn));
  }

  forward(x: Tensor): Tensor {
    return conv2d(x, this.weight, this.bias, this.options);
  }
}

export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: number,
    readonly stride = kernelSize,
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    return maxPool2d(x, this.kernelSize, this.stride);
  }
}

/**
 * Batch normalization (Ioffe & Szegedy, 2015) over the batch (and spatial) axes: in training, normalize
 * with the batch's mean and biased variance and update running estimates (momentum 0.1, unbiased
 * variance, as PyTorch); in evaluation, normalize with the running estimates.
 */
abstract class BatchNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter;

  constructor(
    readonly features: number,
    readonly options: { eps?: number; momentum?: number } = {},
  ) {
    super();
    this.weight = new Parameter(T.ones([features]));
    this.bias = new Parameter(T.zeros([features]));
    this.registerBuffer('runningMean', [features], 0);
    this.registerBuffer('runningVar', [features], 1);
  }

  private get runningMean(): NDArray {
    return this.buffers.get('runningMean')!;
  }

  private get runningVar(): NDArray {
    return this.buffers.get('runningVar')!;
  }

  protected normalize(x: Tensor, axes: number[], statShape: number[]): Tensor {
    const eps = this.options.eps ?? 1e-5;
    const momentum = this.options.momentum ?? 0.1;
    let mean: Tensor;
    let variance: Tensor;
    if (this.training) {
      mean = ops.mean(x, { axis: axes, keepdims: true });
      const centred = ops.sub(x, mean);
      variance = ops.mean(ops.mul(centred, centred), { axis: axes, keepdims: true });
      const n = x.size / this.features;
      noGrad(() => {
        const m = mean.value.reshape(this.features).astype(this.runningMean.dtype);
        const v = variance.value.reshape(this.features).astype(this.runningVar.dtype);
        this.runningMean.assign(T.add(T.mul(this.runningMean, 1 - momentum), T.mul(m, momentum)));
        this.runningVar.assign(
          T.add(T.mul(this.runningVar, 1 - momentum), T.mul(v, (momentum * n) / Math.max(n - 1, 1))),
        );
      });
    } else {
      mean = new Tensor(this.runningMean.reshape(statShape).astype(x.dtype));
      variance = new Tensor(this.runningVar.reshape(statShape).astype(x.dtype));
    }
    const xhat = ops.div(ops.sub(x, mean), ops.sqrt(ops.add(variance, eps)));
    return ops.add(ops.mul(xhat, ops.reshape(this.weight, statShape)), ops.reshape(this.bias, statShape));
  }
}

/** BatchNorm over [N, F]. */
export class BatchNorm1d extends BatchNorm {
  forward(x: Tensor): Tensor {
    if (x.shape.length !== 2 || x.shape[1] !== this.features) {
      throw new RangeError(
        `BatchNorm1d(${this.features}): expected input [N, ${this.features}], got [${x.shape}]`,
      );
    }
    return this.normalize(x, [0], [1, this.features]);
  }
}

/** BatchNorm over [N, C, H, W], per channel. */
export class BatchNorm2d extends BatchNorm {
  forward(x: Tensor): Tensor {
    if (x.shape.length !== 4 || x.shape[1] !== this.features) {
      throw new RangeError(
        `BatchNorm2d(${this.features}): expected input [N, ${this.features}, H, W], got [${x.shape}]`,
      );
    }
    return this.normalize(x, [0, 2, 3], [1, this.features, 1, 1]);
  }
}

/** Layer normalization (Ba et al., 2016) over the last axis, with a learned scale and (unless `bias: false`) shift. */
export class LayerNorm extends Module {
  readonly weight: Parameter;
  readonly bias: Parameter | null;

  constructor(
    readonly features: number,
    readonly eps = 1e-5,
    options: { bias?: boolean } = {},
  ) {
    super();
    this.weight = new Parameter(T.ones([features]));
    this.bias = options.bias === false ? null : new Parameter(T.zeros([features]));
  }

  forward(x: Tensor): Tensor {
    if (x.shape.at(-1) !== this.features)
      throw new RangeError(`LayerNorm(${this.features}): input shape [${x.shape}]`);
    return layerNorm(x, this.weight, this.bias, this.eps);
  }
}

/** Inverted dropout (Srivastava et al., 2014): zero each unit with probability p in training and scale the rest by 1/(1−p). */
export class Dropout extends Module {
  constructor(readonly p = 0.5) {
    super();
    if (!(p >= 0 && p < 1)) throw new RangeError(`Dropout: p must be in [0, 1), got ${p}`);
  }

  forward(x: Tensor): Tensor {
    if (!this.training || this.p === 0) return x;
    const keep = T.greaterEqual(globalRng().uniform(x.shape, 0, 1, x.dtype), this.p);
    return ops.mul(x, new Tensor(T.div(keep.astype(x.dtype), 1 - this.p).astype(x.dtype)));
  }
}

/** A lookup table of `count` vectors of size `dim`; input is an int32 array of indices. */
export class Embedding extends Module<NDArray, Tensor> {
  readonly weight: Parameter;

  constructor(
    readonly count: number,
    readonly dim: number,
  ) {
    super();
    this.weight = new Parameter(globalRng().normal([count, dim]));
  }

  forward(indices: NDArray): Tensor {
    return ops.take(this.weight, indices, 0);
  }
}

export class Flatten extends Module {
  forward(x: Tensor): Tensor {
    return ops.reshape(x, [x.shape[0]!, -1]);
  }
}

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return ops.relu(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return ops.tanh(x);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return ops.sigmoid(x);
  }
}

/** Softmax over one axis (the last by default): turns logits into probabilities, e.g. at the end of an exported model. */
export class Softmax extends Module {
  constructor(readonly axis = -1) {
    super();
  }

  forward(x: Tensor): Tensor {
    return ops.softmax(x, this.axis);
  }
}

export class GELU extends Module {
  constructor(readonly approximate: 'none' | 'tanh' = 'none') {
    super();
  }

  forward(x: Tensor): Tensor {
    return ops.gelu(x, { approximate: this.approximate });
  }
}

/** Layers applied in order; they are named "layers.0", "layers.1", … in the state dict. */
export class Sequential extends Module {
  readonly layers: Module[];

  constructor(...layers: Module[]) {
    super();
    this.layers = layers;
  }

  forward(x: Tensor): Tensor {
    return this.layers.reduce((h, layer) => layer.forward(h), x);
  }
}
