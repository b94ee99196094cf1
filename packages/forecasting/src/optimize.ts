export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Largest |∂f/∂xᵢ| at the end (central differences). */
  gradientNorm: number;
  converged: boolean;
  /** Why it stopped. */
  message: string;
}

export interface MinimizeOptions {
  maxIterations?: number;
  /** Stop when every |∂f/∂xᵢ| is below this. Default 1e-7. */
  gradientTolerance?: number;
  /** Stop when an iteration lowers f by less than this, relative to |f|. Default 1e-14. */
  valueTolerance?: number;
}

/** ∂f/∂x by central differences, step 1e-6·max(1, |xᵢ|). A non-finite side falls back to a one-sided difference. */
export function numericalGradient(f: (x: Float64Array) => number, x: Float64Array, fx: number): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const h = 1e-6 * Math.max(1, Math.abs(x[i]!));
    const xi = x[i]!;
    x[i] = xi + h;
    const up = f(x);
    x[i] = xi - h;
    const down = f(x);
    x[i] = xi;
    if (Number.isFinite(up) && Number.isFinite(down)) g[i] = (up - down) / (2 * h);
    else if (Number.isFinite(up)) g[i] = (up - fx) / h;
    else g[i] = (fx - down) / h;
  }
  return g;
}

/**
 * BFGS (Nocedal & Wright, algorithm 6.1) with central-difference gradients and a backtracking line search on the
 * Armijo condition; the inverse-Hessian estimate is updated only when the curvature condition sᵀy > 0 holds. A
 * non-finite f (a parameter outside the model's domain) counts as no decrease.
 */
export function minimizeBfgs(
  f: (x: Float64Array) => number,
  start: ArrayLike<number>,
  options: MinimizeOptions = {},
): MinimizeResult {
  const { maxIterations = 500, gradientTolerance = 1e-7, valueTolerance = 1e-14 } = options;
  const n = start.length;
  let x = Float64Array.from(start);
  let fx = f(x);
  if (!Number.isFinite(fx))
    return {
      x,
      value: fx,
      iterations: 0,
      gradientNorm: Number.NaN,
      converged: false,
      message: 'f is not finite at the start',
    };
  let g = numericalGradient(f, x, fx);
  const H = new Float64Array(n * n);
  for (let i = 0; i < n; i++) H[i * n + i] = 1;
  const norm = (v: Float64Array) => v.reduce((m, e) => Math.max(m, Math.abs(e)), 0);
  let message = 'reached the iteration limit';
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    if (norm(g) < gradientTolerance) {
      message = 'gradient below tolerance';
      break;
    }
    const p = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s -= H[i * n + j]! * g[j]!;
      p[i] = s;
    }
    let slope = 0;
    for (let i = 0; i < n; i++) slope += p[i]! * g[i]!;
    if (slope >= 0) {
      // Not a descent direction: restart from steepest descent.
      H.fill(0);
      for (let i = 0; i < n; i++) {
        H[i * n + i] = 1;
        p[i] = -g[i]!;
      }
      slope = -g.reduce((s, e) => s + e * e, 0);
    }
    let step = 1;
    let next = x;
    let fNext = Number.NaN;
    for (let tries = 0; tries < 60; tries++) {
      next = Float64Array.from(x, (xi, i) => xi + step * p[i]!);
      fNext = f(next);
      if (Number.isFinite(fNext) && fNext <= fx + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(Number.isFinite(fNext) && fNext <= fx)) {
      message = 'the line search found no decrease';
      break;
    }
    const gNext = numericalGradient(f, next, fNext);
    const s = Float64Array.from(next, (v, i) => v - x[i]!);
    const y = Float64Array.from(gNext, (v, i) => v - g[i]!);
    const improvement = fx - fNext;
    x = next;
    g = gNext;
    const previous = fx;
    fx = fNext;
    let sy = 0;
    for (let i = 0; i < n; i++) sy += s[i]! * y[i]!;
    if (sy > 1e-16) {
      // H ← (I − ρsyᵀ) H (I − ρysᵀ) + ρssᵀ
      const rho = 1 / sy;
      const Hy = new Float64Array(n);
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) Hy[i]! += H[i * n + j]! * y[j]!;
      let yHy = 0;
      for (let i = 0; i < n; i++) yHy += y[i]! * Hy[i]!;
      for (let i = 0; i < n; i++)
        for (let j = 0; j < n; j++)
          H[i * n + j]! += -rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!;
    }
    if (improvement <= valueTolerance * Math.max(1, Math.abs(previous))) {
      message = 'the value stopped improving';
      iteration++;
      break;
    }
  }
  const gradientNorm = norm(g);
  return {
    x,
    value: fx,
    iterations: iteration,
    gradientNorm,
    converged: gradientNorm < gradientTolerance || message === 'the value stopped improving',
    message,
  };
}
