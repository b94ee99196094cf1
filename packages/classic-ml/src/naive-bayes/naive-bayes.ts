import type { Classifier, ModelJson } from '../core/estimator.js';
import { encodeLabels, labelsOfArgmax } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { columnMoments } from '../preprocessing/scalers.js';

/**
 * Naive Bayes: P(c | x) ∝ P(c)·Π_j P(x_j | c), features independent given the class, scored in logs. The two
 * kinds differ only in P(x_j | c).
 */
abstract class NaiveBayes<P extends object> implements Classifier<P> {
  abstract readonly params: Readonly<P>;
  classes: Float64Array = new Float64Array(0);
  /** log P(c) per class. */
  classLogPrior: Float64Array | undefined;
  protected abstract readonly name: string;
  protected features = 0;
  abstract withParams(changes: Partial<P>): NaiveBayes<P>;
  /** Learns P(x_j | c) from the rows of each class. */
  protected abstract fitLikelihood(m: Matrix, codes: Int32Array, counts: Int32Array): void;
  /** log P(x | c) for one row and class. */
  protected abstract logLikelihood(row: Float64Array, c: number): number;
  protected abstract likelihoodState(): Record<string, unknown>;
  protected abstract restoreLikelihood(state: Record<string, unknown>): void;

  fit(X: Features, y: ArrayLike<number>): this {
    const m = this.checked(X, `${this.name}.fit`);
    const { classes, codes } = encodeLabels(y, m.rows, `${this.name}.fit`);
    const counts = new Int32Array(classes.length);
    for (const c of codes) counts[c]!++;
    this.classes = classes;
    this.features = m.cols;
    this.classLogPrior = Float64Array.from(counts, (n) => Math.log(n / m.rows));
    this.fitLikelihood(m, codes, counts);
    return this;
  }

  /** log P(c) + log P(x | c), n × classes. */
  jointLogLikelihood(X: Features): Matrix {
    if (!this.classLogPrior) throw notFitted(this.name);
    const where = `${this.name}.predict`;
    const m = checkFeatureCount(this.checked(X, where), this.features, where);
    const K = this.classes.length;
    const out = new Matrix(m.rows, K);
    for (let i = 0; i < m.rows; i++)
      for (let c = 0; c < K; c++)
        out.data[i * K + c] = this.classLogPrior[c]! + this.logLikelihood(m.row(i), c);
    return out;
  }

  predictProba(X: Features): Matrix {
    const joint = this.jointLogLikelihood(X);
    const K = joint.cols;
    for (let i = 0; i < joint.rows; i++) {
      let top = Number.NEGATIVE_INFINITY;
      for (let c = 0; c < K; c++) top = Math.max(top, joint.data[i * K + c]!);
      let sum = 0;
      for (let c = 0; c < K; c++) sum += joint.data[i * K + c] = Math.exp(joint.data[i * K + c]! - top);
      for (let c = 0; c < K; c++) joint.data[i * K + c]! /= sum;
    }
    return joint;
  }

  predict(X: Features): Float64Array {
    const joint = this.jointLogLikelihood(X);
    return labelsOfArgmax(joint.data, joint.cols, this.classes);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  protected checked(X: Features, where: string): Matrix {
    return toMatrix(X, where);
  }

  toJSON(): ModelJson {
    return {
      type: this.name,
      params: { ...this.params },
      state: this.classLogPrior
        ? {
            classes: Array.from(this.classes),
            features: this.features,
            classLogPrior: Array.from(this.classLogPrior),
            ...this.likelihoodState(),
          }
        : null,
    };
  }

  protected restore(json: ModelJson): this {
    const s = json.state;
    if (s) {
      this.classes = Float64Array.from(s.classes as number[]);
      this.features = s.features as number;
      this.classLogPrior = Float64Array.from(s.classLogPrior as number[]);
      this.restoreLikelihood(s);
    }
    return this;
  }
}

export interface GaussianNBParams {
  /** Added to every variance: this × the largest feature variance (default 1e-9, as scikit-learn). */
  varSmoothing: number;
}

/** Gaussian naive Bayes: x_j | c ~ N(θ_cj, σ²_cj), means and (population) variances per class and feature. */
export class GaussianNB extends NaiveBayes<GaussianNBParams> {
  protected readonly name = 'GaussianNB';
  readonly params: Readonly<GaussianNBParams>;
  /** classes × features. */
  theta: Matrix | undefined;
  variance: Matrix | undefined;

  constructor(params: Partial<GaussianNBParams> = {}) {
    super();
    this.params = { varSmoothing: 1e-9, ...params };
    if (!(this.params.varSmoothing >= 0))
      throw new RangeError(`GaussianNB: varSmoothing must be ≥ 0, got ${this.params.varSmoothing}`);
  }

  withParams(changes: Partial<GaussianNBParams>): GaussianNB {
    return new GaussianNB({ ...this.params, ...changes });
  }

  protected fitLikelihood(m: Matrix, codes: Int32Array, counts: Int32Array): void {
    const K = counts.length;
    const d = m.cols;
    const theta = new Matrix(K, d);
    const variance = new Matrix(K, d);
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < d; j++) theta.data[codes[i]! * d + j]! += m.data[i * d + j]!;
    for (let c = 0; c < K; c++) for (let j = 0; j < d; j++) theta.data[c * d + j]! /= counts[c]!;
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < d; j++)
        variance.data[codes[i]! * d + j]! += (m.data[i * d + j]! - theta.get(codes[i]!, j)) ** 2;
    // ε = varSmoothing × the largest variance of any feature over all rows.
    const epsilon = this.params.varSmoothing * Math.max(...columnMoments(m).variance);
    for (let c = 0; c < K; c++)
      for (let j = 0; j < d; j++) variance.data[c * d + j] = variance.data[c * d + j]! / counts[c]! + epsilon;
    this.theta = theta;
    this.variance = variance;
  }

  protected logLikelihood(row: Float64Array, c: number): number {
    const d = row.length;
    let s = 0;
    for (let j = 0; j < d; j++) {
      const v = this.variance!.data[c * d + j]!;
      s -= 0.5 * (Math.log(2 * Math.PI * v) + (row[j]! - this.theta!.data[c * d + j]!) ** 2 / v);
    }
    return s;
  }

  protected likelihoodState() {
    return { theta: this.theta!.toArrays(), variance: this.variance!.toArrays() };
  }

  protected restoreLikelihood(s: Record<string, unknown>): void {
    this.theta = Matrix.fromRows(s.theta as number[][]);
    this.variance = Matrix.fromRows(s.variance as number[][]);
  }

  static fromJSON(json: ModelJson): GaussianNB {
    return new GaussianNB(json.params as Partial<GaussianNBParams>).restore(json);
  }
}

export interface MultinomialNBParams {
  /** Additive smoothing of the feature counts (default 1: Laplace). */
  alpha: number;
}

/**
 * Multinomial naive Bayes over count features (word counts, TF-IDF weights): P(x | c) ∝ Π_j θ_cj^x_j with
 * θ_cj = (N_cj + α) / (N_c + α·d), N_cj the sum of feature j over class c's rows. Features must be ≥ 0.
 */
export class MultinomialNB extends NaiveBayes<MultinomialNBParams> {
  protected readonly name = 'MultinomialNB';
  readonly params: Readonly<MultinomialNBParams>;
  /** classes × features: log θ_cj. */
  featureLogProb: Matrix | undefined;

  constructor(params: Partial<MultinomialNBParams> = {}) {
    super();
    this.params = { alpha: 1, ...params };
    if (!(this.params.alpha > 0))
      throw new RangeError(`MultinomialNB: alpha must be > 0, got ${this.params.alpha}`);
  }

  withParams(changes: Partial<MultinomialNBParams>): MultinomialNB {
    return new MultinomialNB({ ...this.params, ...changes });
  }

  protected override checked(X: Features, where: string): Matrix {
    const m = toMatrix(X, where);
    for (let k = 0; k < m.data.length; k++)
      if (m.data[k]! < 0)
        throw new RangeError(
          `${where}: X[${Math.floor(k / m.cols)}][${k % m.cols}] is ${m.data[k]}; multinomial naive Bayes needs counts ≥ 0`,
        );
    return m;
  }

  protected fitLikelihood(m: Matrix, codes: Int32Array, counts: Int32Array): void {
    const K = counts.length;
    const d = m.cols;
    const logProb = new Matrix(K, d);
    for (let i = 0; i < m.rows; i++)
      for (let j = 0; j < d; j++) logProb.data[codes[i]! * d + j]! += m.data[i * d + j]!;
    for (let c = 0; c < K; c++) {
      let total = 0;
      for (let j = 0; j < d; j++) total += logProb.data[c * d + j]! + this.params.alpha;
      for (let j = 0; j < d; j++)
        logProb.data[c * d + j] = Math.log((logProb.data[c * d + j]! + this.params.alpha) / total);
    }
    this.featureLogProb = logProb;
  }

  protected logLikelihood(row: Float64Array, c: number): number {
    const d = row.length;
    let s = 0;
    for (let j = 0; j < d; j++) if (row[j] !== 0) s += row[j]! * this.featureLogProb!.data[c * d + j]!;
    return s;
  }

  protected likelihoodState() {
    return { featureLogProb: this.featureLogProb!.toArrays() };
  }

  protected restoreLikelihood(s: Record<string, unknown>): void {
    this.featureLogProb = Matrix.fromRows(s.featureLogProb as number[][]);
  }

  static fromJSON(json: ModelJson): MultinomialNB {
    return new MultinomialNB(json.params as Partial<MultinomialNBParams>).restore(json);
  }
}
