import { loadIris } from '@mle/datasets';
import { Rng } from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  ElasticNet,
  Lasso,
  LinearRegression,
  LogisticRegression,
  Ridge,
  StandardScaler,
} from '../src/index.js';
import { dot, gaussianRows } from './helpers.js';

const TRUE_COEF = [2, -3, 0.5, 0, 7];
const X = gaussianRows(200, 5, 1);
const exact = X.map((x) => dot(x, TRUE_COEF) + 4);
const noise = new Rng(2);
const noisy = exact.map((v) => v + 0.5 * noise.nextNormal());

/** Xᵀ(y − Xβ − b) per column: the residual's correlation with each feature. */
function residualCorrelation(model: { coef?: Float64Array; intercept: number }, y: number[]): number[] {
  const r = X.map((x, i) => y[i]! - dot(x, model.coef!) - model.intercept);
  return TRUE_COEF.map((_, j) => X.reduce((s, x, i) => s + x[j]! * r[i]!, 0));
}

describe('LinearRegression', () => {
  it.each(['qr', 'cholesky', 'gd'] as const)(
    '%s recovers noise-free coefficients and intercept to 1e-8',
    (solver) => {
      const model = new LinearRegression({ solver }).fit(X, exact);
      model.coef!.forEach((c, j) => expect(c).toBeCloseTo(TRUE_COEF[j]!, 8));
      expect(model.intercept).toBeCloseTo(4, 8);
      expect(model.score(X, exact)).toBeCloseTo(1, 12);
    },
  );

  it('with noise, the residual is orthogonal to every feature (the normal equations hold)', () => {
    const model = new LinearRegression().fit(X, noisy);
    for (const c of residualCorrelation(model, noisy)) expect(Math.abs(c)).toBeLessThan(1e-9);
  });

  it('names a column that repeats another', () => {
    const repeated = X.map((x) => [...x, x[1]!]);
    expect(() => new LinearRegression().fit(repeated, exact)).toThrow('column 5 is a linear combination');
    expect(() => new LinearRegression({ solver: 'cholesky' }).fit(repeated, exact)).toThrow(
      'not positive definite',
    );
  });
});

describe('Ridge', () => {
  it('satisfies its closed form: Xcᵀ(y − Xβ − b) = α·β', () => {
    const model = new Ridge({ alpha: 25 }).fit(X, noisy);
    residualCorrelation(model, noisy).forEach((c, j) => expect(c).toBeCloseTo(25 * model.coef![j]!, 9));
  });

  it('shrinks towards zero as α grows, and equals least squares at α = 0', () => {
    const ols = new LinearRegression().fit(X, noisy).coef!;
    new Ridge({ alpha: 0 }).fit(X, noisy).coef!.forEach((c, j) => expect(c).toBeCloseTo(ols[j]!, 10));
    const norms = [1, 100, 10_000].map((alpha) => Math.hypot(...new Ridge({ alpha }).fit(X, noisy).coef!));
    expect(norms[0]).toBeGreaterThan(norms[1]!);
    expect(norms[1]).toBeGreaterThan(norms[2]!);
  });
});

describe('Lasso and ElasticNet', () => {
  it('the lasso solution satisfies the KKT conditions and zeroes the feature that does nothing', () => {
    const alpha = 0.2;
    const model = new Lasso({ alpha, tol: 1e-12, maxIter: 10_000 }).fit(X, noisy);
    const n = X.length;
    residualCorrelation(model, noisy).forEach((c, j) => {
      const w = model.coef![j]!;
      // (1/n)·x_jᵀr = α·sign(w_j) where w_j ≠ 0, and |(1/n)·x_jᵀr| ≤ α where w_j = 0.
      if (w !== 0) expect(c / n).toBeCloseTo(alpha * Math.sign(w), 8);
      else expect(Math.abs(c / n)).toBeLessThanOrEqual(alpha + 1e-10);
    });
    expect(model.coef![3]).toBe(0);
    expect(model.dualGap).toBeLessThan(1e-10);
  });

  it('the elastic net solution satisfies its own KKT conditions', () => {
    const [alpha, rho] = [0.3, 0.4];
    const model = new ElasticNet({ alpha, l1Ratio: rho, tol: 1e-12, maxIter: 10_000 }).fit(X, noisy);
    residualCorrelation(model, noisy).forEach((c, j) => {
      const w = model.coef![j]!;
      const smooth = c / X.length - alpha * (1 - rho) * w;
      if (w !== 0) expect(smooth).toBeCloseTo(alpha * rho * Math.sign(w), 8);
      else expect(Math.abs(smooth)).toBeLessThanOrEqual(alpha * rho + 1e-10);
    });
  });

  it('a large α zeroes every coefficient and predicts the mean', () => {
    const model = new Lasso({ alpha: 100 }).fit(X, noisy);
    expect(Array.from(model.coef!)).toEqual([0, 0, 0, 0, 0]);
    expect(model.intercept).toBeCloseTo(noisy.reduce((a, b) => a + b, 0) / noisy.length, 12);
  });
});

describe('LogisticRegression', () => {
  const iris = loadIris();
  const Z = new StandardScaler().fitTransform(iris.features);

  it('the gradient of its objective vanishes at the fit (checked by central differences of the loss)', () => {
    const model = new LogisticRegression({ C: 2 }).fit(Z, iris.labels);
    const w = Float64Array.from(model.weights!.data);
    const objective = (v: Float64Array) => {
      let loss = 0;
      for (let i = 0; i < Z.rows; i++) {
        const z = [0, 1, 2].map((k) => dot(Z.row(i), v.subarray(5 * k, 5 * k + 4)) + v[5 * k + 4]!);
        const top = Math.max(...z);
        loss += top + Math.log(z.reduce((s, t) => s + Math.exp(t - top), 0)) - z[iris.labels[i]!]!;
      }
      let penalty = 0;
      for (let k = 0; k < 3; k++) for (let j = 0; j < 4; j++) penalty += 0.5 * v[5 * k + j]! ** 2;
      return 2 * loss + penalty;
    };
    for (let p = 0; p < w.length; p++) {
      const h = 1e-5;
      const plus = Float64Array.from(w);
      const minus = Float64Array.from(w);
      plus[p]! += h;
      minus[p]! -= h;
      expect(Math.abs((objective(plus) - objective(minus)) / (2 * h))).toBeLessThan(1e-5);
    }
  });

  it('SGD lands within 2 points of L-BFGS accuracy, the same seed giving the same weights', () => {
    const lbfgs = new LogisticRegression().fit(Z, iris.labels).score(Z, iris.labels);
    const sgd = new LogisticRegression({ solver: 'sgd', seed: 3 }).fit(Z, iris.labels);
    expect(sgd.score(Z, iris.labels)).toBeGreaterThanOrEqual(lbfgs - 0.02);
    const again = new LogisticRegression({ solver: 'sgd', seed: 3 }).fit(Z, iris.labels);
    expect(Array.from(again.weights!.data)).toEqual(Array.from(sgd.weights!.data));
  });

  it('keeps the labels it was given: −1/+1 in, −1/+1 out, probabilities summing to 1', () => {
    const y = iris.labels.map((l) => (l === 0 ? 1 : -1));
    const model = new LogisticRegression().fit(Z, y);
    expect(Array.from(model.classes)).toEqual([-1, 1]);
    expect(new Set(model.predict(Z))).toEqual(new Set([-1, 1]));
    const p = model.predictProba(Z);
    for (let i = 0; i < p.rows; i++) expect(p.get(i, 0) + p.get(i, 1)).toBeCloseTo(1, 14);
    expect(model.score(Z, y)).toBe(1); // setosa is linearly separable from the rest
  });
});
