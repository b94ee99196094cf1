import type { TypedArray } from '@mle/tensor';
import type { Parameter } from '../nn/module.js';
import { Optimizer } from './optimizer.js';

/** SGD with optional momentum (heavy ball, or Nesterov) and L2 weight decay, as torch.optim.SGD. */
export class SGD extends Optimizer {
  constructor(
    params: Iterable<Parameter>,
    readonly options: { lr: number; momentum?: number; nesterov?: boolean; weightDecay?: number },
  ) {
    super(params, options.lr);
    if (options.nesterov && !(options.momentum && options.momentum > 0))
      throw new RangeError('SGD: Nesterov needs momentum > 0');
  }

  protected update(value: TypedArray, grad: TypedArray, buffer: (name: string) => Float64Array): void {
    const { momentum = 0, nesterov = false, weightDecay = 0 } = this.options;
    // The momentum buffer starts at 0, so its first value is g, as PyTorch's.
    const v = momentum > 0 ? buffer('momentum') : null;
    for (let i = 0; i < value.length; i++) {
      let g = grad[i]! + weightDecay * value[i]!;
      if (v) {
        v[i] = momentum * v[i]! + g;
        g = nesterov ? g + momentum * v[i]! : v[i]!;
      }
      value[i] = value[i]! - this.lr * g;
    }
  }
}

/** RMSProp (Tieleman & Hinton, 2012): divide by a running RMS of the gradient; as torch.optim.RMSprop. */
export class RMSProp extends Optimizer {
  constructor(
    params: Iterable<Parameter>,
    readonly options: { lr: number; alpha?: number; eps?: number; weightDecay?: number },
  ) {
    super(params, options.lr);
  }

  protected update(value: TypedArray, grad: TypedArray, buffer: (name: string) => Float64Array): void {
    const { alpha = 0.99, eps = 1e-8, weightDecay = 0 } = this.options;
    const square = buffer('squareAverage');
    for (let i = 0; i < value.length; i++) {
      const g = grad[i]! + weightDecay * value[i]!;
      square[i] = alpha * square[i]! + (1 - alpha) * g * g;
      value[i] = value[i]! - (this.lr * g) / (Math.sqrt(square[i]!) + eps);
    }
  }
}

export interface AdamOptions {
  lr: number;
  betas?: [number, number];
  eps?: number;
  /** Adam: L2 penalty added to the gradient. AdamW: decay applied to the weights directly. */
  weightDecay?: number;
}

/**
 * Adam (Kingma & Ba, 2015): m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − lr·m̂ / (√v̂ + ε) with the
 * bias-corrected m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ).
 */
export class Adam extends Optimizer {
  constructor(
    params: Iterable<Parameter>,
    readonly options: AdamOptions,
  ) {
    super(params, options.lr);
  }

  protected decoupled(): boolean {
    return false;
  }

  protected update(
    value: TypedArray,
    grad: TypedArray,
    buffer: (name: string) => Float64Array,
    step: number,
  ): void {
    const { betas = [0.9, 0.999], eps = 1e-8, weightDecay = 0 } = this.options;
    const [b1, b2] = betas;
    const m = buffer('m');
    const v = buffer('v');
    const c1 = 1 - b1 ** step;
    const c2 = 1 - b2 ** step;
    const decoupled = this.decoupled();
    for (let i = 0; i < value.length; i++) {
      let theta = value[i]!;
      let g = grad[i]!;
      if (decoupled) theta -= this.lr * weightDecay * theta;
      else g += weightDecay * theta;
      m[i] = b1 * m[i]! + (1 - b1) * g;
      v[i] = b2 * v[i]! + (1 - b2) * g * g;
      value[i] = theta - (this.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
    }
  }
}

/**
 * Adam that updates only the rows (slices along the first axis) whose gradient is not all zero, as PyTorch's
 * SparseAdam and TensorFlow's LazyAdam do: for an embedding table, where a batch touches a few rows of many, a step
 * costs the touched rows, not the table. An untouched row's moments do not decay that step, so it is not the same
 * trajectory as Adam; the bias correction counts every step. Parameters of rank 0 or 1 are one row.
 */
export class SparseAdam extends Optimizer {
  constructor(
    params: Iterable<Parameter>,
    readonly options: Omit<AdamOptions, 'weightDecay'>,
  ) {
    super(params, options.lr);
  }

  protected update(
    value: TypedArray,
    grad: TypedArray,
    buffer: (name: string) => Float64Array,
    step: number,
    shape: readonly number[],
  ): void {
    const { betas = [0.9, 0.999], eps = 1e-8 } = this.options;
    const [b1, b2] = betas;
    const m = buffer('m');
    const v = buffer('v');
    const c1 = 1 - b1 ** step;
    const c2 = 1 - b2 ** step;
    const width = shape.length > 1 ? value.length / shape[0]! : value.length;
    for (let row = 0; row < value.length; row += width) {
      let touched = false;
      for (let i = row; i < row + width; i++)
        if (grad[i] !== 0) {
          touched = true;
          break;
        }
      if (!touched) continue;
      for (let i = row; i < row + width; i++) {
        const g = grad[i]!;
        m[i] = b1 * m[i]! + (1 - b1) * g;
        v[i] = b2 * v[i]! + (1 - b2) * g * g;
        value[i] = value[i]! - (this.lr * (m[i]! / c1)) / (Math.sqrt(v[i]! / c2) + eps);
      }
    }
  }
}

/** AdamW (Loshchilov & Hutter, 2019): Adam with weight decay applied to the weights, not added to the gradient. */
export class AdamW extends Adam {
  constructor(params: Iterable<Parameter>, options: AdamOptions) {
    super(params, { weightDecay: 0.01, ...options });
  }

  protected override decoupled(): boolean {
    return true;
  }
}
