// Float32 matrix multiply C = A·B in 128-bit WebAssembly SIMD.
//
// Row-major A (m×k), B (k×n), C (m×n) live in linear memory at byte offsets chosen by the caller, who also
// gives a scratch area for packed copies. The loops follow the GotoBLAS/BLIS layout:
//   for each block of KC rows of B: pack it into column panels NR = 8 wide (zero-padded), so a panel is
//   read contiguously; pack MR = 4 rows of A interleaved (a[p*4 + r]); then a 4×8 micro-kernel keeps a
//   4×8 tile of C in 8 SIMD registers while it walks the KC shared dimension: per step 2 loads of B,
//   4 broadcasts of A, 8 multiplies and 8 adds. Baseline wasm SIMD has no fused multiply-add.
// No allocation, no runtime: workers sharing the memory can run this on disjoint row blocks of C.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;

/** Bytes of scratch that matmul needs for n columns: a packed KC×n block of B plus a packed MR×KC strip of A. */
export function scratchBytes(n: i32): i32 {
  return (KC * roundUp(n, NR) + MR * KC) * 4;
}

export function matmul(a: usize, b: usize, c: usize, m: i32, k: i32, n: i32, scratch: usize): void {
  memory.fill(c, 0, (<usize>(m * n)) << 2);
  const nPadded = roundUp(n, NR);
  const packedA = scratch + ((<usize>(KC * nPadded)) << 2);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = min(KC, k - p0);
    packB(b + ((<usize>(p0 * n)) << 2), n, kc, scratch);
    let i = 0;
    for (; i + MR <= m; i += MR) {
      packA(a + ((<usize>(i * k + p0)) << 2), k, kc, packedA);
      for (let j = 0; j < n; j += NR) {
        const panel = scratch + ((<usize>(j * kc)) << 2);
        const tile = c + ((<usize>(i * n + j)) << 2);
        if (j + NR <= n) kernel4x8(packedA, panel, kc, tile, n);
        else edge(packedA, MR, panel, kc, tile, n, n - j);
      }
    }
    for (; i < m; i++) {
      // Leftover rows, one at a time: pack as a 1-row strip (a[p]) and reuse the edge kernel.
      const row = a + ((<usize>(i * k + p0)) << 2);
      for (let j = 0; j < n; j += NR) {
        const panel = scratch + ((<usize>(j * kc)) << 2);
        edge(row, 1, panel, kc, c + ((<usize>(i * n + j)) << 2), n, min(NR, n - j));
      }
    }
  }
}

/** B block (kc×n, row stride n) → panels of NR columns, each kc×NR contiguous; missing columns are zero. */
function packB(b: usize, n: i32, kc: i32, out: usize): void {
  for (let j = 0; j < n; j += NR) {
    const panel = out + ((<usize>(j * kc)) << 2);
    if (j + NR <= n) {
      for (let p = 0; p < kc; p++) {
        const src = b + ((<usize>(p * n + j)) << 2);
        const dst = panel + ((<usize>(p * NR)) << 2);
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
      }
    } else {
      const width = n - j;
      for (let p = 0; p < kc; p++) {
        const dst = panel + ((<usize>(p * NR)) << 2);
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        for (let q = 0; q < width; q++) {
          store<f32>(dst + ((<usize>q) << 2), load<f32>(b + ((<usize>(p * n + j + q)) << 2)));
        }
      }
    }
  }
}

/** MR rows of A (row stride k) → interleaved strip out[p*MR + r] = A[r][p], so the kernel reads it in order. */
function packA(a: usize, k: i32, kc: i32, out: usize): void {
  for (let p = 0; p < kc; p++) {
    const dst = out + ((<usize>(p * MR)) << 2);
    for (let r = 0; r < MR; r++) {
      store<f32>(dst + ((<usize>r) << 2), load<f32>(a + ((<usize>(r * k + p)) << 2)));
    }
  }
}

/** C[0..4, 0..8] += strip(4×kc) · panel(kc×8); C has row stride n. */
function kernel4x8(strip: usize, panel: usize, kc: i32, c: usize, n: i32): void {
  let c00 = f32x4.splat(0),
    c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0),
    c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0),
    c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0),
    c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(panel);
    const b1 = v128.load(panel, 16);
    const a0 = v128.load32_splat(strip);
    c00 = f32x4.add(c00, f32x4.mul(a0, b0));
    c01 = f32x4.add(c01, f32x4.mul(a0, b1));
    const a1 = v128.load32_splat(strip, 4);
    c10 = f32x4.add(c10, f32x4.mul(a1, b0));
    c11 = f32x4.add(c11, f32x4.mul(a1, b1));
    const a2 = v128.load32_splat(strip, 8);
    c20 = f32x4.add(c20, f32x4.mul(a2, b0));
    c21 = f32x4.add(c21, f32x4.mul(a2, b1));
    const a3 = v128.load32_splat(strip, 12);
    c30 = f32x4.add(c30, f32x4.mul(a3, b0));
    c31 = f32x4.add(c31, f32x4.mul(a3, b1));
    panel += NR << 2;
    strip += MR << 2;
  }
  const stride = (<usize>n) << 2;
  v128.store(c, f32x4.add(v128.load(c), c00));
  v128.store(c, f32x4.add(v128.load(c, 16), c01), 16);
  c += stride;
  v128.store(c, f32x4.add(v128.load(c), c10));
  v128.store(c, f32x4.add(v128.load(c, 16), c11), 16);
  c += stride;
  v128.store(c, f32x4.add(v128.load(c), c20));
  v128.store(c, f32x4.add(v128.load(c, 16), c21), 16);
  c += stride;
  v128.store(c, f32x4.add(v128.load(c), c30));
  v128.store(c, f32x4.add(v128.load(c, 16), c31), 16);
}

/** The general tile: rows (1..MR) of an interleaved strip (row r of step p at strip[p*rows + r]) by width (1..NR) columns. */
function edge(strip: usize, rows: i32, panel: usize, kc: i32, c: usize, n: i32, width: i32): void {
  for (let r = 0; r < rows; r++) {
    let acc0 = f32x4.splat(0);
    let acc1 = f32x4.splat(0);
    for (let p = 0; p < kc; p++) {
      const a = v128.load32_splat(strip + ((<usize>(p * rows + r)) << 2));
      const b = panel + ((<usize>(p * NR)) << 2);
      acc0 = f32x4.add(acc0, f32x4.mul(a, v128.load(b)));
      acc1 = f32x4.add(acc1, f32x4.mul(a, v128.load(b, 16)));
    }
    const row = c + ((<usize>(r * n)) << 2);
    for (let q = 0; q < width; q++) {
      const at = row + ((<usize>q) << 2);
      store<f32>(at, load<f32>(at) + laneOf(acc0, acc1, q));
    }
  }
}

function laneOf(lo: v128, hi: v128, q: i32): f32 {
  switch (q) {
    case 0:
      return f32x4.extract_lane(lo, 0);
    case 1:
      return f32x4.extract_lane(lo, 1);
    case 2:
      return f32x4.extract_lane(lo, 2);
    case 3:
      return f32x4.extract_lane(lo, 3);
    case 4:
      return f32x4.extract_lane(hi, 0);
    case 5:
      return f32x4.extract_lane(hi, 1);
    case 6:
      return f32x4.extract_lane(hi, 2);
    default:
      return f32x4.extract_lane(hi, 3);
  }
}

function roundUp(x: i32, multiple: i32): i32 {
  return ((x + multiple - 1) / multiple) * multiple;
}
