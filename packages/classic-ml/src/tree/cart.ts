import type { Classifier, ModelJson, Predictor } from '../core/estimator.js';
import { encodeLabels, labelsOfArgmax } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { TreeData } from './data.js';
import { ExactSplitter } from './exact-splitter.js';
import { type Criterion, growTree, type TreeTargets } from './grow.js';
import { HistogramSplitter } from './histogram-splitter.js';
import { Tree } from './tree.js';

export interface TreeParams {
  /** 'gini' (default) or 'entropy' for classification; regression trees use squared error. */
  criterion: 'gini' | 'entropy';
  /** Depth limit, the root at depth 0 (default: none). */
  maxDepth: number | undefined;
  minSamplesSplit: number;
  minSamplesLeaf: number;
  /**
   * Features searched per split: all (default), 'sqrt' or 'log2' of their count, a whole number, or a fraction in
   * (0, 1]. Fewer than all makes the tree random (forests rely on it).
   */
  maxFeatures: number | 'sqrt' | 'log2' | undefined;
  /** Minimal cost-complexity pruning strength α ≥ 0 (default 0: no pruning). */
  ccpAlpha: number;
  /** Regression only: split on ≤ maxBins histogram bins per feature instead of every distinct value (default: exact). */
  maxBins: number | undefined;
  seed: number;
}

export const TREE_DEFAULTS: TreeParams = {
  criterion: 'gini',
  maxDepth: undefined,
  minSamplesSplit: 2,
  minSamplesLeaf: 1,
  maxFeatures: undefined,
  ccpAlpha: 0,
  maxBins: undefined,
  seed: 0,
};

export function checkTreeParams(p: TreeParams, where: string): void {
  const whole = (v: number, min: number) => Number.isInteger(v) && v >= min;
  if (p.criterion !== 'gini' && p.criterion !== 'entropy')
    throw new RangeError(`${where}: criterion must be 'gini' or 'entropy', got ${p.criterion}`);
  if (p.maxDepth !== undefined && !whole(p.maxDepth, 0))
    throw new RangeError(`${where}: maxDepth must be a whole number ≥ 0, got ${p.maxDepth}`);
  if (!whole(p.minSamplesSplit, 2))
    throw new RangeError(`${where}: minSamplesSplit must be a whole number ≥ 2, got ${p.minSamplesSplit}`);
  if (!whole(p.minSamplesLeaf, 1))
    throw new RangeError(`${where}: minSamplesLeaf must be a whole number ≥ 1, got ${p.minSamplesLeaf}`);
  if (!(p.ccpAlpha >= 0)) throw new RangeError(`${where}: ccpAlpha must be ≥ 0, got ${p.ccpAlpha}`);
  const f = p.maxFeatures;
  if (
    f !== undefined &&
    f !== 'sqrt' &&
    f !== 'log2' &&
    !(typeof f === 'number' && f > 0 && (f <= 1 || Number.isInteger(f)))
  )
    throw new RangeError(
      `${where}: maxFeatures must be 'sqrt', 'log2', a whole number ≥ 1 or a fraction in (0, 1], got ${f}`,
    );
}

/** How many features a split looks at, out of d. */
export function resolveMaxFeatures(maxFeatures: TreeParams['maxFeatures'], d: number): number | undefined {
  if (maxFeatures === undefined) return undefined;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(d)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(d)));
  if (maxFeatures <= 1 && !Number.isInteger(maxFeatures)) return Math.max(1, Math.floor(maxFeatures * d));
  return Math.min(maxFeatures, d);
}

/** Grows one tree on weighted rows (weight 0 leaves a row out), prunes it, and returns it. */
export function fitTree(
  data: TreeData,
  targets: TreeTargets,
  weights: Float64Array,
  params: TreeParams,
): Tree {
  const criterion: Criterion = targets.kind === 'classification' ? params.criterion : 'squared_error';
  const finder =
    params.maxBins !== undefined && targets.kind === 'regression'
      ? new HistogramSplitter(data.binned(params.maxBins), targets.y, weights)
      : new ExactSplitter(data, targets, weights, criterion);
  const tree = growTree(finder, {
    criterion,
    maxDepth: params.maxDepth,
    minSamplesSplit: params.minSamplesSplit,
    minSamplesLeaf: params.minSamplesLeaf,
    maxFeatures: resolveMaxFeatures(params.maxFeatures, data.features),
    seed: params.seed,
  });
  if (params.ccpAlpha > 0) tree.prune(params.ccpAlpha);
  return tree;
}

/** What both CART models share. */
abstract class DecisionTree {
  readonly params: Readonly<TreeParams>;
  tree: Tree | undefined;
  protected features = 0;
  protected abstract readonly name: string;

  constructor(params: Partial<TreeParams>) {
    this.params = { ...TREE_DEFAULTS, ...params };
    checkTreeParams(this.params, new.target.name);
  }

  protected input(X: Features): Matrix {
    if (!this.tree) throw notFitted(this.name);
    const where = `${this.name}.predict`;
    return checkFeatureCount(toMatrix(X, where), this.features, where);
  }

  /** The leaf each row lands in. */
  apply(X: Features): Int32Array {
    const m = this.input(X);
    return this.tree!.apply(m);
  }

  get featureImportances(): Float64Array {
    if (!this.tree) throw notFitted(this.name);
    return this.tree.featureImportances(this.features);
  }

  toJSON(): ModelJson {
    return {
      type: this.name,
      params: { ...this.params },
      state: this.tree ? { features: this.features, tree: this.tree.toJSON(), ...this.extraState() } : null,
    };
  }

  protected extraState(): Record<string, unknown> {
    return {};
  }

  protected restoreTree(json: ModelJson): void {
    if (!json.state) return;
    this.features = json.state.features as number;
    this.tree = Tree.fromJSON(json.state.tree as ReturnType<Tree['toJSON']>);
  }
}

/** CART classification tree (Breiman et al. 1984): greedy binary splits minimising weighted Gini or entropy. */
export class DecisionTreeClassifier extends DecisionTree implements Classifier<TreeParams> {
  protected readonly name = 'DecisionTreeClassifier';
  classes: Float64Array = new Float64Array(0);

  constructor(params: Partial<TreeParams> = {}) {
    super(params);
  }

  withParams(changes: Partial<TreeParams>): DecisionTreeClassifier {
    return new DecisionTreeClassifier({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    const { classes, codes } = encodeLabels(y, m.rows, `${this.name}.fit`);
    this.classes = classes;
    this.features = m.cols;
    const targets: TreeTargets = { kind: 'classification', codes, classes: classes.length };
    this.tree = fitTree(new TreeData(m), targets, new Float64Array(m.rows).fill(1), this.params);
    return this;
  }

  /**
   * The cost-complexity pruning path of the fully grown tree: the α at which each weakest link is pruned, and the
   * total leaf impurity after it, as scikit-learn's cost_complexity_pruning_path.
   */
  costComplexityPruningPath(X: Features, y: ArrayLike<number>): { alphas: number[]; impurities: number[] } {
    const full = this.withParams({ ccpAlpha: 0 }).fit(X, y);
    return full.tree!.prune(Number.POSITIVE_INFINITY);
  }

  predictProba(X: Features): Matrix {
    const m = this.input(X);
    return new Matrix(m.rows, this.classes.length, this.tree!.predict(m));
  }

  predict(X: Features): Float64Array {
    return labelsOfArgmax(this.predictProba(X).data, this.classes.length, this.classes);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  protected override extraState() {
    return { classes: Array.from(this.classes) };
  }

  static fromJSON(json: ModelJson): DecisionTreeClassifier {
    const model = new DecisionTreeClassifier(json.params as Partial<TreeParams>);
    model.restoreTree(json);
    if (json.state) model.classes = Float64Array.from(json.state.classes as number[]);
    return model;
  }
}

/** CART regression tree: greedy binary splits minimising the weighted squared error; a leaf predicts its mean. */
export class DecisionTreeRegressor extends DecisionTree implements Predictor<TreeParams> {
  protected readonly name = 'DecisionTreeRegressor';

  constructor(params: Partial<TreeParams> = {}) {
    super(params);
  }

  withParams(changes: Partial<TreeParams>): DecisionTreeRegressor {
    return new DecisionTreeRegressor({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    this.features = m.cols;
    const target = toVector(y, m.rows, `${this.name}.fit`);
    this.tree = fitTree(
      new TreeData(m),
      { kind: 'regression', y: target },
      new Float64Array(m.rows).fill(1),
      this.params,
    );
    return this;
  }

  costComplexityPruningPath(X: Features, y: ArrayLike<number>): { alphas: number[]; impurities: number[] } {
    const full = this.withParams({ ccpAlpha: 0 }).fit(X, y);
    return full.tree!.prune(Number.POSITIVE_INFINITY);
  }

  predict(X: Features): Float64Array {
    const m = this.input(X);
    return this.tree!.predict(m);
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  static fromJSON(json: ModelJson): DecisionTreeRegressor {
    const model = new DecisionTreeRegressor(json.params as Partial<TreeParams>);
    model.restoreTree(json);
    return model;
  }
}
