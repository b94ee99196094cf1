import { squaredDistance } from '../core/distance.js';
import type { Classifier, ModelJson, Predictor } from '../core/estimator.js';
import { encodeLabels } from '../core/labels.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix, toVector } from '../core/matrix.js';
import { accuracy } from '../metrics/classification.js';
import { r2Score } from '../metrics/regression.js';
import { KdTree, NeighborHeap } from './kd-tree.js';

export interface KNeighborsParams {
  /** k (default 5). */
  nNeighbors: number;
  /** 'uniform' (default): every neighbour counts the same; 'distance': by 1/distance (an exact match wins). */
  weights: 'uniform' | 'distance';
  /**
   * 'brute': every training row's distance; 'kd_tree': a k-d tree that prunes far regions, which pays in few
   * dimensions and loses to brute force in many; 'auto' (default): the tree for up to AUTO_KD_TREE_MAX_DIMENSIONS
   * features (the crossover the bench measures), brute force above.
   */
  algorithm: 'auto' | 'brute' | 'kd_tree';
  /** Rows per k-d tree leaf (default 30, as scikit-learn). */
  leafSize: number;
}

/**
 * 'auto' picks the k-d tree up to this many features. The bench's crossover table (20,000 standard-normal rows,
 * 1,000 queries) has the tree ahead up to 12 features and behind at 16, as the curse of dimensionality predicts; it
 * is a property of the data more than of the machine (scikit-learn's rule switches to brute force above 15).
 */
export const AUTO_KD_TREE_MAX_DIMENSIONS = 12;

const DEFAULTS: KNeighborsParams = { nNeighbors: 5, weights: 'uniform', algorithm: 'auto', leafSize: 30 };

/** What both k-nearest-neighbour models share: the stored rows, the search, the neighbours of each query. */
abstract class Neighbors {
  readonly params: Readonly<KNeighborsParams>;
  protected X: Matrix | undefined;
  private tree: KdTree | undefined;
  protected abstract readonly name: string;

  constructor(params: Partial<KNeighborsParams>) {
    this.params = { ...DEFAULTS, ...params };
    const { nNeighbors, algorithm, weights } = this.params;
    if (!Number.isInteger(nNeighbors) || nNeighbors < 1)
      throw new RangeError(`${new.target.name}: nNeighbors must be a whole number ≥ 1, got ${nNeighbors}`);
    if (!['auto', 'brute', 'kd_tree'].includes(algorithm))
      throw new RangeError(
        `${new.target.name}: algorithm must be 'auto', 'brute' or 'kd_tree', got ${algorithm}`,
      );
    if (weights !== 'uniform' && weights !== 'distance')
      throw new RangeError(`${new.target.name}: weights must be 'uniform' or 'distance', got ${weights}`);
  }

  /** The search actually used for data of d features. */
  resolvedAlgorithm(d: number): 'brute' | 'kd_tree' {
    const { algorithm } = this.params;
    if (algorithm !== 'auto') return algorithm;
    return d <= AUTO_KD_TREE_MAX_DIMENSIONS ? 'kd_tree' : 'brute';
  }

  protected store(m: Matrix): void {
    if (this.params.nNeighbors > m.rows)
      throw new RangeError(
        `${this.name}.fit: nNeighbors = ${this.params.nNeighbors} is more than the ${m.rows} rows`,
      );
    this.X = m;
    this.tree =
      this.resolvedAlgorithm(m.cols) === 'kd_tree' ? new KdTree(m, this.params.leafSize) : undefined;
  }

  /** The k nearest training rows of each query row, nearest first: indices and Euclidean distances, n × k. */
  kneighbors(X: Features): { indices: Int32Array; distances: Float64Array } {
    if (!this.X) throw notFitted(this.name);
    const where = `${this.name}.predict`;
    const q = checkFeatureCount(toMatrix(X, where), this.X.cols, where);
    const k = this.params.nNeighbors;
    const indices = new Int32Array(q.rows * k);
    const distances = new Float64Array(q.rows * k);
    const { rows: n, cols: d, data } = this.X;
    for (let i = 0; i < q.rows; i++) {
      const at = i * k;
      const idx = indices.subarray(at, at + k);
      const dist = distances.subarray(at, at + k);
      const row = q.row(i);
      if (this.tree) this.tree.query(row, k, idx, dist);
      else {
        const heap = new NeighborHeap(k, idx, dist);
        for (let r = 0; r < n; r++) {
          const s = squaredDistance(row, 0, data, r * d, d);
          if (s <= heap.worst()) heap.offer(s, r);
        }
        heap.sort();
      }
      for (let j = 0; j < k; j++) dist[j] = Math.sqrt(dist[j]!);
    }
    return { indices, distances };
  }

  /** The weight of each neighbour: 1, or 1/distance where an exact match (distance 0) takes all the weight. */
  protected neighbourWeights(distances: Float64Array, at: number, k: number, out: Float64Array): void {
    if (this.params.weights === 'uniform') {
      out.fill(1);
      return;
    }
    let exact = false;
    for (let j = 0; j < k; j++) if (distances[at + j] === 0) exact = true;
    for (let j = 0; j < k; j++) {
      const dist = distances[at + j]!;
      out[j] = exact ? (dist === 0 ? 1 : 0) : 1 / dist;
    }
  }

  protected storedState(): Record<string, unknown> | null {
    return this.X ? { X: this.X.toArrays() } : null;
  }
}

/** k-nearest-neighbour classification: the (weighted) majority class of the k nearest training rows. */
export class KNeighborsClassifier extends Neighbors implements Classifier<KNeighborsParams> {
  protected readonly name = 'KNeighborsClassifier';
  classes: Float64Array = new Float64Array(0);
  private codes: Int32Array | undefined;

  constructor(params: Partial<KNeighborsParams> = {}) {
    super(params);
  }

  withParams(changes: Partial<KNeighborsParams>): KNeighborsClassifier {
    return new KNeighborsClassifier({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    const { classes, codes } = encodeLabels(y, m.rows, `${this.name}.fit`);
    this.store(m);
    this.classes = classes;
    this.codes = codes;
    return this;
  }

  /** Each row's class shares among its neighbours' weights. */
  predictProba(X: Features): Matrix {
    const { indices, distances } = this.kneighbors(X);
    const k = this.params.nNeighbors;
    const K = this.classes.length;
    const rows = indices.length / k;
    const out = new Matrix(rows, K);
    const w = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      this.neighbourWeights(distances, i * k, k, w);
      let total = 0;
      for (let j = 0; j < k; j++) {
        out.data[i * K + this.codes![indices[i * k + j]!]!]! += w[j]!;
        total += w[j]!;
      }
      for (let c = 0; c < K; c++) out.data[i * K + c]! /= total;
    }
    return out;
  }

  /** The class of highest share; a tie goes to the lowest label, as scikit-learn's mode. */
  predict(X: Features): Float64Array {
    const p = this.predictProba(X);
    const out = new Float64Array(p.rows);
    for (let i = 0; i < p.rows; i++) {
      let best = 0;
      for (let c = 1; c < p.cols; c++) if (p.data[i * p.cols + c]! > p.data[i * p.cols + best]!) best = c;
      out[i] = this.classes[best]!;
    }
    return out;
  }

  score(X: Features, y: ArrayLike<number>): number {
    return accuracy(Float64Array.from(y), this.predict(X));
  }

  toJSON(): ModelJson {
    const state = this.storedState();
    return {
      type: this.name,
      params: { ...this.params },
      state: state && { ...state, classes: Array.from(this.classes), codes: Array.from(this.codes!) },
    };
  }

  static fromJSON(json: ModelJson): KNeighborsClassifier {
    const model = new KNeighborsClassifier(json.params as Partial<KNeighborsParams>);
    const s = json.state;
    if (s) {
      const classes = s.classes as number[];
      model.fit(
        s.X as number[][],
        (s.codes as number[]).map((c) => classes[c]!),
      );
    }
    return model;
  }
}

/** k-nearest-neighbour regression: the (weighted) mean target of the k nearest training rows. */
export class KNeighborsRegressor extends Neighbors implements Predictor<KNeighborsParams> {
  protected readonly name = 'KNeighborsRegressor';
  private y: Float64Array | undefined;

  constructor(params: Partial<KNeighborsParams> = {}) {
    super(params);
  }

  withParams(changes: Partial<KNeighborsParams>): KNeighborsRegressor {
    return new KNeighborsRegressor({ ...this.params, ...changes });
  }

  fit(X: Features, y: ArrayLike<number>): this {
    const m = toMatrix(X, `${this.name}.fit`);
    this.y = toVector(y, m.rows, `${this.name}.fit`);
    this.store(m);
    return this;
  }

  predict(X: Features): Float64Array {
    const { indices, distances } = this.kneighbors(X);
    const k = this.params.nNeighbors;
    const rows = indices.length / k;
    const out = new Float64Array(rows);
    const w = new Float64Array(k);
    for (let i = 0; i < rows; i++) {
      this.neighbourWeights(distances, i * k, k, w);
      let s = 0;
      let total = 0;
      for (let j = 0; j < k; j++) {
        s += w[j]! * this.y![indices[i * k + j]!]!;
        total += w[j]!;
      }
      out[i] = s / total;
    }
    return out;
  }

  score(X: Features, y: ArrayLike<number>): number {
    return r2Score(y, this.predict(X));
  }

  toJSON(): ModelJson {
    const state = this.storedState();
    return {
      type: this.name,
      params: { ...this.params },
      state: state && { ...state, y: Array.from(this.y!) },
    };
  }

  static fromJSON(json: ModelJson): KNeighborsRegressor {
    const model = new KNeighborsRegressor(json.params as Partial<KNeighborsParams>);
    if (json.state) model.fit(json.state.X as number[][], json.state.y as number[]);
    return model;
  }
}
