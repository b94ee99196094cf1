import { Rng } from '@mle/tensor';

/**
 * Stratified k-fold cross-validation: the indices of each class, shuffled with the seed, are dealt to the k folds in
 * turn, so every fold keeps the class proportions of the whole. Returns each fold's held-out indices.
 */
export function stratifiedKFold<Label>(labels: readonly Label[], k: number, seed: number): number[][] {
  if (!Number.isInteger(k) || k < 2)
    throw new RangeError(`stratifiedKFold: k must be a whole number ≥ 2, got ${k}`);
  const byClass = new Map<Label, number[]>();
  labels.forEach((label, i) => {
    const list = byClass.get(label);
    if (list) list.push(i);
    else byClass.set(label, [i]);
  });
  for (const [label, indices] of byClass)
    if (indices.length < k)
      throw new RangeError(
        `stratifiedKFold: class ${String(label)} has ${indices.length} examples, fewer than k = ${k}`,
      );
  const rng = new Rng(seed);
  const folds: number[][] = Array.from({ length: k }, () => []);
  let next = 0;
  for (const indices of byClass.values()) {
    const order = Array.from(rng.permutation(indices.length).data);
    for (const i of order) {
      folds[next % k]!.push(indices[i]!);
      next++;
    }
  }
  return folds.map((fold) => fold.sort((a, b) => a - b));
}

function checkPredictions(where: string, truth: readonly unknown[], predicted: readonly unknown[]): void {
  if (truth.length !== predicted.length || truth.length === 0)
    throw new RangeError(
      `${where}: ${truth.length} labels and ${predicted.length} predictions (need as many, ≥ 1)`,
    );
}

export function accuracy<Label>(truth: readonly Label[], predicted: readonly Label[]): number {
  checkPredictions('accuracy', truth, predicted);
  return truth.filter((t, i) => t === predicted[i]).length / truth.length;
}

/** The unweighted mean over classes of F1 = 2·precision·recall / (precision + recall) (0 for a class never hit). */
export function macroF1<Label>(truth: readonly Label[], predicted: readonly Label[]): number {
  checkPredictions('macroF1', truth, predicted);
  const classes = [...new Set([...truth, ...predicted])];
  const f1 = classes.map((c) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    truth.forEach((t, i) => {
      const p = predicted[i];
      if (p === c && t === c) tp++;
      else if (p === c) fp++;
      else if (t === c) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  });
  return f1.reduce((a, b) => a + b, 0) / f1.length;
}
