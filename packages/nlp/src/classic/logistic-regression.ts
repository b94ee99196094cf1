import { minimizeLbfgs } from '@mle/classic-ml';
import type { SparseRows } from './tfidf.js';

export interface LogisticRegressionOptions {
  /** Inverse strength of the L2 penalty, as scikit-learn's C: larger fits the training data more closely. */
  C?: number;
  /** Stop when every component of the gradient of the objective ÷ C·n is at most this. */
  tolerance?: number;
  maxIterations?: number;
}

/**
 * Binary logistic regression on sparse rows: P(y = 1 | x) = σ(w·x + b), fitted by minimizing
 * C · Σᵢ log(1 + exp(−ỹᵢ (w·xᵢ + b))) + ½‖w‖², with ỹ = ±1 and the intercept b not penalized (scikit-learn's
 * objective, so C means the same thing), by L-BFGS. The objective is strictly convex, so the optimum is unique.
 * L-BFGS works on that objective divided by C·n (the same optimum): a mean loss of order one, whose gradient a
 * tolerance can be stated against whatever the number of rows.
 */
export class LogisticRegression {
  readonly C: number;
  private readonly tolerance: number;
  private readonly maxIterations: number;
  /** θ = [w₀ … w_{d−1}, b] */
  private model: { theta: Float64Array; iterations: number; converged: boolean } | undefined;

  constructor(options: LogisticRegressionOptions = {}) {
    const { C = 1, tolerance = 1e-8, maxIterations = 1000 } = options;
    if (!(C > 0) || !Number.isFinite(C)) throw new RangeError(`LogisticRegression: C must be > 0, got ${C}`);
    this.C = C;
    this.tolerance = tolerance;
    this.maxIterations = maxIterations;
  }

  /** `labels` are 0 and 1, one per row. */
  fit(x: SparseRows, labels: readonly number[]): this {
    if (x.rows === 0) throw new Error('LogisticRegression.fit: no training rows');
    if (labels.length !== x.rows)
      throw new RangeError(
        `LogisticRegression.fit: ${x.rows} rows but ${labels.length} labels (one per row)`,
      );
    const bad = labels.findIndex((l) => l !== 0 && l !== 1);
    if (bad >= 0)
      throw new RangeError(`LogisticRegression.fit: label ${bad} is ${labels[bad]} (expected 0 or 1)`);
    const d = x.cols;
    const sign = Float64Array.from(labels, (l) => (l === 1 ? 1 : -1));
    const margins = new Float64Array(x.rows);
    const scale = 1 / (this.C * x.rows);
    // θ = [w₀ … w_{d−1}, b]
    const objective = (theta: Float64Array, gradient: Float64Array): number => {
      scores(x, theta, margins);
      let loss = 0;
      gradient.fill(0);
      let gb = 0;
      for (let r = 0; r < x.rows; r++) {
        const z = sign[r]! * margins[r]!;
        loss += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
        // ∂/∂score of log(1 + e^(−ỹ·score)) = −ỹ·σ(−ỹ·score)
        const dscore = -sign[r]! * (z > 0 ? Math.exp(-z) / (1 + Math.exp(-z)) : 1 / (1 + Math.exp(z)));
        for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) gradient[x.indices[k]!]! += dscore * x.data[k]!;
        gb += dscore;
      }
      let penalty = 0;
      for (let j = 0; j < d; j++) {
        penalty += theta[j]! * theta[j]!;
        gradient[j] = gradient[j]! / x.rows + scale * theta[j]!;
      }
      gradient[d] = gb / x.rows;
      return loss / x.rows + 0.5 * scale * penalty;
    };
    const result = minimizeLbfgs(objective, new Float64Array(d + 1), {
      tolerance: this.tolerance,
      maxIterations: this.maxIterations,
    });
    this.model = {
      theta: result.x,
      iterations: result.iterations,
      converged: result.converged,
    };
    return this;
  }

  get weights(): Float64Array {
    const { theta } = this.fitted();
    return theta.slice(0, theta.length - 1);
  }
  get intercept(): number {
    const { theta } = this.fitted();
    return theta[theta.length - 1]!;
  }
  /** L-BFGS iterations taken, and whether it reached the tolerance within maxIterations. */
  get convergence(): { iterations: number; converged: boolean } {
    const { iterations, converged } = this.fitted();
    return { iterations, converged };
  }

  /** P(y = 1) for each row. */
  predictProba(x: SparseRows): Float64Array {
    const { theta } = this.fitted();
    if (x.cols !== theta.length - 1)
      throw new RangeError(
        `LogisticRegression: rows have ${x.cols} columns, the model was fitted on ${theta.length - 1}`,
      );
    const out = new Float64Array(x.rows);
    scores(x, theta, out);
    return out.map((s) => 1 / (1 + Math.exp(-s)));
  }

  predict(x: SparseRows): number[] {
    return Array.from(this.predictProba(x), (p) => (p > 0.5 ? 1 : 0));
  }

  private fitted() {
    if (!this.model) throw new Error('LogisticRegression: call fit(x, labels) before predicting');
    return this.model;
  }
}

/** out[r] = w·x_r + b for θ = [w, b]. */
function scores(x: SparseRows, theta: Float64Array, out: Float64Array): void {
  const b = theta[x.cols]!;
  for (let r = 0; r < x.rows; r++) {
    let s = b;
    for (let k = x.indptr[r]!; k < x.indptr[r + 1]!; k++) s += theta[x.indices[k]!]! * x.data[k]!;
    out[r] = s;
  }
}
