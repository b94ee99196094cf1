import type { ModelJson, Transformer } from '../core/estimator.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';

/** A per-column affine map x → (x − shift) / scale, which both scalers are; fitted from the training columns. */
abstract class ColumnAffine<P extends object> implements Transformer<P> {
  shift: Float64Array | undefined;
  scale: Float64Array | undefined;
  protected abstract readonly name: string;
  abstract readonly params: Readonly<P>;
  abstract withParams(changes: Partial<P>): ColumnAffine<P>;
  protected abstract columnMap(m: Matrix): { shift: Float64Array; scale: Float64Array };

  fit(X: Features): this {
    const mapped = this.columnMap(toMatrix(X, `${this.name}.fit`));
    this.shift = mapped.shift;
    this.scale = mapped.scale;
    return this;
  }

  transform(X: Features): Matrix {
    if (!this.shift || !this.scale) throw notFitted(this.name);
    const m = checkFeatureCount(
      toMatrix(X, `${this.name}.transform`),
      this.shift.length,
      `${this.name}.transform`,
    );
    const out = new Matrix(m.rows, m.cols);
    for (let i = 0; i < m.data.length; i++) {
      const j = i % m.cols;
      out.data[i] = (m.data[i]! - this.shift[j]!) / this.scale[j]!;
    }
    return out;
  }

  fitTransform(X: Features): Matrix {
    return this.fit(X).transform(X);
  }

  toJSON(): ModelJson {
    return {
      type: this.name,
      params: { ...this.params },
      state: this.shift ? { shift: Array.from(this.shift), scale: Array.from(this.scale!) } : null,
    };
  }

  protected restore(json: ModelJson): this {
    if (json.state) {
      this.shift = Float64Array.from(json.state.shift as number[]);
      this.scale = Float64Array.from(json.state.scale as number[]);
    }
    return this;
  }
}

export interface StandardScalerParams {
  withMean: boolean;
  withStd: boolean;
}

/** z = (x − mean) / std per column, std the population one (ddof 0) as scikit-learn; a constant column keeps scale 1. */
export class StandardScaler extends ColumnAffine<StandardScalerParams> {
  protected readonly name = 'StandardScaler';
  readonly params: Readonly<StandardScalerParams>;

  constructor(params: Partial<StandardScalerParams> = {}) {
    super();
    this.params = { withMean: true, withStd: true, ...params };
  }

  withParams(changes: Partial<StandardScalerParams>): StandardScaler {
    return new StandardScaler({ ...this.params, ...changes });
  }

  protected columnMap(m: Matrix) {
    const { mean, variance } = columnMoments(m);
    return {
      shift: this.params.withMean ? mean : new Float64Array(m.cols),
      scale: variance.map((v) => (this.params.withStd && v > 0 ? Math.sqrt(v) : 1)),
    };
  }

  static fromJSON(json: ModelJson): StandardScaler {
    return new StandardScaler(json.params as Partial<StandardScalerParams>).restore(json);
  }
}

export interface MinMaxScalerParams {
  /** The target range of every column (default [0, 1]). */
  featureRange: readonly [number, number];
}

/** Maps each column's training [min, max] onto `featureRange`; a constant column maps to the range's low end. */
export class MinMaxScaler extends ColumnAffine<MinMaxScalerParams> {
  protected readonly name = 'MinMaxScaler';
  readonly params: Readonly<MinMaxScalerParams>;

  constructor(params: Partial<MinMaxScalerParams> = {}) {
    super();
    this.params = { featureRange: [0, 1], ...params };
    const [lo, hi] = this.params.featureRange;
    if (!(lo < hi))
      throw new RangeError(
        `MinMaxScaler: featureRange must be [low, high] with low < high, got [${lo}, ${hi}]`,
      );
  }

  withParams(changes: Partial<MinMaxScalerParams>): MinMaxScaler {
    return new MinMaxScaler({ ...this.params, ...changes });
  }

  protected columnMap(m: Matrix) {
    const [lo, hi] = this.params.featureRange;
    const min = new Float64Array(m.cols).fill(Number.POSITIVE_INFINITY);
    const max = new Float64Array(m.cols).fill(Number.NEGATIVE_INFINITY);
    for (let i = 0; i < m.data.length; i++) {
      const j = i % m.cols;
      min[j] = Math.min(min[j]!, m.data[i]!);
      max[j] = Math.max(max[j]!, m.data[i]!);
    }
    // x' = lo + (x − min)·(hi − lo)/(max − min) = (x − shift)/scale.
    const scale = min.map((v, j) => (max[j]! > v ? (max[j]! - v) / (hi - lo) : 1));
    const shift = min.map((v, j) => v - lo * scale[j]!);
    return { shift, scale };
  }

  static fromJSON(json: ModelJson): MinMaxScaler {
    return new MinMaxScaler(json.params as Partial<MinMaxScalerParams>).restore(json);
  }
}

/** Column means and population variances, by Welford's update (stable when the mean is large against the spread). */
export function columnMoments(m: Matrix): { mean: Float64Array; variance: Float64Array } {
  const mean = new Float64Array(m.cols);
  const m2 = new Float64Array(m.cols);
  for (let i = 0; i < m.rows; i++)
    for (let j = 0; j < m.cols; j++) {
      const x = m.data[i * m.cols + j]!;
      const delta = x - mean[j]!;
      mean[j]! += delta / (i + 1);
      m2[j]! += delta * (x - mean[j]!);
    }
  return { mean, variance: m2.map((v) => v / m.rows) };
}
