import { describe, expect, it } from 'vitest';
import {
  ElasticNet,
  KMeans,
  Lasso,
  LinearRegression,
  LogisticRegression,
  loadModel,
  PCA,
  PolynomialFeatures,
  Ridge,
  StandardScaler,
} from '../src/index.js';
import { gaussianRows } from './helpers.js';

const X = gaussianRows(20, 3, 1);
const y = X.map((x, i) => x[0]! + (i % 2));
const labels = X.map((_, i) => i % 2);

describe('bad input gets an error naming what was wrong', () => {
  it('mismatched X and y lengths', () => {
    expect(() => new LinearRegression().fit(X, y.slice(1))).toThrow('X has 20 rows but y has 19 values');
    expect(() => new LogisticRegression().fit(X, labels.slice(2))).toThrow(
      'X has 20 rows but y has 18 labels',
    );
  });

  it('NaN or infinite features, by row and column', () => {
    const bad = X.map((x) => [...x]);
    bad[7]![2] = Number.NaN;
    expect(() => new Ridge().fit(bad, y)).toThrow('X[7][2] is NaN; features must be finite');
    bad[7]![2] = Number.POSITIVE_INFINITY;
    expect(() => new PCA().fit(bad)).toThrow('X[7][2] is Infinity');
    expect(() => new LinearRegression().fit(X, [...y.slice(0, 19), Number.NaN])).toThrow('y[19] is NaN');
  });

  it('ragged rows, empty X, and values that are not numbers', () => {
    expect(() => new StandardScaler().fit([[1, 2], [3]])).toThrow('row 1 has 1 values, row 0 has 2');
    expect(() => new StandardScaler().fit([])).toThrow('X has no rows');
    expect(() => new StandardScaler().fit([[1, '2' as unknown as number]])).toThrow('X[0][1] is string');
  });

  it('a single class for a classifier', () => {
    expect(() =>
      new LogisticRegression().fit(
        X,
        X.map(() => 3),
      ),
    ).toThrow('y has a single class (3)');
  });

  it('k larger than n', () => {
    expect(() => new KMeans({ nClusters: 21 }).fit(X)).toThrow('nClusters = 21 is more than the 20 rows');
    expect(() => new PCA({ nComponents: 4 }).fit(X)).toThrow('nComponents 4 exceeds min(rows, columns) = 3');
  });

  it('predict before fit', () => {
    for (const model of [
      new LinearRegression(),
      new Ridge(),
      new Lasso(),
      new ElasticNet(),
      new LogisticRegression(),
    ])
      expect(() => model.predict(X)).toThrow('call fit before using the model');
    expect(() => new PCA().transform(X)).toThrow('PCA: call fit before');
    expect(() => new KMeans().predict(X)).toThrow('KMeans: call fit before');
    expect(() => new PolynomialFeatures().transform(X)).toThrow('PolynomialFeatures: call fit before');
  });

  it('a feature count that differs from fit', () => {
    const wide = X.map((x) => [...x, 1]);
    expect(() => new Ridge().fit(X, y).predict(wide)).toThrow(
      'X has 4 features, but the model was fitted with 3',
    );
    expect(() => new LogisticRegression().fit(X, labels).predictProba(wide)).toThrow('fitted with 3');
    expect(() => new StandardScaler().fit(X).transform(wide)).toThrow('fitted with 3');
  });

  it('hyperparameters out of range', () => {
    expect(() => new Ridge({ alpha: -1 })).toThrow('alpha must be ≥ 0, got -1');
    expect(() => new ElasticNet({ l1Ratio: 2 })).toThrow('l1Ratio must be in [0, 1], got 2');
    expect(() => new LogisticRegression({ C: 0 })).toThrow('C must be > 0, got 0');
    expect(() => new LinearRegression({ solver: 'svd' as 'qr' })).toThrow(
      "solver must be 'qr', 'cholesky' or 'gd'",
    );
    expect(() => new KMeans({ nClusters: 0 })).toThrow('nClusters must be a whole number ≥ 1');
    expect(() => new PCA({ nComponents: 1.5 })).toThrow(
      'nComponents must be a whole number ≥ 1 or a fraction',
    );
  });

  it('a model JSON of an unknown type', () => {
    expect(() => loadModel({ type: 'Perceptron', params: {}, state: null })).toThrow(
      'unknown model type "Perceptron"; known: KMeans,',
    );
  });
});
