import { loadIris } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { KMeans, PCA } from '../src/index.js';
import { dot, gaussianRows } from './helpers.js';

describe('PCA', () => {
  // Correlated features: x₂ = x₀ + small noise, x₃ = −x₁/2.
  const X = gaussianRows(300, 4, 5).map(([a, b, c, d]) => [a!, b!, a! + 0.1 * c!, -b! / 2 + 0.05 * d!]);
  const pca = new PCA().fit(X);
  const V = pca.components!;

  it('components are orthonormal', () => {
    for (let a = 0; a < 4; a++)
      for (let b = 0; b < 4; b++) expect(dot(V.row(a), V.row(b))).toBeCloseTo(a === b ? 1 : 0, 12);
  });

  it('each component is an eigenvector of the covariance matrix, with its explained variance the eigenvalue', () => {
    const n = X.length;
    const mean = [0, 1, 2, 3].map((j) => X.reduce((s, x) => s + x[j]!, 0) / n);
    const cov = [0, 1, 2, 3].map((i) =>
      [0, 1, 2, 3].map((j) => X.reduce((s, x) => s + (x[i]! - mean[i]!) * (x[j]! - mean[j]!), 0) / (n - 1)),
    );
    for (let c = 0; c < 4; c++) {
      const v = V.row(c);
      const Cv = cov.map((row) => dot(row, v));
      Cv.forEach((x, j) => expect(x).toBeCloseTo(pca.explainedVariance![c]! * v[j]!, 10));
    }
    expect(Array.from(pca.explainedVariance!)).toEqual([...pca.explainedVariance!].sort((a, b) => b - a));
  });

  it('keeps the fewest components reaching a variance fraction, and inverts exactly with all of them', () => {
    expect(new PCA({ nComponents: 0.9 }).fit(X).components!.rows).toBe(2);
    const back = pca.inverseTransform(pca.transform(X));
    X.forEach((x, i) => x.forEach((v, j) => expect(back.get(i, j)).toBeCloseTo(v, 10)));
  });

  it('handles fewer rows than columns', () => {
    const wide = gaussianRows(3, 6, 8);
    const fit = new PCA().fit(wide);
    expect(fit.components!.rows).toBe(3);
    expect(fit.explainedVarianceRatio![2]).toBeCloseTo(0, 10); // 3 centered rows span at most 2 dimensions
  });
});

describe('KMeans', () => {
  const iris = loadIris();

  it('never increases the inertia from one iteration to the next', () => {
    for (const init of ['random', 'k-means++'] as const) {
      const model = new KMeans({ nClusters: 5, init, nInit: 1, seed: 11 }).fit(iris.features);
      const h = model.inertiaHistory;
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeLessThanOrEqual(h[i - 1]! * (1 + 1e-12));
      expect(h[h.length - 1]).toBeCloseTo(model.inertia, 9);
    }
  });

  it('restarts keep the best run, and the same seed gives the same clusters', () => {
    const one = new KMeans({ nClusters: 6, nInit: 1, init: 'random', seed: 4 }).fit(iris.features).inertia;
    const ten = new KMeans({ nClusters: 6, nInit: 10, init: 'random', seed: 4 }).fit(iris.features).inertia;
    expect(ten).toBeLessThanOrEqual(one);
    const a = new KMeans({ nClusters: 3, seed: 9 }).fit(iris.features);
    const b = new KMeans({ nClusters: 3, seed: 9 }).fit(iris.features);
    expect(Array.from(a.labels!)).toEqual(Array.from(b.labels!));
    expect(Array.from(a.predict(iris.features))).toEqual(Array.from(a.labels!));
    expect(a.score(iris.features)).toBeCloseTo(-a.inertia, 9);
  });
});
