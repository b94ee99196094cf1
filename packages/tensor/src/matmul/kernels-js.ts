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

const KC = 256;

/**
 * Rung 3, cache blocking and register tiling: B is packed, one KC-deep block at a time, into 4-column
 * panels (a KC×4 panel is 8 KiB of float64, so it stays in L1); each 4×4 tile of C is then accumulated in
 * 16 local variables, which V8 keeps in registers, so every value loaded from A or B feeds four
 * multiply-adds instead of one, and C is touched once per block instead of once per multiply-add.
 */
export function matmulBlocked(
  a: Float32Array,
  b: Float32Array,
  m: number,
  k: number,
  n: number,
): Float32Array {
  const c = new Float32Array(m * n);
  const panel = new Float64Array(KC * 4);
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = Math.min(KC, k - p0);
    for (let j = 0; j < n4; j += 4) {
      for (let p = 0; p < kc; p++) {
        const src = (p0 + p) * n + j;
        panel[p * 4] = b[src]!;
        panel[p * 4 + 1] = b[src + 1]!;
        panel[p * 4 + 2] = b[src + 2]!;
        panel[p * 4 + 3] = b[src + 3]!;
      }
      // biome-ignore format: the 4×4 register tile reads best as a grid
      for (let i = 0; i < m4; i += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        const r0 = i * k + p0;
        const r1 = r0 + k;
        const r2 = r1 + k;
        const r3 = r2 + k;
        for (let p = 0, q = 0; p < kc; p++, q += 4) {
          const b0 = panel[q]!, b1 = panel[q + 1]!, b2 = panel[q + 2]!, b3 = panel[q + 3]!;
          const a0 = a[r0 + p]!, a1 = a[r1 + p]!, a2 = a[r2 + p]!, a3 = a[r3 + p]!;
          c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
          c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
          c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
          c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
        }
        let o = i * n + j;
        c[o]! += c00; c[o + 1]! += c01; c[o + 2]! += c02; c[o + 3]! += c03;
        o += n;
        c[o]! += c10; c[o + 1]! += c11; c[o + 2]! += c12; c[o + 3]! += c13;
        o += n;
        c[o]! += c20; c[o + 1]! += c21; c[o + 2]! += c22; c[o + 3]! += c23;
        o += n;
        c[o]! += c30; c[o + 1]! += c31; c[o + 2]! += c32; c[o + 3]! += c33;
      }
    }
    // The ragged edges (last m % 4 rows, last n % 4 columns): plain dot products over this block.
    for (let i = 0; i < m; i++) {
      for (let j = i < m4 ? n4 : 0; j < n; j++) {
        let s = 0;
        for (let p = p0; p < p0 + kc; p++) s += a[i * k + p]! * b[p * n + j]!;
        c[i * n + j]! += s;
      }
    }
  }
  return c;
}
