/**
 * Child process of the bench: fits the `arima` npm package (ctsa compiled to WebAssembly) to the series on stdin and
 * prints its own summary (coefficients, σ², log-likelihood, AIC: ctsa writes them to stdout with verbose on), then
 * one line `RESULT {json}` with the forecasts, their variances and the fit time. In a child process because ctsa
 * prints from C, past any console hook.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
interface ArimaModel {
  train(ts: number[]): ArimaModel;
  predict(h: number): [number[], number[]];
  destroy(): void;
}
type Arima = new (options: Record<string, number | boolean>) => ArimaModel;
const ARIMA = require('arima') as Arima;

const input = JSON.parse(readFileSync(0, 'utf8')) as {
  values: number[];
  order: { p: number; d: number; q: number; P: number; D: number; Q: number; s: number };
  h: number;
};
const start = performance.now();
const model = new ARIMA({ ...input.order, verbose: true }).train(input.values);
const fitMs = performance.now() - start;
const [mean, variance] = model.predict(input.h);
model.destroy();
console.log(`RESULT ${JSON.stringify({ mean, variance, fitMs })}`);
