/**
 * The first three rungs of the matmul ladder, in plain JavaScript over row-major Float32Arrays:
 * C (m×n) = A (m×k) · B (k×n). Each is kept so the benchmark can show what every step buys.
 */

/** Rung 1, i-j-k: the textbook loop. The inner loop walks B down a column, n floats apart: one cache line per multiply-add. */
export function matmulNaive(a: Float32Array, b: Float32Array, m: number, k: number, n: number): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += a[i * k + p]! * b[p * n + j]!;
      c[i * n + j] = s;
    }
  }
  return c;
}

/** Rung 2, i-k-j: the same arithmetic reordered so the inner loop walks a row of B and a row of C, both contiguous. */
export function matmulReordered(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let p = 0; p < k; p++) {
      const aip = a[i * k + p]!;
      const bp = p * n;
      for (let j = 0; j < n; j++) c[ci + j]! += aip * b[bp + j]!;
    }
  }
  return c;
}

const KC = 128;
const NC = 512;

/**
 * Rung 3, cache blocking and register tiling: a KC×NC block of B (256 KiB) stays in L2 while every row
 * of A passes over it, and four rows of C are updated together so each B element loaded is used four times.
 */
export function matmulBlocked(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const c = new Float32Array(m * n);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const p1 = Math.min(p0 + KC, k);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const j1 = Math.min(j0 + NC, n);
      let i = 0;
      for (; i + 4 <= m; i += 4) {
        const c0 = i * n;
        const c1 = c0 + n;
        const c2 = c1 + n;
        const c3 = c2 + n;
        for (let p = p0; p < p1; p++) {
          const a0 = a[i * k + p]!;
          const a1 = a[(i + 1) * k + p]!;
          const a2 = a[(i + 2) * k + p]!;
          const a3 = a[(i + 3) * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) {
            const bv = b[bp + j]!;
            c[c0 + j]! += a0 * bv;
            c[c1 + j]! += a1 * bv;
            c[c2 + j]! += a2 * bv;
            c[c3 + j]! += a3 * bv;
          }
        }
      }
      for (; i < m; i++) {
        const ci = i * n;
        for (let p = p0; p < p1; p++) {
          const aip = a[i * k + p]!;
          const bp = p * n;
          for (let j = j0; j < j1; j++) c[ci + j]! += aip * b[bp + j]!;
        }
      }
    }
  }
  return c;
}
