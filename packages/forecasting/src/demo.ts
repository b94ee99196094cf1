/** Run: pnpm --filter @mle/forecasting demo [-- --quick] */
import { loadCo2, loadGlobalTemperature } from '@mle/datasets';
import { demoFlags, formatTable } from '@mle/report';
import {
  Arima,
  type ArimaOrder,
  acf,
  autoArima,
  correlogramBands,
  difference,
  driftForecast,
  intervalCoverage,
  kpss,
  ljungBox,
  mape,
  orderText,
  pacf,
  seasonalNaive,
} from './index.js';

const { quick } = demoFlags();
const co2 = loadCo2();
// The record skips five months of 1958 and 1964; from 1965 it is unbroken.
const from = co2.dates.indexOf('1965-01-01');
const dates = co2.dates.slice(from);
const y = co2.values.slice(from);
console.log(
  `Mauna Loa CO2, ${dates[0]} to ${dates.at(-1)}: ${y.length} months (the ${co2.missingMonths.length} missing months of 1958 and 1964 are before it).`,
);

// Identification: the correlogram of (1 − L)(1 − L¹²) y.
const w = difference(y, 1, 1, 12);
const r = acf(w, 36);
const phi = pacf(w, 36);
const bands = correlogramBands(r, w.length);
const outside = (values: ArrayLike<number>, band: (k: number) => number) =>
  Array.from({ length: 36 }, (_, i) => i + 1).filter((k) => Math.abs(values[k]!) > band(k));
console.log(
  `Differenced at lags 1 and 12: the ACF leaves its 95% band at lags ${outside(r, (k) => bands.acf[k]!).join(', ')} and the PACF at lags ${outside(phi, () => bands.pacf).join(', ')}: an MA(1) and a seasonal MA(1), the airline model's shape.`,
);

const models: [string, ArimaOrder][] = [
  ['(0,1,1)(0,1,1)12', { p: 0, d: 1, q: 1, P: 0, D: 1, Q: 1, s: 12 }],
  ['(1,1,1)(0,1,1)12', { p: 1, d: 1, q: 1, P: 0, D: 1, Q: 1, s: 12 }],
  ...(quick
    ? []
    : ([['(2,1,1)(1,1,1)12', { p: 2, d: 1, q: 1, P: 1, D: 1, Q: 1, s: 12 }]] as [string, ArimaOrder][])),
];
const rows: string[][] = [];
for (const [name, order] of models) {
  for (const method of ['css', 'mle'] as const) {
    const start = performance.now();
    const model = new Arima(order).fit(y, { method });
    const ms = performance.now() - start;
    rows.push([
      name,
      method === 'mle' ? 'exact ML' : 'CSS',
      Object.entries(model.named)
        .filter(([n]) => n !== 'sigma2')
        .map(([n, v]) => `${n} ${v.toFixed(4)}`)
        .join(', '),
      model.params.sigma2.toFixed(5),
      model.llf.toFixed(3),
      method === 'mle' ? model.aic.toFixed(3) : '',
      method === 'mle' ? model.bic.toFixed(3) : '',
      `${model.optimizer!.iterations}${model.optimizer!.converged ? '' : ' (not converged)'}`,
      ms.toFixed(0),
    ]);
  }
}
console.log(
  '\nSeasonal ARIMA on CO2 (tests hold the exact-ML fits to statsmodels’ SARIMAX within 5e-4 per parameter):',
);
console.log(
  formatTable(['model', 'fit', 'parameters', 'σ²', 'log L', 'AIC', 'BIC', 'BFGS iterations', 'ms'], rows, {
    align: ['left', 'left', 'left', 'right', 'right', 'right', 'right', 'right', 'right'],
  }),
);

// The last 24 months held out: the airline model against the seasonal-naive forecast and a drift line.
const h = 24;
const train = y.slice(0, -h);
const test = y.slice(-h);
const model = new Arima({ p: 1, d: 1, q: 1, P: 0, D: 1, Q: 1, s: 12 }).fit(train);
const forecast = model.forecast(h);
const covered = Math.round(h * intervalCoverage(test, forecast.lower, forecast.upper));
console.log(
  `\nThe last ${h} months (${dates.at(-h)} to ${dates.at(-1)}) held out, fitted on the months before:`,
);
console.log(
  formatTable(
    ['forecast', 'MAPE'],
    [
      ['ARIMA(1,1,1)(0,1,1)12, exact ML', `${mape(test, forecast.mean).toFixed(3)}%`],
      [
        'seasonal naive (the same month a year before)',
        `${mape(test, seasonalNaive(train, h, 12)).toFixed(3)}%`,
      ],
      [
        'drift (the line through the first and last months)',
        `${mape(test, driftForecast(train, h)).toFixed(3)}%`,
      ],
    ],
    { align: ['left', 'right'] },
  ),
);
console.log(`${covered} of the ${h} held-out months fall inside the 95% intervals.`);
const lb = ljungBox(model.residuals(), 24, 3);
console.log(
  `Ljung–Box on its standardised residuals, 24 lags (21 degrees of freedom): Q = ${lb.statistic.toFixed(2)}, p = ${lb.pValue.toFixed(3)}${lb.pValue < 0.05 ? ': some autocorrelation is left' : ': no autocorrelation left at 5%'}.`,
);

const temp = loadGlobalTemperature();
const kp = kpss(temp.values);
const kpd = kpss(difference(temp.values, 1));
console.log(
  `\nGlobal temperature anomaly, ${temp.years[0]}–${temp.years.at(-1)}: KPSS rejects a level-stationary series (η = ${kp.statistic.toFixed(3)}, p ≤ ${kp.pValue.toFixed(2)}), and its first difference at p = ${kpd.pValue.toFixed(3)}. The stepwise search with d = 1:`,
);
const search = autoArima(temp.values, { d: 1 });
console.log(
  formatTable(
    ['model', 'AICc', 'ms'],
    search.trace.map((t) => [orderText(t.order), t.aicc.toFixed(3), t.ms.toFixed(0)]),
    { align: ['left', 'right', 'right'] },
  ),
);
const annual = search.model;
const next = annual.forecast(10);
console.log(
  `Chosen: ${orderText({ ...annual.spec })} (AICc ${annual.aicc.toFixed(3)}) after ${search.trace.length} fits; ${temp.years.at(-1)! + 10}: ${next.mean[9]!.toFixed(2)} °C (95%: ${next.lower[9]!.toFixed(2)} to ${next.upper[9]!.toFixed(2)}).`,
);
if (annual.warnings.length > 0) console.log(`warnings: ${annual.warnings.join('; ')}`);
