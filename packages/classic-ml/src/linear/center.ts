import { Matrix } from '../core/matrix.js';

/** X with each column's mean removed, and y with its mean removed: fitting on these leaves the intercept out. */
export interface Centered {
  X: Matrix;
  y: Float64Array;
  xMean: Float64Array;
  yMean: number;
}

export function center(X: Matrix, y: Float64Array, fitIntercept: boolean): Centered {
  const { rows: n, cols: d } = X;
  const xMean = new Float64Array(d);
  let yMean = 0;
  if (!fitIntercept) return { X, y, xMean, yMean };
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) xMean[j]! += X.data[i * d + j]!;
    yMean += y[i]!;
  }
  for (let j = 0; j < d; j++) xMean[j]! /= n;
  yMean /= n;
  const Xc = new Matrix(n, d);
  const yc = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) Xc.data[i * d + j] = X.data[i * d + j]! - xMean[j]!;
    yc[i] = y[i]! - yMean;
  }
  return { X: Xc, y: yc, xMean, yMean };
}

/** The intercept that goes with coefficients fitted on centered data: ȳ − x̄·β. */
export function interceptOf(c: Centered, coef: Float64Array): number {
  let s = c.yMean;
  for (let j = 0; j < coef.length; j++) s -= c.xMean[j]! * coef[j]!;
  return s;
}

/** X·β + b for every row. */
export function linearPredict(X: Matrix, coef: Float64Array, intercept: number): Float64Array {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = intercept;
    for (let j = 0; j < d; j++) s += data[i * d + j]! * coef[j]!;
    out[i] = s;
  }
  return out;
}

/** Xᵀ·v (length d). */
export function transposeTimes(X: Matrix, v: Float64Array): Float64Array {
  const { rows: n, cols: d, data } = X;
  const out = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const vi = v[i]!;
    if (vi === 0) continue;
    for (let j = 0; j < d; j++) out[j]! += data[i * d + j]! * vi;
  }
  return out;
}
