import { Rng } from '@mle/tensor';
import type { Classifier, ModelJson, Predictor } from '../core/estimator.js';
import { encodeLabels, labelsOfArgmax } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { checkTreeParams, fitTree, TREE_DEFAULTS, type TreeParams } from '../tree/cart.js';
import { TreeData } from '../tree/data.js';
import { Tree } from '../tree/tree.js';

export interface BoostingParams extends Omit<TreeParams, 'criterion' | 'ccpAlpha'> {
  /** Boosting rounds (default 100). */
  nEstimators: number;
  /** Shrinkage ν: each tree's contribution is scaled by it (default 0.1). */
  learningRate: number;
  /** Share of rows each round's tree is fitted on, drawn without replacement: stochastic gradient boosting (default 1). */
  subsample: number;
}

export type RegressionLoss = 'squared_error' | 'absolute_error';

const { criterion: _criterion, ccpAlpha: _ccpAlpha, ...TREE_SHAPE } = TREE_DEFAULTS;
const BOOSTING_DEFAULTS: BoostingParams = {
  ...TREE_SHAPE,
  nEstimators: 100,
  learningRate: 0.1,
  subsample: 1,
  maxDepth: 3,
};

/**
 * Gradient boosting (Friedman 2001, "Greedy function approximation"): F₀ is the best constant, and round m fits a
 * regression tree to the negative gradient of the loss at F_{m−1}, then replaces each leaf's value by the loss's own
 * best step for the rows in it (the line search of Friedman's algorithm 1) and adds ν times the tree. With
 * `maxBins` the trees find splits on histograms of binned features, as LightGBM does.
 */
abstract class Boosting<P extends BoostingParams> {
  readonly params: Readonly<P>;
  /** Trees per round: one, or one per class for multiclass log-loss. */
  trees: Tree[][] = [];
  init: Float64Array = new Float64Array(0);
  /** Training loss after each round (on the in-bag rows' predictions of all rows). */
  trainLoss: number[] = [];
  protected features = 0;
  protected abstract readonly name: string;

  constructor(params: P) {
    this.params = params;
    const where = new.target.name;
    checkTreeParams({ ...this.params, criterion: 'gini', ccpAlpha: 0 }, where);
    const { nEstimators, learningRate, subsample } = this.params;
    if (!Number.isInteger(nEstimators) || nEstimators < 1)
      throw new RangeError(`${where}: nEstimators must be a whole number ≥ 1, got ${nEstimators}`);
    if (!(learningRate > 0)) throw new RangeError(`${where}: learningRate must be > 0, got ${learningRate}`);
    if (!(subsample > 0 && subsample <= 1))
      throw new RangeError(`${where}: subsample must be in (0, 1], got ${subsample}`);
  }

  /**
   * Runs the rounds. `gradient(F, k, out)` writes the negative gradient for output k; `leafStep(rows, k)` is the
   * loss's best value for a leaf holding those rows; `loss(F)` the mean training loss.
   */
  protected boost(
    m: Matrix,
    outputs: number,
    F: Float64Array,
    gradient: (F: Float64Array, k: number, out: Float64Array) => void,
    leafStep: (rows: number[], k: number, residual: Float64Array) => number,
    loss: (F: Float64Array) => number,
  ): void {
    const n = m.rows;
    const rng = new Rng(this.params.seed);
    const residual = new Float64Array(n);
    const weights = new Float64Array(n);
    const inBag = Math.max(1, Math.round(this.params.subsample * n));
    this.features = m.cols;
    this.trees = [];
    this.trainLoss = [];
    const data = new TreeData(m);
    for (let round = 0; round < this.params.nEstimators; round++) {
      if (this.params.subsample < 1) {
        weights.fill(0);
        const order = rng.permutation(n).data as Int32Array;
        for (let p = 0; p < inBag; p++) weights[order[p]!] = 1;
      } else weights.fill(1);
      const roundTrees: Tree[] = [];
      for (let k = 0; k < outputs; k++) {
        gradient(F, k, residual);
        const tree = fitTree(data, { kind: 'regression', y: residual }, weights, {
          ...this.params,
          criterion: 'gini',
          ccpAlpha: 0,
          seed: rng.nextUint32(),
        });
        // Line search per leaf, over the leaf's in-bag rows.
        const leaves = tree.apply(m);
        const byLeaf = new Map<number, number[]>();
        for (let i = 0; i < n; i++) {
          if (weights[i] === 0) continue;
          const list = byLeaf.get(leaves[i]!);
          if (list) list.push(i);
          else byLeaf.set(leaves[i]!, [i]);
        }
        for (const [leaf, rows] of byLeaf) tree.value[leaf] = leafStep(rows, k, residual);
        for (let i = 0; i < n; i++) F[i * outputs + k]! += this.params.learningRate * tree.value[leaves[i]!]!;
        roundTrees.push(tree);
      }
      this.trees.push(roundTrees);
      this.trainLoss.push(loss(F));
    }
  }

  /**
   * F(x) after all rounds, n × outputs. With `eachRound`, it is also handed F after every round (a copy is the
   * caller's to make), so staged predictions cost one pass over the trees, not one per round.
   */
  protected raw(X: Features, eachRound?: (F: Float64Array) => void): { F: Float64Array; rows: number } {
    if (this.trees.length === 0) throw notFitted(this.name);
    const where = `${this.name}.predict`;
    const m = checkFeatureCount(toMatrix(X, where), this.features, where);
    const K = this.init.length;
    const F = new Float64Array(m.rows * K);
    for (let i = 0; i < m.rows; i++) F.set(this.init, i * K);
    for (const round of this.trees) {
      for (let k = 0; k < K; k++) {
        const out = round[k]!.predict(m);
        for (let i = 0; i < m.rows; i++) F[i * K + k]! += this.params.learningRate * out[i]!;
      }
      eachRound?.(F);
    }
    return { F, rows: m.rows };
  }

  get featureImportances(): Float64Array {
    if (this.trees.length === 0) throw notFitted(this.name);
    const out = new Float64Array(this.features);
    const all = this.trees.flat();
    for (const tree of all) {
      const imp = tree.featureImportances(this.features);
      for (let j = 0; j < out.length; j++) out[j]! += imp[j]! / all.length;
    }
    return out;
  }

  protected baseJson(extra: Record<string, unknown>): ModelJson {
    return {
      type: this.name,
      params: { ...this.params },
      state:
        this.trees.length > 0
          ? {
              features: this.features,
              init: Array.from(this.init),
              trainLoss: this.trainLoss,
              trees: this.trees.map((round) => round.map((t) => t.toJSON())),
              ...extra,
            }
          : null,
    };
  }

  protected restore(json: ModelJson): void {
    const s = json.state;
    if (!s) return;
    this.features = s.features as number;
    this.init = Float64Array.from(s.init as number[]);
    this.trainLoss = s.trainLoss as number[];
    this.trees = (s.trees as ReturnType<Tree['toJSON']>[][]).map((round) =>
      round.map((t) => Tree.fromJSON(t)),
    );
  }
}

export interface GradientBoostingRegressorParams extends BoostingParams {
  /** 'squared_error' (default): leaves take the residuals' mean; 'absolute_error': their (lower) median. */
  loss: RegressionLoss;
}

export class GradientBoostingRegressor
  extends Boosting<GradientBoostingRegressorParams>
  implements Predictor<GradientBoostingRegressorParams>
{
  protected readonly name = 'GradientBoostingRegressor';

  constructor(params: Partial<GradientBoostingRegressorParams> = {}) {
    super({ ...BOOSTING_DEFAULTS, loss: 'squared_error', ...params });
    if (this.params.loss !== 'squared_error' && this.params.loss !== 'absolute_error')
      throw new RangeError(
        `GradientBoostingRegressor: loss must be 'squared_error' or 'absolute_error', got ${this.params.loss}`,
      );
  }

  withParams(changes: Partial<GradientBoostingRegressorParams>): GradientBoostingRegressor {
    return new GradientBoostingRegressor({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    const target = toVector(y, m.rows, `${this.name}.fit`);
    const absolute = this.params.loss === 'absolute_error';
    const start = absolute ? median(Array.from(target)) : target.reduce((a, b) => a + b, 0) / target.length;
    this.init = Float64Array.of(start);
    const F = new Float64Array(m.rows).fill(start);
    this.boost(
      m,
      1,
      F,
      (F, _k, out) => {
        // −∂L/∂F: y − F for squared error, sign(y − F) for absolute error.
        for (let i = 0; i < F.length; i++)
          out[i] = absolute ? Math.sign(target[i]! - F[i]!) : target[i]! - F[i]!;
      },
      (rows, _k, residual) =>
        absolute
          ? median(rows.map((i) => target[i]! - F[i]!))
          : rows.reduce((s, i) => s + residual[i]!, 0) / rows.length,
      (F) => {
        let s = 0;
        for (let i = 0; i < F.length; i++)
          s += absolute ? Math.abs(target[i]! - F[i]!) : (target[i]! - F[i]!) ** 2;
        return absolute ? s / F.length : s / (2 * F.length);
      },
    );
    return this;
  }

  predict(X: Features): Float64Array {
    return this.raw(X).F;
  }

  /** Predictions after each round: element r is after r + 1 rounds (a learning curve's x axis). */
  stagedPredict(X: Features): Float64Array[] {
    const stages: Float64Array[] = [];
    this.raw(X, (F) => stages.push(F.slice()));
    return stages;
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  toJSON(): ModelJson {
    return this.baseJson({});
  }

  static fromJSON(json: ModelJson): GradientBoostingRegressor {
    const model = new GradientBoostingRegressor(json.params as Partial<GradientBoostingRegressorParams>);
    model.restore(json);
    return model;
  }
}

/**
 * Gradient boosting with log-loss: two classes boost one log-odds F with p = σ(F); K > 2 classes boost K scores
 * with p = softmax(F), one tree per class per round. Leaf steps are Friedman's one Newton step: Σr / Σp(1 − p) for
 * two classes, (K − 1)/K · Σr / Σ|r|(1 − |r|) for K.
 */
export class GradientBoostingClassifier
  extends Boosting<BoostingParams>
  implements Classifier<BoostingParams>
{
  protected readonly name = 'GradientBoostingClassifier';
  classes: Float64Array = new Float64Array(0);

  constructor(params: Partial<BoostingParams> = {}) {
    super({ ...BOOSTING_DEFAULTS, ...params });
  }

  withParams(changes: Partial<BoostingParams>): GradientBoostingClassifier {
    return new GradientBoostingClassifier({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    const { classes, codes } = encodeLabels(y, m.rows, `${this.name}.fit`);
    this.classes = classes;
    const n = m.rows;
    const K = classes.length === 2 ? 1 : classes.length;
    const prior = new Float64Array(classes.length);
    for (const c of codes) prior[c]! += 1 / n;
    // F₀: the log-odds of the prior for two classes, the log priors for more.
    this.init = K === 1 ? Float64Array.of(Math.log(prior[1]! / prior[0]!)) : prior.map(Math.log);
    const F = new Float64Array(n * K);
    for (let i = 0; i < n; i++) F.set(this.init, i * K);
    const p = new Float64Array(n * K);
    const probabilities = (F: Float64Array) => {
      for (let i = 0; i < n; i++) toProbabilities(F, i, K, p);
    };
    const isClass = (i: number, k: number) => (K === 1 ? codes[i]! : codes[i] === k ? 1 : 0);
    this.boost(
      m,
      K,
      F,
      (F, k, out) => {
        if (k === 0) probabilities(F); // the K trees of a round share the round's probabilities
        for (let i = 0; i < n; i++) out[i] = isClass(i, k) - p[i * K + k]!;
      },
      (rows, _k, residual) => {
        let numerator = 0;
        let denominator = 0;
        for (const i of rows) {
          numerator += residual[i]!;
          const q = K === 1 ? p[i]! : Math.abs(residual[i]!);
          denominator += q * (1 - q);
        }
        const scale = K === 1 ? 1 : (K - 1) / K;
        return denominator < 1e-150 ? 0 : (scale * numerator) / denominator;
      },
      (F) => {
        probabilities(F);
        let s = 0;
        for (let i = 0; i < n; i++) {
          const q = K === 1 ? (codes[i] === 1 ? p[i]! : 1 - p[i]!) : p[i * K + codes[i]!]!;
          s -= Math.log(Math.max(q, 1e-300));
        }
        return s / n;
      },
    );
    return this;
  }

  predictProba(X: Features): Matrix {
    const { F, rows } = this.raw(X);
    return this.probabilityMatrix(F, rows);
  }

  /** Class probabilities after each round (for learning curves). */
  stagedPredictProba(X: Features): Matrix[] {
    const stages: Matrix[] = [];
    this.raw(X, (F) => stages.push(this.probabilityMatrix(F, F.length / this.init.length)));
    return stages;
  }

  private probabilityMatrix(F: Float64Array, rows: number): Matrix {
    const K = this.init.length;
    const out = new Matrix(rows, this.classes.length);
    const p = new Float64Array(K);
    for (let i = 0; i < rows; i++) {
      toProbabilities(F.subarray(i * K, (i + 1) * K), 0, K, p);
      if (K === 1) {
        out.data[2 * i] = 1 - p[0]!;
        out.data[2 * i + 1] = p[0]!;
      } else out.data.set(p, i * K);
    }
    return out;
  }

  predict(X: Features): Float64Array {
    return labelsOfArgmax(this.predictProba(X).data, this.classes.length, this.classes);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  toJSON(): ModelJson {
    return this.baseJson({ classes: Array.from(this.classes) });
  }

  static fromJSON(json: ModelJson): GradientBoostingClassifier {
    const model = new GradientBoostingClassifier(json.params as Partial<BoostingParams>);
    model.restore(json);
    if (json.state) model.classes = Float64Array.from(json.state.classes as number[]);
    return model;
  }
}

/** σ(F) for one score, softmax for K, written to p[i·K …]. */
function toProbabilities(F: Float64Array, i: number, K: number, p: Float64Array): void {
  if (K === 1) {
    const f = F[i]!;
    p[i] = f >= 0 ? 1 / (1 + Math.exp(-f)) : Math.exp(f) / (1 + Math.exp(f));
    return;
  }
  let top = Number.NEGATIVE_INFINITY;
  for (let k = 0; k < K; k++) top = Math.max(top, F[i * K + k]!);
  let sum = 0;
  for (let k = 0; k < K; k++) sum += p[i * K + k] = Math.exp(F[i * K + k]! - top);
  for (let k = 0; k < K; k++) p[i * K + k]! /= sum;
}

/**
 * A median as scikit-learn's weighted percentile takes it (unit weights): the smallest value whose cumulative count
 * reaches half, so the lower of the two middle values for an even count. Any value between them minimises the
 * absolute loss; this one keeps the fits equal to scikit-learn's.
 */
function median(values: number[]): number {
  values.sort((a, b) => a - b);
  return values[Math.ceil(values.length / 2) - 1]!;
}

/**
 * A loss given by its derivatives, for boosting a custom objective (a ranking loss, say): `derivatives(F, g, h)`
 * writes ∂L/∂Fᵢ into g and ∂²L/∂Fᵢ² (or a positive stand-in for it) into h, at the current scores F.
 */
export interface BoostingObjective {
  derivatives(F: Float64Array, gradient: Float64Array, hessian: Float64Array): void;
  /** The training loss at F, recorded after each round; optional. */
  loss?(F: Float64Array): number;
}

/**
 * Gradient boosting of any twice-differentiable objective, with Newton leaf values: each round fits a regression
 * tree to the negative gradient, then sets each leaf to Σ(−gᵢ) / Σhᵢ over its rows, one Newton step on the
 * objective restricted to the leaf (as LambdaMART, Burges 2010, and XGBoost do). Scores start at 0. With the squared
 * error (g = F − y, h = 1) this is GradientBoostingRegressor started from 0 instead of the mean.
 */
export class NewtonBoosting extends Boosting<BoostingParams> {
  protected readonly name = 'NewtonBoosting';

  constructor(params: Partial<BoostingParams> = {}) {
    super({ ...BOOSTING_DEFAULTS, ...params });
  }

  fit(X: Features, objective: BoostingObjective): this {
    const m = toMatrix(X, `${this.name}.fit`);
    this.init = Float64Array.of(0);
    const F = new Float64Array(m.rows);
    const gradient = new Float64Array(m.rows);
    const hessian = new Float64Array(m.rows);
    this.boost(
      m,
      1,
      F,
      (F, _k, out) => {
        objective.derivatives(F, gradient, hessian);
        for (let i = 0; i < F.length; i++) {
          if (!Number.isFinite(gradient[i]!) || !(hessian[i]! >= 0))
            throw new RangeError(
              `${this.name}.fit: the objective gave row ${i} gradient ${gradient[i]} and hessian ${hessian[i]}; expected a finite gradient and a hessian ≥ 0`,
            );
          out[i] = -gradient[i]!;
        }
      },
      (rows) => {
        let g = 0;
        let h = 0;
        for (const i of rows) {
          g -= gradient[i]!;
          h += hessian[i]!;
        }
        return h > 1e-12 ? g / h : 0;
      },
      (F) => objective.loss?.(F) ?? Number.NaN,
    );
    return this;
  }

  predict(X: Features): Float64Array {
    return this.raw(X).F;
  }

  toJSON(): ModelJson {
    return this.baseJson({});
  }

  /** Rebuilds a fitted model from toJSON() (the objective is not saved: it is only needed to fit). */
  static fromJSON(json: ModelJson): NewtonBoosting {
    const model = new NewtonBoosting(json.params as Partial<BoostingParams>);
    model.restore(json);
    return model;
  }
}
