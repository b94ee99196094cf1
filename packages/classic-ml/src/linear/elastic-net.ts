import type { ModelJson, Predictor } from '../core/estimator.js';
import { checkFeatureCount, type Features, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { r2Score } from '../metrics/regression.js';
import { center, interceptOf, linearPredict } from './center.js';

export interface ElasticNetParams {
  /** Overall penalty strength α (default 1). */
  alpha: number;
  /** ρ, the L1 share of the penalty: 1 is the lasso, 0 ridge (default 0.5). */
  l1Ratio: number;
  fitIntercept: boolean;
  /** Sweeps over the coordinates at most (default 1000). */
  maxIter: number;
  /** Stop when the duality gap ≤ tol·‖y‖²/n, as scikit-learn (default 1e-4). */
  tol: number;
}

/**
 * Elastic net by cyclic coordinate descent (Friedman, Hastie & Tibshirani 2010), minimising scikit-learn's objective
 * (1/2n)‖y − Xβ − b‖² + αρ‖β‖₁ + ½α(1 − ρ)‖β‖². Each coordinate update is a soft-threshold of its partial residual
 * correlation: β_j = S(x_jᵀr_j / n, αρ) / (x_jᵀx_j / n + α(1 − ρ)), the residual kept up to date.
 */
export class ElasticNet implements Predictor<ElasticNetParams> {
  readonly params: Readonly<ElasticNetParams>;
  coef: Float64Array | undefined;
  intercept = 0;
  /** Sweeps taken and the final duality gap. */
  iterations = 0;
  dualGap = Number.NaN;
  protected readonly name: string = 'ElasticNet';

  constructor(params: Partial<ElasticNetParams> = {}) {
    this.params = { alpha: 1, l1Ratio: 0.5, fitIntercept: true, maxIter: 1000, tol: 1e-4, ...params };
    const { alpha, l1Ratio } = this.params;
    if (!(alpha >= 0)) throw new RangeError(`${this.constructor.name}: alpha must be ≥ 0, got ${alpha}`);
    if (!(l1Ratio >= 0 && l1Ratio <= 1))
      throw new RangeError(`${this.constructor.name}: l1Ratio must be in [0, 1], got ${l1Ratio}`);
  }

  withParams(changes: Partial<ElasticNetParams>): ElasticNet {
    return new ElasticNet({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const where = `${this.name}.fit`;
    const m = toMatrix(X, where);
    const c = center(m, toVector(y, m.rows, where), this.params.fitIntercept);
    const { rows: n, cols: d, data } = c.X;
    const l1 = this.params.alpha * this.params.l1Ratio * n;
    const l2 = this.params.alpha * (1 - this.params.l1Ratio) * n;
    // Column-major copy: coordinate j streams down column j.
    const cols = new Float64Array(n * d);
    const norms = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < d; j++) {
        const v = data[i * d + j]!;
        cols[j * n + i] = v;
        norms[j]! += v * v;
      }
    const beta = new Float64Array(d);
    const r = Float64Array.from(c.y);
    let yNorm2 = 0;
    for (let i = 0; i < n; i++) yNorm2 += r[i]! ** 2;
    const gapTarget = this.params.tol * yNorm2;
    this.iterations = this.params.maxIter;
    for (let sweep = 0; sweep < this.params.maxIter; sweep++) {
      let maxChange = 0;
      let maxCoef = 0;
      for (let j = 0; j < d; j++) {
        if (norms[j] === 0) continue;
        const old = beta[j]!;
        let rho = 0;
        const o = j * n;
        for (let i = 0; i < n; i++) rho += cols[o + i]! * r[i]!;
        rho += norms[j]! * old;
        const next = rho > l1 ? (rho - l1) / (norms[j]! + l2) : rho < -l1 ? (rho + l1) / (norms[j]! + l2) : 0;
        if (next !== old) {
          const delta = next - old;
          for (let i = 0; i < n; i++) r[i]! -= delta * cols[o + i]!;
          beta[j] = next;
          maxChange = Math.max(maxChange, Math.abs(delta));
        }
        maxCoef = Math.max(maxCoef, Math.abs(next));
      }
      // As scikit-learn: only when the coefficients stopped moving is the (costlier) duality gap checked.
      if (maxCoef === 0 || maxChange / maxCoef < this.params.tol) {
        this.dualGap = dualityGap(cols, n, d, beta, r, c.y, l1, l2);
        if (this.dualGap <= gapTarget) {
          this.iterations = sweep + 1;
          break;
        }
      }
    }
    this.dualGap /= n;
    this.coef = beta;
    this.intercept = interceptOf(c, beta);
    return this;
  }

  predict(X: Features): Float64Array {
    if (!this.coef) throw notFitted(this.name);
    const where = `${this.name}.predict`;
    const m = checkFeatureCount(toMatrix(X, where), this.coef.length, where);
    return linearPredict(m, this.coef, this.intercept);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  toJSON(): ModelJson {
    return {
      type: this.name,
      params: { ...this.params },
      state: this.coef ? { coef: Array.from(this.coef), intercept: this.intercept } : null,
    };
  }

  static fromJSON(json: ModelJson): ElasticNet {
    const model =
      json.type === 'Lasso'
        ? new Lasso(json.params as Partial<ElasticNetParams>)
        : new ElasticNet(json.params as Partial<ElasticNetParams>);
    if (json.state) {
      model.coef = Float64Array.from(json.state.coef as number[]);
      model.intercept = json.state.intercept as number;
    }
    return model;
  }
}

/** The lasso: the elastic net with ρ = 1, (1/2n)‖y − Xβ − b‖² + α‖β‖₁. */
export class Lasso extends ElasticNet {
  protected override readonly name = 'Lasso';

  constructor(params: Partial<Omit<ElasticNetParams, 'l1Ratio'>> = {}) {
    super({ ...params, l1Ratio: 1 });
  }

  override withParams(changes: Partial<ElasticNetParams>): Lasso {
    return new Lasso({ ...this.params, ...changes });
  }
}

/**
 * Duality gap of the elastic net in scikit-learn's scaling (objective × n), from its cd_fast: the dual point is the
 * residual scaled to be feasible, ν = r·min(1, l1 / ‖Xᵀr − l2·β‖∞).
 */
function dualityGap(
  cols: Float64Array,
  n: number,
  d: number,
  beta: Float64Array,
  r: Float64Array,
  y: Float64Array,
  l1: number,
  l2: number,
): number {
  let dualNormXtA = 0;
  let rNorm2 = 0;
  let wNorm2 = 0;
  let l1Norm = 0;
  let ry = 0;
  for (let i = 0; i < n; i++) {
    rNorm2 += r[i]! ** 2;
    ry += r[i]! * y[i]!;
  }
  for (let j = 0; j < d; j++) {
    let xr = 0;
    for (let i = 0; i < n; i++) xr += cols[j * n + i]! * r[i]!;
    dualNormXtA = Math.max(dualNormXtA, Math.abs(xr - l2 * beta[j]!));
    wNorm2 += beta[j]! ** 2;
    l1Norm += Math.abs(beta[j]!);
  }
  let scale = 1;
  if (dualNormXtA > l1) scale = l1 / dualNormXtA;
  const aNorm2 = rNorm2 * scale * scale;
  let gap = rNorm2 > 0 ? 0.5 * (rNorm2 + aNorm2) : 0;
  gap += l1 * l1Norm - scale * ry + 0.5 * l2 * (1 + scale * scale) * wNorm2;
  return gap;
}
