import { Rng } from '@mle/tensor';
import type { Classifier, ModelJson, Predictor } from '../core/estimator.js';
import { encodeLabels, labelsOfArgmax } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { checkTreeParams, fitTree, TREE_DEFAULTS, type TreeParams } from '../tree/cart.js';
import { TreeData } from '../tree/data.js';
import type { TreeTargets } from '../tree/grow.js';
import { Tree } from '../tree/tree.js';

export interface ForestParams extends TreeParams {
  /** Trees (default 100). */
  nEstimators: number;
  /** Each tree sees a bootstrap sample: n rows drawn with replacement (default true). */
  bootstrap: boolean;
  /** Score each row by the trees that did not see it, after fit (needs bootstrap; default false). */
  oobScore: boolean;
}

/**
 * Random forests (Breiman 2001): trees grown on bootstrap samples, each split choosing among a random subset of the
 * features; the forest averages their outputs. A bootstrap row drawn k times has weight k in its tree, so rows are
 * never copied. Rows a tree never drew are its out-of-bag rows, which score the forest without a held-out set.
 */
abstract class Forest {
  readonly params: Readonly<ForestParams>;
  trees: Tree[] = [];
  /** Accuracy or R² of the out-of-bag predictions (with oobScore). */
  oobScore = Number.NaN;
  protected features = 0;
  protected abstract readonly name: string;

  constructor(params: Partial<ForestParams>, defaults: Partial<ForestParams>) {
    this.params = {
      ...TREE_DEFAULTS,
      nEstimators: 100,
      bootstrap: true,
      oobScore: false,
      ...defaults,
      ...params,
    };
    checkTreeParams(this.params, new.target.name);
    const { nEstimators, bootstrap, oobScore } = this.params;
    if (!Number.isInteger(nEstimators) || nEstimators < 1)
      throw new RangeError(`${new.target.name}: nEstimators must be a whole number ≥ 1, got ${nEstimators}`);
    if (oobScore && !bootstrap) throw new RangeError(`${new.target.name}: oobScore needs bootstrap: true`);
  }

  /** Grows every tree; returns the out-of-bag sums of outputs and how many trees each row was out of bag for. */
  protected grow(
    m: Matrix,
    targets: TreeTargets,
  ): { sums: Float64Array; counts: Int32Array; outputs: number } {
    const rng = new Rng(this.params.seed);
    const n = m.rows;
    this.features = m.cols;
    this.trees = [];
    let sums = new Float64Array(0);
    const counts = new Int32Array(n);
    let outputs = 0;
    const data = new TreeData(m);
    for (let t = 0; t < this.params.nEstimators; t++) {
      const weights = new Float64Array(n);
      if (this.params.bootstrap) for (let k = 0; k < n; k++) weights[rng.nextInt(n)]! += 1;
      else weights.fill(1);
      const tree = fitTree(data, targets, weights, { ...this.params, seed: rng.nextUint32() });
      this.trees.push(tree);
      if (!this.params.oobScore) continue;
      outputs = tree.outputs;
      if (sums.length === 0) sums = new Float64Array(n * outputs);
      const out = tree.predict(m);
      for (let i = 0; i < n; i++) {
        if (weights[i]! > 0) continue;
        counts[i]!++;
        for (let k = 0; k < outputs; k++) sums[i * outputs + k]! += out[i * outputs + k]!;
      }
    }
    return { sums, counts, outputs };
  }

  /** The mean of the trees' outputs, n × outputs. */
  protected average(X: Features): { data: Float64Array; rows: number } {
    if (this.trees.length === 0) throw notFitted(this.name);
    const where = `${this.name}.predict`;
    const m = checkFeatureCount(toMatrix(X, where), this.features, where);
    const outputs = this.trees[0]!.outputs;
    const data = new Float64Array(m.rows * outputs);
    for (const tree of this.trees) {
      const out = tree.predict(m);
      for (let k = 0; k < data.length; k++) data[k]! += out[k]!;
    }
    for (let k = 0; k < data.length; k++) data[k]! /= this.trees.length;
    return { data, rows: m.rows };
  }

  /** Mean over trees of each feature's impurity-decrease share. */
  get featureImportances(): Float64Array {
    if (this.trees.length === 0) throw notFitted(this.name);
    const out = new Float64Array(this.features);
    for (const tree of this.trees) {
      const imp = tree.featureImportances(this.features);
      for (let j = 0; j < out.length; j++) out[j]! += imp[j]! / this.trees.length;
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
              oobScore: this.oobScore,
              trees: this.trees.map((t) => t.toJSON()),
              ...extra,
            }
          : null,
    };
  }

  protected restore(json: ModelJson): void {
    const s = json.state;
    if (!s) return;
    this.features = s.features as number;
    this.oobScore = (s.oobScore as number | null) ?? Number.NaN;
    this.trees = (s.trees as ReturnType<Tree['toJSON']>[]).map((t) => Tree.fromJSON(t));
  }
}

export class RandomForestClassifier extends Forest implements Classifier<ForestParams> {
  protected readonly name = 'RandomForestClassifier';
  classes: Float64Array = new Float64Array(0);

  /** Defaults as scikit-learn: 100 trees, √features per split, Gini. */
  constructor(params: Partial<ForestParams> = {}) {
    super(params, { maxFeatures: 'sqrt' });
  }

  withParams(changes: Partial<ForestParams>): RandomForestClassifier {
    return new RandomForestClassifier({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    const { classes, codes } = encodeLabels(y, m.rows, `${this.name}.fit`);
    this.classes = classes;
    const { sums, counts, outputs } = this.grow(m, {
      kind: 'classification',
      codes,
      classes: classes.length,
    });
    if (this.params.oobScore) {
      let hits = 0;
      let scored = 0;
      for (let i = 0; i < m.rows; i++) {
        if (counts[i] === 0) continue; // in every tree's sample
        scored++;
        let best = 0;
        for (let k = 1; k < outputs; k++) if (sums[i * outputs + k]! > sums[i * outputs + best]!) best = k;
        if (best === codes[i]) hits++;
      }
      this.oobScore = hits / scored;
    }
    return this;
  }

  /** The trees' class probabilities, averaged (soft voting, as scikit-learn). */
  predictProba(X: Features): Matrix {
    const { data, rows } = this.average(X);
    return new Matrix(rows, this.classes.length, data);
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

  static fromJSON(json: ModelJson): RandomForestClassifier {
    const model = new RandomForestClassifier(json.params as Partial<ForestParams>);
    model.restore(json);
    if (json.state) model.classes = Float64Array.from(json.state.classes as number[]);
    return model;
  }
}

export class RandomForestRegressor extends Forest implements Predictor<ForestParams> {
  protected readonly name = 'RandomForestRegressor';

  /** Defaults as scikit-learn 1.2: 100 trees, every feature considered per split. */
  constructor(params: Partial<ForestParams> = {}) {
    super(params, {});
  }

  withParams(changes: Partial<ForestParams>): RandomForestRegressor {
    return new RandomForestRegressor({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    const target = toVector(y, m.rows, `${this.name}.fit`);
    const { sums, counts } = this.grow(m, { kind: 'regression', y: target });
    if (this.params.oobScore) {
      const truth: number[] = [];
      const predicted: number[] = [];
      for (let i = 0; i < m.rows; i++) {
        if (counts[i] === 0) continue;
        truth.push(target[i]!);
        predicted.push(sums[i]! / counts[i]!);
      }
      this.oobScore = r2Score(truth, predicted);
    }
    return this;
  }

  predict(X: Features): Float64Array {
    return this.average(X).data;
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  toJSON(): ModelJson {
    return this.baseJson({});
  }

  static fromJSON(json: ModelJson): RandomForestRegressor {
    const model = new RandomForestRegressor(json.params as Partial<ForestParams>);
    model.restore(json);
    return model;
  }
}
