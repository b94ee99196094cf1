/**
 * The dense linear algebra the models need, in float64 on row-major arrays: Cholesky (normal equations, ridge,
 * Gaussian mixtures), Householder QR (least squares, and the first step of PCA's SVD) and the one-sided Jacobi SVD of a
 * small square matrix. Golub & Van Loan, Matrix Computations (4th ed.): algorithms 4.2.1, 5.2.1 and §8.6.3.
 */
import { Matrix } from './matrix.js';

/**
 * The lower-triangular L with A = L·Lᵀ, for a symmetric positive definite A (d × d, row-major; only its lower
 * triangle is read). A pivot ≤ 0 means A is not positive definite: an error naming the column, or `undefined` when
 * `orUndefined` is set (callers that can add a ridge and retry).
 */
export function cholesky(A: Float64Array, d: number, where: string): Float64Array;
export function cholesky(
  A: Float64Array,
  d: number,
  where: string,
  orUndefined: true,
): Float64Array | undefined;
export function cholesky(
  A: Float64Array,
  d: number,
  where: string,
  orUndefined = false,
): Float64Array | undefined {
  const L = new Float64Array(d * d);
  for (let j = 0; j < d; j++) {
    let pivot = A[j * d + j]!;
    for (let k = 0; k < j; k++) pivot -= L[j * d + k]! ** 2;
    // A pivot lost to rounding against its diagonal is a zero one: the column depends on the ones before it.
    if (!(pivot > 1e-12 * A[j * d + j]!)) {
      if (orUndefined) return undefined;
      throw new RangeError(
        `${where}: the matrix is not positive definite at column ${j} (features that are constant or linear ` +
          'combinations of others; add a ridge penalty or drop them)',
      );
    }
    const ljj = Math.sqrt(pivot);
    L[j * d + j] = ljj;
    for (let i = j + 1; i < d; i++) {
      let s = A[i * d + j]!;
      for (let k = 0; k < j; k++) s -= L[i * d + k]! * L[j * d + k]!;
      L[i * d + j] = s / ljj;
    }
  }
  return L;
}

/** Solves L·Lᵀ·x = b in place of b, for the Cholesky factor L. */
export function choleskySolve(L: Float64Array, d: number, b: Float64Array): Float64Array {
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= L[i * d + k]! * b[k]!;
    b[i] = s / L[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < d; k++) s -= L[k * d + i]! * b[k]!;
    b[i] = s / L[i * d + i]!;
  }
  return b;
}

/** log det A from A's Cholesky factor: 2·Σ log L_ii. */
export function choleskyLogDet(L: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(L[i * d + i]!);
  return 2 * s;
}

/** Xᵀ·X (d × d) of an n × d matrix, by rows so the inner loop runs along memory. */
export function gram(X: Matrix): Float64Array {
  const { rows: n, cols: d, data } = X;
  const G = new Float64Array(d * d);
  for (let r = 0; r < n; r++) {
    const o = r * d;
    for (let i = 0; i < d; i++) {
      const xi = data[o + i]!;
      if (xi === 0) continue;
      const gi = i * d;
      for (let j = 0; j <= i; j++) G[gi + j]! += xi * data[o + j]!;
    }
  }
  for (let i = 0; i < d; i++) for (let j = 0; j < i; j++) G[j * d + i] = G[i * d + j]!;
  return G;
}

/**
 * Householder QR of an n × d matrix (n ≥ d), keeping R (d × d, upper triangular, row-major) and applying the same
 * reflections to the columns of `B` (n × k, row-major, may be empty), which end up as Qᵀ·B. Works on a column-major
 * copy so each reflection streams down contiguous columns.
 */
export function householderQr(
  X: Matrix,
  B?: Matrix,
): { R: Float64Array; QtB: Float64Array | undefined; columnNorms: Float64Array } {
  const { rows: n, cols: d } = X;
  if (n < d) throw new RangeError(`householderQr: ${n} rows < ${d} columns (need at least as many rows)`);
  const A = new Float64Array(n * d);
  const columnNorms = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) A[j * n + i] = X.data[i * d + j]!;
  for (let j = 0; j < d; j++) {
    let s = 0;
    for (let i = 0; i < n; i++) s += A[j * n + i]! ** 2;
    columnNorms[j] = Math.sqrt(s);
  }
  const k = B?.cols ?? 0;
  const C = new Float64Array(n * k);
  if (B) for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) C[j * n + i] = B.data[i * k + j]!;
  const v = new Float64Array(n);
  const reflect = (M: Float64Array, col: number, j: number, beta: number) => {
    let s = 0;
    for (let i = j; i < n; i++) s += v[i]! * M[col * n + i]!;
    s *= beta;
    if (s !== 0) for (let i = j; i < n; i++) M[col * n + i]! -= s * v[i]!;
  };
  for (let j = 0; j < d; j++) {
    let norm = 0;
    for (let i = j; i < n; i++) norm += A[j * n + i]! ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    const alpha = A[j * n + j]! > 0 ? -norm : norm;
    for (let i = j; i < n; i++) v[i] = A[j * n + i]!;
    v[j]! -= alpha;
    let vv = 0;
    for (let i = j; i < n; i++) vv += v[i]! ** 2;
    if (vv === 0) continue;
    const beta = 2 / vv;
    for (let c = j; c < d; c++) reflect(A, c, j, beta);
    for (let c = 0; c < k; c++) reflect(C, c, j, beta);
  }
  const R = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = i; j < d; j++) R[i * d + j] = A[j * n + i]!;
  let QtB: Float64Array | undefined;
  if (B) {
    QtB = new Float64Array(d * k);
    for (let i = 0; i < d; i++) for (let j = 0; j < k; j++) QtB[i * k + j] = C[j * n + i]!;
  }
  return { R, QtB, columnNorms };
}

/**
 * Least squares min ‖X·β − y‖ by Householder QR (R·β = Qᵀ·y by back substitution), which never forms XᵀX and so
 * keeps the condition number of X rather than its square. A diagonal of R that is negligible against its column
 * (rank deficiency) is an error naming the column.
 */
export function leastSquaresQr(X: Matrix, y: Float64Array, where: string): Float64Array {
  const d = X.cols;
  const { R, QtB, columnNorms } = householderQr(X, new Matrix(y.length, 1, y));
  const beta = QtB!;
  for (let i = d - 1; i >= 0; i--) {
    const rii = R[i * d + i]!;
    if (Math.abs(rii) <= 1e-10 * Math.max(columnNorms[i]!, Number.MIN_VALUE))
      throw new RangeError(
        `${where}: column ${i} is a linear combination of the columns before it (or constant with an intercept); ` +
          'drop it or use Ridge',
      );
    let s = beta[i]!;
    for (let k = i + 1; k < d; k++) s -= R[i * d + k]! * beta[k]!;
    beta[i] = s / rii;
  }
  return beta;
}

/**
 * Singular values and right singular vectors of a square d × d matrix A by one-sided Jacobi (Hestenes): plane
 * rotations orthogonalise A's columns, accumulated in V; the column norms are then the singular values. Sorted
 * descending. Accurate to rounding in a few sweeps for the small d it is used on (PCA runs it on the R of a QR).
 */
export function jacobiSvd(A: Float64Array, d: number): { singularValues: Float64Array; V: Float64Array } {
  // Column-major working copy: column c is W[c·d … c·d + d).
  const W = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) W[j * d + i] = A[i * d + j]!;
  const V = new Float64Array(d * d);
  for (let i = 0; i < d; i++) V[i * d + i] = 1;
  for (let sweep = 0; sweep < 60; sweep++) {
    let rotated = false;
    for (let p = 0; p < d - 1; p++) {
      for (let q = p + 1; q < d; q++) {
        let alpha = 0;
        let beta = 0;
        let gamma = 0;
        for (let i = 0; i < d; i++) {
          const wp = W[p * d + i]!;
          const wq = W[q * d + i]!;
          alpha += wp * wp;
          beta += wq * wq;
          gamma += wp * wq;
        }
        if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        const zeta = (beta - alpha) / (2 * gamma);
        const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < d; i++) {
          const wp = W[p * d + i]!;
          const wq = W[q * d + i]!;
          W[p * d + i] = c * wp - s * wq;
          W[q * d + i] = s * wp + c * wq;
          const vp = V[i * d + p]!;
          const vq = V[i * d + q]!;
          V[i * d + p] = c * vp - s * vq;
          V[i * d + q] = s * vp + c * vq;
        }
      }
    }
    if (!rotated) break;
  }
  const norms = Array.from({ length: d }, (_, c) => {
    let s = 0;
    for (let i = 0; i < d; i++) s += W[c * d + i]! ** 2;
    return Math.sqrt(s);
  });
  const order = norms.map((_, i) => i).sort((a, b) => norms[b]! - norms[a]!);
  const singularValues = Float64Array.from(order, (c) => norms[c]!);
  const sortedV = new Float64Array(d * d);
  for (let i = 0; i < d; i++) for (let k = 0; k < d; k++) sortedV[i * d + k] = V[i * d + order[k]!]!;
  return { singularValues, V: sortedV };
}
