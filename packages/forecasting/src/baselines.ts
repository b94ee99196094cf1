import { assertFinite, ForecastInputError } from './series.js';

/** Mean absolute percentage error of forecasts against what happened, in percent. */
export function mape(actual: ArrayLike<number>, forecast: ArrayLike<number>): number {
  if (actual.length === 0 || forecast.length !== actual.length)
    throw new ForecastInputError(
      `mape: ${forecast.length} forecasts for ${actual.length} actual values, expected the same non-zero count`,
    );
  let total = 0;
  for (let i = 0; i < actual.length; i++) total += Math.abs((actual[i]! - forecast[i]!) / actual[i]!);
  return (100 * total) / actual.length;
}

/** The share of actual values inside [lower, upper]: an interval's empirical coverage. */
export function intervalCoverage(
  actual: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
): number {
  let inside = 0;
  for (let i = 0; i < actual.length; i++) if (actual[i]! >= lower[i]! && actual[i]! <= upper[i]!) inside++;
  return inside / actual.length;
}

/** The seasonal-naive forecast: each of the next h values is the value one season (s steps) before it. */
export function seasonalNaive(history: ArrayLike<number>, h: number, s: number): Float64Array {
  assertFinite('seasonalNaive', history);
  if (!(Number.isInteger(s) && s >= 1 && s <= history.length))
    throw new ForecastInputError(
      `seasonalNaive: the season must be a whole number in [1, ${history.length}], got ${s}`,
    );
  return Float64Array.from({ length: h }, (_, i) => history[history.length - s + (i % s)]!);
}

/** The drift forecast: the line through the first and last values, extended h steps. */
export function driftForecast(history: ArrayLike<number>, h: number): Float64Array {
  assertFinite('driftForecast', history);
  if (history.length < 2)
    throw new ForecastInputError(`driftForecast: needs 2 values, got ${history.length}`);
  const last = history[history.length - 1]!;
  const slope = (last - history[0]!) / (history.length - 1);
  return Float64Array.from({ length: h }, (_, i) => last + slope * (i + 1));
}
