/** Regression metrics with scikit-learn's definitions. */

function check(where: string, truth: ArrayLike<number>, predicted: ArrayLike<number>): void {
  if (truth.length !== predicted.length || truth.length === 0)
    throw new RangeError(
      `${where}: ${truth.length} targets and ${predicted.length} predictions (need as many, ≥ 1)`,
    );
}

export function meanSquaredError(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check('meanSquaredError', truth, predicted);
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += (truth[i]! - predicted[i]!) ** 2;
  return s / truth.length;
}

export function meanAbsoluteError(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check('meanAbsoluteError', truth, predicted);
  let s = 0;
  for (let i = 0; i < truth.length; i++) s += Math.abs(truth[i]! - predicted[i]!);
  return s / truth.length;
}

/**
 * Coefficient of determination R² = 1 − Σ(y − ŷ)² / Σ(y − ȳ)²: 1 is a perfect fit, 0 predicting the mean, and it
 * is negative for worse. A constant truth gives 1 for a perfect fit and 0 otherwise (scikit-learn's convention).
 */
export function r2Score(truth: ArrayLike<number>, predicted: ArrayLike<number>): number {
  check('r2Score', truth, predicted);
  let mean = 0;
  for (let i = 0; i < truth.length; i++) mean += truth[i]!;
  mean /= truth.length;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < truth.length; i++) {
    residual += (truth[i]! - predicted[i]!) ** 2;
    total += (truth[i]! - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}
