/** Class labels as sorted distinct values and, per row, the index of its class (as scikit-learn's `classes_`). */
export interface EncodedLabels {
  classes: Float64Array;
  codes: Int32Array;
}

/**
 * Encodes labels (any finite numbers: 0/1, 1..K, −1/+1) as class indices. A classifier needs two classes at least;
 * one is an error naming it.
 */
export function encodeLabels(y: ArrayLike<number>, rows: number, where: string): EncodedLabels {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number')
    throw new TypeError(`${where}: y must be an array of class labels (numbers)`);
  if (y.length !== rows)
    throw new RangeError(`${where}: X has ${rows} rows but y has ${y.length} labels (one per row)`);
  const seen = new Set<number>();
  for (let i = 0; i < rows; i++) {
    const v = y[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(`${where}: y[${i}] is ${v}, expected a finite number as class label`);
    seen.add(v);
  }
  if (seen.size < 2)
    throw new RangeError(
      `${where}: y has a single class (${[...seen][0]}); a classifier needs examples of at least two`,
    );
  const classes = Float64Array.from([...seen].sort((a, b) => a - b));
  const index = new Map<number, number>();
  for (const [i, c] of classes.entries()) index.set(c, i);
  const codes = new Int32Array(rows);
  for (let i = 0; i < rows; i++) codes[i] = index.get(y[i]!)!;
  return { classes, codes };
}

/** Row-wise argmax of an n × k score matrix, mapped to the class labels. */
export function labelsOfArgmax(scores: Float64Array, k: number, classes: Float64Array): Float64Array {
  const n = scores.length / k;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (scores[i * k + c]! > scores[i * k + best]!) best = c;
    out[i] = classes[best]!;
  }
  return out;
}
