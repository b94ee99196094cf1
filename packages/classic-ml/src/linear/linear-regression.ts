import type { ModelJson, Predictor } from '../core/estimator.js';
import { cholesky, choleskySolve, gram, leastSquaresQr } from '../core/linalg.js';
import { checkFeatureCount, type Features, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { r2Score } from '../metrics/regression.js';
import { center, interceptOf, linearPredict, transposeTimes } from './center.js';

export interface LinearRegressionParams {
  /** Fit b in ŷ = X·β + b (default true). */
  fitIntercept: boolean;
  /**
   * 'qr' (default): Householder QR of X, the numerically careful least squares; 'cholesky': the normal equations
   * XᵀX·β = Xᵀy, faster for n ≫ d but squaring X's condition number; 'gd': full-batch gradient descent on
   * standardized features, the iterative method the others are checked against.
   */
  solver: 'qr' | 'cholesky' | 'gd';
  /** gd: iteration budget (default 10,000) and the relative gradient norm to stop at (default 1e-10). */
  maxIter: number;
  tol: number;
}

const DEFAULTS: LinearRegressionParams = { fitIntercept: true, solver: 'qr', maxIter: 10_000, tol: 1e-10 };

/** Ordinary least squares: minimises ‖y − X·β − b‖². */
export class LinearRegression implements Predictor<LinearRegressionParams> {
  readonly params: Readonly<LinearRegressionParams>;
  coef: Float64Array | undefined;
  intercept = 0;
  /** gd: iterations taken. */
  iterations = 0;

  constructor(params: Partial<LinearRegressionParams> = {}) {
    this.params = { ...DEFAULTS, ...params };
    if (!['qr', 'cholesky', 'gd'].includes(this.params.solver))
      throw new RangeError(
        `LinearRegression: solver must be 'qr', 'cholesky' or 'gd', got ${this.params.solver}`,
      );
  }

  withParams(changes: Partial<LinearRegressionParams>): LinearRegression {
    return new LinearRegression({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, 'LinearRegression.fit');
    const target = toVector(y, m.rows, 'LinearRegression.fit');
    const c = center(m, target, this.params.fitIntercept);
    if (this.params.solver === 'qr') this.coef = leastSquaresQr(c.X, c.y, 'LinearRegression.fit');
    else if (this.params.solver === 'cholesky') {
      const L = cholesky(gram(c.X), m.cols, 'LinearRegression.fit');
      this.coef = choleskySolve(L, m.cols, transposeTimes(c.X, c.y));
    } else this.coef = this.gradientDescent(c.X, c.y);
    this.intercept = interceptOf(c, this.coef);
    return this;
  }

  /**
   * Minimises (1/2n)‖y − Xβ‖² by β ← β − (1/L)·∇ on columns scaled to unit variance (so one step size suits every
   * direction), with L = the largest eigenvalue of XᵀX/n by power iteration; the coefficients are scaled back.
   */
  private gradientDescent(X: ReturnType<typeof center>['X'], y: Float64Array): Float64Array {
    const { rows: n, cols: d, data } = X;
    const scale = new Float64Array(d);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) scale[j]! += data[i * d + j]! ** 2;
    for (let j = 0; j < d; j++) scale[j] = Math.sqrt(scale[j]! / n) || 1;
    const Z = X.selectRows([...Array(n).keys()]);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) Z.data[i * d + j]! /= scale[j]!;
    const G = gram(Z);
    for (let k = 0; k < G.length; k++) G[k]! /= n;
    const b = transposeTimes(Z, y).map((v) => v / n);
    // Power iteration for the largest eigenvalue of G = ZᵀZ/n.
    let v = new Float64Array(d).fill(1 / Math.sqrt(d));
    let lambda = 0;
    for (let it = 0; it < 100; it++) {
      const w = new Float64Array(d);
      for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) w[i]! += G[i * d + j]! * v[j]!;
      const norm = Math.hypot(...w);
      if (norm === 0) break;
      lambda = norm;
      v = w.map((x) => x / norm);
    }
    const step = 1 / (lambda || 1);
    const beta = new Float64Array(d);
    const grad = new Float64Array(d);
    const bNorm = Math.hypot(...b) || 1;
    this.iterations = this.params.maxIter;
    for (let it = 0; it < this.params.maxIter; it++) {
      // ∇ = G·β − Xᵀy/n, using the d × d Gram matrix so an iteration costs d², not n·d.
      for (let i = 0; i < d; i++) {
        let s = -b[i]!;
        for (let j = 0; j < d; j++) s += G[i * d + j]! * beta[j]!;
        grad[i] = s;
      }
      if (Math.hypot(...grad) <= this.params.tol * bNorm) {
        this.iterations = it;
        break;
      }
      for (let j = 0; j < d; j++) beta[j]! -= step * grad[j]!;
    }
    return beta.map((v, j) => v / scale[j]!);
  }

  predict(X: Features): Float64Array {
    if (!this.coef) throw notFitted('LinearRegression');
    const m = checkFeatureCount(
      toMatrix(X, 'LinearRegression.predict'),
      this.coef.length,
      'LinearRegression.predict',
    );
    return linearPredict(m, this.coef, this.intercept);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  toJSON(): ModelJson {
    return {
      type: 'LinearRegression',
      params: { ...this.params },
      state: this.coef ? { coef: Array.from(this.coef), intercept: this.intercept } : null,
    };
  }

  static fromJSON(json: ModelJson): LinearRegression {
    const model = new LinearRegression(json.params as Partial<LinearRegressionParams>);
    if (json.state) {
      model.coef = Float64Array.from(json.state.coef as number[]);
      model.intercept = json.state.intercept as number;
    }
    return model;
  }
}
