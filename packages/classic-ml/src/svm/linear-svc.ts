import { Rng } from '@mle/tensor';
import type { Classifier, ModelJson } from '../core/estimator.js';
import { encodeLabels, labelsOfArgmax } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';

export interface LinearSVCParams {
  /** Hinge-loss weight: minimises ½‖w‖² + C·Σ max(0, 1 − y·(w·x + b)) (default 1). */
  C: number;
  /** The intercept is learned as the weight of a constant feature of this value, penalised with the rest (liblinear). */
  interceptScaling: number;
  /** Passes over the rows at most (default 1000). */
  maxIter: number;
  /** Stop when the projected gradient's spread over a pass is ≤ tol (default 1e-4). */
  tol: number;
  /** The order rows are visited each pass. */
  seed: number;
}

/**
 * Linear support vector classification by dual coordinate descent (Hsieh et al. 2008, the algorithm of liblinear):
 * the dual max Σα − ½‖Σα_i·y_i·x_i‖² over 0 ≤ α ≤ C is solved one α at a time in closed form, keeping w = Σα_i·y_i·x_i
 * up to date, so a pass costs one sweep over the data. Several classes: one against the rest, as LinearSVC.
 */
export class LinearSVC implements Classifier<LinearSVCParams> {
  readonly params: Readonly<LinearSVCParams>;
  classes: Float64Array = new Float64Array(0);
  /** One row per binary problem (one for two classes): d weights, then the intercept. */
  weights: Matrix | undefined;
  iterations = 0;

  constructor(params: Partial<LinearSVCParams> = {}) {
    this.params = { C: 1, interceptScaling: 1, maxIter: 1000, tol: 1e-4, seed: 0, ...params };
    if (!(this.params.C > 0)) throw new RangeError(`LinearSVC: C must be > 0, got ${this.params.C}`);
  }

  withParams(changes: Partial<LinearSVCParams>): LinearSVC {
    return new LinearSVC({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, 'LinearSVC.fit');
    const { classes, codes } = encodeLabels(y, m.rows, 'LinearSVC.fit');
    this.classes = classes;
    const problems = classes.length === 2 ? 1 : classes.length;
    const W = new Matrix(problems, m.cols + 1);
    const rng = new Rng(this.params.seed);
    this.iterations = 0;
    for (let k = 0; k < problems; k++) {
      const positive = problems === 1 ? 1 : k;
      const signs = Float64Array.from(codes, (c) => (c === positive ? 1 : -1));
      const { w, passes } = this.dualCoordinateDescent(m, signs, rng);
      W.data.set(w, k * (m.cols + 1));
      this.iterations = Math.max(this.iterations, passes);
    }
    this.weights = W;
    return this;
  }

  private dualCoordinateDescent(m: Matrix, y: Float64Array, rng: Rng): { w: Float64Array; passes: number } {
    const { rows: n, cols: d, data } = m;
    const { C, interceptScaling: s, maxIter, tol } = this.params;
    const w = new Float64Array(d + 1); // the last weight multiplies the constant feature s
    const alpha = new Float64Array(n);
    const Q = new Float64Array(n); // x_i·x_i including the constant feature
    for (let i = 0; i < n; i++) {
      let q = s * s;
      for (let j = 0; j < d; j++) q += data[i * d + j]! ** 2;
      Q[i] = q;
    }
    let passes = maxIter;
    for (let pass = 0; pass < maxIter; pass++) {
      let maxPG = Number.NEGATIVE_INFINITY;
      let minPG = Number.POSITIVE_INFINITY;
      for (const i of rng.permutation(n).data as Iterable<number>) {
        let margin = w[d]! * s;
        for (let j = 0; j < d; j++) margin += w[j]! * data[i * d + j]!;
        const G = y[i]! * margin - 1;
        // Projected gradient: at a bound, only a move into the box counts.
        const a = alpha[i]!;
        const PG = a === 0 ? Math.min(G, 0) : a === C ? Math.max(G, 0) : G;
        maxPG = Math.max(maxPG, PG);
        minPG = Math.min(minPG, PG);
        if (PG === 0) continue;
        const next = Math.min(Math.max(a - G / Q[i]!, 0), C);
        const delta = (next - a) * y[i]!;
        alpha[i] = next;
        for (let j = 0; j < d; j++) w[j]! += delta * data[i * d + j]!;
        w[d]! += delta * s;
      }
      if (maxPG - minPG <= tol) {
        passes = pass + 1;
        break;
      }
    }
    w[d]! *= s; // the intercept itself
    return { w, passes };
  }

  /** w·x + b per binary problem: n × 1 for two classes (positive: classes[1]), n × K otherwise. */
  decisionFunction(X: Features): Matrix {
    if (!this.weights) throw notFitted('LinearSVC');
    const W = this.weights;
    const m = checkFeatureCount(toMatrix(X, 'LinearSVC.predict'), W.cols - 1, 'LinearSVC.predict');
    const d = m.cols;
    const out = new Matrix(m.rows, W.rows);
    for (let i = 0; i < m.rows; i++)
      for (let k = 0; k < W.rows; k++) {
        let s = W.data[k * (d + 1) + d]!;
        for (let j = 0; j < d; j++) s += W.data[k * (d + 1) + j]! * m.data[i * d + j]!;
        out.data[i * W.rows + k] = s;
      }
    return out;
  }

  predict(X: Features): Float64Array {
    const z = this.decisionFunction(X);
    if (z.cols === 1) return z.data.map((v) => this.classes[v > 0 ? 1 : 0]!);
    return labelsOfArgmax(z.data, z.cols, this.classes);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  toJSON(): ModelJson {
    return {
      type: 'LinearSVC',
      params: { ...this.params },
      state: this.weights ? { classes: Array.from(this.classes), weights: this.weights.toArrays() } : null,
    };
  }

  static fromJSON(json: ModelJson): LinearSVC {
    const model = new LinearSVC(json.params as Partial<LinearSVCParams>);
    if (json.state) {
      model.classes = Float64Array.from(json.state.classes as number[]);
      model.weights = Matrix.fromRows(json.state.weights as number[][]);
    }
    return model;
  }
}
