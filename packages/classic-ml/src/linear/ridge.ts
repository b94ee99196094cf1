import type { ModelJson, Predictor } from '../core/estimator.js';
import { cholesky, choleskySolve, gram } from '../core/linalg.js';
import { checkFeatureCount, type Features, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { r2Score } from '../metrics/regression.js';
import { center, interceptOf, linearPredict, transposeTimes } from './center.js';

export interface RidgeParams {
  /** The L2 penalty α in ‖y − Xβ − b‖² + α‖β‖² (default 1, as scikit-learn); the intercept is not penalised. */
  alpha: number;
  fitIntercept: boolean;
}

/** Ridge regression in closed form: β = (XᵀX + αI)⁻¹Xᵀy on centered data, by Cholesky. */
export class Ridge implements Predictor<RidgeParams> {
  readonly params: Readonly<RidgeParams>;
  coef: Float64Array | undefined;
  intercept = 0;

  constructor(params: Partial<RidgeParams> = {}) {
    this.params = { alpha: 1, fitIntercept: true, ...params };
    if (!(this.params.alpha >= 0)) throw new RangeError(`Ridge: alpha must be ≥ 0, got ${this.params.alpha}`);
  }

  withParams(changes: Partial<RidgeParams>): Ridge {
    return new Ridge({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, 'Ridge.fit');
    const c = center(m, toVector(y, m.rows, 'Ridge.fit'), this.params.fitIntercept);
    const d = m.cols;
    const A = gram(c.X);
    for (let j = 0; j < d; j++) A[j * d + j]! += this.params.alpha;
    this.coef = choleskySolve(cholesky(A, d, 'Ridge.fit'), d, transposeTimes(c.X, c.y));
    this.intercept = interceptOf(c, this.coef);
    return this;
  }

  predict(X: Features): Float64Array {
    if (!this.coef) throw notFitted('Ridge');
    const m = checkFeatureCount(toMatrix(X, 'Ridge.predict'), this.coef.length, 'Ridge.predict');
    return linearPredict(m, this.coef, this.intercept);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  toJSON(): ModelJson {
    return {
      type: 'Ridge',
      params: { ...this.params },
      state: this.coef ? { coef: Array.from(this.coef), intercept: this.intercept } : null,
    };
  }

  static fromJSON(json: ModelJson): Ridge {
    const model = new Ridge(json.params as Partial<RidgeParams>);
    if (json.state) {
      model.coef = Float64Array.from(json.state.coef as number[]);
      model.intercept = json.state.intercept as number;
    }
    return model;
  }
}
