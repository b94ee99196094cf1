import { loadIris } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { LinearSVC, StandardScaler, SVC } from '../src/index.js';
import { gaussianRows, maxAbsDiff, sklearnReference } from './helpers.js';

const reference = sklearnReference.svm;
const iris = loadIris();
const Z = new StandardScaler().fitTransform(iris.features);
const even = (rows: readonly (readonly number[])[] | number[][]) => rows.filter((_, i) => i % 2 === 0);
const odd = (rows: readonly (readonly number[])[] | number[][]) => rows.filter((_, i) => i % 2 === 1);
const yEven = iris.labels.filter((_, i) => i % 2 === 0);

describe('SVC equals scikit-learn (libsvm) solved to the same tolerance', () => {
  it('RBF kernel, γ = scale, one-against-one on iris: the same support vectors, decision values and predictions', () => {
    const model = new SVC({ C: 1, tol: 1e-8 }).fit(even(iris.features), yEven);
    expect(model.supportVectors!.rows).toBe(reference.rbf.supportCount);
    expect(
      maxAbsDiff(model.decisionFunction(odd(iris.features)).data, reference.rbf.decision.flat()),
    ).toBeLessThan(1e-6);
    expect(Array.from(model.predict(odd(iris.features)))).toEqual(reference.rbf.predict);
  });

  it('polynomial kernel (degree 2, coef0 1, γ = auto)', () => {
    const rows = Z.toArrays();
    const model = new SVC({ C: 0.5, kernel: 'poly', degree: 2, gamma: 'auto', coef0: 1, tol: 1e-8 }).fit(
      even(rows),
      yEven,
    );
    expect(maxAbsDiff(model.decisionFunction(odd(rows)).data, reference.poly.decision.flat())).toBeLessThan(
      1e-6,
    );
  });

  it('linear SVM by dual coordinate descent equals liblinear (hinge loss, penalised intercept)', () => {
    const model = new LinearSVC({ C: 0.5, tol: 1e-10, maxIter: 100_000 }).fit(Z, iris.labels);
    const W = model.weights!;
    for (let k = 0; k < 3; k++) {
      expect(maxAbsDiff(W.row(k).subarray(0, 4), reference.linear.coef[k])).toBeLessThan(1e-6);
      expect(W.get(k, 4)).toBeCloseTo(reference.linear.intercept[k], 6);
    }
    const rows = Z.toArrays().filter((_, i) => iris.labels[i]! > 0);
    const labels = iris.labels.filter((l) => l > 0);
    const binary = new LinearSVC({ C: 0.5, tol: 1e-10, maxIter: 100_000 }).fit(rows, labels);
    expect(maxAbsDiff(binary.weights!.row(0).subarray(0, 4), reference.linearBinary.coef)).toBeLessThan(1e-6);
    expect(binary.weights!.get(0, 4)).toBeCloseTo(reference.linearBinary.intercept, 6);
  });
});

describe('SVC', () => {
  it('separates two rings that no line can (RBF), where a linear SVM cannot', () => {
    const X = gaussianRows(200, 2, 7).map(([a, b], i) => {
      const r = i % 2 === 0 ? 1 : 3;
      const norm = Math.hypot(a!, b!) || 1;
      return [(r * a!) / norm, (r * b!) / norm];
    });
    const y = X.map((_, i) => i % 2);
    expect(new SVC({ C: 10 }).fit(X, y).score(X, y)).toBe(1);
    expect(new LinearSVC().fit(X, y).score(X, y)).toBeLessThan(0.7);
  });

  it('the kernel cache may hold only two rows and the solution is the same', () => {
    const full = new SVC({ tol: 1e-6 }).fit(even(iris.features), yEven);
    const tiny = new SVC({ tol: 1e-6, cacheSize: 1e-6 }).fit(even(iris.features), yEven);
    expect(
      maxAbsDiff(
        tiny.decisionFunction(odd(iris.features)).data,
        Array.from(full.decisionFunction(odd(iris.features)).data),
      ),
    ).toBeLessThan(1e-12);
  });
});
