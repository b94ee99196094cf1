import { type DType, NDArray, ones, type ReduceOptions, type Shape, type SliceSpec } from '@mle/tensor';
// ops.ts builds on Tensor and Tensor's methods call ops.ts: neither module touches the other while it is being
// evaluated (only inside functions), so the two load correctly in either order.
import * as ops from './ops.js';

let gradEnabled = true;

/** Runs `fn` without recording a graph (evaluation, optimizer updates), as torch.no_grad(). */
export function noGrad<R>(fn: () => R): R {
  const previous = gradEnabled;
  gradEnabled = false;
  try {
    return fn();
  } finally {
    gradEnabled = previous;
  }
}

export const isGradEnabled = (): boolean => gradEnabled;

/** How an op's output was made: its inputs, and the vector–Jacobian product back to each of them. */
interface GradFn {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  /** Given ∂L/∂output, returns ∂L/∂input for each input (null where an input needs none). */
  readonly backward: (grad: NDArray) => readonly (NDArray | null)[];
}

/**
 * What a GradFn becomes once a backward pass has released it: the op's name only. Its inputs and the values its
 * backward rule saved are dropped, so they can be freed; the tensor stays a non-leaf, as in PyTorch.
 */
interface ReleasedGradFn {
  readonly name: string;
  readonly released: true;
}

export interface BackwardOptions {
  /** ∂L/∂this; needed unless this is a scalar (which seeds with 1). */
  grad?: NDArray;
  /** Keep the graph, so that a later backward() may pass through it again (PyTorch's retain_graph). */
  retainGraph?: boolean;
  /**
   * Called with each leaf as soon as its gradient is complete (every path from the output has reached it), while the
   * rest of the pass goes on: the hook data-parallel training uses to start reducing a layer's gradients during
   * the backward pass (PyTorch's post-accumulate-grad hook).
   */
  onLeafGrad?: (leaf: Tensor) => void;
}

const isReleased = (fn: GradFn | ReleasedGradFn): fn is ReleasedGradFn => 'released' in fn;

/**
 * A node of the computation graph: an NDArray value, and, when it depends on something that requires a
 * gradient, the GradFn that made it. `backward()` walks the graph once in reverse topological order.
 */
export class Tensor {
  /** Read-only for users; a Parameter may swap it for a copy in another dtype (Module.to). */
  protected _value: NDArray;
  /** ∂L/∂this after backward(); accumulated across calls until zeroed (as PyTorch's .grad). Leaves only. */
  grad: NDArray | null = null;
  readonly requiresGrad: boolean;
  private gradFn: GradFn | ReleasedGradFn | null;

  constructor(value: NDArray, options: { requiresGrad?: boolean } = {}) {
    this._value = value;
    this.requiresGrad = options.requiresGrad ?? false;
    this.gradFn = null;
    if (this.requiresGrad && value.dtype !== 'float32' && value.dtype !== 'float64') {
      throw new TypeError(`Tensor: only float tensors can require gradients, got ${value.dtype}`);
    }
  }

  /** The output of a differentiable op: it records its GradFn only if grad mode is on and an input needs it. */
  static fromOp(
    name: string,
    value: NDArray,
    inputs: readonly Tensor[],
    backward: GradFn['backward'],
  ): Tensor {
    const track = gradEnabled && inputs.some((t) => t.requiresGrad);
    const out = new Tensor(value, { requiresGrad: track });
    if (track) out.gradFn = { name, inputs, backward };
    return out;
  }

  get value(): NDArray {
    return this._value;
  }

  get shape(): readonly number[] {
    return this.value.shape;
  }

  get dtype(): DType {
    return this.value.dtype;
  }

  get size(): number {
    return this.value.size;
  }

  /** True for tensors made by the user (parameters, inputs), false for results of tracked ops. */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** The name of the op that produced this tensor, if it was tracked. */
  get gradFnName(): string | undefined {
    return this.gradFn?.name;
  }

  item(): number {
    return this.value.item();
  }

  /** The same value, cut from the graph. */
  detach(): Tensor {
    return new Tensor(this.value);
  }

  /**
   * Reverse-mode differentiation from this tensor. A scalar seeds with 1; otherwise pass ∂L/∂this (`grad`, or the
   * NDArray itself). Leaf tensors that require a gradient accumulate into `.grad`. The graph is then released (as
   * PyTorch without retain_graph) so the memory of a training step does not outlive it; a second backward through
   * a released part is an error, unless the first one was called with `retainGraph: true`.
   */
  backward(options: BackwardOptions | NDArray = {}): void {
    const {
      grad,
      retainGraph = false,
      onLeafGrad,
    } = options instanceof NDArray ? { grad: options } : options;
    if (!this.requiresGrad)
      throw new Error('backward: this tensor does not require a gradient (no input of it does)');
    if (grad === undefined && this.size !== 1) {
      throw new Error(`backward: a gradient must be given for a non-scalar output of shape [${this.shape}]`);
    }
    const seed = grad ?? ones(this.shape as Shape, this.dtype);
    if (seed.shape.join() !== this.shape.join()) {
      throw new RangeError(
        `backward: gradient of shape [${seed.shape}] for an output of shape [${this.shape}]`,
      );
    }
    const order = topologicalOrder(this);
    const grads = new Map<Tensor, NDArray>([[this, seed]]);
    // Backward rules may return arrays shared with other nodes (add passes g to both inputs); a sum is
    // only accumulated in place into a buffer this pass allocated itself.
    const owned = new Set<NDArray>();
    for (const node of order) {
      const g = grads.get(node);
      grads.delete(node);
      if (!g) continue;
      const fn = node.gradFn as GradFn | null; // topologicalOrder refused released ones
      if (!fn) {
        node.grad = node.grad ? addInPlace(node.grad, g) : g.clone();
        onLeafGrad?.(node);
        continue;
      }
      const inputGrads = fn.backward(g);
      fn.inputs.forEach((input, i) => {
        const ig = inputGrads[i];
        if (!ig || !input.requiresGrad) return;
        if (ig.shape.join() !== input.shape.join()) {
          throw new Error(
            `backward of ${fn.name}: gradient shape [${ig.shape}] does not match input shape [${input.shape}]`,
          );
        }
        const previous = grads.get(input);
        if (!previous) {
          grads.set(input, ig);
          return;
        }
        const sum = owned.has(previous) ? previous : previous.clone();
        owned.add(sum);
        grads.set(input, addInPlace(sum, ig));
      });
    }
    if (!retainGraph) {
      for (const node of order) if (node.gradFn) node.gradFn = { name: node.gradFn.name, released: true };
    }
  }

  add(other: ops.Input): Tensor {
    return ops.add(this, other);
  }
  sub(other: ops.Input): Tensor {
    return ops.sub(this, other);
  }
  mul(other: ops.Input): Tensor {
    return ops.mul(this, other);
  }
  div(other: ops.Input): Tensor {
    return ops.div(this, other);
  }
  pow(exponent: number): Tensor {
    return ops.pow(this, exponent);
  }
  neg(): Tensor {
    return ops.neg(this);
  }
  exp(): Tensor {
    return ops.exp(this);
  }
  log(): Tensor {
    return ops.log(this);
  }
  sqrt(): Tensor {
    return ops.sqrt(this);
  }
  abs(): Tensor {
    return ops.abs(this);
  }
  tanh(): Tensor {
    return ops.tanh(this);
  }
  sigmoid(): Tensor {
    return ops.sigmoid(this);
  }
  relu(): Tensor {
    return ops.relu(this);
  }
  gelu(options?: { approximate?: 'none' | 'tanh' }): Tensor {
    return ops.gelu(this, options);
  }
  matmul(other: Tensor): Tensor {
    return ops.matmul(this, other);
  }
  sum(options?: ReduceOptions): Tensor {
    return ops.sum(this, options);
  }
  mean(options?: ReduceOptions): Tensor {
    return ops.mean(this, options);
  }
  max(options?: ReduceOptions): Tensor {
    return ops.max(this, options);
  }
  softmax(axis?: number): Tensor {
    return ops.softmax(this, axis);
  }
  logSoftmax(axis?: number): Tensor {
    return ops.logSoftmax(this, axis);
  }
  reshape(...shape: number[]): Tensor {
    return ops.reshape(this, shape);
  }
  transpose(...axes: number[]): Tensor {
    return ops.transpose(this, ...axes);
  }
  slice(...specs: SliceSpec[]): Tensor {
    return ops.slice(this, ...specs);
  }
  get T(): Tensor {
    return ops.transpose(this);
  }

  toString(): string {
    return `Tensor(${this.value.toString().replace(/^NDArray/, '')}${this.gradFn ? `, gradFn=${this.gradFn.name}` : this.requiresGrad ? ', requiresGrad' : ''})`;
  }
}

/**
 * Every tensor reachable from `root` through GradFns, each after all that depend on it (iterative DFS). Refuses a
 * graph that passes through a released GradFn before any gradient is accumulated.
 */
function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: [Tensor, boolean][] = [[root, false]];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop()!;
    if (expanded) {
      order.push(node);
      continue;
    }
    if (visited.has(node)) continue;
    visited.add(node);
    stack.push([node, true]);
    const fn = (node as unknown as { gradFn: GradFn | ReleasedGradFn | null }).gradFn;
    if (fn && isReleased(fn))
      throw new Error(
        `backward: the graph through ${fn.name} was released by an earlier backward(); ` +
          'to backward through it again, call the first backward({ retainGraph: true })',
      );
    for (const input of fn?.inputs ?? [])
      if (input.requiresGrad && !visited.has(input)) stack.push([input, false]);
  }
  return order.reverse();
}

/** target += g element-wise (target is contiguous and owned by the caller). */
function addInPlace(target: NDArray, g: NDArray): NDArray {
  const t = target.data;
  const src = g.broadcastTo(target.shape).toTypedArray();
  for (let i = 0; i < src.length; i++) t[target.offset + i]! += src[i]!;
  return target;
}
