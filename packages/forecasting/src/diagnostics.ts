import { acf, assertFinite, ForecastInputError } from './series.js';

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9: about 15 digits). */
export function logGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = c[0]!;
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

/**
 * The regularised upper incomplete gamma function Q(a, x) = Γ(a, x) / Γ(a): by its series below x < a + 1 and by
 * Lentz's continued fraction above (Numerical Recipes §6.2), to 1e-15.
 */
export function upperGamma(a: number, x: number): number {
  if (x <= 0) return 1;
  const front = Math.exp(-x + a * Math.log(x) - logGamma(a));
  if (x < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let n = 1; n < 1000 && Math.abs(term) > Math.abs(sum) * 1e-16; n++) {
      term *= x / (a + n);
      sum += term;
    }
    return 1 - sum * front;
  }
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 1000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return front * h;
}

/** P(χ²_df > x). */
export function chiSquareSurvival(x: number, df: number): number {
  return upperGamma(df / 2, x / 2);
}

/**
 * The Ljung–Box test (1978) that residuals are uncorrelated up to lag h: Q = n(n + 2) Σ_{k=1}^{h} r_k² / (n − k),
 * referred to χ² with h − modelDf degrees of freedom (modelDf the fitted ARMA coefficients, p + q + P + Q).
 */
export function ljungBox(
  residuals: ArrayLike<number>,
  lags: number,
  modelDf = 0,
): { statistic: number; df: number; pValue: number } {
  assertFinite('ljungBox', residuals);
  const n = residuals.length;
  if (!Number.isInteger(lags) || lags < 1 || lags >= n)
    throw new ForecastInputError(`ljungBox: lags must be a whole number in [1, ${n - 1}], got ${lags}`);
  if (!(Number.isInteger(modelDf) && modelDf >= 0 && modelDf < lags))
    throw new ForecastInputError(
      `ljungBox: modelDf must be a whole number below lags (${lags}), got ${modelDf}`,
    );
  const r = acf(residuals, lags);
  let q = 0;
  for (let k = 1; k <= lags; k++) q += r[k]! ** 2 / (n - k);
  q *= n * (n + 2);
  const df = lags - modelDf;
  return { statistic: q, df, pValue: chiSquareSurvival(q, df) };
}

/** KPSS's asymptotic critical values (Kwiatkowski et al. 1992, table 1) at 10%, 5%, 2.5% and 1%. */
const KPSS_CRITICAL = {
  c: [0.347, 0.463, 0.574, 0.739],
  ct: [0.119, 0.146, 0.176, 0.216],
} as const;
const KPSS_LEVELS = [0.1, 0.05, 0.025, 0.01];

/**
 * The KPSS test (Kwiatkowski, Phillips, Schmidt & Shin 1992) of the null that x is stationary around a level ('c')
 * or a linear trend ('ct'): η = Σ S_t² / (n² · s²(l)), S the partial sums of the regression's residuals and s²(l)
 * their long-run variance with Bartlett weights over `lags` lags (default ⌈12 · (n/100)^¼⌉, Schwert's rule, statsmodels'
 * nlags="legacy"). The p-value is interpolated in the table of critical values, so it is clipped to [0.01, 0.1], as
 * statsmodels' is.
 */
export function kpss(
  x: ArrayLike<number>,
  options: { regression?: 'c' | 'ct'; lags?: number } = {},
): { statistic: number; pValue: number; lags: number; criticalValues: Record<string, number> } {
  assertFinite('kpss', x);
  const n = x.length;
  if (n < 8) throw new ForecastInputError(`kpss: ${n} values are too few (at least 8)`);
  const { regression = 'c', lags = Math.min(Math.ceil(12 * (n / 100) ** 0.25), n - 1) } = options;
  if (!Number.isInteger(lags) || lags < 0 || lags >= n)
    throw new ForecastInputError(`kpss: lags must be a whole number in [0, ${n - 1}], got ${lags}`);
  // Residuals of x on a constant (and a trend).
  const e = new Float64Array(n);
  if (regression === 'c') {
    let mean = 0;
    for (let t = 0; t < n; t++) mean += x[t]!;
    mean /= n;
    for (let t = 0; t < n; t++) e[t] = x[t]! - mean;
  } else {
    const tMean = (n - 1) / 2;
    let xMean = 0;
    for (let t = 0; t < n; t++) xMean += x[t]!;
    xMean /= n;
    let sxy = 0;
    let sxx = 0;
    for (let t = 0; t < n; t++) {
      sxy += (t - tMean) * (x[t]! - xMean);
      sxx += (t - tMean) ** 2;
    }
    const slope = sxy / sxx;
    for (let t = 0; t < n; t++) e[t] = x[t]! - xMean - slope * (t - tMean);
  }
  let s2 = 0;
  for (let t = 0; t < n; t++) s2 += e[t]! ** 2;
  for (let s = 1; s <= lags; s++) {
    let c = 0;
    for (let t = s; t < n; t++) c += e[t]! * e[t - s]!;
    s2 += 2 * (1 - s / (lags + 1)) * c;
  }
  s2 /= n;
  let partial = 0;
  let eta = 0;
  for (let t = 0; t < n; t++) {
    partial += e[t]!;
    eta += partial * partial;
  }
  const statistic = eta / (n * n * s2);
  const critical = KPSS_CRITICAL[regression];
  let pValue: number;
  if (statistic <= critical[0]!) pValue = 0.1;
  else if (statistic >= critical[3]!) pValue = 0.01;
  else {
    let k = 0;
    while (statistic > critical[k + 1]!) k++;
    const f = (statistic - critical[k]!) / (critical[k + 1]! - critical[k]!);
    pValue = KPSS_LEVELS[k]! + f * (KPSS_LEVELS[k + 1]! - KPSS_LEVELS[k]!);
  }
  return {
    statistic,
    pValue,
    lags,
    criticalValues: Object.fromEntries(KPSS_LEVELS.map((l, i) => [`${100 * l}%`, critical[i]!])),
  };
}

/** How many first differences make x level-stationary by KPSS at 5% (as auto-ARIMA's ndiffs), at most `max`. */
export function ndiffs(x: ArrayLike<number>, max = 2): number {
  let series = Float64Array.from(x);
  for (let d = 0; d < max; d++) {
    if (kpss(series).pValue >= 0.05) return d;
    series = Float64Array.from({ length: series.length - 1 }, (_, t) => series[t + 1]! - series[t]!);
  }
  return max;
}
