/**
 * Where speed matters: a seeded synthetic problem (100k rows × 20 features; --quick: 5k), each fit timed beside the
 * peer's on the same rows (median of `runs`); the k-d tree against brute force by dimension (the crossover that sets
 * 'auto'); gradient boosting with histogram splits against exact ones.
 */
import type { BenchResult } from '@mle/report';
import { measure } from '@mle/report';
import { Rng } from '@mle/tensor';
import { DecisionTreeRegression as MlCartRegression } from 'ml-cart';
import { kmeans as mlKmeans } from 'ml-kmeans';
import KNN from 'ml-knn';
import { PCA as MlPCA } from 'ml-pca';
import MLR from 'ml-regression-multivariate-linear';
import {
  DecisionTreeRegressor,
  GradientBoostingRegressor,
  KMeans,
  KNeighborsClassifier,
  LinearRegression,
  Matrix,
  PCA,
} from '../src/index.js';

/** n rows of d standard-normal features and a nonlinear target with noise, seeded. */
export function syntheticRegression(n: number, d: number, seed: number): { X: number[][]; y: number[] } {
  const rng = new Rng(seed);
  const X = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.nextNormal()));
  const y = X.map(
    (x) =>
      x.reduce((s, v, j) => s + v * ((j % 5) - 2), 0) +
      2 * Math.sin(x[0]!) +
      x[1]! * x[2]! +
      0.5 * rng.nextNormal(),
  );
  return { X, y };
}

export interface SpeedOptions {
  rows: number;
  features: number;
  runs: number;
  /** Rows for the peers that cannot fit the full size in reasonable time (ml-cart). */
  smallRows: number;
  log: (line: string) => void;
}

export function speedCases(o: SpeedOptions): BenchResult[] {
  const results: BenchResult[] = [];
  const caseName = `synthetic-${o.rows / 1000}k`;
  const { X, y } = syntheticRegression(o.rows, o.features, 7);
  const time = (c: string, impl: string, run: () => unknown, runs = o.runs) => {
    const t = measure(run, { warmup: runs > 1 ? 1 : 0, runs });
    results.push({ case: c, impl, metric: 'fit_ms', value: t.median, unit: 'ms' });
    o.log(`${c} ${impl}: ${t.median.toFixed(1)} ms`);
  };
  time(`${caseName}-linreg`, 'ours', () => new LinearRegression().fit(X, y));
  time(`${caseName}-linreg`, 'ours-cholesky', () => new LinearRegression({ solver: 'cholesky' }).fit(X, y));
  time(
    `${caseName}-linreg`,
    'ml-regression-multivariate-linear',
    () =>
      new MLR(
        X,
        y.map((v) => [v]),
      ),
  );
  time(`${caseName}-pca`, 'ours', () => new PCA().fit(X));
  time(`${caseName}-pca`, 'ml-pca', () => new MlPCA(X));
  // k-means: the same 8 starting centers and 30 Lloyd iterations for everyone (tolerance 0), so the time is the
  // cost of the same work.
  const start = X.slice(0, 8).map((r) => r.slice());
  const iterations = 30;
  time(`${caseName}-kmeans`, 'ours', () =>
    new KMeans({ nClusters: 8, init: start, maxIter: iterations, tol: 0 }).fit(X),
  );
  time(`${caseName}-kmeans`, 'ours-elkan', () =>
    new KMeans({ nClusters: 8, init: start, maxIter: iterations, tol: 0, algorithm: 'elkan' }).fit(X),
  );
  time(`${caseName}-kmeans`, 'ml-kmeans', () =>
    mlKmeans(X, 8, { initialization: start, maxIterations: iterations, tolerance: 0 }),
  );
  // Nearest neighbours: 1,000 queries against 20,000 rows (both fit and predict timed: ml-knn does its work in predict).
  const train = X.slice(0, 20_000);
  const labels = y.slice(0, 20_000).map((v) => (v > 0 ? 1 : 0));
  const queries = X.slice(-1000);
  time(
    `${caseName}-knn`,
    'ours',
    () => new KNeighborsClassifier({ algorithm: 'brute' }).fit(train, labels).predict(queries),
    1,
  );
  time(`${caseName}-knn`, 'ml-knn', () => new KNN(train, labels, { k: 5 }).predict(queries), 1);
  // Trees, depth 8: ours on all rows; ml-cart on the small set (it took minutes at 20k rows here), and ours beside it.
  time(`${caseName}-tree`, 'ours', () => new DecisionTreeRegressor({ maxDepth: 8 }).fit(X, y), 1);
  time(
    `${caseName}-tree`,
    'ours-hist',
    () => new DecisionTreeRegressor({ maxDepth: 8, maxBins: 255 }).fit(X, y),
    1,
  );
  const smallCase = `synthetic-${o.smallRows / 1000}k-tree`;
  const Xs = X.slice(0, o.smallRows);
  const ys = y.slice(0, o.smallRows);
  time(smallCase, 'ours', () => new DecisionTreeRegressor({ maxDepth: 8 }).fit(Xs, ys));
  time(smallCase, 'ml-cart', () => new MlCartRegression({ maxDepth: 8 }).train(Xs, ys), 1);
  // Gradient boosting: histogram-binned splits against exact ones, the same rounds; fit time and training R².
  for (const [impl, maxBins] of [
    ['ours-exact', undefined],
    ['ours-hist', 255],
  ] as const) {
    const started = performance.now();
    const model = new GradientBoostingRegressor({ nEstimators: 50, maxBins }).fit(X, y);
    const ms = performance.now() - started;
    results.push({ case: `${caseName}-gbm`, impl, metric: 'fit_ms', value: ms, unit: 'ms' });
    results.push({ case: `${caseName}-gbm`, impl, metric: 'r2', value: model.score(X, y), unit: '' });
    o.log(`${caseName}-gbm ${impl}: ${ms.toFixed(0)} ms, training R² ${model.score(X, y).toFixed(4)}`);
  }
  return results;
}

/** Brute force against the k-d tree for 1,000 queries on `rows` uniform-Gaussian rows, by dimension. */
export function kdTreeCrossover(
  rows: number,
  dims: readonly number[],
  log: (line: string) => void,
): BenchResult[] {
  const results: BenchResult[] = [];
  for (const d of dims) {
    const { X } = syntheticRegression(rows + 1000, d, 11);
    const train = new Matrix(rows, d, Float64Array.from(X.slice(0, rows).flat()));
    const queries = X.slice(rows);
    const labels = Array.from({ length: rows }, (_, i) => i % 2);
    for (const algorithm of ['brute', 'kd_tree'] as const) {
      const model = new KNeighborsClassifier({ algorithm }).fit(train, labels);
      const t = measure(() => model.kneighbors(queries), { warmup: 1, runs: 3 });
      results.push({
        case: `knn-${rows / 1000}k-d${d}`,
        impl: algorithm,
        metric: 'query_ms',
        value: t.median,
        unit: 'ms',
      });
      log(`knn d=${d} ${algorithm}: ${t.median.toFixed(1)} ms per 1,000 queries`);
    }
  }
  return results;
}
