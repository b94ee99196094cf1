import { loadIris } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  kFold,
  LogisticRegression,
  MinMaxScaler,
  minimizeLbfgs,
  SimpleImputer,
  StandardScaler,
  stratifiedKFold,
  trainTestSplit,
} from '../src/index.js';

describe('model selection', () => {
  it('stratified folds partition the indices and keep each class’s share', () => {
    const labels = Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 'rare' : 'common'));
    const folds = stratifiedKFold(labels, 5, 7);
    expect(folds.flat().sort((a, b) => a - b)).toEqual(labels.map((_, i) => i));
    for (const fold of folds) {
      const rare = fold.filter((i) => labels[i] === 'rare').length;
      expect(Math.abs(rare - 26 / 5)).toBeLessThanOrEqual(1);
    }
    expect(stratifiedKFold(labels, 5, 7)).toEqual(folds);
    expect(() => stratifiedKFold(['a', 'a', 'b'], 2, 0)).toThrow('class b has 1 examples, fewer than k = 2');
  });

  it('k-fold deals n rows into k folds of sizes differing by at most one', () => {
    const folds = kFold(10, 3);
    expect(folds).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
    ]);
    const shuffled = kFold(10, 3, { shuffle: true, seed: 1 });
    expect(shuffled.flat().sort((a, b) => a - b)).toEqual([...Array(10).keys()]);
    expect(() => kFold(3, 4)).toThrow('k must be a whole number in [2, n = 3]');
  });

  it('train/test split keeps class shares when stratified', () => {
    const y = Array.from({ length: 40 }, (_, i) => (i < 10 ? 1 : 0));
    const { train, test } = trainTestSplit(40, { testSize: 0.2, seed: 3, stratify: y });
    expect(test.length).toBe(8);
    expect(test.filter((i) => y[i] === 1).length).toBe(2);
    expect([...train, ...test].sort((a, b) => a - b)).toEqual([...Array(40).keys()]);
    expect(() => trainTestSplit(10, { testSize: 1 })).toThrow('testSize must be in (0, 1)');
  });

  it('cross-validates an unfitted copy on each fold: iris logistic regression scores 96–97%, the published range', () => {
    const iris = loadIris();
    const model = new LogisticRegression({ maxIter: 2000 });
    const cv = crossValidate(model, iris.features, iris.labels, stratifiedKFold(iris.labels, 10, 0));
    expect(cv.scores).toHaveLength(10);
    expect(cv.mean).toBeGreaterThanOrEqual(0.96);
    expect(cv.mean).toBeLessThanOrEqual(0.98);
    expect(model.weights).toBeUndefined(); // the model passed in stays unfitted
  });
});

describe('preprocessing', () => {
  const X = [
    [1, 10, 5],
    [3, 30, 5],
    [2, 20, 5],
  ];

  it('StandardScaler: zero mean, unit population variance; a constant column is only centered', () => {
    const Z = new StandardScaler().fitTransform(X);
    expect(Z.column(0)[0]).toBeCloseTo(-1 / Math.sqrt(2 / 3), 14);
    expect(Array.from(Z.column(2))).toEqual([0, 0, 0]);
  });

  it('MinMaxScaler maps the training range onto featureRange', () => {
    const Z = new MinMaxScaler({ featureRange: [-1, 1] }).fitTransform(X);
    expect(Array.from(Z.column(0))).toEqual([-1, 1, 0]);
    expect(Array.from(Z.column(2))).toEqual([-1, -1, -1]);
    expect(() => new MinMaxScaler({ featureRange: [1, 0] })).toThrow('low < high');
  });

  it('SimpleImputer fills NaN with the column mean or median of the training rows', () => {
    const holes = [
      [1, Number.NaN],
      [2, 4],
      [Number.NaN, 8],
      [10, 9],
    ];
    expect(new SimpleImputer().fitTransform(holes).toArrays()).toEqual([
      [1, 7],
      [2, 4],
      [13 / 3, 8],
      [10, 9],
    ]);
    expect(new SimpleImputer({ strategy: 'median' }).fit(holes).statistics).toEqual(Float64Array.of(2, 8));
    expect(() => new SimpleImputer().fit([[1], [Number.POSITIVE_INFINITY]])).toThrow(
      'only NaN counts as missing',
    );
  });
});

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function, (1, 1), from (−1.2, 1)', () => {
    const result = minimizeLbfgs(
      (v, g) => {
        const [a, b] = [v[0]!, v[1]!];
        g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
        g[1] = 200 * (b - a * a);
        return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
      },
      Float64Array.of(-1.2, 1),
      { tolerance: 1e-10 },
    );
    expect(result.converged).toBe(true);
    expect(result.x[0]).toBeCloseTo(1, 8);
    expect(result.x[1]).toBeCloseTo(1, 8);
  });
});
