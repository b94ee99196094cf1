import type { ModelJson, Transformer } from '../core/estimator.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';

export interface SimpleImputerParams {
  /** What fills a missing (NaN) value: its column's training mean or median (default 'mean'). */
  strategy: 'mean' | 'median';
}

/** Fills NaN features with a per-column statistic of the training rows' present values. Infinities stay errors. */
export class SimpleImputer implements Transformer<SimpleImputerParams> {
  readonly params: Readonly<SimpleImputerParams>;
  statistics: Float64Array | undefined;

  constructor(params: Partial<SimpleImputerParams> = {}) {
    this.params = { strategy: 'mean', ...params };
    if (this.params.strategy !== 'mean' && this.params.strategy !== 'median')
      throw new RangeError(`SimpleImputer: strategy must be 'mean' or 'median', got ${this.params.strategy}`);
  }

  withParams(changes: Partial<SimpleImputerParams>): SimpleImputer {
    return new SimpleImputer({ ...this.params, ...changes });
  }

  fit(X: Features): this {
    const m = checked(X, 'SimpleImputer.fit');
    this.statistics = new Float64Array(m.cols);
    for (let j = 0; j < m.cols; j++) {
      const present = Array.from(m.column(j)).filter((v) => !Number.isNaN(v));
      if (present.length === 0)
        throw new RangeError(`SimpleImputer.fit: column ${j} has no value to learn from`);
      present.sort((a, b) => a - b);
      const h = present.length >> 1;
      this.statistics[j] =
        this.params.strategy === 'mean'
          ? present.reduce((a, b) => a + b, 0) / present.length
          : present.length % 2
            ? present[h]!
            : (present[h - 1]! + present[h]!) / 2;
    }
    return this;
  }

  transform(X: Features): Matrix {
    if (!this.statistics) throw notFitted('SimpleImputer');
    const m = checkFeatureCount(
      checked(X, 'SimpleImputer.transform'),
      this.statistics.length,
      'SimpleImputer.transform',
    );
    const out = new Matrix(m.rows, m.cols, Float64Array.from(m.data));
    for (let i = 0; i < out.data.length; i++)
      if (Number.isNaN(out.data[i]!)) out.data[i] = this.statistics[i % m.cols]!;
    return out;
  }

  fitTransform(X: Features): Matrix {
    return this.fit(X).transform(X);
  }

  toJSON(): ModelJson {
    return {
      type: 'SimpleImputer',
      params: { ...this.params },
      state: this.statistics ? { statistics: Array.from(this.statistics) } : null,
    };
  }

  static fromJSON(json: ModelJson): SimpleImputer {
    const model = new SimpleImputer(json.params as Partial<SimpleImputerParams>);
    if (json.state) model.statistics = Float64Array.from(json.state.statistics as number[]);
    return model;
  }
}

function checked(X: Features, where: string): Matrix {
  const m = toMatrix(X, where, { allowNonFinite: true });
  for (let k = 0; k < m.data.length; k++) {
    const v = m.data[k]!;
    if (v === Number.POSITIVE_INFINITY || v === Number.NEGATIVE_INFINITY)
      throw new RangeError(
        `${where}: X[${Math.floor(k / m.cols)}][${k % m.cols}] is ${v}; only NaN counts as missing`,
      );
  }
  return m;
}
