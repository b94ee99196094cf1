import type { ModelJson } from '../core/estimator.js';
import { cholesky, choleskyLogDet } from '../core/linalg.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { KMeans } from './kmeans.js';

export interface GaussianMixtureParams {
  /** Components k (default 1). */
  nComponents: number;
  /** 'full' (default): a covariance matrix per component; 'diag': variances only. */
  covarianceType: 'full' | 'diag';
  /** Added to every covariance's diagonal, so no component collapses onto a point (default 1e-6). */
  regCovar: number;
  /** Stop when the mean log-likelihood gains less than tol in an iteration (default 1e-3). */
  tol: number;
  maxIter: number;
  /** Runs from different k-means starts; the highest likelihood wins (default 1). */
  nInit: number;
  seed: number;
}

/**
 * A Gaussian mixture fitted by expectation–maximisation (Dempster, Laird & Rubin 1977; Bishop, PRML §9.2):
 * E-step, each row's responsibilities r_ik ∝ π_k·N(x_i | μ_k, Σ_k); M-step, π, μ, Σ from the responsibility-
 * weighted rows. Started from a k-means partition, as scikit-learn. Densities in logs through Cholesky factors.
 */
export class GaussianMixture {
  readonly params: Readonly<GaussianMixtureParams>;
  weights: Float64Array | undefined;
  means: Matrix | undefined;
  /** Per component: d × d (full) or d variances (diag), row-major. */
  covariances: Float64Array[] | undefined;
  /** Mean log-likelihood per row after each iteration of the best run (never decreasing). */
  logLikelihoodHistory: number[] = [];
  converged = false;
  iterations = 0;

  constructor(params: Partial<GaussianMixtureParams> = {}) {
    this.params = {
      nComponents: 1,
      covarianceType: 'full',
      regCovar: 1e-6,
      tol: 1e-3,
      maxIter: 100,
      nInit: 1,
      seed: 0,
      ...params,
    };
    const { nComponents, covarianceType, regCovar } = this.params;
    if (!Number.isInteger(nComponents) || nComponents < 1)
      throw new RangeError(`GaussianMixture: nComponents must be a whole number ≥ 1, got ${nComponents}`);
    if (covarianceType !== 'full' && covarianceType !== 'diag')
      throw new RangeError(`GaussianMixture: covarianceType must be 'full' or 'diag', got ${covarianceType}`);
    if (!(regCovar >= 0)) throw new RangeError(`GaussianMixture: regCovar must be ≥ 0, got ${regCovar}`);
  }

  withParams(changes: Partial<GaussianMixtureParams>): GaussianMixture {
    return new GaussianMixture({ ...this.params, ...changes });
  }

  fit(X: Features): this {
    const m = toMatrix(X, 'GaussianMixture.fit');
    const k = this.params.nComponents;
    if (k > m.rows)
      throw new RangeError(`GaussianMixture.fit: nComponents = ${k} is more than the ${m.rows} rows`);
    let bestScore = Number.NEGATIVE_INFINITY;
    let best: Pick<GaussianMixture, 'weights' | 'means' | 'covariances'> | undefined;
    for (let run = 0; run < this.params.nInit; run++) {
      const labels = new KMeans({ nClusters: k, nInit: 1, seed: this.params.seed + run }).fit(m).labels!;
      const resp = new Matrix(m.rows, k);
      for (let i = 0; i < m.rows; i++) resp.data[i * k + labels[i]!] = 1;
      this.mStep(m, resp);
      const history: number[] = [];
      let converged = false;
      let iterations = this.params.maxIter;
      for (let it = 0; it < this.params.maxIter; it++) {
        const ll = this.eStep(m, resp);
        history.push(ll);
        this.mStep(m, resp);
        if (it > 0 && Math.abs(ll - history[it - 1]!) < this.params.tol) {
          converged = true;
          iterations = it + 1;
          break;
        }
      }
      const final = this.score(m);
      history.push(final);
      if (final > bestScore) {
        bestScore = final;
        this.logLikelihoodHistory = history;
        this.converged = converged;
        this.iterations = iterations;
        best = { weights: this.weights, means: this.means, covariances: this.covariances };
      }
    }
    Object.assign(this, best);
    return this;
  }

  /** log π_k + log N(x_i | μ_k, Σ_k), n × k. */
  private weightedLogDensities(m: Matrix): Matrix {
    const { weights, means, covariances } = this.fitted();
    const k = weights.length;
    const d = m.cols;
    const out = new Matrix(m.rows, k);
    const diff = new Float64Array(d);
    for (let c = 0; c < k; c++) {
      const cov = covariances[c]!;
      const full = this.params.covarianceType === 'full';
      const L = full ? cholesky(cov, d, 'GaussianMixture') : undefined;
      const logDet = full ? choleskyLogDet(L!, d) : cov.reduce((s, v) => s + Math.log(v), 0);
      const constant = Math.log(weights[c]!) - 0.5 * (d * Math.log(2 * Math.PI) + logDet);
      for (let i = 0; i < m.rows; i++) {
        for (let j = 0; j < d; j++) diff[j] = m.data[i * d + j]! - means.data[c * d + j]!;
        let mahalanobis = 0;
        if (full) {
          // Solve L·z = diff; (x − μ)ᵀΣ⁻¹(x − μ) = ‖z‖².
          for (let a = 0; a < d; a++) {
            let s = diff[a]!;
            for (let b = 0; b < a; b++) s -= L![a * d + b]! * diff[b]!;
            diff[a] = s / L![a * d + a]!;
            mahalanobis += diff[a]! ** 2;
          }
        } else for (let j = 0; j < d; j++) mahalanobis += diff[j]! ** 2 / cov[j]!;
        out.data[i * k + c] = constant - 0.5 * mahalanobis;
      }
    }
    return out;
  }

  /** Responsibilities into `resp`; returns the mean log-likelihood. */
  private eStep(m: Matrix, resp: Matrix): number {
    const log = this.weightedLogDensities(m);
    const k = log.cols;
    let total = 0;
    for (let i = 0; i < m.rows; i++) {
      const lse = logSumExp(log.data, i * k, k);
      total += lse;
      for (let c = 0; c < k; c++) resp.data[i * k + c] = Math.exp(log.data[i * k + c]! - lse);
    }
    return total / m.rows;
  }

  private mStep(m: Matrix, resp: Matrix): void {
    const { rows: n, cols: d } = m;
    const k = resp.cols;
    const nk = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) nk[c]! += resp.data[i * k + c]!;
    for (let c = 0; c < k; c++) nk[c]! += 10 * Number.EPSILON; // an empty component stays defined
    const means = new Matrix(k, d);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        const r = resp.data[i * k + c]!;
        if (r === 0) continue;
        for (let j = 0; j < d; j++) means.data[c * d + j]! += r * m.data[i * d + j]!;
      }
    for (let c = 0; c < k; c++) for (let j = 0; j < d; j++) means.data[c * d + j]! /= nk[c]!;
    const full = this.params.covarianceType === 'full';
    const covariances = Array.from({ length: k }, () => new Float64Array(full ? d * d : d));
    const diff = new Float64Array(d);
    for (let i = 0; i < n; i++)
      for (let c = 0; c < k; c++) {
        const r = resp.data[i * k + c]!;
        if (r === 0) continue;
        const cov = covariances[c]!;
        for (let j = 0; j < d; j++) diff[j] = m.data[i * d + j]! - means.data[c * d + j]!;
        if (full)
          for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) cov[a * d + b]! += r * diff[a]! * diff[b]!;
        else for (let j = 0; j < d; j++) cov[j]! += r * diff[j]! ** 2;
      }
    for (let c = 0; c < k; c++) {
      const cov = covariances[c]!;
      if (full) {
        for (let a = 0; a < d; a++)
          for (let b = 0; b <= a; b++) {
            const v = cov[a * d + b]! / nk[c]! + (a === b ? this.params.regCovar : 0);
            cov[a * d + b] = v;
            cov[b * d + a] = v;
          }
      } else for (let j = 0; j < d; j++) cov[j] = cov[j]! / nk[c]! + this.params.regCovar;
    }
    this.weights = nk.map((v) => v / n);
    this.means = means;
    this.covariances = covariances;
  }

  /** Mean log-likelihood of the rows under the mixture. */
  score(X: Features): number {
    const m = this.input(X);
    const log = this.weightedLogDensities(m);
    let total = 0;
    for (let i = 0; i < m.rows; i++) total += logSumExp(log.data, i * log.cols, log.cols);
    return total / m.rows;
  }

  /** Each row's component probabilities (responsibilities), n × k. */
  predictProba(X: Features): Matrix {
    const m = this.input(X);
    const resp = new Matrix(m.rows, this.weights!.length);
    this.eStep(m, resp);
    return resp;
  }

  predict(X: Features): Int32Array {
    const p = this.predictProba(X);
    const out = new Int32Array(p.rows);
    for (let i = 0; i < p.rows; i++) {
      let best = 0;
      for (let c = 1; c < p.cols; c++) if (p.data[i * p.cols + c]! > p.data[i * p.cols + best]!) best = c;
      out[i] = best;
    }
    return out;
  }

  /** Bayesian information criterion: −2·n·score + parameters·ln n (lower is better). */
  bic(X: Features): number {
    const m = this.input(X);
    const { weights } = this.fitted();
    const k = weights.length;
    const d = m.cols;
    const covarianceParams = this.params.covarianceType === 'full' ? (k * d * (d + 1)) / 2 : k * d;
    const parameters = covarianceParams + k * d + k - 1;
    return -2 * this.score(m) * m.rows + parameters * Math.log(m.rows);
  }

  private input(X: Features): Matrix {
    const { means } = this.fitted();
    return checkFeatureCount(toMatrix(X, 'GaussianMixture'), means.cols, 'GaussianMixture');
  }

  private fitted() {
    if (!this.weights || !this.means || !this.covariances) throw notFitted('GaussianMixture');
    return { weights: this.weights, means: this.means, covariances: this.covariances };
  }

  toJSON(): ModelJson {
    return {
      type: 'GaussianMixture',
      params: { ...this.params },
      state: this.weights
        ? {
            weights: Array.from(this.weights),
            means: this.means!.toArrays(),
            covariances: this.covariances!.map((c) => Array.from(c)),
          }
        : null,
    };
  }

  static fromJSON(json: ModelJson): GaussianMixture {
    const model = new GaussianMixture(json.params as Partial<GaussianMixtureParams>);
    const s = json.state;
    if (s) {
      model.weights = Float64Array.from(s.weights as number[]);
      model.means = Matrix.fromRows(s.means as number[][]);
      model.covariances = (s.covariances as number[][]).map((c) => Float64Array.from(c));
    }
    return model;
  }
}

function logSumExp(v: Float64Array, at: number, k: number): number {
  let top = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < k; c++) top = Math.max(top, v[at + c]!);
  if (top === Number.NEGATIVE_INFINITY) return top;
  let s = 0;
  for (let c = 0; c < k; c++) s += Math.exp(v[at + c]! - top);
  return top + Math.log(s);
}
