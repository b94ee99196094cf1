import { array, fromTypedArray, type NDArray, type TypedArray } from '@mle/tensor';
import type { Parameter } from '../nn/module.js';

/**
 * The optimizer interface of torch.optim: `step()` updates every parameter from its `.grad` in place
 * (the arrays keep their identity), `zeroGrad()` clears the gradients, and `lr` may be changed between
 * steps by a schedule.
 */
export abstract class Optimizer {
  lr: number;
  protected readonly params: readonly Parameter[];
  /** Per-parameter state arrays (momentum, squared averages), created on first use. */
  private readonly state = new Map<Parameter, Map<string, Float64Array>>();
  /**
   * Steps taken per parameter: only a step in which the parameter had a gradient counts, as PyTorch's
   * state['step'], so a parameter that sat out some steps gets its own bias correction.
   */
  private readonly steps = new Map<Parameter, number>();

  constructor(params: Iterable<Parameter>, lr: number) {
    this.params = [...params];
    if (this.params.length === 0) throw new Error(`${this.constructor.name}: no parameters to optimize`);
    if (!(lr > 0))
      throw new RangeError(`${this.constructor.name}: learning rate must be positive, got ${lr}`);
    this.lr = lr;
  }

  zeroGrad(): void {
    for (const p of this.params) p.grad = null;
  }

  step(): void {
    for (const p of this.params) {
      if (!p.grad) continue;
      const step = (this.steps.get(p) ?? 0) + 1;
      this.steps.set(p, step);
      const value = p.value.data;
      const grad = p.grad.contiguous().toTypedArray();
      this.update(value, grad, (name) => this.buffer(p, name, value.length), step, p.shape);
    }
  }

  /**
   * Each parameter's step count and state buffers, by its position in the list the optimizer was given ("3.step",
   * "3.m"): what a checkpoint needs so that a resumed run takes the same steps. The learning rate is the schedule's.
   */
  stateDict(): Map<string, NDArray> {
    const out = new Map<string, NDArray>();
    this.params.forEach((p, i) => {
      const steps = this.steps.get(p);
      if (steps === undefined) return;
      out.set(`${i}.step`, array([steps], 'float64'));
      for (const [name, b] of this.state.get(p) ?? [])
        out.set(`${i}.${name}`, fromTypedArray(b.slice(), [b.length]));
    });
    return out;
  }

  /** Restores what stateDict() saved, into an optimizer over parameters of the same shapes in the same order. */
  loadStateDict(state: ReadonlyMap<string, NDArray>): void {
    const where = this.constructor.name;
    type Restored = { steps?: number; buffers: Map<string, Float64Array> };
    const restored = new Map<Parameter, Restored>();
    for (const [key, value] of state) {
      const [index, name] = key.split('.') as [string, string | undefined];
      const p = this.params[Number(index)];
      if (!p || !name || !/^\d+$/.test(index))
        throw new RangeError(
          `${where}.loadStateDict: "${key}" names no parameter of the ${this.params.length} this optimizer holds`,
        );
      const entry: Restored = restored.get(p) ?? { buffers: new Map() };
      restored.set(p, entry);
      const values = Float64Array.from(value.toTypedArray());
      if (name === 'step') {
        entry.steps = values[0];
        continue;
      }
      if (values.length !== p.size)
        throw new RangeError(
          `${where}.loadStateDict: "${key}" has ${values.length} values, parameter ${index} of shape [${p.shape}] has ${p.size}`,
        );
      entry.buffers.set(name, values);
    }
    this.steps.clear();
    this.state.clear();
    for (const [p, { steps, buffers }] of restored) {
      if (steps === undefined)
        throw new RangeError(`${where}.loadStateDict: a parameter has buffers but no step count`);
      this.steps.set(p, steps);
      this.state.set(p, buffers);
    }
  }

  /** Updates one parameter's values in place from its gradient; `step` counts this parameter's steps from 1. */
  protected abstract update(
    value: TypedArray,
    grad: TypedArray,
    buffer: (name: string) => Float64Array,
    step: number,
    shape: readonly number[],
  ): void;

  private buffer(p: Parameter, name: string, length: number): Float64Array {
    let perParam = this.state.get(p);
    if (!perParam) {
      perParam = new Map();
      this.state.set(p, perParam);
    }
    let b = perParam.get(name);
    if (!b) {
      b = new Float64Array(length);
      perParam.set(name, b);
    }
    return b;
  }
}

/**
 * Scales all gradients together so their global L2 norm is at most maxNorm (Pascanu et al., 2013);
 * returns the norm before clipping. A non-finite norm is an error: clipping cannot repair it.
 */
export function clipGradNorm(params: Iterable<Parameter>, maxNorm: number): number {
  const list = [...params].filter((p) => p.grad);
  let total = 0;
  for (const p of list) {
    const g = p.grad!.toReadonlyTypedArray();
    for (let i = 0, n = g.length; i < n; i++) total += g[i]! * g[i]!;
  }
  const norm = Math.sqrt(total);
  if (!Number.isFinite(norm)) throw new RangeError(`clipGradNorm: the gradient norm is ${norm}`);
  if (norm > maxNorm) {
    const scale = maxNorm / (norm + 1e-6);
    for (const p of list) {
      const g = p.grad!.isContiguous ? p.grad! : p.grad!.clone();
      const data = g.data;
      for (let i = g.offset, end = g.offset + g.size; i < end; i++) data[i]! *= scale;
      p.grad = g;
    }
  }
  return norm;
}
