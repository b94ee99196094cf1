import { loadIris } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  crossValidate,
  gridSearch,
  KNeighborsClassifier,
  LogisticRegression,
  Pipeline,
  Ridge,
  StandardScaler,
  stratifiedKFold,
} from '../src/index.js';

const iris = loadIris();
const folds = stratifiedKFold(iris.labels, 5, 1);

describe('Pipeline', () => {
  it('fits the scaler on the training rows only, then the model on the scaled rows', () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['model', new KNeighborsClassifier()],
    ]);
    const train = iris.features.slice(0, 120);
    pipe.fit(train, iris.labels.slice(0, 120));
    const scaler = pipe.steps[0]![1] as StandardScaler;
    const manual = new StandardScaler().fit(train);
    expect(Array.from(scaler.shift!)).toEqual(Array.from(manual.shift!));
    const direct = new KNeighborsClassifier().fit(manual.transform(train), iris.labels.slice(0, 120));
    const test = iris.features.slice(120);
    expect(Array.from(pipe.predict(test))).toEqual(Array.from(direct.predict(manual.transform(test))));
  });

  it('withParams reaches into a step by name and leaves the original alone', () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['model', new LogisticRegression()],
    ]);
    const changed = pipe.withParams({ model: { C: 10 } });
    expect(changed.params.model!.C).toBe(10);
    expect(pipe.params.model!.C).toBe(1);
    expect(() => pipe.withParams({ scaler: {} })).toThrow('no step named "scaler" (steps: scale, model)');
    expect(
      () =>
        new Pipeline([
          ['model', new LogisticRegression()],
          ['scale', new StandardScaler()],
        ]),
    ).toThrow('step "model" comes before the last, so it must transform');
  });
});

describe('gridSearch', () => {
  it('cross-validates every combination on the same folds and refits the best', () => {
    const pipe = new Pipeline([
      ['scale', new StandardScaler()],
      ['model', new KNeighborsClassifier()],
    ]);
    const search = gridSearch(
      pipe,
      { 'model.nNeighbors': [1, 5, 15], 'model.weights': ['uniform', 'distance'] },
      iris.features,
      iris.labels,
      folds,
    );
    expect(search.results).toHaveLength(6);
    expect(search.results[0]!.params).toEqual({ 'model.nNeighbors': 1, 'model.weights': 'uniform' });
    // Each result is exactly a cross-validation of that combination.
    const again = crossValidate(
      pipe.withParams({ model: { nNeighbors: 15, weights: 'distance' } }),
      iris.features,
      iris.labels,
      folds,
    );
    expect(search.results[5]!.scores).toEqual(again.scores);
    expect(search.bestScore).toBe(Math.max(...search.results.map((r) => r.mean)));
    const best = search.bestModel.steps[1]![1] as KNeighborsClassifier;
    expect({ 'model.nNeighbors': best.params.nNeighbors, 'model.weights': best.params.weights }).toEqual(
      search.bestParams,
    );
  });

  it('a plain model takes plain names; unknown names are refused', () => {
    const X = iris.features.map((x) => x.slice(0, 3));
    const y = iris.features.map((x) => x[3]!);
    const kfolds = [0, 1, 2].map((f) => y.map((_, i) => i).filter((i) => i % 3 === f));
    const search = gridSearch(new Ridge(), { alpha: [0.1, 1, 10] }, X, y, kfolds);
    expect(search.results.map((r) => r.params.alpha)).toEqual([0.1, 1, 10]);
    expect(() => gridSearch(new Ridge(), { beta: [1] }, X, y, kfolds)).toThrow(
      'the model has no parameter "beta"',
    );
    expect(() => gridSearch(new Ridge(), { alpha: [] }, X, y, kfolds)).toThrow(
      'alpha needs a non-empty array',
    );
  });
});
