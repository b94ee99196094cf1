/**
 * Classification metrics, with scikit-learn's definitions (sklearn.metrics): labels may be numbers or strings.
 */

function checkPairs(where: string, truth: ArrayLike<unknown>, predicted: ArrayLike<unknown>): void {
  if (truth.length !== predicted.length || truth.length === 0)
    throw new RangeError(
      `${where}: ${truth.length} labels and ${predicted.length} predictions (need as many, ≥ 1)`,
    );
}

export function accuracy<L>(truth: ArrayLike<L>, predicted: ArrayLike<L>): number {
  checkPairs('accuracy', truth, predicted);
  let hits = 0;
  for (let i = 0; i < truth.length; i++) if (truth[i] === predicted[i]) hits++;
  return hits / truth.length;
}

export interface ConfusionMatrix<L> {
  /** The labels of the rows (truth) and columns (prediction), sorted. */
  labels: L[];
  /** counts[t][p]: examples of class labels[t] predicted as labels[p]. */
  counts: number[][];
}

const sortLabels = <L>(labels: L[]) =>
  labels.sort((a, b) =>
    typeof a === 'number' && typeof b === 'number' ? a - b : String(a) < String(b) ? -1 : 1,
  );

export function confusionMatrix<L>(truth: ArrayLike<L>, predicted: ArrayLike<L>): ConfusionMatrix<L> {
  checkPairs('confusionMatrix', truth, predicted);
  const labels = sortLabels([...new Set([...Array.from(truth), ...Array.from(predicted)])]);
  const index = new Map(labels.map((l, i) => [l, i]));
  const counts = labels.map(() => labels.map(() => 0));
  for (let i = 0; i < truth.length; i++) counts[index.get(truth[i]!)!]![index.get(predicted[i]!)!]!++;
  return { labels, counts };
}

/**
 * 'macro': the unweighted mean over classes; 'micro': from the summed counts (equals accuracy for single-label
 * problems); 'weighted': the mean weighted by each class's support; 'binary': the positive class alone.
 */
export type Average = 'macro' | 'micro' | 'weighted' | 'binary';

export interface PrecisionRecallF1 {
  precision: number;
  recall: number;
  f1: number;
}

/**
 * Precision tp/(tp+fp), recall tp/(tp+fn) and F1 = 2tp/(2tp+fp+fn), averaged as asked. A class never predicted has
 * precision 0, and never present recall 0 (scikit-learn's zero_division=0). 'binary' needs `positive`.
 */
export function precisionRecallF1<L>(
  truth: ArrayLike<L>,
  predicted: ArrayLike<L>,
  options: { average?: Average; positive?: L } = {},
): PrecisionRecallF1 {
  const { average = 'macro' } = options;
  const { labels, counts } = confusionMatrix(truth, predicted);
  const k = labels.length;
  const tp = labels.map((_, c) => counts[c]![c]!);
  const fp = labels.map((_, c) => counts.reduce((s, row, t) => s + (t === c ? 0 : row[c]!), 0));
  const fn = labels.map((_, c) => counts[c]!.reduce((s, v, p) => s + (p === c ? 0 : v), 0));
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const perClass = (c: number): PrecisionRecallF1 => ({
    precision: ratio(tp[c]!, tp[c]! + fp[c]!),
    recall: ratio(tp[c]!, tp[c]! + fn[c]!),
    f1: ratio(2 * tp[c]!, 2 * tp[c]! + fp[c]! + fn[c]!),
  });
  if (average === 'binary') {
    if (options.positive === undefined)
      throw new Error("precisionRecallF1: average 'binary' needs the positive label (options.positive)");
    const c = labels.indexOf(options.positive);
    return c < 0 ? { precision: 0, recall: 0, f1: 0 } : perClass(c);
  }
  if (average === 'micro') {
    const TP = tp.reduce((a, b) => a + b, 0);
    const FP = fp.reduce((a, b) => a + b, 0);
    const FN = fn.reduce((a, b) => a + b, 0);
    return { precision: ratio(TP, TP + FP), recall: ratio(TP, TP + FN), f1: ratio(2 * TP, 2 * TP + FP + FN) };
  }
  // Macro and weighted average over the classes present in the truth or the predictions.
  const support = labels.map((_, c) => tp[c]! + fn[c]!);
  const weights = average === 'weighted' ? support.map((s) => s / truth.length) : support.map(() => 1 / k);
  const sum = { precision: 0, recall: 0, f1: 0 };
  for (let c = 0; c < k; c++) {
    const m = perClass(c);
    sum.precision += weights[c]! * m.precision;
    sum.recall += weights[c]! * m.recall;
    sum.f1 += weights[c]! * m.f1;
  }
  return sum;
}

/** F1 averaged over classes without weights. */
export function macroF1<L>(truth: ArrayLike<L>, predicted: ArrayLike<L>): number {
  return precisionRecallF1(truth, predicted, { average: 'macro' }).f1;
}

/**
 * Area under the ROC curve of scores for the positive class (truth is 1 for positive, 0 for negative): the
 * probability that a random positive scores above a random negative, ties counting half (the Mann–Whitney U
 * statistic over n₊·n₋), from one sort.
 */
export function rocAuc(truth: ArrayLike<number>, scores: ArrayLike<number>): number {
  checkPairs('rocAuc', truth, scores);
  const n = truth.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (truth[i] !== 0 && truth[i] !== 1)
      throw new RangeError(`rocAuc: truth[${i}] is ${truth[i]}; expected 1 (positive) or 0 (negative)`);
    if (!Number.isFinite(scores[i]!)) throw new RangeError(`rocAuc: scores[${i}] is ${scores[i]}`);
    positives += truth[i]!;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0)
    throw new RangeError(
      `rocAuc: needs both classes in truth (got ${positives} positive, ${negatives} negative)`,
    );
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => scores[a]! - scores[b]!);
  // Sum of the positives' ranks (1-based, ties get their mean rank).
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && scores[order[j + 1]!] === scores[order[i]!]) j++;
    const meanRank = (i + j) / 2 + 1;
    for (let t = i; t <= j; t++) if (truth[order[t]!] === 1) rankSum += meanRank;
    i = j + 1;
  }
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

/**
 * Mean negative log-probability of the true class: −(1/n)·Σ log p[i][y_i], with probabilities clipped to
 * [1e-15, 1 − 1e-15] as scikit-learn does. `probabilities` is n rows over `classes`.
 */
export function logLoss(
  truth: ArrayLike<number>,
  probabilities: { rows: number; cols: number; data: Float64Array },
  classes: ArrayLike<number>,
): number {
  if (probabilities.rows !== truth.length)
    throw new RangeError(`logLoss: ${truth.length} labels but ${probabilities.rows} rows of probabilities`);
  if (probabilities.cols !== classes.length)
    throw new RangeError(`logLoss: ${classes.length} classes but ${probabilities.cols} probability columns`);
  const index = new Map<number, number>();
  for (let c = 0; c < classes.length; c++) index.set(classes[c]!, c);
  let sum = 0;
  for (let i = 0; i < truth.length; i++) {
    const c = index.get(truth[i]!);
    if (c === undefined) throw new RangeError(`logLoss: truth[${i}] = ${truth[i]} is not one of the classes`);
    const p = Math.min(Math.max(probabilities.data[i * probabilities.cols + c]!, 1e-15), 1 - 1e-15);
    sum -= Math.log(p);
  }
  return sum / truth.length;
}
