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

/** k-fold cross-validation: rows in order (or shuffled with the seed) dealt into k folds of sizes differing by ≤ 1. */
export function kFold(n: number, k: number, options: { shuffle?: boolean; seed?: number } = {}): number[][] {
  if (!Number.isInteger(k) || k < 2 || k > n)
    throw new RangeError(`kFold: k must be a whole number in [2, n = ${n}], got ${k}`);
  const order = options.shuffle
    ? Array.from(new Rng(options.seed ?? 0).permutation(n).data)
    : [...Array(n).keys()];
  const folds: number[][] = [];
  let start = 0;
  for (let f = 0; f < k; f++) {
    const size = Math.floor(n / k) + (f < n % k ? 1 : 0);
    folds.push(order.slice(start, start + size).sort((a, b) => a - b));
    start += size;
  }
  return folds;
}

/** The training rows of a fold: every row of 0..n−1 not in the held-out `test`. */
export function complement(n: number, test: readonly number[]): number[] {
  const held = new Uint8Array(n);
  for (const i of test) held[i] = 1;
  const train: number[] = [];
  for (let i = 0; i < n; i++) if (!held[i]) train.push(i);
  return train;
}

/**
 * A seeded train/test split of row indices; with `stratify` (class labels) each class keeps its share in both
 * parts. `testSize` is a fraction in (0, 1).
 */
export function trainTestSplit(
  n: number,
  options: { testSize?: number; seed?: number; stratify?: ArrayLike<number> } = {},
): { train: number[]; test: number[] } {
  const { testSize = 0.25, seed = 0, stratify } = options;
  if (!(testSize > 0 && testSize < 1))
    throw new RangeError(`trainTestSplit: testSize must be in (0, 1), got ${testSize}`);
  if (stratify && stratify.length !== n)
    throw new RangeError(`trainTestSplit: ${n} rows but ${stratify.length} labels to stratify by`);
  const order = Array.from(new Rng(seed).permutation(n).data);
  const strata = new Map<number, number[]>();
  for (const i of order) {
    const s = stratify ? stratify[i]! : 0;
    const list = strata.get(s);
    if (list) list.push(i);
    else strata.set(s, [i]);
  }
  const train: number[] = [];
  const test: number[] = [];
  for (const rows of strata.values()) {
    const held = Math.round(rows.length * testSize);
    test.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  if (train.length === 0 || test.length === 0)
    throw new RangeError(`trainTestSplit: ${n} rows leave an empty part at testSize ${testSize}`);
  return { train: train.sort((a, b) => a - b), test: test.sort((a, b) => a - b) };
}
