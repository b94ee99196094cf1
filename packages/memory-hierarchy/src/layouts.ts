/**
 * The memory hierarchy in code an ML engineer writes: the same arithmetic over the same bytes, in an order that
 * does or does not follow the layout.
 */

function checkSquare(op: string, matrix: Float32Array, n: number): void {
  if (!Number.isInteger(n) || n < 0 || matrix.length !== n * n)
    throw new RangeError(`${op}: expected an n×n matrix, got ${matrix.length} values for n = ${n}`);
}

/** Sums an n×n row-major matrix row by row: consecutive reads are neighbours in memory. */
export function sumRowMajor(matrix: Float32Array, n: number): number {
  checkSquare('sumRowMajor', matrix, n);
  let s = 0;
  for (let i = 0; i < n; i++) {
    const row = i * n;
    for (let j = 0; j < n; j++) s += matrix[row + j]!;
  }
  return s;
}

/** Sums the same matrix column by column: consecutive reads are n·4 bytes apart, a new line (and page) each time. */
export function sumColumnMajor(matrix: Float32Array, n: number): number {
  checkSquare('sumColumnMajor', matrix, n);
  let s = 0;
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) s += matrix[i * n + j]!;
  }
  return s;
}

/** A feature table of `rows` examples × `features` float32 values, stored both ways. */
export interface FeatureTable {
  rows: number;
  features: number;
  /** Array of structs: one example's features side by side (row-major, like a list of objects). */
  aos: Float32Array;
  /** Struct of arrays: one contiguous column per feature (columnar, like Arrow or a DataFrame). */
  soa: Float32Array[];
}

export function featureTable(rows: number, features: number, seed = 1): FeatureTable {
  for (const [name, value] of [
    ['rows', rows],
    ['features', features],
  ] as const) {
    if (!Number.isInteger(value) || value < 1)
      throw new RangeError(`featureTable: ${name} must be a positive integer, got ${value}`);
  }
  const aos = new Float32Array(rows * features);
  const soa = Array.from({ length: features }, () => new Float32Array(rows));
  let x = seed >>> 0 || 1;
  for (let r = 0; r < rows; r++) {
    for (let f = 0; f < features; f++) {
      // xorshift32: cheap, deterministic values in [0, 1)
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const v = (x >>> 0) / 2 ** 32;
      aos[r * features + f] = v;
      soa[f]![r] = v;
    }
  }
  return { rows, features, aos, soa };
}

/** Mean of one feature from the row-major table: one useful float per 64-byte line when features ≥ 16. */
export function columnMeanAos(table: FeatureTable, feature: number): number {
  const { aos, rows, features } = table;
  let s = 0;
  for (let r = 0; r < rows; r++) s += aos[r * features + feature]!;
  return s / rows;
}

/** Mean of one feature from its own column: every byte fetched is used. */
export function columnMeanSoa(table: FeatureTable, feature: number): number {
  const column = table.soa[feature]!;
  let s = 0;
  for (let r = 0; r < column.length; r++) s += column[r]!;
  return s / column.length;
}

/** A linear model's scores (x·w for every row), reading the row-major table: each row is one contiguous run. */
export function scoreAos(table: FeatureTable, weights: Float32Array, out: Float32Array): Float32Array {
  const { aos, rows, features } = table;
  for (let r = 0; r < rows; r++) {
    let s = 0;
    const base = r * features;
    for (let f = 0; f < features; f++) s += aos[base + f]! * weights[f]!;
    out[r] = s;
  }
  return out;
}

/** The same scores from the columns, one feature at a time (a vectorized axpy per column). */
export function scoreSoa(table: FeatureTable, weights: Float32Array, out: Float32Array): Float32Array {
  out.fill(0);
  table.soa.forEach((column, f) => {
    const w = weights[f]!;
    for (let r = 0; r < column.length; r++) out[r]! += column[r]! * w;
  });
  return out;
}
