import { type MinimizeResult, minimizeBfgs } from './optimize.js';
import { assertFinite, difference, ForecastInputError } from './series.js';
import { ArmaStateSpace } from './state-space.js';

/** (p, d, q) and, optionally, the seasonal (P, D, Q) at period s. */
export interface ArimaOrder {
  p: number;
  d: number;
  q: number;
  P?: number;
  D?: number;
  Q?: number;
  s?: number;
  /** 'c': an intercept in the differenced equation (a drift, for d + D = 1); 'n': none. Default 'n'. */
  trend?: 'n' | 'c';
}

export interface ArimaFitOptions {
  /** 'mle': exact Gaussian likelihood by the Kalman filter (started from CSS); 'css': conditional sum of squares. */
  method?: 'mle' | 'css';
  maxIterations?: number;
}

/** Monahan (1984) / Jones (1980): any real vector ↦ the coefficients of a stationary AR polynomial, via partial autocorrelations in (−1, 1). */
export function constrainStationary(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  const y: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let k = 0; k < n; k++) {
    const r = x[k]! / Math.sqrt(1 + x[k]! ** 2);
    for (let i = 0; i < k; i++) y[k]![i] = y[k - 1]![i]! + r * y[k - 1]![k - i - 1]!;
    y[k]![k] = r;
  }
  return n === 0 ? new Float64Array(0) : Float64Array.from(y[n - 1]!, (v) => -v);
}

/**
 * The partial autocorrelations of an AR polynomial 1 − Σφᵢ Lⁱ, by the backward Durbin–Levinson recursion: all inside
 * (−1, 1) exactly when the polynomial is stationary (Schur–Cohn); a value at or beyond ±1 marks a root on or inside
 * the unit circle (the recursion stops there and reports it).
 */
export function partialAutocorrelations(phi: ArrayLike<number>): Float64Array {
  const n = phi.length;
  const out = new Float64Array(n);
  let current = Float64Array.from(phi);
  for (let k = n - 1; k >= 0; k--) {
    const kk = current[k]!;
    out[k] = kk;
    if (!(Math.abs(kk) < 1)) {
      for (let j = 0; j < k; j++) out[j] = kk;
      break;
    }
    const next = new Float64Array(k);
    for (let i = 0; i < k; i++) next[i] = (current[i]! + kk * current[k - 1 - i]!) / (1 - kk * kk);
    current = next;
  }
  return out;
}

/** The inverse of constrainStationary; a non-stationary input has its partial autocorrelations clipped to ±0.99. */
export function unconstrainStationary(phi: ArrayLike<number>): Float64Array {
  const n = phi.length;
  if (n === 0) return new Float64Array(0);
  const y: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  for (let i = 0; i < n; i++) y[n - 1]![i] = -phi[i]!;
  for (let k = n - 1; k > 0; k--) {
    const kk = Math.max(-0.99, Math.min(0.99, y[k]![k]!));
    for (let i = 0; i < k; i++) y[k - 1]![i] = (y[k]![i]! - kk * y[k]![k - i - 1]!) / (1 - kk * kk);
  }
  return Float64Array.from({ length: n }, (_, k) => {
    const r = Math.max(-0.99, Math.min(0.99, y[k]![k]!));
    return r / Math.sqrt(1 - r * r);
  });
}

/** The product of two polynomials given by their coefficients, lowest power first. */
export function multiplyPolynomials(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) for (let j = 0; j < b.length; j++) out[i + j]! += a[i]! * b[j]!;
  return out;
}

/** 1 − Σ φᵢ L^(i·lag) (sign −1) or 1 + Σ θᵢ L^(i·lag) (sign +1), as coefficients. */
function lagPolynomial(coefficients: ArrayLike<number>, lag: number, sign: 1 | -1): Float64Array {
  const out = new Float64Array(coefficients.length * lag + 1);
  out[0] = 1;
  for (let i = 0; i < coefficients.length; i++) out[(i + 1) * lag] = sign * coefficients[i]!;
  return out;
}

/** The parameters of a fitted model, named as statsmodels names them. */
export interface ArimaParams {
  intercept: number;
  ar: Float64Array;
  ma: Float64Array;
  seasonalAr: Float64Array;
  seasonalMa: Float64Array;
  sigma2: number;
}

interface Spec {
  p: number;
  d: number;
  q: number;
  P: number;
  D: number;
  Q: number;
  s: number;
  trend: 'n' | 'c';
}

function checkOrder(order: ArimaOrder): Spec {
  const { p, d, q, P = 0, D = 0, Q = 0, s = 0, trend = 'n' } = order;
  for (const [name, v] of Object.entries({ p, d, q, P, D, Q }))
    if (!Number.isInteger(v) || v < 0)
      throw new ForecastInputError(`ARIMA order: ${name} must be a whole number ≥ 0, got ${v}`);
  if (P + D + Q > 0 && !(Number.isInteger(s) && s >= 2))
    throw new ForecastInputError(
      `ARIMA order: a seasonal part (P, D, Q) = (${P}, ${D}, ${Q}) needs a period s ≥ 2, got ${s} (a period of 1 is the non-seasonal part: use p, d, q)`,
    );
  if (trend !== 'n' && trend !== 'c')
    throw new ForecastInputError(`ARIMA order: trend must be 'n' or 'c', got ${trend}`);
  return { p, d, q, P, D, Q, s: P + D + Q > 0 ? s : 0, trend };
}

/** The expanded AR and MA coefficients (φ*, θ*) of the seasonal product, in the sign convention a(L) = 1 − Σφ*L^k. */
function expand(spec: Spec, params: ArimaParams): { phi: Float64Array; theta: Float64Array } {
  const a = multiplyPolynomials(
    lagPolynomial(params.ar, 1, -1),
    lagPolynomial(params.seasonalAr, spec.s || 1, -1),
  );
  const b = multiplyPolynomials(
    lagPolynomial(params.ma, 1, 1),
    lagPolynomial(params.seasonalMa, spec.s || 1, 1),
  );
  return { phi: Float64Array.from(a.subarray(1), (v) => -v), theta: b.slice(1) };
}

/** The number of estimated parameters (σ² included, as statsmodels counts it). */
function parameterCount(spec: Spec): number {
  return (spec.trend === 'c' ? 1 : 0) + spec.p + spec.q + spec.P + spec.Q + 1;
}

/**
 * Seasonal ARIMA(p, d, q)(P, D, Q)s: the series differenced d times at lag 1 and D times at lag s, w_t, follows
 * φ(L)Φ(L^s) w_t = c + θ(L)Θ(L^s) ε_t with ε_t ~ N(0, σ²) — statsmodels' SARIMAX with simple_differencing=True, whose
 * intercept c sits in the AR equation (the mean of w is c / (φ(1)Φ(1))). Fitted by exact maximum likelihood (the
 * Kalman filter from the stationary distribution, σ² concentrated out, stationarity and invertibility enforced by
 * the Monahan/Jones transformation, BFGS started from the CSS fit) or by conditional sum of squares.
 */
export class Arima {
  readonly spec: Spec;
  params!: ArimaParams;
  /** Log-likelihood at the fitted parameters (for CSS, the Gaussian likelihood of the conditional residuals). */
  llf = Number.NaN;
  /** Observations the likelihood covers: the differenced series (less the first p + sP for CSS). */
  nobs = 0;
  method: 'mle' | 'css' = 'mle';
  optimizer: MinimizeResult | undefined;
  /** Notes about the fit a user should see: a root near the unit circle, a non-converged optimizer. */
  readonly warnings: string[] = [];
  private y: Float64Array = new Float64Array(0);
  private w: Float64Array = new Float64Array(0);

  constructor(order: ArimaOrder) {
    this.spec = checkOrder(order);
  }

  /** Parameter names in statsmodels' order: intercept, ar.L1…, ma.L1…, ar.S.L12…, ma.S.L12…, sigma2. */
  get names(): string[] {
    const { p, q, P, Q, s, trend } = this.spec;
    return [
      ...(trend === 'c' ? ['intercept'] : []),
      ...Array.from({ length: p }, (_, i) => `ar.L${i + 1}`),
      ...Array.from({ length: q }, (_, i) => `ma.L${i + 1}`),
      ...Array.from({ length: P }, (_, i) => `ar.S.L${(i + 1) * s}`),
      ...Array.from({ length: Q }, (_, i) => `ma.S.L${(i + 1) * s}`),
      'sigma2',
    ];
  }

  /** The fitted parameters by name. */
  get named(): Record<string, number> {
    const { intercept, ar, ma, seasonalAr, seasonalMa, sigma2 } = this.params;
    const values = [
      ...(this.spec.trend === 'c' ? [intercept] : []),
      ...ar,
      ...ma,
      ...seasonalAr,
      ...seasonalMa,
      sigma2,
    ];
    return Object.fromEntries(this.names.map((n, i) => [n, values[i]!]));
  }

  private minimumLength(): number {
    const { p, d, q, P, D, Q, s } = this.spec;
    return d + D * s + Math.max(p + P * s, q + Q * s) + parameterCount(this.spec) + 1;
  }

  fit(y: ArrayLike<number>, options: ArimaFitOptions = {}): this {
    const { method = 'mle', maxIterations = 500 } = options;
    assertFinite('Arima.fit', y);
    const need = this.minimumLength();
    if (y.length < need) {
      const { p, d, q, P, D, Q, s } = this.spec;
      throw new ForecastInputError(
        `Arima.fit: ${y.length} values are too few for ARIMA(${p},${d},${q})(${P},${D},${Q})${s || ''}: it needs at least ${need}`,
      );
    }
    this.y = Float64Array.from(y);
    this.w = difference(y, this.spec.d, this.spec.D, this.spec.s || 1);
    this.method = method;
    this.fitCss(maxIterations);
    if (method === 'mle') this.fitMle(maxIterations);
    this.checkRoots();
    return this;
  }

  /** Unpacks a raw vector [c?, ar, ma, sar, sma] (already constrained or not). */
  private unpack(x: ArrayLike<number>, sigma2: number): ArimaParams {
    const { p, q, P, Q, trend } = this.spec;
    let k = 0;
    const take = (n: number) => Float64Array.from({ length: n }, () => x[k++]!);
    const intercept = trend === 'c' ? x[k++]! : 0;
    return { intercept, ar: take(p), ma: take(q), seasonalAr: take(P), seasonalMa: take(Q), sigma2 };
  }

  private pack(params: ArimaParams): Float64Array {
    return Float64Array.from([
      ...(this.spec.trend === 'c' ? [params.intercept] : []),
      ...params.ar,
      ...params.ma,
      ...params.seasonalAr,
      ...params.seasonalMa,
    ]);
  }

  /** Unconstrained optimizer vector ↦ stationary and invertible parameters (Monahan/Jones on each polynomial). */
  private constrain(x: ArrayLike<number>): ArimaParams {
    const raw = this.unpack(x, 1);
    return {
      ...raw,
      ar: constrainStationary(raw.ar),
      ma: constrainStationary(raw.ma).map((v) => -v),
      seasonalAr: constrainStationary(raw.seasonalAr),
      seasonalMa: constrainStationary(raw.seasonalMa).map((v) => -v),
    };
  }

  private unconstrain(params: ArimaParams): Float64Array {
    return this.pack({
      ...params,
      ar: unconstrainStationary(params.ar),
      ma: unconstrainStationary(params.ma.map((v) => -v)),
      seasonalAr: unconstrainStationary(params.seasonalAr),
      seasonalMa: unconstrainStationary(params.seasonalMa.map((v) => -v)),
    });
  }

  /** The mean of w implied by the intercept: c / (1 − Σφ*). */
  private mean(params: ArimaParams, phi: Float64Array): number {
    return params.intercept / (1 - phi.reduce((s, v) => s + v, 0));
  }

  /** Exact log-likelihood with σ² concentrated out; σ̂² returned beside it. NaN where the filter cannot start. */
  /**
   * The Kalman filter over w at some parameters: w less the mean those parameters imply, in their state space.
   * Undefined where the AR part has no stationary distribution.
   */
  private filterAt(params: ArimaParams) {
    const { phi, theta } = expand(this.spec, params);
    const mu = this.mean(params, phi);
    const space = new ArmaStateSpace(phi, theta);
    const filtered = space.filter(Float64Array.from(this.w, (v) => v - mu));
    return filtered ? { space, filtered, mu } : undefined;
  }

  /** Exact log-likelihood with σ² concentrated out; σ̂² returned beside it. NaN where the filter cannot start. */
  private exactLikelihood(params: ArimaParams): { llf: number; sigma2: number } {
    const run = this.filterAt(params);
    if (!run) return { llf: Number.NaN, sigma2: Number.NaN };
    const { v, F } = run.filtered;
    const n = v.length;
    let ss = 0;
    let logF = 0;
    for (let t = 0; t < n; t++) {
      ss += v[t]! ** 2 / F[t]!;
      logF += Math.log(F[t]!);
    }
    const sigma2 = ss / n;
    return { llf: -0.5 * n * (Math.log(2 * Math.PI * sigma2) + 1) - 0.5 * logF, sigma2 };
  }

  /** The conditional residuals: e_t = w_t − c − Σφ*ₖ w_{t−k} − Σθ*ₖ e_{t−k} from t = p* (the AR degree), e = 0 before. */
  private cssResiduals(params: ArimaParams): Float64Array {
    const { phi, theta } = expand(this.spec, params);
    const w = this.w;
    const start = phi.length;
    const e = new Float64Array(w.length);
    for (let t = start; t < w.length; t++) {
      let v = w[t]! - params.intercept;
      for (let k = 0; k < phi.length; k++) v -= phi[k]! * w[t - k - 1]!;
      for (let k = 0; k < theta.length && t - k - 1 >= start; k++) v -= theta[k]! * e[t - k - 1]!;
      e[t] = v;
    }
    return e.subarray(start);
  }

  private fitCss(maxIterations: number): void {
    const sse = (x: Float64Array) => {
      const e = this.cssResiduals(this.unpack(x, 1));
      let s = 0;
      for (const v of e) s += v * v;
      return s / e.length;
    };
    const k = parameterCount(this.spec) - 1;
    const start = new Float64Array(k);
    if (this.spec.trend === 'c') start[0] = this.w.reduce((s, v) => s + v, 0) / this.w.length;
    const result = minimizeBfgs(sse, start, { maxIterations });
    const e = this.cssResiduals(this.unpack(result.x, 1));
    const n = e.length;
    const sigma2 = e.reduce((s, v) => s + v * v, 0) / n;
    this.params = this.unpack(result.x, sigma2);
    this.nobs = n;
    this.llf = -0.5 * n * (Math.log(2 * Math.PI * sigma2) + 1);
    this.optimizer = result;
  }

  private fitMle(maxIterations: number): void {
    const n = this.w.length;
    const objective = (x: Float64Array) => -this.exactLikelihood(this.constrain(x)).llf / n;
    // Start from the CSS fit, pulled inside the stationary and invertible region.
    let start = this.unconstrain(this.params);
    if (!Number.isFinite(objective(start))) start = new Float64Array(start.length);
    const result = minimizeBfgs(objective, start, { maxIterations });
    const params = this.constrain(result.x);
    const { llf, sigma2 } = this.exactLikelihood(params);
    this.params = { ...params, sigma2 };
    this.llf = llf;
    this.nobs = n;
    this.optimizer = result;
    if (!result.converged)
      this.warnings.push(
        `the optimizer stopped before converging: ${result.message} (gradient ${result.gradientNorm.toExponential(2)})`,
      );
  }

  /**
   * Warns about an AR or MA polynomial with a partial autocorrelation beyond ±0.95 (a root within 5% of the unit
   * circle): an AR one suggests a unit root the differencing should take, an MA one a nearly non-invertible fit
   * (often over-differencing).
   */
  private checkRoots(): void {
    const { ar, ma, seasonalAr, seasonalMa } = this.params;
    const check = (name: string, c: Float64Array, ar: boolean) => {
      const worst = partialAutocorrelations(ar ? c : c.map((v) => -v)).reduce(
        (m, v) => Math.max(m, Math.abs(v)),
        0,
      );
      if (!(worst < 1))
        this.warnings.push(
          `${name} is ${ar ? 'not stationary' : 'not invertible'} (a root on or inside the unit circle; CSS does not enforce it: fit by 'mle'${ar ? ' or difference more' : ''})`,
        );
      else if (worst > 0.95)
        this.warnings.push(
          `${name} has a root near the unit circle (|partial autocorrelation| ${worst.toFixed(3)} > 0.95: ${ar ? 'a unit root? consider more differencing' : 'nearly non-invertible: consider less differencing'})`,
        );
    };
    check('the AR polynomial', ar, true);
    check('the seasonal AR polynomial', seasonalAr, true);
    check('the MA polynomial', ma, false);
    check('the seasonal MA polynomial', seasonalMa, false);
  }

  /** The exact filter over the fitted w, or a clear error where the fitted AR part has no stationary distribution. */
  private filtered(where: string) {
    const run = this.filterAt(this.params);
    if (!run)
      throw new ForecastInputError(
        `Arima.${where}: the fitted AR part is not stationary, so the exact filter cannot start (a CSS fit does not enforce stationarity: fit by 'mle', or difference more)`,
      );
    return run;
  }

  /** Parameters from their names (as `named` gives them, or as statsmodels prints them), checked against the order. */
  private fromNamed(named: Record<string, number>): ArimaParams {
    const missing = this.names.filter((n) => !(n in named));
    if (missing.length > 0)
      throw new ForecastInputError(
        `Arima: parameters ${missing.join(', ')} missing; expected ${this.names.join(', ')}`,
      );
    const values = this.names.map((n) => named[n]!);
    return this.unpack(values, values[values.length - 1]!);
  }

  /** The exact log-likelihood of the fitted series at other parameters (σ² as given, not concentrated). */
  loglikeAt(named: Record<string, number>): number {
    if (this.w.length === 0)
      throw new ForecastInputError('Arima.loglikeAt: fit the model first (it needs the series)');
    const params = this.fromNamed(named);
    const run = this.filterAt(params);
    if (!run) return Number.NaN;
    const { v, F } = run.filtered;
    let total = 0;
    for (let t = 0; t < v.length; t++)
      total += Math.log(2 * Math.PI * params.sigma2 * F[t]!) + v[t]! ** 2 / (params.sigma2 * F[t]!);
    return -0.5 * total;
  }

  /** Replaces the fitted parameters (to forecast with another fit's, say); the log-likelihood is recomputed. */
  useParams(named: Record<string, number>): this {
    this.params = this.fromNamed(named);
    this.llf = this.loglikeAt(named);
    return this;
  }

  /** Akaike's criterion −2 log L + 2k (k counts σ²). */
  get aic(): number {
    return -2 * this.llf + 2 * parameterCount(this.spec);
  }

  /** AIC with the small-sample correction 2k(k + 1)/(n − k − 1). */
  get aicc(): number {
    const k = parameterCount(this.spec);
    return this.aic + (2 * k * (k + 1)) / (this.nobs - k - 1);
  }

  /** Schwarz's criterion −2 log L + k log n. */
  get bic(): number {
    return -2 * this.llf + parameterCount(this.spec) * Math.log(this.nobs);
  }

  /** The one-step-ahead residuals of the exact filter, standardised (v_t / √F_t), for diagnostics. */
  residuals(): Float64Array {
    const { filtered } = this.filtered('residuals');
    return Float64Array.from(filtered.v, (v, t) => v / Math.sqrt(filtered.F[t]!));
  }

  /**
   * Forecasts h steps past the end on the original scale, with the 1 − alpha interval: the ARMA part forecast from
   * the filtered state, then undifferenced. The forecast error of y_{T+j} is Σᵢ gⱼ₋ᵢ · (error of w_{T+i}), g the
   * expansion of 1 / ((1 − L)^d (1 − L^s)^D), and the error of w combines the filtered state's uncertainty with the
   * shocks to come, so the variance is exact given the data, as the Kalman filter's own forecast is.
   */
  forecast(
    h: number,
    alpha = 0.05,
  ): { mean: Float64Array; lower: Float64Array; upper: Float64Array; se: Float64Array } {
    if (!Number.isInteger(h) || h < 1)
      throw new ForecastInputError(`Arima.forecast: h must be a whole number ≥ 1, got ${h}`);
    if (!(alpha > 0 && alpha < 1))
      throw new ForecastInputError(`Arima.forecast: alpha must be in (0, 1), got ${alpha}`);
    if (!this.params) throw new ForecastInputError('Arima.forecast: fit the model first');
    const { space, filtered, mu } = this.filtered('forecast');
    const r = space.r;
    const T = space.T;
    // Z T^j for j = 0 … h (rows), and Z T^j R.
    const ZTj: Float64Array[] = [];
    let row = new Float64Array(r);
    row[0] = 1;
    for (let j = 0; j <= h; j++) {
      ZTj.push(row);
      const next = new Float64Array(r);
      for (let k = 0; k < r; k++) for (let i = 0; i < r; i++) next[k]! += row[i]! * T[i * r + k]!;
      row = next;
    }
    const ZTjR = ZTj.map((v) => v.reduce((s, x, i) => s + x * space.R[i]!, 0));
    // The forecasts of w, then y by inverting the differencing.
    const wHat = Float64Array.from(
      { length: h },
      (_, j) => mu + ZTj[j + 1]!.reduce((s, x, i) => s + x * filtered.a[i]!, 0),
    );
    const delta = multiplyPolynomials(
      lagPolynomial(new Float64Array(this.spec.d).fill(1), 1, -1),
      lagPolynomial(new Float64Array(this.spec.D).fill(1), this.spec.s || 1, -1),
    );
    const history = Array.from(this.y);
    const mean = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let v = wHat[j]!;
      for (let k = 1; k < delta.length; k++) v -= delta[k]! * history[history.length - k]!;
      history.push(v);
      mean[j] = v;
    }
    // g: 1 / δ(L) to h terms.
    const g = new Float64Array(h);
    for (let j = 0; j < h; j++) {
      let v = j === 0 ? 1 : 0;
      for (let k = 1; k < delta.length && k <= j; k++) v -= delta[k]! * g[j - k]!;
      g[j] = v;
    }
    const z = quantile(1 - alpha / 2);
    const se = new Float64Array(h);
    for (let hh = 1; hh <= h; hh++) {
      // State part: b = Σⱼ g_{hh−j} Z T^j (j = 1 … hh); shocks: cᵢ = Σ_{j ≥ i} g_{hh−j} Z T^{j−i} R.
      const b = new Float64Array(r);
      for (let j = 1; j <= hh; j++) for (let k = 0; k < r; k++) b[k]! += g[hh - j]! * ZTj[j]![k]!;
      let variance = 0;
      for (let i = 0; i < r; i++)
        for (let k = 0; k < r; k++) variance += b[i]! * filtered.P[i * r + k]! * b[k]!;
      for (let i = 1; i <= hh; i++) {
        let c = 0;
        for (let j = i; j <= hh; j++) c += g[hh - j]! * ZTjR[j - i]!;
        variance += c * c;
      }
      se[hh - 1] = Math.sqrt(variance * this.params.sigma2);
    }
    return {
      mean,
      se,
      lower: Float64Array.from(mean, (m, j) => m - z * se[j]!),
      upper: Float64Array.from(mean, (m, j) => m + z * se[j]!),
    };
  }
}

/** The standard normal quantile by Acklam's rational approximation (relative error below 1.2e-9). */
export function quantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const x =
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
    return p < low ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}
