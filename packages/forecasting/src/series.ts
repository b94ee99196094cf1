/** Thrown for input a model cannot use: NaN or infinite values, a series too short for the order, bad orders. */
export class ForecastInputError extends RangeError {
  override name = 'ForecastInputError';
}

/** Throws ForecastInputError naming the first value that is not a finite number. */
export function assertFinite(where: string, values: ArrayLike<number>): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (typeof v !== 'number' || !Number.isFinite(v))
      throw new ForecastInputError(
        `${where}: value ${i} is ${v}, expected a finite number (fill or drop gaps first; see fillGaps)`,
      );
  }
}

/**
 * Fills NaN gaps by linear interpolation between the neighbouring observed values (a gap at either end takes the
 * nearest observed value), returning the filled series and the indices that were filled.
 */
export function fillGaps(values: ArrayLike<number>): { values: Float64Array; filled: number[] } {
  const out = Float64Array.from(values);
  const filled: number[] = [];
  const observed: number[] = [];
  for (let i = 0; i < out.length; i++) if (Number.isFinite(out[i]!)) observed.push(i);
  if (observed.length === 0) throw new ForecastInputError('fillGaps: no observed value to fill from');
  for (let i = 0; i < out.length; i++) {
    if (Number.isFinite(out[i]!)) continue;
    filled.push(i);
    let k = 0;
    while (k < observed.length && observed[k]! < i) k++;
    const right = observed[k];
    const left = observed[k - 1];
    if (left === undefined) out[i] = out[right!]!;
    else if (right === undefined) out[i] = out[left]!;
    else out[i] = out[left]! + ((out[right]! - out[left]!) * (i - left)) / (right - left);
  }
  return { values: out, filled };
}

/** (1 − L)^d (1 − L^s)^D x: the series differenced d times at lag 1 and D times at lag s (shorter by d + sD). */
export function difference(x: ArrayLike<number>, d = 1, D = 0, s = 1): Float64Array {
  let out = Float64Array.from(x);
  const once = (lag: number) => {
    if (out.length <= lag)
      throw new ForecastInputError(`difference: ${out.length} values cannot be differenced at lag ${lag}`);
    out = Float64Array.from({ length: out.length - lag }, (_, t) => out[t + lag]! - out[t]!);
  };
  for (let k = 0; k < d; k++) once(1);
  for (let k = 0; k < D; k++) once(s);
  return out;
}

/** Sample autocorrelations r_0 … r_nlags (the biased estimator Σ(x_t − x̄)(x_{t+k} − x̄) / Σ(x_t − x̄)², as statsmodels' acf). */
export function acf(x: ArrayLike<number>, nlags: number): Float64Array {
  assertFinite('acf', x);
  const n = x.length;
  if (!Number.isInteger(nlags) || nlags < 0 || nlags >= n)
    throw new ForecastInputError(`acf: nlags must be a whole number in [0, ${n - 1}], got ${nlags}`);
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t]!;
  mean /= n;
  let c0 = 0;
  for (let t = 0; t < n; t++) c0 += (x[t]! - mean) ** 2;
  const out = new Float64Array(nlags + 1);
  for (let k = 0; k <= nlags; k++) {
    let c = 0;
    for (let t = 0; t + k < n; t++) c += (x[t]! - mean) * (x[t + k]! - mean);
    out[k] = c / c0;
  }
  return out;
}

/** Partial autocorrelations φ_kk for k = 0 … nlags (φ_00 = 1) from the autocorrelations by Durbin–Levinson. */
export function pacf(x: ArrayLike<number>, nlags: number): Float64Array {
  const r = acf(x, nlags);
  const out = new Float64Array(nlags + 1);
  out[0] = 1;
  let phi = new Float64Array(0);
  for (let k = 1; k <= nlags; k++) {
    let num = r[k]!;
    let den = 1;
    for (let j = 1; j < k; j++) {
      num -= phi[j - 1]! * r[k - j]!;
      den -= phi[j - 1]! * r[j]!;
    }
    const kk = num / den;
    const next = new Float64Array(k);
    for (let j = 1; j < k; j++) next[j - 1] = phi[j - 1]! - kk * phi[k - j - 1]!;
    next[k - 1] = kk;
    phi = next;
    out[k] = kk;
  }
  return out;
}

/**
 * 95% bands for a correlogram of n values: for the ACF at lag k, Bartlett's ±1.96·√((1 + 2Σ_{j<k} r_j²) / n) (the
 * band a moving average of order k − 1 would stay inside); for the PACF, ±1.96 / √n.
 */
export function correlogramBands(r: ArrayLike<number>, n: number): { acf: Float64Array; pacf: number } {
  const acfBand = new Float64Array(r.length);
  let sum = 0;
  for (let k = 1; k < r.length; k++) {
    acfBand[k] = 1.959963984540054 * Math.sqrt((1 + 2 * sum) / n);
    sum += r[k]! ** 2;
  }
  return { acf: acfBand, pacf: 1.959963984540054 / Math.sqrt(n) };
}
