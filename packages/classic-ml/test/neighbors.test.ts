import { describe, expect, it } from 'vitest';
import { KNeighborsClassifier, KNeighborsRegressor } from '../src/index.js';
import { gaussianRows } from './helpers.js';

describe('the k-d tree finds the same neighbours as brute force', () => {
  it.each([
    [1, 1],
    [2, 5],
    [3, 10],
    [8, 3],
    [20, 7],
  ])('%i dimensions, k = %i, with duplicated and rounded rows (ties)', (d, k) => {
    // Rounded to one decimal and duplicated, so many distances tie: order ties by row index, as brute force does.
    const base = gaussianRows(400, d, d).map((x) => x.map((v) => Math.round(v * 10) / 10));
    const X = [...base, ...base.slice(0, 50)];
    const y = X.map((_, i) => i);
    const queries = gaussianRows(60, d, 100 + d);
    const brute = new KNeighborsRegressor({ nNeighbors: k, algorithm: 'brute' })
      .fit(X, y)
      .kneighbors(queries);
    const tree = new KNeighborsRegressor({ nNeighbors: k, algorithm: 'kd_tree', leafSize: 4 })
      .fit(X, y)
      .kneighbors(queries);
    expect(Array.from(tree.indices)).toEqual(Array.from(brute.indices));
    expect(Array.from(tree.distances)).toEqual(Array.from(brute.distances));
  });

  it('an exact match takes all the weight under distance weighting', () => {
    const model = new KNeighborsRegressor({ nNeighbors: 3, weights: 'distance' }).fit(
      [[0], [1], [2]],
      [10, 20, 30],
    );
    expect(Array.from(model.predict([[1]]))).toEqual([20]);
    expect(model.predict([[0.5]])[0]).toBeCloseTo((10 / 0.5 + 20 / 0.5 + 30 / 1.5) / (2 / 0.5 + 1 / 1.5), 12);
  });

  it('a tie in the vote goes to the lowest label; nNeighbors above n is refused', () => {
    const model = new KNeighborsClassifier({ nNeighbors: 2 }).fit([[0], [1], [5]], [7, 3, 3]);
    expect(Array.from(model.predict([[0.4]]))).toEqual([3]);
    expect(() => new KNeighborsClassifier({ nNeighbors: 4 }).fit([[0], [1], [5]], [7, 3, 3])).toThrow(
      'nNeighbors = 4 is more than the 3 rows',
    );
  });
});
