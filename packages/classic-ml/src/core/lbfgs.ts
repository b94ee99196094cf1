/** The objective and its gradient at x: writes ∇f(x) into `gradient`, returns f(x). */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface LbfgsResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** True when max |∇f| fell to the tolerance; false when the iteration budget ran out first. */
  converged: boolean;
}

/**
 * Limited-memory BFGS (Nocedal & Wright, Numerical Optimization, 2nd ed., algorithms 7.4 and 7.5): the search
 * direction is the two-loop recursion over the last `memory` steps s = x_{k+1} − x_k and gradient changes
 * y = ∇f_{k+1} − ∇f_k, scaled by γ = s·y / y·y; the step length backtracks from 1 until the Armijo condition
 * f(x + αp) ≤ f(x) + 10⁻⁴·α·∇f·p holds, or, near the optimum where changes in f are lost to rounding, Hager and
 * Zhang's approximate Wolfe conditions (which read the slope instead). A pair with s·y ≤ 0 (no curvature seen) is not stored. Stops when
 * max |∇f| ≤ `tolerance`.
 */
export function minimizeLbfgs(
  objective: Objective,
  x0: Float64Array,
  options: { tolerance?: number; maxIterations?: number; memory?: number } = {},
): LbfgsResult {
  const { tolerance = 1e-6, maxIterations = 1000, memory = 10 } = options;
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let f = objective(x, g);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const rho: number[] = [];
  const alpha = new Float64Array(memory);
  const p = new Float64Array(n);
  let xNext = new Float64Array(n);
  let gNext = new Float64Array(n);
  for (let iteration = 0; iteration < maxIterations; iteration++) {
    if (maxAbs(g) <= tolerance) return { x, value: f, iterations: iteration, converged: true };
    // Two-loop recursion: p = −H·g.
    for (let i = 0; i < n; i++) p[i] = -g[i]!;
    for (let j = s.length - 1; j >= 0; j--) {
      alpha[j] = rho[j]! * dot(s[j]!, p);
      axpy(-alpha[j]!, y[j]!, p);
    }
    const last = s.length - 1;
    const gamma = last >= 0 ? dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!) : 1 / Math.sqrt(dot(g, g));
    for (let i = 0; i < n; i++) p[i]! *= gamma;
    for (let j = 0; j < s.length; j++) {
      const beta = rho[j]! * dot(y[j]!, p);
      axpy(alpha[j]! - beta, s[j]!, p);
    }
    const slope = dot(g, p);
    if (!(slope < 0)) {
      // Not a descent direction (rounding at the optimum): start the memory afresh along −g.
      s.length = 0;
      y.length = 0;
      rho.length = 0;
      continue;
    }
    let step = 1;
    let accepted = false;
    let fNext = Number.NaN;
    for (let tries = 0; tries < 60 && !accepted; tries++) {
      for (let i = 0; i < n; i++) xNext[i] = x[i]! + step * p[i]!;
      fNext = objective(xNext, gNext);
      accepted = fNext <= f + 1e-4 * step * slope || approximateWolfe(f, fNext, slope, dot(gNext, p));
      if (!accepted) step /= 2;
    }
    if (!accepted) return { x, value: f, iterations: iteration, converged: false };
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = xNext[i]! - x[i]!;
      yk[i] = gNext[i]! - g[i]!;
    }
    const sy = dot(sk, yk);
    if (sy > 1e-12 * Math.sqrt(dot(yk, yk) * dot(sk, sk))) {
      if (s.length === memory) {
        s.shift();
        y.shift();
        rho.shift();
      }
      s.push(sk);
      y.push(yk);
      rho.push(1 / sy);
    }
    [x, xNext] = [xNext, x];
    [g, gNext] = [gNext, g];
    f = fNext;
  }
  return { x, value: f, iterations: maxIterations, converged: maxAbs(g) <= tolerance };
}

/**
 * Hager & Zhang (2005), "A new conjugate gradient method with guaranteed descent and an efficient line search",
 * eq. 4.1 with δ = 10⁻⁴, σ = 0.9, ε = 10⁻¹²: f did not rise by more than rounding, and the slope along p at the
 * new point is between 0.9 of the old slope (enough progress) and (1 − 2δ) of its magnitude uphill.
 */
function approximateWolfe(f: number, fNext: number, slope: number, slopeNext: number): boolean {
  return fNext <= f + 1e-12 * Math.abs(f) && 0.9 * slope <= slopeNext && slopeNext <= (2e-4 - 1) * slope;
}

function dot(a: Float64Array, b: Float64Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** out += a·v */
function axpy(a: number, v: Float64Array, out: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i]! += a * v[i]!;
}

function maxAbs(v: Float64Array): number {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
}
