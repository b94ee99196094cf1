import type { ModelJson, Transformer } from '../core/estimator.js';
import { gram, householderQr, jacobiSvd } from '../core/linalg.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { columnMoments } from '../preprocessing/scalers.js';

export interface PcaParams {
  /**
   * Components kept: a whole number (default: all, min(n, d)), or a fraction in (0, 1) meaning the fewest components
   * whose explained variance reaches it.
   */
  nComponents: number | undefined;
}

/**
 * Principal component analysis by the SVD of the centered data: X − x̄ = U·S·Vᵀ, the components are V's columns
 * and the variance each explains is s²/(n − 1). The SVD is taken of R from a Householder QR of the centered data
 * (X = QR, so X and R share S and V), by one-sided Jacobi; the covariance matrix is never formed when n ≥ d. Signs
 * follow scikit-learn's svd_flip: each component points so that the sample with the largest |score| scores positive.
 */
export class PCA implements Transformer<PcaParams> {
  readonly params: Readonly<PcaParams>;
  mean: Float64Array | undefined;
  /** k × d: row c is component c, unit length, orthogonal to the others. */
  components: Matrix | undefined;
  explainedVariance: Float64Array | undefined;
  explainedVarianceRatio: Float64Array | undefined;
  singularValues: Float64Array | undefined;

  constructor(params: Partial<PcaParams> = {}) {
    this.params = { nComponents: undefined, ...params };
    const k = this.params.nComponents;
    if (k !== undefined && !((Number.isInteger(k) && k >= 1) || (k > 0 && k < 1)))
      throw new RangeError(`PCA: nComponents must be a whole number ≥ 1 or a fraction in (0, 1), got ${k}`);
  }

  withParams(changes: Partial<PcaParams>): PCA {
    return new PCA({ ...this.params, ...changes });
  }

  fit(X: Features): this {
    const m = toMatrix(X, 'PCA.fit');
    const { rows: n, cols: d } = m;
    if (n < 2) throw new RangeError('PCA.fit: needs at least 2 rows');
    const { mean } = columnMoments(m);
    const centered = new Matrix(n, d);
    for (let i = 0; i < m.data.length; i++) centered.data[i] = m.data[i]! - mean[i % d]!;
    let singular: Float64Array;
    let V: Float64Array;
    if (n >= d) {
      ({ singularValues: singular, V } = jacobiSvd(householderQr(centered).R, d));
    } else {
      // Fewer rows than columns: the eigenvectors of XᵀX (its singular values are the squares of X's).
      const svd = jacobiSvd(gram(centered), d);
      singular = svd.singularValues.map(Math.sqrt);
      V = svd.V;
    }
    const rank = Math.min(n, d);
    const variance = singular.subarray(0, rank).map((s) => (s * s) / (n - 1));
    const total = variance.reduce((a, b) => a + b, 0);
    const ratio = variance.map((v) => (total > 0 ? v / total : 0));
    const k = this.componentCount(ratio, rank);
    const components = new Matrix(k, d);
    for (let c = 0; c < k; c++) {
      let largest = 0;
      for (let i = 0; i < n; i++) {
        let score = 0;
        for (let j = 0; j < d; j++) score += centered.data[i * d + j]! * V[j * d + c]!;
        if (Math.abs(score) > Math.abs(largest)) largest = score;
      }
      const sign = largest < 0 ? -1 : 1;
      for (let j = 0; j < d; j++) components.data[c * d + j] = sign * V[j * d + c]!;
    }
    this.mean = mean;
    this.components = components;
    this.singularValues = singular.slice(0, k);
    this.explainedVariance = variance.slice(0, k);
    this.explainedVarianceRatio = ratio.slice(0, k);
    return this;
  }

  private componentCount(ratio: Float64Array, rank: number): number {
    const k = this.params.nComponents;
    if (k === undefined) return rank;
    if (k >= 1) {
      if (k > rank) throw new RangeError(`PCA.fit: nComponents ${k} exceeds min(rows, columns) = ${rank}`);
      return k;
    }
    let cumulative = 0;
    for (let c = 0; c < rank; c++) {
      cumulative += ratio[c]!;
      if (cumulative >= k) return c + 1;
    }
    return rank;
  }

  /** Scores: (X − x̄)·Vₖ, n × k. */
  transform(X: Features): Matrix {
    const { mean, components } = this.fitted();
    const m = checkFeatureCount(toMatrix(X, 'PCA.transform'), mean.length, 'PCA.transform');
    const d = m.cols;
    const out = new Matrix(m.rows, components.rows);
    for (let i = 0; i < m.rows; i++)
      for (let c = 0; c < components.rows; c++) {
        let s = 0;
        for (let j = 0; j < d; j++) s += (m.data[i * d + j]! - mean[j]!) * components.data[c * d + j]!;
        out.data[i * out.cols + c] = s;
      }
    return out;
  }

  fitTransform(X: Features): Matrix {
    return this.fit(X).transform(X);
  }

  /** Back from scores to features: Z·Vₖᵀ + x̄ (exact when every component is kept). */
  inverseTransform(Z: Features): Matrix {
    const { mean, components } = this.fitted();
    const z = checkFeatureCount(toMatrix(Z, 'PCA.inverseTransform'), components.rows, 'PCA.inverseTransform');
    const d = mean.length;
    const out = new Matrix(z.rows, d);
    for (let i = 0; i < z.rows; i++)
      for (let j = 0; j < d; j++) {
        let s = mean[j]!;
        for (let c = 0; c < components.rows; c++) s += z.data[i * z.cols + c]! * components.data[c * d + j]!;
        out.data[i * d + j] = s;
      }
    return out;
  }

  toJSON(): ModelJson {
    return {
      type: 'PCA',
      params: { ...this.params },
      state: this.components
        ? {
            mean: Array.from(this.mean!),
            components: this.components.toArrays(),
            singularValues: Array.from(this.singularValues!),
            explainedVariance: Array.from(this.explainedVariance!),
            explainedVarianceRatio: Array.from(this.explainedVarianceRatio!),
          }
        : null,
    };
  }

  static fromJSON(json: ModelJson): PCA {
    const model = new PCA(json.params as Partial<PcaParams>);
    const s = json.state;
    if (s) {
      model.mean = Float64Array.from(s.mean as number[]);
      model.components = Matrix.fromRows(s.components as number[][]);
      model.singularValues = Float64Array.from(s.singularValues as number[]);
      model.explainedVariance = Float64Array.from(s.explainedVariance as number[]);
      model.explainedVarianceRatio = Float64Array.from(s.explainedVarianceRatio as number[]);
    }
    return model;
  }

  private fitted() {
    if (!this.mean || !this.components) throw notFitted('PCA');
    return { mean: this.mean, components: this.components };
  }
}
