import type { Predictor } from '../core/estimator.js';
import type { Features } from '../core/matrix.js';
import { crossValidate } from './cross-validate.js';

/** Values to try per hyperparameter: for a Pipeline, keyed 'step.param' (e.g. 'model.C'); for a model, 'param'. */
export type ParamGrid = Record<string, readonly unknown[]>;

export interface GridSearchResult<M extends Predictor> {
  /** Every combination, in grid order, with its fold scores and their mean. */
  results: { params: Record<string, unknown>; scores: number[]; mean: number; fitMs: number }[];
  bestParams: Record<string, unknown>;
  bestScore: number;
  /** The best combination refitted on all the rows. */
  bestModel: M;
}

/**
 * Exhaustive search over a grid of hyperparameters (scikit-learn's GridSearchCV): each combination is
 * cross-validated on the same folds; the best mean score wins (the first, on a tie) and is refitted on all rows.
 */
export function gridSearch<M extends Predictor>(
  model: M,
  grid: ParamGrid,
  X: Features,
  y: ArrayLike<number>,
  folds: readonly (readonly number[])[],
): GridSearchResult<M> {
  const keys = Object.keys(grid);
  if (keys.length === 0) throw new RangeError('gridSearch: the grid is empty');
  for (const key of keys)
    if (!Array.isArray(grid[key]) || grid[key]!.length === 0)
      throw new RangeError(`gridSearch: ${key} needs a non-empty array of values`);
  const combinations = keys.reduce<Record<string, unknown>[]>(
    (acc, key) => acc.flatMap((partial) => grid[key]!.map((value) => ({ ...partial, [key]: value }))),
    [{}],
  );
  const results = combinations.map((params) => {
    const candidate = withSettings(model, params);
    const cv = crossValidate(candidate, X, y, folds);
    return { params, scores: cv.scores, mean: cv.mean, fitMs: cv.fitMs.reduce((a, b) => a + b, 0) };
  });
  let best = results[0]!;
  for (const r of results) if (r.mean > best.mean) best = r;
  const bestModel = withSettings(model, best.params).fit(X, y) as M;
  return { results, bestParams: best.params, bestScore: best.mean, bestModel };
}

/** A copy of the model with the dotted settings applied ('model.C' → withParams({ model: { C } })). */
function withSettings<M extends Predictor>(model: M, settings: Record<string, unknown>): M {
  const changes: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(settings)) {
    const dot = key.indexOf('.');
    if (dot < 0) {
      if (!(key in model.params))
        throw new RangeError(`gridSearch: the model has no parameter ${JSON.stringify(key)}`);
      changes[key] = value;
    } else {
      const step = key.slice(0, dot);
      if (!changes[step]) changes[step] = {};
      const nested = changes[step] as Record<string, unknown>;
      const stepParams = (model.params as Record<string, Record<string, unknown>>)[step];
      const param = key.slice(dot + 1);
      if (!stepParams || !(param in stepParams))
        throw new RangeError(
          `gridSearch: no parameter ${JSON.stringify(param)} in step ${JSON.stringify(step)}`,
        );
      nested[param] = value;
    }
  }
  return model.withParams(changes) as M;
}
