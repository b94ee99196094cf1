import { loadBostonHousing, loadIris, loadPenguins } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  DecisionTreeClassifier,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  loadModel,
  NewtonBoosting,
  RandomForestClassifier,
  RandomForestRegressor,
  stratifiedKFold,
} from '../src/index.js';
import { gaussianRows, maxAbsDiff, sklearnReference } from './helpers.js';

const reference = sklearnReference.boosting;
const boston = loadBostonHousing();
const penguins = loadPenguins();

describe('gradient boosting equals scikit-learn (same trees, same leaf steps)', () => {
  it('squared error, 30 rounds of depth 3 on Boston housing', () => {
    const model = new GradientBoostingRegressor({ nEstimators: 30 }).fit(boston.features, boston.target);
    expect(maxAbsDiff(model.predict(boston.features), reference.squared)).toBeLessThan(1e-9);
  });

  it('absolute error: median start and median leaf steps', () => {
    const model = new GradientBoostingRegressor({ loss: 'absolute_error', nEstimators: 10, maxDepth: 2 }).fit(
      boston.features,
      boston.target,
    );
    expect(maxAbsDiff(model.predict(boston.features), reference.absolute)).toBeLessThan(1e-9);
  });

  it('log-loss, two classes (Adelie against Chinstrap) and three (all penguins)', () => {
    const rows = penguins.labels.map((l, i) => (l < 2 ? i : -1)).filter((i) => i >= 0);
    const X2 = rows.map((i) => penguins.features[i]!);
    const y2 = rows.map((i) => penguins.labels[i]!);
    const binary = new GradientBoostingClassifier({ nEstimators: 20, maxDepth: 2 }).fit(X2, y2);
    expect(maxAbsDiff(binary.predictProba(X2).data, reference.binary.flat())).toBeLessThan(1e-9);
    const multi = new GradientBoostingClassifier({ nEstimators: 20, maxDepth: 2 }).fit(
      penguins.features,
      penguins.labels,
    );
    expect(maxAbsDiff(multi.predictProba(penguins.features).data, reference.multiclass.flat())).toBeLessThan(
      1e-9,
    );
  });
});

describe('gradient boosting', () => {
  it('the training loss falls round after round (shrinkage 0.1, full sample)', () => {
    const model = new GradientBoostingRegressor({ nEstimators: 40 }).fit(boston.features, boston.target);
    const loss = model.trainLoss;
    for (let r = 1; r < loss.length; r++) expect(loss[r]).toBeLessThan(loss[r - 1]!);
    const staged = model.stagedPredict(boston.features);
    expect(Array.from(staged[staged.length - 1]!)).toEqual(Array.from(model.predict(boston.features)));
  });

  it('histogram splits (255 bins) reach the exact trees’ fit on a larger seeded problem', () => {
    const X = gaussianRows(3000, 6, 3);
    const y = X.map(([a, b, c, d]) => Math.sin(2 * a!) + b! * c! + 0.3 * d! * d!);
    const exact = new GradientBoostingRegressor({ nEstimators: 60, learningRate: 0.3 }).fit(X, y).score(X, y);
    const binned = new GradientBoostingRegressor({ nEstimators: 60, learningRate: 0.3, maxBins: 255 })
      .fit(X, y)
      .score(X, y);
    expect(exact).toBeGreaterThan(0.8);
    expect(Math.abs(binned - exact)).toBeLessThan(0.01);
  });

  it('subsampling is seeded: the same seed, the same model; another seed, another model', () => {
    const make = (seed: number) =>
      new GradientBoostingRegressor({ nEstimators: 10, subsample: 0.5, seed }).fit(
        boston.features,
        boston.target,
      );
    expect(Array.from(make(1).predict(boston.features))).toEqual(
      Array.from(make(1).predict(boston.features)),
    );
    expect(Array.from(make(1).predict(boston.features))).not.toEqual(
      Array.from(make(2).predict(boston.features)),
    );
  });
});

describe('random forests', () => {
  const iris = loadIris();

  it('one tree, no bootstrap, every feature: exactly the CART tree', () => {
    const forest = new RandomForestClassifier({
      nEstimators: 1,
      bootstrap: false,
      maxFeatures: undefined,
    }).fit(penguins.features, penguins.labels);
    const tree = new DecisionTreeClassifier().fit(penguins.features, penguins.labels);
    expect(Array.from(forest.predictProba(penguins.features).data)).toEqual(
      Array.from(tree.predictProba(penguins.features).data),
    );
  });

  it('the out-of-bag score estimates held-out accuracy: within 3 points of 10-fold cross-validation', () => {
    const forest = new RandomForestClassifier({ nEstimators: 60, oobScore: true, seed: 2 }).fit(
      iris.features,
      iris.labels,
    );
    const cv = crossValidate(
      new RandomForestClassifier({ nEstimators: 60, seed: 2 }),
      iris.features,
      iris.labels,
      stratifiedKFold(iris.labels, 10, 0),
    );
    expect(Math.abs(forest.oobScore - cv.mean)).toBeLessThan(0.03);
    expect(forest.oobScore).toBeGreaterThan(0.92);
  });

  it('averaging trees beats one tree on held-out Boston housing, and importances sum to 1', () => {
    const folds = stratifiedKFold(
      boston.target.map((_, i) => i % 5),
      5,
      0,
    );
    const forest = crossValidate(
      new RandomForestRegressor({ nEstimators: 40, seed: 1 }),
      boston.features,
      boston.target,
      folds,
    );
    const tree = crossValidate(
      new RandomForestRegressor({ nEstimators: 1, bootstrap: false }),
      boston.features,
      boston.target,
      folds,
    );
    expect(forest.mean).toBeGreaterThan(tree.mean + 0.05);
    const model = new RandomForestRegressor({ nEstimators: 10 }).fit(boston.features, boston.target);
    expect(model.featureImportances.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('staged predictions', () => {
  it('after each round equal a model with that many rounds', () => {
    const X = loadIris().features;
    const y = loadIris().labels;
    const full = new GradientBoostingClassifier({ nEstimators: 6, maxDepth: 2 }).fit(X, y);
    const stages = full.stagedPredictProba(X);
    expect(stages).toHaveLength(6);
    const three = new GradientBoostingClassifier({ nEstimators: 3, maxDepth: 2 }).fit(X, y);
    expect(Array.from(stages[2]!.data)).toEqual(Array.from(three.predictProba(X).data));
    expect(Array.from(stages[5]!.data)).toEqual(Array.from(full.predictProba(X).data));
  });
});

describe('boosting a custom objective with Newton leaf values', () => {
  const mean = boston.target.reduce((a, b) => a + b, 0) / boston.target.length;
  const centred = boston.target.map((y) => y - mean); // so the regressor's starting constant is the booster's 0

  it('the squared error as an objective (g = F − y, h = 1) equals GradientBoostingRegressor', () => {
    const params = { nEstimators: 20, maxDepth: 3, learningRate: 0.2 };
    const reference = new GradientBoostingRegressor(params).fit(boston.features, centred);
    const custom = new NewtonBoosting(params).fit(boston.features, {
      derivatives(F, g, h) {
        for (let i = 0; i < F.length; i++) {
          g[i] = F[i]! - centred[i]!;
          h[i] = 1;
        }
      },
      loss: (F) => F.reduce((s, f, i) => s + (f - centred[i]!) ** 2, 0) / (2 * F.length),
    });
    expect(maxAbsDiff(custom.predict(boston.features), reference.predict(boston.features))).toBeLessThan(
      1e-9,
    );
    expect(custom.trainLoss.at(-1)).toBeCloseTo(reference.trainLoss.at(-1)!, 9);
    const again = NewtonBoosting.fromJSON(JSON.parse(JSON.stringify(custom.toJSON())));
    expect(Array.from(again.predict(boston.features))).toEqual(Array.from(custom.predict(boston.features)));
    expect(() => loadModel(custom.toJSON())).toThrow('unknown model type "NewtonBoosting"');
  });

  it('a hessian scales the step: the same gradient with h = 2 takes half the leaf value', () => {
    const fit = (hessian: number) =>
      new NewtonBoosting({ nEstimators: 1, maxDepth: 2, learningRate: 1 }).fit(boston.features, {
        derivatives(F, g, h) {
          for (let i = 0; i < F.length; i++) {
            g[i] = F[i]! - centred[i]!;
            h[i] = hessian;
          }
        },
      });
    const one = fit(1).predict(boston.features);
    const two = fit(2).predict(boston.features);
    expect(
      maxAbsDiff(
        two,
        one.map((v) => v / 2),
      ),
    ).toBeLessThan(1e-12);
  });

  it('refuses an objective that returns a NaN gradient or a negative hessian, naming the row', () => {
    const bad = (gi: number, hi: number) => () =>
      new NewtonBoosting({ nEstimators: 1 }).fit(boston.features, {
        derivatives(_F, g, h) {
          g.fill(0);
          h.fill(1);
          g[3] = gi;
          h[3] = hi;
        },
      });
    expect(bad(Number.NaN, 1)).toThrow('the objective gave row 3 gradient NaN and hessian 1');
    expect(bad(0, -1)).toThrow(
      'row 3 gradient 0 and hessian -1; expected a finite gradient and a hessian ≥ 0',
    );
  });
});
