import type { Matrix } from '../core/matrix.js';
import { BinnedFeatures } from './histogram-splitter.js';

/**
 * The training features in the forms split search wants, prepared once per fit and shared by every tree of an
 * ensemble: column-major values, each feature's row order sorted by value (for exact splits), and the binned
 * features (for histogram splits). A forest of 100 trees sorts each feature once, not 100 times.
 */
export class TreeData {
  readonly rows: number;
  readonly features: number;
  /** xcol[f·rows + i]: feature f of row i. */
  readonly xcol: Float64Array;
  private sortedRows: Int32Array | undefined;
  private readonly binnings = new Map<number, BinnedFeatures>();

  constructor(readonly X: Matrix) {
    const { rows: n, cols: d, data } = X;
    this.rows = n;
    this.features = d;
    this.xcol = new Float64Array(n * d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) this.xcol[j * n + i] = data[i * d + j]!;
  }

  /** sorted[f·rows + p]: the p-th row in feature f's order (ties by row index). */
  sorted(): Int32Array {
    if (!this.sortedRows) {
      const { rows: n, features: d } = this;
      this.sortedRows = new Int32Array(n * d);
      for (let f = 0; f < d; f++) {
        const col = this.xcol.subarray(f * n, (f + 1) * n);
        const order = Int32Array.from({ length: n }, (_, i) => i).sort((a, b) => col[a]! - col[b]! || a - b);
        this.sortedRows.set(order, f * n);
      }
    }
    return this.sortedRows;
  }

  binned(maxBins: number): BinnedFeatures {
    let b = this.binnings.get(maxBins);
    if (!b) {
      b = new BinnedFeatures(this.X, maxBins);
      this.binnings.set(maxBins, b);
    }
    return b;
  }
}
