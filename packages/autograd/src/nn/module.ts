import { type NDArray, zeros } from '@mle/tensor';
import { Tensor } from '../tensor.js';

/** A tensor that a Module owns and an optimizer updates. */
export class Parameter extends Tensor {
  constructor(value: NDArray) {
    super(value.contiguous() === value && value.offset === 0 ? value : value.clone(), { requiresGrad: true });
  }

  /** Converts the values in place to another float dtype (the gradient is dropped). */
  castTo(dtype: 'float32' | 'float64'): void {
    if (this._value.dtype !== dtype) this._value = this._value.astype(dtype);
    this.grad = null;
  }
}

/**
 * The base of every layer and model, shaped like torch.nn.Module: parameters and sub-modules are found
 * by walking the instance's own fields (a Parameter, a Module, or an array of Modules), in the order they
 * were assigned, so `namedParameters()` gives stable names such as "layers.0.weight".
 */
export abstract class Module<In = Tensor, Out = Tensor> {
  training = true;
  /** Non-trainable state saved with the parameters (BatchNorm's running statistics). */
  protected readonly buffers = new Map<string, NDArray>();

  abstract forward(input: In): Out;

  namedParameters(prefix = ''): [string, Parameter][] {
    return this.namedChildren().flatMap(([name, value]) =>
      value instanceof Parameter
        ? [[prefix + name, value] as [string, Parameter]]
        : value.namedParameters(`${prefix}${name}.`),
    );
  }

  parameters(): Parameter[] {
    return this.namedParameters().map(([, p]) => p);
  }

  namedBuffers(prefix = ''): [string, NDArray][] {
    const own = [...this.buffers].map(([name, b]) => [prefix + name, b] as [string, NDArray]);
    const nested = this.namedChildren().flatMap(([name, value]) =>
      value instanceof Module ? value.namedBuffers(`${prefix}${name}.`) : [],
    );
    return [...own, ...nested];
  }

  /** Training mode (dropout active, batch statistics) for this module and every sub-module. */
  train(mode = true): this {
    this.training = mode;
    for (const [, child] of this.namedChildren()) if (child instanceof Module) child.train(mode);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Every parameter and buffer in `dtype`, e.g. float64 for gradcheck (PyTorch's .double()). */
  to(dtype: 'float32' | 'float64'): this {
    for (const p of this.parameters()) p.castTo(dtype);
    for (const module of this.modules()) {
      for (const [name, b] of module.buffers) module.buffers.set(name, b.astype(dtype));
    }
    return this;
  }

  /** This module and every module below it. */
  modules(): Module<unknown, unknown>[] {
    return [
      this as Module<unknown, unknown>,
      ...this.namedChildren().flatMap(([, v]) => (v instanceof Module ? v.modules() : [])),
    ];
  }

  zeroGrad(): void {
    for (const p of this.parameters()) p.grad = null;
  }

  /** Parameters and buffers by name (views of the live arrays; save them with saveStateDict). */
  stateDict(): Map<string, NDArray> {
    return new Map([
      ...this.namedParameters().map(([n, p]) => [n, p.value] as [string, NDArray]),
      ...this.namedBuffers(),
    ]);
  }

  /** Copies values into the existing arrays (optimizers keep their references); names and shapes must match. */
  loadStateDict(state: ReadonlyMap<string, NDArray>, options: { strict?: boolean } = {}): void {
    const own = this.stateDict();
    const strict = options.strict ?? true;
    const missing = [...own.keys()].filter((k) => !state.has(k));
    const unexpected = [...state.keys()].filter((k) => !own.has(k));
    if (strict && (missing.length > 0 || unexpected.length > 0)) {
      throw new Error(
        `loadStateDict: missing [${missing.join(', ')}], unexpected [${unexpected.join(', ')}]`,
      );
    }
    for (const [name, target] of own) {
      const source = state.get(name);
      if (!source) continue;
      if (source.shape.join() !== target.shape.join()) {
        throw new RangeError(
          `loadStateDict: ${name} has shape [${source.shape}] in the state, [${target.shape}] in the model`,
        );
      }
      target.assign(source.dtype === target.dtype ? source : source.astype(target.dtype));
    }
  }

  protected registerBuffer(name: string, shape: number[], fill = 0): NDArray {
    const buffer = zeros(shape).assign(fill);
    this.buffers.set(name, buffer);
    return buffer;
  }

  private namedChildren(): [string, Parameter | Module<unknown, unknown>][] {
    const out: [string, Parameter | Module<unknown, unknown>][] = [];
    for (const [name, value] of Object.entries(this)) {
      if (value instanceof Parameter || value instanceof Module) out.push([name, value]);
      else if (Array.isArray(value)) {
        value.forEach((item, i) => {
          if (item instanceof Module || item instanceof Parameter) out.push([`${name}.${i}`, item]);
        });
      }
    }
    return out;
  }
}
