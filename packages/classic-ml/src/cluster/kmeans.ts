import { Rng } from '@mle/tensor';
import { squaredDistance } from '../core/distance.js';
import type { ModelJson } from '../core/estimator.js';
import { checkFeatureCount, type Features, Matrix, notFitted, toMatrix } from '../core/matrix.js';
import { columnMoments } from '../preprocessing/scalers.js';

export interface KMeansParams {
  /** k (default 8). */
  nClusters: number;
  /** 'k-means++' (default): greedy k-means++ (Arthur & Vassilvitskii 2007, with 2 + ⌊ln k⌋ trials per center, as scikit-learn); 'random': k distinct rows; or the k starting centers themselves (one run). */
  init: 'k-means++' | 'random' | Features;
  /** Runs from different seeds; the lowest inertia wins (default 10). */
  nInit: number;
  maxIter: number;
  /** Converged when the centers move less than tol × the mean feature variance (squared distance), as scikit-learn. */
  tol: number;
  /** 'lloyd' (default): every row against every center each iteration; 'elkan': the same steps, skipping the
   * distances the triangle inequality proves cannot change a row's center (Elkan 2003). */
  algorithm: 'lloyd' | 'elkan';
  seed: number;
}

/**
 * k-means: assign each row to its nearest center, move each center to its rows' mean, repeat (Lloyd). Elkan's
 * variant takes the same steps to the same centers with fewer distance computations.
 */
export class KMeans {
  readonly params: Readonly<KMeansParams>;
  centers: Matrix | undefined;
  labels: Int32Array | undefined;
  /** Sum of squared distances of the rows to their centers, of the best run. */
  inertia = Number.NaN;
  iterations = 0;
  /** The best run's inertia after each assignment step (it never increases). */
  inertiaHistory: number[] = [];
  /** Row-to-center distances computed by the best run (what Elkan's bounds save). */
  distanceCount = 0;

  constructor(params: Partial<KMeansParams> = {}) {
    this.params = {
      nClusters: 8,
      init: 'k-means++',
      nInit: 10,
      maxIter: 300,
      tol: 1e-4,
      algorithm: 'lloyd',
      seed: 0,
      ...params,
    };
    const { nClusters, nInit } = this.params;
    if (!Number.isInteger(nClusters) || nClusters < 1)
      throw new RangeError(`KMeans: nClusters must be a whole number ≥ 1, got ${nClusters}`);
    if (!Number.isInteger(nInit) || nInit < 1)
      throw new RangeError(`KMeans: nInit must be a whole number ≥ 1, got ${nInit}`);
  }

  withParams(changes: Partial<KMeansParams>): KMeans {
    return new KMeans({ ...this.params, ...changes });
  }

  fit(X: Features): this {
    const m = toMatrix(X, 'KMeans.fit');
    const k = this.params.nClusters;
    if (k > m.rows) throw new RangeError(`KMeans.fit: nClusters = ${k} is more than the ${m.rows} rows`);
    const { variance } = columnMoments(m);
    const tol = (this.params.tol * variance.reduce((a, b) => a + b, 0)) / m.cols;
    const rng = new Rng(this.params.seed);
    let best: RunResult | undefined;
    const run = this.params.algorithm === 'elkan' ? elkan : lloyd;
    const { init } = this.params;
    const given = typeof init === 'string' ? undefined : toMatrix(init, 'KMeans.fit (init)');
    if (given && (given.rows !== k || given.cols !== m.cols))
      throw new RangeError(
        `KMeans.fit: init has ${given.rows} centers of ${given.cols} features; expected ${k} of ${m.cols}`,
      );
    const runs = given ? 1 : this.params.nInit;
    for (let r = 0; r < runs; r++) {
      const initial = given
        ? given.selectRows([...Array(k).keys()])
        : init === 'k-means++'
          ? kMeansPlusPlus(m, k, rng)
          : randomRows(m, k, rng);
      const result = run(m, initial, this.params.maxIter, tol);
      if (!best || result.inertia < best.inertia) best = result;
    }
    this.centers = best!.centers;
    this.labels = best!.labels;
    this.inertia = best!.inertia;
    this.iterations = best!.iterations;
    this.inertiaHistory = best!.history;
    this.distanceCount = best!.distances;
    return this;
  }

  predict(X: Features): Int32Array {
    if (!this.centers) throw notFitted('KMeans');
    const m = checkFeatureCount(toMatrix(X, 'KMeans.predict'), this.centers.cols, 'KMeans.predict');
    const labels = new Int32Array(m.rows);
    assign(m, this.centers, labels);
    return labels;
  }

  fitPredict(X: Features): Int32Array {
    return this.fit(X).labels!;
  }

  /** Negative inertia of X against the centers, as scikit-learn's score (higher is better). */
  score(X: Features): number {
    if (!this.centers) throw notFitted('KMeans');
    const m = checkFeatureCount(toMatrix(X, 'KMeans.score'), this.centers.cols, 'KMeans.score');
    return -assign(m, this.centers, new Int32Array(m.rows));
  }

  toJSON(): ModelJson {
    const { init } = this.params;
    return {
      type: 'KMeans',
      params: { ...this.params, init: typeof init === 'string' ? init : toMatrix(init, 'KMeans').toArrays() },
      state: this.centers ? { centers: this.centers.toArrays(), inertia: this.inertia } : null,
    };
  }

  static fromJSON(json: ModelJson): KMeans {
    const model = new KMeans(json.params as Partial<KMeansParams>);
    if (json.state) {
      model.centers = Matrix.fromRows(json.state.centers as number[][]);
      model.inertia = json.state.inertia as number;
    }
    return model;
  }
}

/** Writes each row's nearest center (the lowest index on a tie) to `labels`; returns the inertia that gives. */
function assign(m: Matrix, centers: Matrix, labels: Int32Array): number {
  const { rows: n, cols: d, data } = m;
  const k = centers.rows;
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestD = Number.POSITIVE_INFINITY;
    for (let c = 0; c < k; c++) {
      const dist = squaredDistance(data, i * d, centers.data, c * d, d);
      if (dist < bestD) {
        bestD = dist;
        best = c;
      }
    }
    labels[i] = best;
    inertia += bestD;
  }
  return inertia;
}

function inertiaOf(m: Matrix, centers: Matrix, labels: Int32Array): number {
  let s = 0;
  for (let i = 0; i < m.rows; i++)
    s += squaredDistance(m.data, i * m.cols, centers.data, labels[i]! * m.cols, m.cols);
  return s;
}

interface RunResult {
  centers: Matrix;
  labels: Int32Array;
  inertia: number;
  iterations: number;
  history: number[];
  distances: number;
}

/** Each center moved to the mean of its rows; an empty cluster keeps its center (it cannot raise the inertia). */
function updateCenters(m: Matrix, labels: Int32Array, centers: Matrix): Matrix {
  const { rows: n, cols: d } = m;
  const k = centers.rows;
  const next = new Matrix(k, d);
  const counts = new Int32Array(k);
  for (let i = 0; i < n; i++) {
    const c = labels[i]!;
    counts[c]!++;
    for (let j = 0; j < d; j++) next.data[c * d + j]! += m.data[i * d + j]!;
  }
  for (let c = 0; c < k; c++) {
    if (counts[c] === 0) next.data.set(centers.row(c), c * d);
    else for (let j = 0; j < d; j++) next.data[c * d + j]! /= counts[c]!;
  }
  return next;
}

function lloyd(m: Matrix, initial: Matrix, maxIter: number, tol: number): RunResult {
  const { rows: n, cols: d } = m;
  const k = initial.rows;
  let centers = initial;
  const labels = new Int32Array(n);
  const history: number[] = [];
  let iterations = maxIter;
  for (let it = 0; it < maxIter; it++) {
    history.push(assign(m, centers, labels));
    const next = updateCenters(m, labels, centers);
    let shift = 0;
    for (let c = 0; c < k; c++) shift += squaredDistance(centers.data, c * d, next.data, c * d, d);
    centers = next;
    if (shift <= tol) {
      iterations = it + 1;
      break;
    }
  }
  const inertia = assign(m, centers, labels);
  history.push(inertia);
  const assignments = iterations + 1;
  return { centers, labels, inertia, iterations, history, distances: assignments * n * k };
}

/**
 * Elkan (2003), "Using the triangle inequality to accelerate k-means": per row an upper bound u on the distance to
 * its center and a lower bound l_c on the distance to every center. A row whose u ≤ ½·min distance from its center
 * to another is settled; otherwise center c is skipped when u ≤ l_c or u ≤ ½·d(a, c). After centers move by p_c,
 * u grows by p_a and each l_c shrinks by p_c. Distances here are Euclidean, not squared.
 */
function elkan(m: Matrix, initial: Matrix, maxIter: number, tol: number): RunResult {
  const { rows: n, cols: d, data } = m;
  const k = initial.rows;
  let centers = initial;
  let distances = 0;
  const distance = (i: number, c: number) => {
    distances++;
    return Math.sqrt(squaredDistance(data, i * d, centers.data, c * d, d));
  };
  const labels = new Int32Array(n);
  const upper = new Float64Array(n);
  const lower = new Float64Array(n * k);
  const stale = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 0; c < k; c++) {
      lower[i * k + c] = distance(i, c);
      if (lower[i * k + c]! < lower[i * k + best]!) best = c;
    }
    labels[i] = best;
    upper[i] = lower[i * k + best]!;
  }
  const between = new Float64Array(k * k);
  const half = new Float64Array(k);
  const history: number[] = [];
  let iterations = maxIter;
  for (let it = 0; it < maxIter; it++) {
    if (it > 0) {
      for (let a = 0; a < k; a++) {
        half[a] = Number.POSITIVE_INFINITY;
        for (let b = 0; b < k; b++) {
          between[a * k + b] = Math.sqrt(squaredDistance(centers.data, a * d, centers.data, b * d, d));
          if (b !== a) half[a] = Math.min(half[a]!, between[a * k + b]! / 2);
        }
      }
      for (let i = 0; i < n; i++) {
        let a = labels[i]!;
        if (upper[i]! <= half[a]!) continue;
        for (let c = 0; c < k; c++) {
          if (c === a || upper[i]! <= lower[i * k + c]! || upper[i]! <= between[a * k + c]! / 2) continue;
          if (stale[i]) {
            upper[i] = distance(i, a);
            lower[i * k + a] = upper[i]!;
            stale[i] = 0;
            if (upper[i]! <= lower[i * k + c]! || upper[i]! <= between[a * k + c]! / 2) continue;
          }
          const dc = distance(i, c);
          lower[i * k + c] = dc;
          if (dc < upper[i]! || (dc === upper[i]! && c < a)) {
            a = c;
            labels[i] = c;
            upper[i] = dc;
          }
        }
      }
    }
    history.push(inertiaOf(m, centers, labels));
    const next = updateCenters(m, labels, centers);
    let shift = 0;
    const moved = new Float64Array(k);
    for (let c = 0; c < k; c++) {
      const s2 = squaredDistance(centers.data, c * d, next.data, c * d, d);
      shift += s2;
      moved[c] = Math.sqrt(s2);
    }
    centers = next;
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < k; c++) lower[i * k + c] = Math.max(lower[i * k + c]! - moved[c]!, 0);
      upper[i]! += moved[labels[i]!]!;
      stale[i] = 1;
    }
    if (shift <= tol) {
      iterations = it + 1;
      break;
    }
  }
  // The last assignment to the final centers, as Lloyd's ends (exactly, not through the bounds).
  const inertia = assign(m, centers, labels);
  distances += n * k;
  history.push(inertia);
  return { centers, labels, inertia, iterations, history, distances };
}

function randomRows(m: Matrix, k: number, rng: Rng): Matrix {
  const order = rng.permutation(m.rows).data as Int32Array;
  return m.selectRows(order.subarray(0, k));
}

/**
 * Greedy k-means++: the first center is a random row; each next one is the best (lowest resulting potential) of
 * 2 + ⌊ln k⌋ rows drawn with probability proportional to their squared distance to the nearest center so far.
 */
function kMeansPlusPlus(m: Matrix, k: number, rng: Rng): Matrix {
  const { rows: n, cols: d } = m;
  const centers = new Matrix(k, d);
  const trials = 2 + Math.floor(Math.log(k));
  const first = rng.nextInt(n);
  centers.data.set(m.row(first), 0);
  const closest = new Float64Array(n);
  for (let i = 0; i < n; i++) closest[i] = squaredDistance(m.data, i * d, m.data, first * d, d);
  let potential = closest.reduce((a, b) => a + b, 0);
  const candidate = new Float64Array(n);
  const bestCandidate = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Number.POSITIVE_INFINITY;
    let bestRow = 0;
    for (let t = 0; t < trials; t++) {
      const row = potential > 0 ? sampleByWeight(closest, potential, rng) : rng.nextInt(n);
      let sum = 0;
      for (let i = 0; i < n; i++) {
        candidate[i] = Math.min(closest[i]!, squaredDistance(m.data, i * d, m.data, row * d, d));
        sum += candidate[i]!;
      }
      if (sum < bestPotential) {
        bestPotential = sum;
        bestRow = row;
        bestCandidate.set(candidate);
      }
    }
    centers.data.set(m.row(bestRow), c * d);
    closest.set(bestCandidate);
    potential = bestPotential;
  }
  return centers;
}

function sampleByWeight(weights: Float64Array, total: number, rng: Rng): number {
  let u = rng.nextFloat() * total;
  for (let i = 0; i < weights.length; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}
