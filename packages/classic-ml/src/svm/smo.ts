/**
 * The SMO solver of libsvm (Chang & Lin 2011; working-set selection by second-order information, Fan, Chen & Lin
 * 2005) for the C-SVC dual: min ½αᵀQα − Σα subject to yᵀα = 0 and 0 ≤ α ≤ C, with Q_ij = y_i·y_j·K(x_i, x_j).
 * Each step picks the most violating pair (i, j), solves for their two α in closed form, and updates the gradient
 * with two kernel rows; it stops when the largest violation of the optimality conditions is ≤ tol.
 */

/** Kernel values K(x_i, ·) for every training row, computed when first asked for and kept while they fit. */
export class KernelRows {
  private readonly rows = new Map<number, Float64Array>();
  private readonly capacity: number;

  constructor(
    private readonly n: number,
    private readonly kernel: (i: number, j: number) => number,
    cacheMegabytes: number,
  ) {
    this.capacity = Math.max(2, Math.floor((cacheMegabytes * 2 ** 20) / (8 * n)));
  }

  row(i: number): Float64Array {
    const cached = this.rows.get(i);
    if (cached) {
      // Move to the back: the Map's insertion order is the recency order.
      this.rows.delete(i);
      this.rows.set(i, cached);
      return cached;
    }
    const row = new Float64Array(this.n);
    for (let t = 0; t < this.n; t++) row[t] = this.kernel(i, t);
    if (this.rows.size >= this.capacity) this.rows.delete(this.rows.keys().next().value!);
    this.rows.set(i, row);
    return row;
  }
}

export interface SmoResult {
  alpha: Float64Array;
  /** f(x) = Σ α_i·y_i·K(x_i, x) − rho. */
  rho: number;
  iterations: number;
}

const TAU = 1e-12;

export function solveSmo(
  y: Float64Array,
  kernel: KernelRows,
  diagonal: Float64Array,
  C: number,
  tol: number,
  maxIter: number,
): SmoResult {
  const n = y.length;
  const alpha = new Float64Array(n);
  const G = new Float64Array(n).fill(-1); // ∇ of the dual at α = 0
  let iterations = 0;
  const up = (t: number) => (y[t]! > 0 ? alpha[t]! < C : alpha[t]! > 0);
  const low = (t: number) => (y[t]! > 0 ? alpha[t]! > 0 : alpha[t]! < C);
  for (; iterations < maxIter; iterations++) {
    // i: the largest −y·G among rows that can move up.
    let gmax = Number.NEGATIVE_INFINITY;
    let i = -1;
    for (let t = 0; t < n; t++)
      if (up(t) && -y[t]! * G[t]! >= gmax) {
        gmax = -y[t]! * G[t]!;
        i = t;
      }
    if (i < 0) break;
    const Ki = kernel.row(i);
    // j: among rows that can move down and violate with i, the one whose step lowers the objective most.
    let gmin = Number.POSITIVE_INFINITY;
    let best = Number.POSITIVE_INFINITY;
    let j = -1;
    for (let t = 0; t < n; t++) {
      if (!low(t)) continue;
      const v = -y[t]! * G[t]!;
      if (v < gmin) gmin = v;
      const b = gmax - v;
      if (b > 0) {
        const a = Math.max(diagonal[i]! + diagonal[t]! - 2 * Ki[t]!, TAU);
        const gain = -(b * b) / a;
        if (gain <= best) {
          best = gain;
          j = t;
        }
      }
    }
    if (gmax - gmin < tol || j < 0) break;
    const Kj = kernel.row(j);
    const [oldI, oldJ] = [alpha[i]!, alpha[j]!];
    // The two-variable subproblem, as libsvm's Solver::Solve.
    const Qij = y[i]! * y[j]! * Ki[j]!;
    const quad = Math.max(diagonal[i]! + diagonal[j]! - 2 * Qij * y[i]! * y[j]!, TAU);
    if (y[i] !== y[j]) {
      const delta = (-G[i]! - G[j]!) / quad;
      const diff = oldI - oldJ;
      alpha[i] = oldI + delta;
      alpha[j] = oldJ + delta;
      if (diff > 0 && alpha[j]! < 0) {
        alpha[j] = 0;
        alpha[i] = diff;
      } else if (diff <= 0 && alpha[i]! < 0) {
        alpha[i] = 0;
        alpha[j] = -diff;
      }
      if (diff > 0 && alpha[i]! > C) {
        alpha[i] = C;
        alpha[j] = C - diff;
      } else if (diff <= 0 && alpha[j]! > C) {
        alpha[j] = C;
        alpha[i] = C + diff;
      }
    } else {
      const delta = (G[i]! - G[j]!) / quad;
      const sum = oldI + oldJ;
      alpha[i] = oldI - delta;
      alpha[j] = oldJ + delta;
      if (sum > C && alpha[i]! > C) {
        alpha[i] = C;
        alpha[j] = sum - C;
      } else if (sum <= C && alpha[j]! < 0) {
        alpha[j] = 0;
        alpha[i] = sum;
      }
      if (sum > C && alpha[j]! > C) {
        alpha[j] = C;
        alpha[i] = sum - C;
      } else if (sum <= C && alpha[i]! < 0) {
        alpha[i] = 0;
        alpha[j] = sum;
      }
    }
    const dI = alpha[i]! - oldI;
    const dJ = alpha[j]! - oldJ;
    for (let t = 0; t < n; t++) G[t]! += y[t]! * (y[i]! * Ki[t]! * dI + y[j]! * Kj[t]! * dJ);
  }
  return { alpha, rho: rhoOf(y, alpha, G, C), iterations };
}

/** ρ: the mean of y·G over the free α, or the middle of the feasible interval when none is free (libsvm). */
function rhoOf(y: Float64Array, alpha: Float64Array, G: Float64Array, C: number): number {
  let upper = Number.POSITIVE_INFINITY;
  let lower = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let free = 0;
  for (let t = 0; t < y.length; t++) {
    const yG = y[t]! * G[t]!;
    if (alpha[t]! > 0 && alpha[t]! < C) {
      sum += yG;
      free++;
    } else if ((alpha[t] === C && y[t]! < 0) || (alpha[t] === 0 && y[t]! > 0)) upper = Math.min(upper, yG);
    else lower = Math.max(lower, yG);
  }
  return free > 0 ? sum / free : (upper + lower) / 2;
}
