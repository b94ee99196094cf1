import type { Classifier, ModelJson } from '../core/estimator.js';
import { encodeLabels } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { columnMoments } from '../preprocessing/scalers.js';
import { KernelRows, solveSmo } from './smo.js';

export interface SVCParams {
  /** Box constraint on the dual: the hinge loss's weight (default 1). */
  C: number;
  /** 'rbf' (default): exp(−γ‖x − x′‖²); 'linear': x·x′; 'poly': (γ·x·x′ + coef0)^degree. */
  kernel: 'rbf' | 'linear' | 'poly';
  /** γ: 'scale' (default) = 1 / (features · Var(X)), 'auto' = 1 / features, or a number. */
  gamma: 'scale' | 'auto' | number;
  degree: number;
  coef0: number;
  /** Stop when the largest KKT violation ≤ tol (default 1e-3, as libsvm). */
  tol: number;
  maxIter: number;
  /** Kernel rows kept in memory, in MiB (default 200, as scikit-learn). */
  cacheSize: number;
}

interface BinaryMachine {
  /** The two classes (indices into `classes`): +1 is `positive`. */
  positive: number;
  negative: number;
  /** Support vectors (rows of the training data) and their α_i·y_i. */
  support: number[];
  coef: number[];
  rho: number;
}

/**
 * Kernel support vector classification: the C-SVC dual solved by SMO (see smo.ts). More than two classes: one
 * machine per pair of classes, the prediction by their votes (one-against-one, as libsvm and scikit-learn's SVC).
 */
export class SVC implements Classifier<SVCParams> {
  readonly params: Readonly<SVCParams>;
  classes: Float64Array = new Float64Array(0);
  machines: BinaryMachine[] = [];
  /** The training rows that are a support vector of some machine. */
  supportVectors: Matrix | undefined;
  private gammaValue = 0;

  constructor(params: Partial<SVCParams> = {}) {
    this.params = {
      C: 1,
      kernel: 'rbf',
      gamma: 'scale',
      degree: 3,
      coef0: 0,
      tol: 1e-3,
      maxIter: 1_000_000,
      cacheSize: 200,
      ...params,
    };
    const { C, kernel, gamma } = this.params;
    if (!(C > 0)) throw new RangeError(`SVC: C must be > 0, got ${C}`);
    if (!['rbf', 'linear', 'poly'].includes(kernel))
      throw new RangeError(`SVC: kernel must be 'rbf', 'linear' or 'poly', got ${kernel}`);
    if (gamma !== 'scale' && gamma !== 'auto' && !(typeof gamma === 'number' && gamma > 0))
      throw new RangeError(`SVC: gamma must be 'scale', 'auto' or a number > 0, got ${gamma}`);
  }

  withParams(changes: Partial<SVCParams>): SVC {
    return new SVC({ ...this.params, ...changes });
  }

  private kernelOf(a: Float64Array, ao: number, b: Float64Array, bo: number, d: number): number {
    const { kernel, degree, coef0 } = this.params;
    if (kernel === 'rbf') {
      let s = 0;
      for (let j = 0; j < d; j++) {
        const t = a[ao + j]! - b[bo + j]!;
        s += t * t;
      }
      return Math.exp(-this.gammaValue * s);
    }
    let dot = 0;
    for (let j = 0; j < d; j++) dot += a[ao + j]! * b[bo + j]!;
    return kernel === 'linear' ? dot : (this.gammaValue * dot + coef0) ** degree;
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, 'SVC.fit');
    const { classes, codes } = encodeLabels(y, m.rows, 'SVC.fit');
    const d = m.cols;
    const { gamma } = this.params;
    if (gamma === 'scale') {
      const { variance, mean } = columnMoments(m);
      // Var of all the values of X together: the mean of the column variances plus the spread of the column means.
      const grand = mean.reduce((a, b) => a + b, 0) / d;
      let v = 0;
      for (let j = 0; j < d; j++) v += variance[j]! + (mean[j]! - grand) ** 2;
      v /= d;
      this.gammaValue = v > 0 ? 1 / (d * v) : 1;
    } else this.gammaValue = gamma === 'auto' ? 1 / d : gamma;
    this.classes = classes;
    this.machines = [];
    const used = new Set<number>();
    for (let a = 0; a < classes.length; a++)
      for (let b = a + 1; b < classes.length; b++) {
        const rows: number[] = [];
        for (let i = 0; i < m.rows; i++) if (codes[i] === a || codes[i] === b) rows.push(i);
        const signs = Float64Array.from(rows, (i) => (codes[i] === a ? 1 : -1));
        const kernel = new KernelRows(
          rows.length,
          (s, t) => this.kernelOf(m.data, rows[s]! * d, m.data, rows[t]! * d, d),
          this.params.cacheSize,
        );
        const diagonal = Float64Array.from(rows, (i) => this.kernelOf(m.data, i * d, m.data, i * d, d));
        const { alpha, rho } = solveSmo(
          signs,
          kernel,
          diagonal,
          this.params.C,
          this.params.tol,
          this.params.maxIter,
        );
        const machine: BinaryMachine = { positive: a, negative: b, support: [], coef: [], rho };
        alpha.forEach((value, s) => {
          if (value <= 0) return;
          machine.support.push(rows[s]!);
          machine.coef.push(value * signs[s]!);
          used.add(rows[s]!);
        });
        this.machines.push(machine);
      }
    // Keep only the support vectors, renumbering the machines' references to them.
    const kept = [...used].sort((p, q) => p - q);
    const index = new Map(kept.map((row, k) => [row, k]));
    for (const machine of this.machines) machine.support = machine.support.map((row) => index.get(row)!);
    this.supportVectors = m.selectRows(kept);
    return this;
  }

  /** Each pair's decision value Σ α_i·y_i·K(x_i, x) − ρ, n × pairs, pairs in the order (0,1), (0,2), …, (1,2), …. */
  decisionFunction(X: Features): Matrix {
    const sv = this.supportVectors;
    if (!sv) throw notFitted('SVC');
    const q = checkFeatureCount(toMatrix(X, 'SVC.predict'), sv.cols, 'SVC.predict');
    const d = q.cols;
    const out = new Matrix(q.rows, this.machines.length);
    const k = new Float64Array(sv.rows);
    for (let i = 0; i < q.rows; i++) {
      for (let s = 0; s < sv.rows; s++) k[s] = this.kernelOf(q.data, i * d, sv.data, s * d, d);
      this.machines.forEach((machine, p) => {
        let f = -machine.rho;
        for (let t = 0; t < machine.support.length; t++) f += machine.coef[t]! * k[machine.support[t]!]!;
        out.data[i * this.machines.length + p] = f;
      });
    }
    return out;
  }

  /** The class with most pairwise wins; a tie goes to the lower class (libsvm's vote). */
  predict(X: Features): Float64Array {
    const f = this.decisionFunction(X);
    const K = this.classes.length;
    const out = new Float64Array(f.rows);
    const votes = new Int32Array(K);
    for (let i = 0; i < f.rows; i++) {
      votes.fill(0);
      this.machines.forEach((machine, p) => {
        votes[f.data[i * f.cols + p]! > 0 ? machine.positive : machine.negative]!++;
      });
      let best = 0;
      for (let c = 1; c < K; c++) if (votes[c]! > votes[best]!) best = c;
      out[i] = this.classes[best]!;
    }
    return out;
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  toJSON(): ModelJson {
    return {
      type: 'SVC',
      params: { ...this.params },
      state: this.supportVectors
        ? {
            classes: Array.from(this.classes),
            gamma: this.gammaValue,
            supportVectors: this.supportVectors.toArrays(),
            machines: this.machines,
          }
        : null,
    };
  }

  static fromJSON(json: ModelJson): SVC {
    const model = new SVC(json.params as Partial<SVCParams>);
    const s = json.state;
    if (s) {
      model.classes = Float64Array.from(s.classes as number[]);
      model.gammaValue = s.gamma as number;
      model.supportVectors = Matrix.fromRows(s.supportVectors as number[][]);
      model.machines = s.machines as BinaryMachine[];
    }
    return model;
  }
}
