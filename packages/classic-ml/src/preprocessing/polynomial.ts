import type { ModelJson, Transformer } from '../core/estimator.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';

export interface PolynomialFeaturesParams {
  /** Highest total degree (default 2). */
  degree: number;
  /** Only products of distinct features, no powers (default false). */
  interactionOnly: boolean;
  /** Start with a column of ones (default true). */
  includeBias: boolean;
}

/**
 * Every monomial of the features up to `degree`, in scikit-learn's order: 1, x₀, x₁, …, x₀², x₀x₁, …, by degree,
 * then lexicographically by the features' indices.
 */
export class PolynomialFeatures implements Transformer<PolynomialFeaturesParams> {
  readonly params: Readonly<PolynomialFeaturesParams>;
  /** Each output column as the feature indices multiplied (empty for the bias). */
  powers: number[][] | undefined;
  private inputs = 0;

  constructor(params: Partial<PolynomialFeaturesParams> = {}) {
    this.params = { degree: 2, interactionOnly: false, includeBias: true, ...params };
    const { degree } = this.params;
    if (!Number.isInteger(degree) || degree < 1)
      throw new RangeError(`PolynomialFeatures: degree must be a whole number ≥ 1, got ${degree}`);
  }

  withParams(changes: Partial<PolynomialFeaturesParams>): PolynomialFeatures {
    return new PolynomialFeatures({ ...this.params, ...changes });
  }

  fit(X: Features): this {
    const m = toMatrix(X, 'PolynomialFeatures.fit');
    this.inputs = m.cols;
    const combos: number[][] = this.params.includeBias ? [[]] : [];
    let previous: number[][] = [[]];
    for (let degree = 1; degree <= this.params.degree; degree++) {
      const next: number[][] = [];
      for (const combo of previous) {
        const from =
          combo.length === 0 ? 0 : combo[combo.length - 1]! + (this.params.interactionOnly ? 1 : 0);
        for (let j = from; j < m.cols; j++) next.push([...combo, j]);
      }
      combos.push(...next);
      previous = next;
    }
    this.powers = combos;
    return this;
  }

  transform(X: Features): Matrix {
    if (!this.powers) throw notFitted('PolynomialFeatures');
    const m = checkFeatureCount(
      toMatrix(X, 'PolynomialFeatures.transform'),
      this.inputs,
      'PolynomialFeatures.transform',
    );
    const out = new Matrix(m.rows, this.powers.length);
    for (let i = 0; i < m.rows; i++)
      this.powers.forEach((combo, c) => {
        let v = 1;
        for (const j of combo) v *= m.data[i * m.cols + j]!;
        out.data[i * out.cols + c] = v;
      });
    return out;
  }

  fitTransform(X: Features): Matrix {
    return this.fit(X).transform(X);
  }

  toJSON(): ModelJson {
    return {
      type: 'PolynomialFeatures',
      params: { ...this.params },
      state: this.powers ? { inputs: this.inputs } : null,
    };
  }

  static fromJSON(json: ModelJson): PolynomialFeatures {
    const model = new PolynomialFeatures(json.params as Partial<PolynomialFeaturesParams>);
    if (json.state) model.fit([new Array<number>(json.state.inputs as number).fill(0)]);
    return model;
  }
}
