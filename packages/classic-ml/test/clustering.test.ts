import { loadIris } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { DBSCAN, GaussianMixture, KMeans, StandardScaler } from '../src/index.js';
import { gaussianRows, sklearnReference } from './helpers.js';

const reference = sklearnReference;
const iris = loadIris();

describe('DBSCAN', () => {
  it('equals scikit-learn on standardized iris: the same clusters, noise and core points', () => {
    const Z = new StandardScaler().fitTransform(iris.features);
    const model = new DBSCAN({ eps: 0.6, minSamples: 5 }).fit(Z);
    expect(Array.from(model.labels!)).toEqual(reference.dbscan.labels);
    expect(Array.from(model.coreSampleIndices!)).toEqual(reference.dbscan.core);
  });

  it('finds two dense blobs and calls the scattered points noise', () => {
    const blob = (cx: number, seed: number) =>
      gaussianRows(40, 2, seed).map(([a, b]) => [cx + 0.1 * a!, 0.1 * b!]);
    const X = [...blob(0, 1), ...blob(5, 2), [2.5, 3], [-3, -3]];
    const labels = new DBSCAN({ eps: 0.3, minSamples: 4 }).fitPredict(X);
    expect(new Set(labels.subarray(0, 40))).toEqual(new Set([0]));
    expect(new Set(labels.subarray(40, 80))).toEqual(new Set([1]));
    expect(Array.from(labels.subarray(80))).toEqual([-1, -1]);
  });
});

describe('GaussianMixture', () => {
  /** Components ordered by their first mean coordinate, so two fits can be compared component by component. */
  const ordered = (weights: ArrayLike<number>, means: number[][]) =>
    means.map((mean, c) => ({ weight: weights[c]!, mean })).sort((a, b) => a.mean[0]! - b.mean[0]!);

  it.each(['full', 'diag'] as const)(
    '%s covariances reach scikit-learn’s optimum on iris (weights, means, log-likelihood, BIC)',
    (kind) => {
      const model = new GaussianMixture({
        nComponents: 3,
        covarianceType: kind,
        tol: 1e-10,
        maxIter: 1000,
      }).fit(iris.features);
      const theirs = reference.gaussianMixture[kind];
      const a = ordered(model.weights!, model.means!.toArrays());
      const b = ordered(theirs.weights, theirs.means);
      // Both runs stop when an iteration gains < 1e-10; the likelihood is that flat near the optimum, so they agree on
      // it to ~1e-10 while weights and means still differ in the sixth digit.
      expect(model.score(iris.features)).toBeCloseTo(theirs.score, 9);
      a.forEach((component, c) => {
        expect(component.weight).toBeCloseTo(b[c]!.weight, 4);
        component.mean.forEach((v, j) => expect(v).toBeCloseTo(b[c]!.mean[j]!, 4));
      });
      expect(model.bic(iris.features)).toBeCloseTo(theirs.bic, 5);
    },
  );

  it('EM never decreases the log-likelihood', () => {
    for (const kind of ['full', 'diag'] as const) {
      const model = new GaussianMixture({ nComponents: 4, covarianceType: kind, tol: 1e-8, seed: 3 }).fit(
        iris.features,
      );
      const h = model.logLikelihoodHistory;
      expect(h.length).toBeGreaterThan(3);
      for (let i = 1; i < h.length; i++) expect(h[i]).toBeGreaterThanOrEqual(h[i - 1]! - 1e-12);
    }
  });

  it('responsibilities are probabilities and predict picks the largest', () => {
    const model = new GaussianMixture({ nComponents: 2 }).fit(iris.features);
    const p = model.predictProba(iris.features);
    const labels = model.predict(iris.features);
    for (let i = 0; i < p.rows; i++) {
      expect(p.get(i, 0) + p.get(i, 1)).toBeCloseTo(1, 12);
      expect(labels[i]).toBe(p.get(i, 0) >= p.get(i, 1) ? 0 : 1);
    }
  });
});

describe('KMeans with given starting centers', () => {
  it('runs once from them: one iteration from a start equals one Lloyd step done by hand', () => {
    const start = [iris.features[0]!, iris.features[50]!, iris.features[100]!];
    const model = new KMeans({ nClusters: 3, init: start, maxIter: 1 }).fit(iris.features);
    const nearest = iris.features.map((x) => {
      const d = start.map((c) => c.reduce((s, v, j) => s + (v - x[j]!) ** 2, 0));
      return d.indexOf(Math.min(...d));
    });
    for (let c = 0; c < 3; c++) {
      const members = iris.features.filter((_, i) => nearest[i] === c);
      for (let j = 0; j < 4; j++)
        expect(model.centers!.get(c, j)).toBeCloseTo(
          members.reduce((s, x) => s + x[j]!, 0) / members.length,
          12,
        );
    }
    expect(() => new KMeans({ nClusters: 2, init: start }).fit(iris.features)).toThrow(
      'init has 3 centers of 4 features; expected 2 of 4',
    );
  });
});

describe('Elkan k-means', () => {
  it('takes Lloyd’s steps to Lloyd’s centers, computing fewer distances', () => {
    const X = gaussianRows(2000, 5, 12).map((x, i) => x.map((v) => v + (i % 6))); // overlapping: many iterations
    for (const seed of [0, 1]) {
      const lloyd = new KMeans({ nClusters: 6, nInit: 1, seed }).fit(X);
      const elkan = new KMeans({ nClusters: 6, nInit: 1, seed, algorithm: 'elkan' }).fit(X);
      expect(Array.from(elkan.labels!)).toEqual(Array.from(lloyd.labels!));
      expect(elkan.iterations).toBe(lloyd.iterations);
      elkan.centers!.data.forEach((v, k) => expect(v).toBeCloseTo(lloyd.centers!.data[k]!, 10));
      expect(elkan.distanceCount).toBeLessThan(lloyd.distanceCount / 2);
    }
  });
});
