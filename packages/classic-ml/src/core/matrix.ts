/**
 * A dense row-major matrix of float64: row i is `data[i·cols … (i+1)·cols)`. Every model here takes its features as
 * this or as an array of rows (`number[][]`), which `toMatrix` checks and copies once.
 */
export class Matrix {
  constructor(
    readonly rows: number,
    readonly cols: number,
    readonly data: Float64Array = new Float64Array(rows * cols),
  ) {
    if (data.length !== rows * cols)
      throw new RangeError(`Matrix: ${data.length} values for ${rows} × ${cols} (need ${rows * cols})`);
  }

  get(i: number, j: number): number {
    return this.data[i * this.cols + j]!;
  }

  set(i: number, j: number, value: number): void {
    this.data[i * this.cols + j] = value;
  }

  /** Row i as a view (no copy). */
  row(i: number): Float64Array {
    return this.data.subarray(i * this.cols, (i + 1) * this.cols);
  }

  column(j: number): Float64Array {
    const out = new Float64Array(this.rows);
    for (let i = 0; i < this.rows; i++) out[i] = this.data[i * this.cols + j]!;
    return out;
  }

  /** A new matrix of the given rows, in the given order. */
  selectRows(indices: ArrayLike<number>): Matrix {
    const out = new Matrix(indices.length, this.cols);
    for (let r = 0; r < indices.length; r++) out.data.set(this.row(indices[r]!), r * this.cols);
    return out;
  }

  toArrays(): number[][] {
    return Array.from({ length: this.rows }, (_, i) => Array.from(this.row(i)));
  }

  static fromRows(rows: readonly (readonly number[])[]): Matrix {
    return toMatrix(rows, 'Matrix.fromRows');
  }
}

/** Features as a model takes them: a Matrix or an array of equal-length rows of numbers. */
export type Features = Matrix | readonly (readonly number[])[];

/**
 * The features as a Matrix, checked: at least one row, rows of one length, every value finite. A NaN or infinite
 * value is an error naming its row and column (impute or drop such rows first; see SimpleImputer).
 */
export function toMatrix(X: Features, where: string, options: { allowNonFinite?: boolean } = {}): Matrix {
  let m: Matrix;
  if (X instanceof Matrix) m = X;
  else {
    if (!Array.isArray(X)) throw new TypeError(`${where}: X must be a Matrix or an array of rows of numbers`);
    if (X.length === 0) throw new RangeError(`${where}: X has no rows`);
    const first = X[0];
    if (!Array.isArray(first))
      throw new TypeError(`${where}: X[0] is not an array; X must be an array of rows of numbers`);
    const cols = first.length;
    m = new Matrix(X.length, cols);
    for (let i = 0; i < X.length; i++) {
      const row = X[i]!;
      if (row.length !== cols)
        throw new RangeError(
          `${where}: row ${i} has ${row.length} values, row 0 has ${cols} (rows must be equal)`,
        );
      for (let j = 0; j < cols; j++) {
        const v = row[j];
        if (typeof v !== 'number')
          throw new TypeError(`${where}: X[${i}][${j}] is ${typeof v}, expected a number`);
        m.data[i * cols + j] = v;
      }
    }
  }
  if (m.rows === 0) throw new RangeError(`${where}: X has no rows`);
  if (m.cols === 0) throw new RangeError(`${where}: X has no columns`);
  if (!options.allowNonFinite) {
    const d = m.data;
    for (let k = 0; k < d.length; k++)
      if (!Number.isFinite(d[k]!))
        throw new RangeError(
          `${where}: X[${Math.floor(k / m.cols)}][${k % m.cols}] is ${d[k]}; features must be finite ` +
            '(drop the row or fill it with SimpleImputer first)',
        );
  }
  return m;
}

/** Targets or labels as numbers, one per row of X, each finite. */
export function toVector(y: ArrayLike<number>, rows: number, where: string, name = 'y'): Float64Array {
  if (y === null || typeof y !== 'object' || typeof y.length !== 'number')
    throw new TypeError(`${where}: ${name} must be an array of numbers`);
  if (y.length !== rows)
    throw new RangeError(`${where}: X has ${rows} rows but ${name} has ${y.length} values (one per row)`);
  const out = new Float64Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = y[i];
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new RangeError(`${where}: ${name}[${i}] is ${v}, expected a finite number`);
    out[i] = v;
  }
  return out;
}

/** Checks that X at predict time has the feature count seen in fit. */
export function checkFeatureCount(m: Matrix, expected: number, where: string): Matrix {
  if (m.cols !== expected)
    throw new RangeError(`${where}: X has ${m.cols} features, but the model was fitted with ${expected}`);
  return m;
}

/** Error for a model used before fit. */
export function notFitted(name: string): Error {
  return new Error(`${name}: call fit before using the model`);
}
