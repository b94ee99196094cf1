import type { Predictor } from '../core/estimator.js';
import { type Features, toMatrix } from '../core/matrix.js';
import { complement } from './split.js';

export interface CrossValidation {
  /** The model's `score` on each held-out fold (accuracy or R²). */
  scores: number[];
  mean: number;
  /** Milliseconds each fit took. */
  fitMs: number[];
}

/**
 * Fits an unfitted copy of `model` (its `withParams({})`) on all folds but one and scores it on that one, for each
 * fold given as held-out row indices (from kFold or stratifiedKFold).
 */
export function crossValidate(
  model: Predictor,
  X: Features,
  y: ArrayLike<number>,
  folds: readonly (readonly number[])[],
): CrossValidation {
  const m = toMatrix(X, 'crossValidate');
  if (y.length !== m.rows)
    throw new RangeError(`crossValidate: X has ${m.rows} rows but y has ${y.length} values`);
  const scores: number[] = [];
  const fitMs: number[] = [];
  for (const [f, test] of folds.entries()) {
    if (test.length === 0) throw new RangeError(`crossValidate: fold ${f} is empty`);
    const train = complement(m.rows, test as number[]);
    const copy = model.withParams({}) as Predictor;
    const pick = (rows: readonly number[]) => Float64Array.from(rows, (i) => y[i]!);
    const start = performance.now();
    copy.fit(m.selectRows(train), pick(train));
    fitMs.push(performance.now() - start);
    scores.push(copy.score(m.selectRows(test), pick(test)));
  }
  return { scores, mean: scores.reduce((a, b) => a + b, 0) / scores.length, fitMs };
}
