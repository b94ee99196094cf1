import { Rng } from '@mle/tensor';
import type { Classifier, ModelJson } from '../core/estimator.js';
import { encodeLabels, labelsOfArgmax } from '../core/labels.js';
import { minimizeLbfgs } from '../core/lbfgs.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';

export interface LogisticRegressionParams {
  /** Inverse L2 strength: minimises C·Σ loss + ½‖W‖², the intercepts unpenalised (default 1, as scikit-learn). */
  C: number;
  fitIntercept: boolean;
  /** 'lbfgs' (default): quasi-Newton on the whole objective; 'sgd': stochastic gradient steps, one row at a time. */
  solver: 'lbfgs' | 'sgd';
  /** lbfgs: iterations; sgd: epochs (default 1000 / 100). */
  maxIter: number;
  /** lbfgs: stop when max |∇| ≤ tol (default 1e-6). */
  tol: number;
  /** sgd: the first epoch's step, decaying as eta0 / (1 + epoch) (default 0.1). */
  eta0: number;
  /** sgd: the row order of each epoch (default 0). */
  seed: number;
}

const DEFAULTS: LogisticRegressionParams = {
  C: 1,
  fitIntercept: true,
  solver: 'lbfgs',
  maxIter: 1000,
  tol: 1e-6,
  eta0: 0.1,
  seed: 0,
};

/**
 * Logistic regression with an L2 penalty. Two classes: one weight vector, P(y = classes[1]) = σ(x·w + b).
 * More: multinomial (softmax over K weight vectors, as scikit-learn's lbfgs solver), P(k) ∝ exp(x·w_k + b_k).
 * Parameters are packed as K rows of (d weights, intercept), K = 1 for two classes.
 */
export class LogisticRegression implements Classifier<LogisticRegressionParams> {
  readonly params: Readonly<LogisticRegressionParams>;
  classes: Float64Array = new Float64Array(0);
  /** K × (d + 1): row k is class k's weights then its intercept (K = 1 for two classes). */
  weights: Matrix | undefined;
  iterations = 0;
  converged = false;

  constructor(params: Partial<LogisticRegressionParams> = {}) {
    const maxIter = params.maxIter ?? (params.solver === 'sgd' ? 100 : DEFAULTS.maxIter);
    this.params = { ...DEFAULTS, ...params, maxIter };
    const { C, solver } = this.params;
    if (!(C > 0)) throw new RangeError(`LogisticRegression: C must be > 0, got ${C}`);
    if (solver !== 'lbfgs' && solver !== 'sgd')
      throw new RangeError(`LogisticRegression: solver must be 'lbfgs' or 'sgd', got ${solver}`);
  }

  withParams(changes: Partial<LogisticRegressionParams>): LogisticRegression {
    return new LogisticRegression({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, 'LogisticRegression.fit');
    const { classes, codes } = encodeLabels(y, m.rows, 'LogisticRegression.fit');
    this.classes = classes;
    const K = classes.length === 2 ? 1 : classes.length;
    const objective = new LogisticObjective(m, codes, K, this.params.C, this.params.fitIntercept);
    const w0 = new Float64Array(K * (m.cols + 1));
    let w: Float64Array;
    if (this.params.solver === 'lbfgs') {
      const result = minimizeLbfgs((w, g) => objective.valueAndGradient(w, g), w0, {
        tolerance: this.params.tol,
        maxIterations: this.params.maxIter,
      });
      w = result.x;
      this.iterations = result.iterations;
      this.converged = result.converged;
    } else {
      w = objective.sgd(w0, this.params.maxIter, this.params.eta0, new Rng(this.params.seed));
      this.iterations = this.params.maxIter;
      this.converged = false;
    }
    this.weights = new Matrix(K, m.cols + 1, w);
    return this;
  }

  /** The linear scores x·w_k + b_k: n × 1 for two classes (the positive class's log-odds), n × K otherwise. */
  decisionFunction(X: Features): Matrix {
    const W = this.fitted();
    const m = checkFeatureCount(
      toMatrix(X, 'LogisticRegression.predict'),
      W.cols - 1,
      'LogisticRegression.predict',
    );
    return scores(m, W.data, W.rows, this.params.fitIntercept);
  }

  predictProba(X: Features): Matrix {
    const z = this.decisionFunction(X);
    const K = this.classes.length;
    const out = new Matrix(z.rows, K);
    for (let i = 0; i < z.rows; i++) {
      if (K === 2) {
        const p = sigmoid(z.data[i]!);
        out.data[2 * i] = 1 - p;
        out.data[2 * i + 1] = p;
      } else softmaxInto(z.data, i * K, K, out.data);
    }
    return out;
  }

  predict(X: Features): Float64Array {
    const z = this.decisionFunction(X);
    if (this.classes.length > 2) return labelsOfArgmax(z.data, z.cols, this.classes);
    return z.data.map((s) => this.classes[s > 0 ? 1 : 0]!);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  toJSON(): ModelJson {
    return {
      type: 'LogisticRegression',
      params: { ...this.params },
      state: this.weights
        ? {
            classes: Array.from(this.classes),
            rows: this.weights.rows,
            weights: Array.from(this.weights.data),
          }
        : null,
    };
  }

  static fromJSON(json: ModelJson): LogisticRegression {
    const model = new LogisticRegression(json.params as Partial<LogisticRegressionParams>);
    if (json.state) {
      model.classes = Float64Array.from(json.state.classes as number[]);
      const w = Float64Array.from(json.state.weights as number[]);
      const rows = json.state.rows as number;
      model.weights = new Matrix(rows, w.length / rows, w);
    }
    return model;
  }

  private fitted(): Matrix {
    if (!this.weights) throw notFitted('LogisticRegression');
    return this.weights;
  }
}

const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** log(1 + e^z) without overflow. */
const softplus = (z: number) => (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));

function softmaxInto(z: Float64Array, at: number, K: number, out: Float64Array): number {
  let top = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) top = Math.max(top, z[at + k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) {
    const e = Math.exp(z[at + k]! - top);
    out[at + k] = e;
    sum += e;
  }
  for (let k = 0; k < K; k++) out[at + k]! /= sum;
  return top + Math.log(sum);
}

function scores(X: Matrix, w: Float64Array, K: number, intercept: boolean): Matrix {
  const { rows: n, cols: d, data } = X;
  const out = new Matrix(n, K);
  for (let i = 0; i < n; i++)
    for (let k = 0; k < K; k++) {
      const o = k * (d + 1);
      let s = intercept ? w[o + d]! : 0;
      for (let j = 0; j < d; j++) s += data[i * d + j]! * w[o + j]!;
      out.data[i * K + k] = s;
    }
  return out;
}

/** C·Σ_i loss_i + ½‖W‖² and its gradient, for K = 1 (binary, labels 0/1) or K classes (softmax). */
class LogisticObjective {
  constructor(
    private readonly X: Matrix,
    private readonly codes: Int32Array,
    private readonly K: number,
    private readonly C: number,
    private readonly fitIntercept: boolean,
  ) {}

  valueAndGradient(w: Float64Array, g: Float64Array): number {
    const { X, codes, K, C } = this;
    const { rows: n, cols: d, data } = X;
    const z = scores(X, w, K, this.fitIntercept).data;
    g.fill(0);
    let loss = 0;
    const p = new Float64Array(K);
    for (let i = 0; i < n; i++) {
      if (K === 1) {
        const zi = z[i]!;
        const yi = codes[i]!;
        loss += softplus(zi) - yi * zi;
        p[0] = sigmoid(zi) - yi;
      } else {
        const zTrue = z[i * K + codes[i]!]!;
        loss += softmaxInto(z, i * K, K, z) - zTrue; // z's row now holds the probabilities
        for (let k = 0; k < K; k++) p[k] = z[i * K + k]! - (codes[i] === k ? 1 : 0);
      }
      for (let k = 0; k < K; k++) {
        const r = p[k]!;
        if (r === 0) continue;
        const o = k * (d + 1);
        for (let j = 0; j < d; j++) g[o + j]! += r * data[i * d + j]!;
        if (this.fitIntercept) g[o + d]! += r;
      }
    }
    let value = C * loss;
    for (let k = 0; k < K; k++) {
      const o = k * (d + 1);
      for (let j = 0; j < d; j++) {
        g[o + j] = C * g[o + j]! + w[o + j]!;
        value += 0.5 * w[o + j]! ** 2;
      }
      g[o + d] = C * g[o + d]!;
    }
    return value;
  }

  /**
   * Stochastic gradient descent on the same objective divided by C·n: per row, the loss's gradient plus
   * W/(C·n) of the penalty, with the step eta0/(1 + epoch) and a fresh seeded row order each epoch.
   */
  sgd(w: Float64Array, epochs: number, eta0: number, rng: Rng): Float64Array {
    const { X, codes, K } = this;
    const { rows: n, cols: d, data } = X;
    const decay = 1 / (this.C * n);
    const z = new Float64Array(K);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const eta = eta0 / (1 + epoch);
      for (const i of rng.permutation(n).data as Iterable<number>) {
        for (let k = 0; k < K; k++) {
          const o = k * (d + 1);
          let s = this.fitIntercept ? w[o + d]! : 0;
          for (let j = 0; j < d; j++) s += data[i * d + j]! * w[o + j]!;
          z[k] = s;
        }
        if (K === 1) z[0] = sigmoid(z[0]!) - codes[i]!;
        else {
          softmaxInto(z, 0, K, z);
          z[codes[i]!]! -= 1;
        }
        for (let k = 0; k < K; k++) {
          const o = k * (d + 1);
          const r = z[k]!;
          for (let j = 0; j < d; j++) w[o + j]! -= eta * (r * data[i * d + j]! + decay * w[o + j]!);
          if (this.fitIntercept) w[o + d]! -= eta * r;
        }
      }
    }
    return w;
  }
}
