import { fromArray, matmul, type NDArray } from '@mle/tensor';

/**
 * Dot-product scores of many users against every item in one product on @mle/tensor's SIMD matmul kernel:
 * users [n, d] · itemsT [d, items], in float32. Both factor models score this way, one user or a batch, so a
 * user's scores do not depend on how they were asked for.
 */
export class DotScorer {
  private readonly itemsT: NDArray;

  constructor(
    itemFactors: ArrayLike<number>,
    readonly items: number,
    readonly dim: number,
  ) {
    const t = new Float32Array(dim * items);
    for (let i = 0; i < items; i++)
      for (let a = 0; a < dim; a++) t[a * items + i] = itemFactors[i * dim + a]!;
    this.itemsT = fromArray(t, [dim, items], 'float32');
  }

  /** Rows of `userFactors` (d values each, at `rows[r]·d`) scored against every item: one Float64Array per row. */
  score(userFactors: ArrayLike<number>, rows: readonly number[]): Float64Array[] {
    const d = this.dim;
    const U = new Float32Array(rows.length * d);
    rows.forEach((row, r) => {
      for (let a = 0; a < d; a++) U[r * d + a] = userFactors[row * d + a]!;
    });
    const out = matmul(fromArray(U, [rows.length, d], 'float32'), this.itemsT).toTypedArray();
    return rows.map((_, r) => Float64Array.from(out.subarray(r * this.items, (r + 1) * this.items)));
  }
}
