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
   * The stationary state covariance (per unit innovation variance), Σ = Σⱼ Tʲ RRᵀ (Tʲ)ᵀ, by the doubling algorithm:
   * Σ ← Σ + AΣAᵀ, A ← A², each round doubling the terms summed, until A has vanished (a few dozen r × r products,
   * where solving (I − T ⊗ T) vec Σ = vec RRᵀ directly costs r⁶/3). Returns undefined when the sum does not settle
   * (an AR root on or outside the unit circle: no stationary distribution).
   */
  stationaryCovariance(): Float64Array | undefined {
    const r = this.r;
    const sigma = new Float64Array(r * r);
    for (let i = 0; i < r; i++) for (let j = 0; j < r; j++) sigma[i * r + j] = this.R[i]! * this.R[j]!;
    let A: Float64Array = this.T.slice();
    for (let round = 0; round < 64; round++) {
      const AS = multiply(A, sigma, r);
      const ASAt = multiplyTransposed(AS, A, r);
      let change = 0;
      let size = 0;
      for (let k = 0; k < r * r; k++) {
        change = Math.max(change, Math.abs(ASAt[k]!));
        size = Math.max(size, Math.abs(sigma[k]!));
        sigma[k]! += ASAt[k]!;
      }
      if (!Number.isFinite(change)) return undefined;
      if (change <= 1e-17 * size) return sigma;
      A = multiply(A, A, r);
    }
    return undefined;
  }

  /**
   * The Kalman filter over z with unit innovation variance: the one-step prediction errors v_t and their variances
   * F_t (so the Gaussian log-likelihood with σ² concentrated out is −n/2·(log 2πσ̂² + 1) − ½Σ log F_t, with
   * σ̂² = Σ v_t²/F_t / n), and the filtered state and covariance after the last value. T's companion shape makes
   * each step O(r²): (Ta)ᵢ = φᵢa₀ + aᵢ₊₁, and TPTᵀ likewise from P's first row and column.
   */
  filter(
    z: ArrayLike<number>,
  ): { v: Float64Array; F: Float64Array; a: Float64Array; P: Float64Array } | undefined {
    const r = this.r;
    const P0 = this.stationaryCovariance();
    if (!P0) return undefined;
    const phi = new Float64Array(r);
    for (let i = 0; i < this.phi.length; i++) phi[i] = this.phi[i]!;
    const R = this.R;
    // Four r × r buffers reused across steps (P, the filtered P, TP) and two state vectors.
    let P = P0;
    const Pf = new Float64Array(r * r);
    const TP = new Float64Array(r * r);
    const a = new Float64Array(r);
    const filtered = new Float64Array(r);
    const v = new Float64Array(z.length);
    const F = new Float64Array(z.length);
    for (let t = 0; t < z.length; t++) {
      // Update with z_t: v = z − a₀, F = P₀₀, a += P[:,0]·v/F, P −= P[:,0]P[0,:]/F.
      const f = P[0]!;
      const e = z[t]! - a[0]!;
      v[t] = e;
      F[t] = f;
      for (let i = 0; i < r; i++) filtered[i] = a[i]! + (P[i * r]! * e) / f;
      for (let i = 0; i < r; i++) {
        const pi0 = P[i * r]! / f;
        for (let j = 0; j < r; j++) Pf[i * r + j] = P[i * r + j]! - pi0 * P[j * r]!;
      }
      if (t === z.length - 1) return { v, F, a: filtered, P: Pf };
      // Predict: a = T a, P = T P Tᵀ + R Rᵀ, with (TX)ᵢⱼ = φᵢX₀ⱼ + Xᵢ₊₁,ⱼ.
      for (let i = 0; i < r; i++) a[i] = phi[i]! * filtered[0]! + (i + 1 < r ? filtered[i + 1]! : 0);
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++) TP[i * r + j] = phi[i]! * Pf[j]! + (i + 1 < r ? Pf[(i + 1) * r + j]! : 0);
      const next = P === P0 ? new Float64Array(r * r) : P;
      for (let i = 0; i < r; i++)
        for (let j = 0; j < r; j++)
          next[i * r + j] = TP[i * r]! * phi[j]! + (j + 1 < r ? TP[i * r + j + 1]! : 0) + R[i]! * R[j]!;
      P = next;
    }
    return { v, F, a, P };
  }
}

/** A · B for r × r row-major matrices. */
function multiply(A: Float64Array, B: Float64Array, r: number): Float64Array {
  const out = new Float64Array(r * r);
  for (let i = 0; i < r; i++)
    for (let k = 0; k < r; k++) {
      const aik = A[i * r + k]!;
      if (aik === 0) continue;
      for (let j = 0; j < r; j++) out[i * r + j]! += aik * B[k * r + j]!;
    }
  return out;
}

/** A · Bᵀ for r × r row-major matrices. */
function multiplyTransposed(A: Float64Array, B: Float64Array, r: number): Float64Array {
  const out = new Float64Array(r * r);
  for (let i = 0; i < r; i++)
    for (let j = 0; j < r; j++) {
      let s = 0;
      for (let k = 0; k < r; k++) s += A[i * r + k]! * B[j * r + k]!;
      out[i * r + j] = s;
    }
  return out;
}
