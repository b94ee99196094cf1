import { loadBostonHousing, loadIris, loadPenguins } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  adjustedRandIndex,
  ElasticNet,
  GaussianNB,
  KMeans,
  KNeighborsClassifier,
  KNeighborsRegressor,
  Lasso,
  LinearRegression,
  LogisticRegression,
  MultinomialNB,
  PCA,
  PolynomialFeatures,
  Ridge,
  StandardScaler,
  silhouetteScore,
} from '../src/index.js';
import { maxRelativeError, sklearnReference } from './helpers.js';

const reference = sklearnReference;

const iris = loadIris();
const boston = loadBostonHousing();

describe('the data are the ones scikit-learn fitted', () => {
  it.each([
    ['iris', iris.features],
    ['boston', boston.features],
    ['penguins', loadPenguins().features],
  ] as const)('%s: same rows and feature sum', (name, X) => {
    expect(X.length).toBe(reference.data[name].rows);
    expect(X.flat().reduce((a, b) => a + b, 0)).toBeCloseTo(reference.data[name].sum, 6);
  });
});

describe('linear models equal scikit-learn on Boston housing', () => {
  it.each(['qr', 'cholesky', 'gd'] as const)('LinearRegression (%s) to 1e-6', (solver) => {
    const model = new LinearRegression({ solver }).fit(boston.features, boston.target);
    expect(maxRelativeError(model.coef!, reference.linearRegression.coef)).toBeLessThan(1e-6);
    expect(model.intercept).toBeCloseTo(reference.linearRegression.intercept, 5);
  });

  it('Ridge (α = 1) to 1e-8', () => {
    const model = new Ridge({ alpha: 1 }).fit(boston.features, boston.target);
    expect(maxRelativeError(model.coef!, reference.ridge.coef)).toBeLessThan(1e-8);
    expect(model.intercept).toBeCloseTo(reference.ridge.intercept, 8);
  });

  it('StandardScaler, then Lasso and ElasticNet (α = 0.1) by coordinate descent to 1e-6', () => {
    const scaler = new StandardScaler().fit(boston.features);
    expect(maxRelativeError(scaler.shift!, reference.standardScaler.mean)).toBeLessThan(1e-12);
    expect(maxRelativeError(scaler.scale!, reference.standardScaler.scale)).toBeLessThan(1e-12);
    const Z = scaler.transform(boston.features);
    const lasso = new Lasso({ alpha: 0.1, tol: 1e-12, maxIter: 100_000 }).fit(Z, boston.target);
    expect(maxRelativeError(lasso.coef!, reference.lasso.coef)).toBeLessThan(1e-6);
    expect(lasso.intercept).toBeCloseTo(reference.lasso.intercept, 8);
    const net = new ElasticNet({ alpha: 0.1, l1Ratio: 0.5, tol: 1e-12, maxIter: 100_000 }).fit(
      Z,
      boston.target,
    );
    expect(maxRelativeError(net.coef!, reference.elasticNet.coef)).toBeLessThan(1e-6);
    // The same zeros: the lasso's sparsity pattern is the part a loose solver gets wrong.
    expect(Array.from(lasso.coef!, (c) => c === 0)).toEqual(reference.lasso.coef.map((c: number) => c === 0));
  });
});

describe('logistic regression equals scikit-learn on iris', () => {
  it('multinomial (three classes, C = 1): an objective no higher than scikit-learn’s, weights within 2e-4, probabilities within 5e-5', () => {
    const model = new LogisticRegression({ C: 1, tol: 1e-9 }).fit(iris.features, iris.labels);
    expect(model.converged).toBe(true);
    const ours = model.weights!.data;
    const theirs = new Float64Array(15);
    reference.logisticMultinomial.coef.forEach((row: number[], k: number) => {
      theirs.set(row, 5 * k);
      theirs[5 * k + 4] = reference.logisticMultinomial.intercept[k];
    });
    // scipy's L-BFGS-B stops a little short of the minimum (its objective is ~1e-7 higher than ours), so the
    // weights agree to the accuracy its stopping point allows, and ours must not be the worse minimiser.
    expect(multinomialObjective(ours, 1)).toBeLessThanOrEqual(multinomialObjective(theirs, 1) + 1e-12);
    expect(maxRelativeError(ours, Array.from(theirs))).toBeLessThan(2e-4);
    const rows = iris.features.filter((_, i) => i % 15 === 0);
    expect(
      maxRelativeError(model.predictProba(rows).data, reference.logisticMultinomial.proba.flat()),
    ).toBeLessThan(5e-5);
  });

  it('binary (versicolor against virginica, C = 0.5): one weight vector to 1e-5', () => {
    const rows = iris.labels.map((y, i) => (y > 0 ? i : -1)).filter((i) => i >= 0);
    const model = new LogisticRegression({ C: 0.5, tol: 1e-9 }).fit(
      rows.map((i) => iris.features[i]!),
      rows.map((i) => iris.labels[i]!),
    );
    expect(model.weights!.rows).toBe(1);
    expect(
      maxRelativeError(model.weights!.row(0).subarray(0, 4), reference.logisticBinary.coef),
    ).toBeLessThan(1e-5);
    expect(model.weights!.get(0, 4)).toBeCloseTo(reference.logisticBinary.intercept, 4);
  });
});

/** C·Σ cross-entropy + ½‖W‖² over iris, written out here apart from the model's code; w packs 3 × (4 weights, bias). */
function multinomialObjective(w: ArrayLike<number>, C: number): number {
  let loss = 0;
  iris.features.forEach((x, i) => {
    const z = [0, 1, 2].map((k) => x.reduce((s, v, j) => s + v * w[5 * k + j]!, w[5 * k + 4]!));
    const top = Math.max(...z);
    loss += top + Math.log(z.reduce((s, v) => s + Math.exp(v - top), 0)) - z[iris.labels[i]!]!;
  });
  let penalty = 0;
  for (let k = 0; k < 3; k++) for (let j = 0; j < 4; j++) penalty += 0.5 * w[5 * k + j]! ** 2;
  return C * loss + penalty;
}

describe('unsupervised models equal scikit-learn on iris', () => {
  it('PCA: components (with their signs), variances and ratios to 1e-10; the first explains 92.5%', () => {
    const pca = new PCA().fit(iris.features);
    expect(maxRelativeError(pca.components!.data, reference.pca.components.flat())).toBeLessThan(1e-10);
    expect(maxRelativeError(pca.explainedVariance!, reference.pca.explainedVariance)).toBeLessThan(1e-10);
    expect(maxRelativeError(pca.explainedVarianceRatio!, reference.pca.explainedVarianceRatio)).toBeLessThan(
      1e-10,
    );
    expect(maxRelativeError(pca.singularValues!, reference.pca.singularValues)).toBeLessThan(1e-10);
    expect(pca.explainedVarianceRatio![0]).toBeCloseTo(0.9246, 4);
  });

  it('k-means (k = 3): the same inertia, the same partition, silhouette and adjusted Rand index', () => {
    const kmeans = new KMeans({ nClusters: 3, seed: 0 }).fit(iris.features);
    expect(kmeans.inertia).toBeCloseTo(reference.kmeans.inertia, 8);
    expect(adjustedRandIndex(kmeans.labels!, reference.kmeans.labels)).toBe(1);
    expect(silhouetteScore(iris.features, reference.kmeans.labels)).toBeCloseTo(
      reference.kmeans.silhouette,
      12,
    );
    expect(adjustedRandIndex(iris.labels, reference.kmeans.labels)).toBeCloseTo(reference.kmeans.ari, 12);
  });
});

describe('neighbours and naive Bayes equal scikit-learn (fitted on the even rows, asked about the odd ones)', () => {
  const even = iris.features.filter((_, i) => i % 2 === 0);
  const odd = iris.features.filter((_, i) => i % 2 === 1);
  const yEven = iris.labels.filter((_, i) => i % 2 === 0);

  it.each(['brute', 'kd_tree'] as const)(
    'k-nearest neighbours (%s): the same class shares and predictions',
    (algorithm) => {
      const uniform = new KNeighborsClassifier({ nNeighbors: 5, algorithm }).fit(even, yEven);
      expect(maxRelativeError(uniform.predictProba(odd).data, reference.knn.uniform.flat())).toBeLessThan(
        1e-12,
      );
      const weighted = new KNeighborsClassifier({ nNeighbors: 7, weights: 'distance', algorithm }).fit(
        even,
        yEven,
      );
      expect(Array.from(weighted.predict(odd))).toEqual(reference.knn.distance);
      const bostonEven = boston.features.filter((_, i) => i % 2 === 0);
      const regression = new KNeighborsRegressor({ nNeighbors: 4, algorithm }).fit(
        bostonEven,
        boston.target.filter((_, i) => i % 2 === 0),
      );
      const bostonOdd = boston.features.filter((_, i) => i % 2 === 1);
      expect(maxRelativeError(regression.predict(bostonOdd), reference.knn.regression)).toBeLessThan(1e-12);
    },
  );

  it('Gaussian naive Bayes: means, variances (with var_smoothing) and probabilities', () => {
    const model = new GaussianNB().fit(even, yEven);
    expect(maxRelativeError(model.theta!.data, reference.gaussianNB.theta.flat())).toBeLessThan(1e-12);
    expect(maxRelativeError(model.variance!.data, reference.gaussianNB.var.flat())).toBeLessThan(1e-12);
    expect(maxRelativeError(model.predictProba(odd).data, reference.gaussianNB.proba.flat())).toBeLessThan(
      1e-9,
    );
  });

  it('multinomial naive Bayes (α = 0.5): log-probabilities of the features and the class probabilities', () => {
    const model = new MultinomialNB({ alpha: 0.5 }).fit(even, yEven);
    expect(
      maxRelativeError(model.featureLogProb!.data, reference.multinomialNB.featureLogProb.flat()),
    ).toBeLessThan(1e-12);
    expect(maxRelativeError(model.predictProba(odd).data, reference.multinomialNB.proba.flat())).toBeLessThan(
      1e-9,
    );
  });
});

describe('PolynomialFeatures equals scikit-learn', () => {
  it('degree 3 with bias, and interaction-only without', () => {
    expect(new PolynomialFeatures({ degree: 3 }).fitTransform(reference.polynomial.input).toArrays()).toEqual(
      reference.polynomial.output,
    );
    const inter = new PolynomialFeatures({ degree: 3, interactionOnly: true, includeBias: false });
    expect(inter.fitTransform(reference.polynomial.input).toArrays()).toEqual(
      reference.polynomialInteraction,
    );
  });
});
