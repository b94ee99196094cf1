import { loadBostonHousing, loadIris, loadPenguins } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { DecisionTreeClassifier, DecisionTreeRegressor } from '../src/index.js';
import { gaussianRows, maxAbsDiff, sklearnReference } from './helpers.js';

const reference = sklearnReference.trees;
const boston = loadBostonHousing();
const penguins = loadPenguins();

describe('CART equals scikit-learn where no two splits tie', () => {
  it('regression tree, depth 5 on Boston housing: the same nodes and predictions', () => {
    const model = new DecisionTreeRegressor({ maxDepth: 5 }).fit(boston.features, boston.target);
    expect(model.tree!.nodeCount).toBe(reference.regression.nodes);
    expect(maxAbsDiff(model.predict(boston.features), reference.regression.predict)).toBeLessThan(1e-10);
  });

  it('Gini tree, depth 4 on penguins: the same probabilities', () => {
    const model = new DecisionTreeClassifier({ maxDepth: 4 }).fit(penguins.features, penguins.labels);
    expect(model.tree!.nodeCount).toBe(reference.gini.nodes);
    expect(maxAbsDiff(model.predictProba(penguins.features).data, reference.gini.proba.flat())).toBeLessThan(
      1e-12,
    );
  });

  it('entropy tree with at least 5 rows a leaf', () => {
    const model = new DecisionTreeClassifier({ criterion: 'entropy', maxDepth: 3, minSamplesLeaf: 5 }).fit(
      penguins.features,
      penguins.labels,
    );
    expect(model.tree!.nodeCount).toBe(reference.entropy.nodes);
    expect(
      maxAbsDiff(model.predictProba(penguins.features).data, reference.entropy.proba.flat()),
    ).toBeLessThan(1e-12);
  });

  it('cost-complexity pruning: the same path of α and impurities, and the same pruned tree at α = 0.5', () => {
    const path = new DecisionTreeRegressor({ minSamplesLeaf: 10 }).costComplexityPruningPath(
      boston.features,
      boston.target,
    );
    expect(path.alphas.length).toBe(reference.ccpPath.alphas.length);
    expect(maxAbsDiff(path.alphas, reference.ccpPath.alphas)).toBeLessThan(1e-9);
    expect(maxAbsDiff(path.impurities, reference.ccpPath.impurities)).toBeLessThan(1e-9);
    const pruned = new DecisionTreeRegressor({ minSamplesLeaf: 10, ccpAlpha: 0.5 }).fit(
      boston.features,
      boston.target,
    );
    expect(pruned.tree!.leafCount()).toBe(reference.pruned.leaves);
    expect(maxAbsDiff(pruned.predict(boston.features), reference.pruned.predict)).toBeLessThan(1e-10);
  });
});

describe('CART', () => {
  it('fits separable data exactly: every training row right, every leaf pure', () => {
    const X = gaussianRows(300, 3, 2);
    const y = X.map(([a, b, c]) => (a! * b! > 0 ? 1 : 0) + (c! > 0.5 ? 2 : 0)); // 4 classes, not axis-aligned
    const model = new DecisionTreeClassifier().fit(X, y);
    expect(model.score(X, y)).toBe(1);
    const tree = model.tree!;
    for (let c = 0; c < tree.nodeCount; c++) if (tree.isLeaf(c)) expect(tree.impurity[c]).toBe(0);
  });

  it('feature importances: the impurity decrease of each feature’s splits, summing to 1', () => {
    // y depends on x₀ alone; x₁ is noise. A stump on x₀ takes all the decrease.
    const X = gaussianRows(200, 2, 4);
    const y = X.map(([a]) => (a! > 0.3 ? 1 : 0));
    const stump = new DecisionTreeClassifier({ maxDepth: 1 }).fit(X, y);
    expect(Array.from(stump.featureImportances)).toEqual([1, 0]);
    const full = new DecisionTreeRegressor({ maxDepth: 3 }).fit(boston.features, boston.target);
    const importances = full.featureImportances;
    expect(importances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    const tree = full.tree!;
    // The root's share by hand: its decrease over the total decrease of all splits.
    const decrease = (c: number) =>
      tree.weight[c]! * tree.impurity[c]! -
      tree.weight[tree.left[c]!]! * tree.impurity[tree.left[c]!]! -
      tree.weight[tree.right[c]!]! * tree.impurity[tree.right[c]!]!;
    let total = 0;
    let rootFeature = 0;
    for (let c = 0; c < tree.nodeCount; c++) {
      if (tree.isLeaf(c)) continue;
      total += decrease(c);
      if (tree.feature[c] === tree.feature[0]) rootFeature += decrease(c);
    }
    expect(importances[tree.feature[0]!]).toBeCloseTo(rootFeature / total, 12);
  });

  it('respects maxDepth, minSamplesLeaf and minSamplesSplit', () => {
    const iris = loadIris();
    const shallow = new DecisionTreeClassifier({ maxDepth: 2 }).fit(iris.features, iris.labels);
    expect(shallow.tree!.maxDepth()).toBe(2);
    const leafy = new DecisionTreeClassifier({ minSamplesLeaf: 20 }).fit(iris.features, iris.labels);
    const leaves = leafy.apply(iris.features);
    const sizes = new Map<number, number>();
    for (const l of leaves) sizes.set(l, (sizes.get(l) ?? 0) + 1);
    for (const size of sizes.values()) expect(size).toBeGreaterThanOrEqual(20);
    const stump = new DecisionTreeClassifier({ minSamplesSplit: 151 }).fit(iris.features, iris.labels);
    expect(stump.tree!.nodeCount).toBe(1);
  });

  it('histogram bins: with as many bins as distinct values the tree is the exact one; with few, close to it', () => {
    const X = gaussianRows(2000, 4, 6).map((x) => x.map((v) => Math.round(v * 20) / 20)); // ≤ ~160 distinct values
    const y = X.map(([a, b, c, d]) => Math.sin(2 * a!) + b! * c! + 0.1 * d!);
    const exact = new DecisionTreeRegressor({ maxDepth: 6 }).fit(X, y);
    const binned = new DecisionTreeRegressor({ maxDepth: 6, maxBins: 255 }).fit(X, y);
    expect(maxAbsDiff(binned.predict(X), Array.from(exact.predict(X)))).toBeLessThan(1e-9);
    const coarse = new DecisionTreeRegressor({ maxDepth: 6, maxBins: 16 }).fit(X, y);
    expect(coarse.score(X, y)).toBeGreaterThan(exact.score(X, y) - 0.05);
  });
});
