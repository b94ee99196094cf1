/** Independent float64 references for the tests: plain loops over row-major number[], no NDArray code. */

export const strides = (shape: readonly number[]) => {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i]!;
  }
  return s;
};

export const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** out[idx] = f(a[idx broadcast], b[idx broadcast]) by explicit index arithmetic. */
export function broadcastReference(
  a: readonly number[],
  aShape: readonly number[],
  b: readonly number[],
  bShape: readonly number[],
  outShape: readonly number[],
  f: (x: number, y: number) => number,
): number[] {
  const out: number[] = [];
  const sa = strides(aShape);
  const sb = strides(bShape);
  const rank = outShape.length;
  for (let flat = 0; flat < size(outShape); flat++) {
    let rest = flat;
    let ia = 0;
    let ib = 0;
    for (let axis = rank - 1; axis >= 0; axis--) {
      const i = rest % outShape[axis]!;
      rest = Math.floor(rest / outShape[axis]!);
      const ax = axis - (rank - aShape.length);
      const bx = axis - (rank - bShape.length);
      if (ax >= 0 && aShape[ax]! > 1) ia += i * sa[ax]!;
      if (bx >= 0 && bShape[bx]! > 1) ib += i * sb[bx]!;
    }
    out.push(f(a[ia]!, b[ib]!));
  }
  return out;
}

/** C = A·B in float64, and Σ|a||b| per entry for the rounding-error bound. */
export function matmulReference(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number) {
  const c = new Float64Array(m * n);
  const magnitude = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let t = 0;
      for (let p = 0; p < k; p++) {
        s += a[i * k + p]! * b[p * n + j]!;
        t += Math.abs(a[i * k + p]! * b[p * n + j]!);
      }
      c[i * n + j] = s;
      magnitude[i * n + j] = t;
    }
  }
  return { c, magnitude };
}

/**
 * Higham's bound for a float32 dot product of length k, in any summation order:
 * |ĉ − c| ≤ γ(k+1) Σ|a_p b_p|, with γ(j) = j·u / (1 − j·u) and u = 2⁻²⁴ (one more term for the product's rounding),
 * plus u|c| for the final rounding to float32.
 */
export function float32DotBound(k: number, magnitude: number, exact: number): number {
  const u = 2 ** -24;
  const gamma = ((k + 1) * u) / (1 - (k + 1) * u);
  return gamma * magnitude + u * Math.abs(exact);
}
