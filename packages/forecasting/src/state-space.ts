/**
 * A zero-mean ARMA process a(L) z_t = b(L) ε_t in Harvey's state-space form, and its Kalman filter. With
 * a(L) = 1 − φ₁L − … − φ_pL^p and b(L) = 1 + θ₁L + … + θ_qL^q, the state has r = max(p, q + 1) entries,
 * α_t = T α_{t−1} + R ε_t and z_t = α_t[0], where T has φ down its first column and ones above its diagonal and
 * R = (1, θ₁, …, θ_{r−1}). The filter starts from the stationary distribution (mean 0, covariance Σ solving
 * Σ = TΣTᵀ + RRᵀ), so the likelihood is exact — the likelihood statsmodels' SARIMAX computes.
 */
export class ArmaStateSpace {
  readonly r: number;
  readonly T: Float64Array;
  readonly R: Float64Array;

  constructor(
    readonly phi: ArrayLike<number>,
    readonly theta: ArrayLike<number>,
  ) {
    const r = Math.max(phi.length, theta.length + 1);
    this.r = r;
    this.T = new Float64Array(r * r);
    for (let i = 0; i < phi.length; i++) this.T[i * r] = phi[i]!;
    for (let i = 0; i + 1 < r; i++) this.T[i * r + i + 1] = 1;
    this.R = new Float64Array(r);
    this.R[0] = 1;
    for (let j = 0; j < theta.length; j++) this.R[j + 1] = theta[j]!;
  }

  /**
   * The stationary state covariance (per unit innovation variance): vec(Σ) = (I − T ⊗ T)⁻¹ vec(RRᵀ), by Gaussian
   * elimination with partial pivoting on the r² × r² system. Returns undefined when the system is singular (an AR
   * root on the unit circle: no stationary distribution).
   */
  stationaryCovariance(): Float64Array | undefined {
    const r = this.r;
    const n = r * r;
    const A = new Float64Array(n * n);
    const b = new Float64Array(n);
    for (let i = 0; i < r; i++)
      for (let j = 0; j < r; j++) {
        const row = i * r + j;
        b[row] = this.R[i]! * this.R[j]!;
        A[row * n + row] = 1;
        for (let k = 0; k < r; k++) {
          const tik = this.T[i * r + k]!;
          if (tik === 0) continue;
          for (let l = 0; l < r; l++) A[row * n + k * r + l]! -= tik * this.T[j * r + l]!;
        }
      }
    return solve(A, b, n);
  }

  /**
   * The Kalman filter over z with unit innovation variance: the one-step prediction errors v_t and their variances
   * F_t (so the Gaussian log-likelihood with σ² concentrated out is −n/2·(log 2πσ̂² + 1) − ½Σ log F_t, with
   * σ̂² = Σ v_t²/F_t / n), and the filtered state and covariance after the last value.
   */
  filter(
    z: ArrayLike<number>,
  ): { v: Float64Array; F: Float64Array; a: Float64Array; P: Float64Array } | undefined {
    const r = this.r;
    const P0 = this.stationaryCovariance();
    if (!P0) return undefined;
    let P = P0;
    let a = new Float64Array(r);
    const v = new Float64Array(z.length);
    const F = new Float64Array(z.length);
    const T = this.T;
    const R = this.R;
    const TP = new Float64Array(r * r);
    for (let t = 0; t < z.length; t++) {
      // Update with z_t: v = z − a₀, F = P₀₀, a += P[:,0]·v/F, P −= P[:,0]P[0,:]/F.
      const f = P[0]!;
      const e = z[t]! - a[0]!;
      v[t] = e;
      F[t] = f;
      const col = Float64Array.from({ length: r }, (_, i) => P[i * r]!);
      const filtered = Float64Array.from(a, (ai, i) => ai + (col[i]! * e) / f);
      const Pf = new Float64Array(r * r);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) Pf[i * r + j] = P[i * r + j]! - (col[i]! * col[j]!) / f;
      if (t === z.length - 1) return { v, F, a: filtered, P: Pf };
      // Predict: a = T a, P = T P Tᵀ + R Rᵀ.
      a = new Float64Array(r);
      for (let i = 0; i < r; i++) {
        let s = 0;
        for (let k = 0; k < r; k++) s += T[i * r + k]! * filtered[k]!;
        a[i] = s;
      }
      TP.fill(0);
      for (let i = 0; i < r; i++)
        for (let k = 0; k < r; k++) {
          const tik = T[i * r + k]!;
          if (tik === 0) continue;
          for (let j = 0; j < r; j++) TP[i * r + j]! += tik * Pf[k * r + j]!;
        }
      P = new Float64Array(r * r);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) {
          let s = R[i]! * R[j]!;
          for (let k = 0; k < r; k++) s += TP[i * r + k]! * T[j * r + k]!;
          P[i * r + j] = s;
        }
    }
    return { v, F, a, P };
  }
}

/** Solves A x = b (A n × n, row-major) by Gaussian elimination with partial pivoting; undefined if singular. */
export function solve(A: Float64Array, b: Float64Array, n: number): Float64Array | undefined {
  const M = A.slice();
  const x = b.slice();
  for (let c = 0; c < n; c++) {
    let pivot = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]!) > Math.abs(M[pivot * n + c]!)) pivot = r;
    if (Math.abs(M[pivot * n + c]!) < 1e-12) return undefined;
    if (pivot !== c) {
      for (let k = 0; k < n; k++) [M[c * n + k], M[pivot * n + k]] = [M[pivot * n + k]!, M[c * n + k]!];
      [x[c], x[pivot]] = [x[pivot]!, x[c]!];
    }
    for (let r = c + 1; r < n; r++) {
      const m = M[r * n + c]! / M[c * n + c]!;
      if (m === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k]! -= m * M[c * n + k]!;
      x[r]! -= m * x[c]!;
    }
  }
  for (let c = n - 1; c >= 0; c--) {
    let s = x[c]!;
    for (let k = c + 1; k < n; k++) s -= M[c * n + k]! * x[k]!;
    x[c] = s / M[c * n + c]!;
  }
  return x;
}
