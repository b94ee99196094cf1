/**
 * ARIMA and seasonal ARIMA from scratch: differencing and correlograms, fitting by conditional sum of squares and by
 * exact Gaussian likelihood (the Kalman filter on the state-space form), forecasts with exact intervals.
 */
export {
  Arima,
  type ArimaFitOptions,
  type ArimaOrder,
  type ArimaParams,
  constrainStationary,
  multiplyPolynomials,
  partialAutocorrelations,
  quantile,
  unconstrainStationary,
} from './arima.js';
export { type AutoArimaOptions, type AutoArimaStep, autoArima, orderText } from './auto.js';
export { driftForecast, intervalCoverage, mape, seasonalNaive } from './baselines.js';
export { chiSquareSurvival, kpss, ljungBox, logGamma, ndiffs, upperGamma } from './diagnostics.js';
export { type MinimizeOptions, type MinimizeResult, minimizeBfgs, numericalGradient } from './optimize.js';
export {
  acf,
  assertFinite,
  correlogramBands,
  difference,
  ForecastInputError,
  fillGaps,
  pacf,
} from './series.js';
export { ArmaStateSpace } from './state-space.js';
