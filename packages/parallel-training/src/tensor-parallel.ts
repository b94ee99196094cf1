import { gelu, matmul, Parameter, Tensor, transpose } from '@mle/autograd';
import { fromTypedArray, type NDArray } from '@mle/tensor';

/** Sums a buffer across the tensor-parallel group, in place (a ring all-reduce in practice). */
export type AllReduceSum = (buffer: Float32Array) => Promise<void>;

/** The unsplit block's weights, as nn.Linear stores them: W1 [hidden, d], b1 [hidden], W2 [d, hidden], b2 [d]. */
export interface MlpWeights {
  w1: NDArray;
  b1: NDArray;
  w2: NDArray;
  b2: NDArray;
}

const contiguous = (a: NDArray) =>
  fromTypedArray(Float32Array.from(a.toTypedArray() as Float32Array), [...a.shape]);

/**
 * A transformer MLP block, y = GELU(x·W1ᵀ + b1)·W2ᵀ + b2, split over a tensor-parallel group as Megatron-LM splits
 * it (Shoeybi et al. 2019, §3): the first Linear column-wise (rank r holds rows r·h/N … of W1 and of b1: a slice of
 * the hidden units), the second row-wise (the matching columns of W2). GELU is element-wise, so each rank applies it
 * to its own slice with no communication; each rank's partial output x-slice·W2-slice is summed by one all-reduce
 * (Megatron's g), then b2 is added once. Backward, the conjugate: the output gradient is already on every rank,
 * each rank's weight gradients are its slices of the unsplit ones, and the input gradient needs one all-reduce (f).
 */
export class MegatronMlp {
  readonly w1: Parameter;
  readonly b1: Parameter;
  readonly w2: Parameter;
  /** b2 is replicated: every rank holds it and computes the same gradient. */
  readonly b2: Parameter;
  readonly hiddenStart: number;
  readonly hiddenEnd: number;
  private input: Tensor | null = null;
  private partial: Tensor | null = null;

  constructor(
    full: MlpWeights,
    readonly rank: number,
    readonly size: number,
  ) {
    const hidden = full.w1.shape[0]!;
    if (hidden % size !== 0)
      throw new RangeError(
        `the hidden width (${hidden}) must divide evenly among ${size} tensor-parallel ranks`,
      );
    this.hiddenStart = (rank * hidden) / size;
    this.hiddenEnd = ((rank + 1) * hidden) / size;
    const rows = { start: this.hiddenStart, stop: this.hiddenEnd };
    this.w1 = new Parameter(contiguous(full.w1.slice(rows, null)));
    this.b1 = new Parameter(contiguous(full.b1.slice(rows)));
    this.w2 = new Parameter(contiguous(full.w2.slice(null, rows)));
    this.b2 = new Parameter(contiguous(full.b2));
  }

  /** y for a batch x [rows, d]: this rank's partial product, then the one all-reduce (g), then b2. */
  async forward(x: NDArray, allReduce: AllReduceSum): Promise<NDArray> {
    this.input = new Tensor(x, { requiresGrad: true });
    const hidden = gelu(matmul(this.input, transpose(this.w1)).add(this.b1));
    this.partial = matmul(hidden, transpose(this.w2));
    const y = Float32Array.from(this.partial.value.toTypedArray() as Float32Array);
    await allReduce(y);
    const b2 = this.b2.value.data as Float32Array;
    const d = b2.length;
    for (let i = 0; i < y.length; i++) y[i]! += b2[i % d]!;
    return fromTypedArray(y, [...this.partial.shape]);
  }

  /**
   * Given ∂L/∂y (the same on every rank), fills this rank's weight gradients and returns ∂L/∂x after the one
   * all-reduce (f's backward) of the ranks' partial input gradients.
   */
  async backward(dy: NDArray, allReduce: AllReduceSum): Promise<NDArray> {
    if (!this.partial || !this.input) throw new Error('backward before forward');
    this.partial.backward(dy);
    // b2 adds to every row: its gradient is the column sum of dy.
    const d = this.b2.size;
    const g = new Float32Array(d);
    const dyv = dy.toTypedArray() as Float32Array;
    for (let i = 0; i < dyv.length; i++) g[i % d]! += dyv[i]!;
    this.b2.grad = fromTypedArray(g, [d]);
    const dx = Float32Array.from(this.input.grad!.toTypedArray() as Float32Array);
    const shape = [...this.input.shape];
    this.partial = null;
    this.input = null;
    await allReduce(dx);
    return fromTypedArray(dx, shape);
  }
}
