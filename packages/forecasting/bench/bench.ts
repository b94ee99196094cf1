/**
 * Run: pnpm --filter @mle/forecasting bench [-- --json] [-- --quick]
 * The last 24 months of Mauna Loa CO2 held out (1965 to April 2018 to fit, May 2018 to April 2020 to forecast): the
 * order chosen by our stepwise search on the fitting months only, fitted by ours (exact ML) and by the `arima` npm
 * package (ctsa in WebAssembly, the same order: its own search forecast poorly), beside the seasonal-naive forecast
 * and a drift line. MAPE, 95% interval coverage, fit time (median of 3), log-likelihood and AIC as each computes
 * them, and both sets of coefficients. --quick: one fit each, no committed output.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { loadCo2 } from '@mle/datasets';
import {
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  lineChartSvg,
  markdownTable,
  median,
  printBenchReport,
  resultValue,
} from '@mle/report';
import {
  Arima,
  autoArima,
  driftForecast,
  intervalCoverage,
  mape,
  orderText,
  seasonalNaive,
} from '../src/index.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const co2 = loadCo2();
const from = co2.dates.indexOf('1965-01-01');
const dates = co2.dates.slice(from);
const y = co2.values.slice(from);
const H = 24;
const train = y.slice(0, -H);
const test = y.slice(-H);
const runs = quick ? 1 : 3;
const CASE = 'co2-24';
const results: BenchResult[] = [];

// The order, from the fitting months alone.
let start = performance.now();
const search = autoArima(train, { s: 12 });
const searchSeconds = (performance.now() - start) / 1000;
const order = { ...search.model.spec };
log(
  `stepwise search: ${search.trace.length} fits in ${searchSeconds.toFixed(1)} s, chose ${orderText(order)}`,
);

// Ours.
const times: number[] = [];
let ours = search.model;
for (let r = 0; r < runs; r++) {
  start = performance.now();
  ours = new Arima(order).fit(train);
  times.push(performance.now() - start);
}
const forecast = ours.forecast(H);
results.push(
  { case: CASE, impl: 'sarima', metric: 'mape', value: mape(test, forecast.mean), unit: '%' },
  { case: CASE, impl: 'sarima', metric: 'fit_ms', value: median(times), unit: 'ms' },
  {
    case: CASE,
    impl: 'sarima',
    metric: 'coverage_95',
    value: intervalCoverage(test, forecast.lower, forecast.upper),
    unit: 'ratio',
  },
  { case: CASE, impl: 'sarima', metric: 'llf', value: ours.llf, unit: 'nats' },
  { case: CASE, impl: 'sarima', metric: 'aic', value: ours.aic, unit: '' },
);
log(`ours: MAPE ${mape(test, forecast.mean).toFixed(3)}%, fit ${median(times).toFixed(0)} ms`);

// The arima npm package, in a child process (ctsa prints its summary from C).
const peerTimes: number[] = [];
let peer: { mean: number[]; variance: number[]; fitMs: number } | undefined;
let summary = '';
for (let r = 0; r < runs; r++) {
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', fileURLToPath(new URL('./arima-npm.ts', import.meta.url))],
    {
      input: JSON.stringify({ values: train, order: { ...order, trend: undefined }, h: H }),
      encoding: 'utf8',
      cwd: packageDir,
      maxBuffer: 16 << 20,
    },
  );
  if (child.status !== 0) throw new Error(`arima-npm child failed (${child.status}): ${child.stderr}`);
  const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) throw new Error(`arima-npm child printed no RESULT line:\n${child.stdout.slice(-2000)}`);
  peer = JSON.parse(line.slice('RESULT '.length));
  summary = child.stdout;
  peerTimes.push(peer!.fitMs);
}
const number = (label: RegExp) => {
  const m = label.exec(summary);
  return m ? Number(m[1]) : Number.NaN;
};
const peerCoefficients = [...summary.matchAll(/^(S?AR\d+|S?MA\d+)\s+(-?[\d.e+-]+)/gm)].map((m) => ({
  name: m[1]!,
  value: Number(m[2]),
}));
const z = 1.959963984540054;
const peerLower = peer!.mean.map((m, i) => m - z * Math.sqrt(peer!.variance[i]!));
const peerUpper = peer!.mean.map((m, i) => m + z * Math.sqrt(peer!.variance[i]!));
results.push(
  { case: CASE, impl: 'arima-npm', metric: 'mape', value: mape(test, peer!.mean), unit: '%' },
  { case: CASE, impl: 'arima-npm', metric: 'fit_ms', value: median(peerTimes), unit: 'ms' },
  {
    case: CASE,
    impl: 'arima-npm',
    metric: 'coverage_95',
    value: intervalCoverage(test, peerLower, peerUpper),
    unit: 'ratio',
  },
  {
    case: CASE,
    impl: 'arima-npm',
    metric: 'llf',
    value: number(/Log Likelihood : (-?[\d.]+)/),
    unit: 'nats',
  },
  { case: CASE, impl: 'arima-npm', metric: 'aic', value: number(/AIC criterion : (-?[\d.]+)/), unit: '' },
);
log(`arima-npm: MAPE ${mape(test, peer!.mean).toFixed(3)}%, fit ${median(peerTimes).toFixed(0)} ms`);

// Baselines.
const naive = seasonalNaive(train, H, 12);
const drift = driftForecast(train, H);
results.push(
  { case: CASE, impl: 'seasonal-naive', metric: 'mape', value: mape(test, naive), unit: '%' },
  { case: CASE, impl: 'seasonal-naive', metric: 'fit_ms', value: 0, unit: 'ms' },
  { case: CASE, impl: 'drift', metric: 'mape', value: mape(test, drift), unit: '%' },
  { case: CASE, impl: 'drift', metric: 'fit_ms', value: 0, unit: 'ms' },
  { case: 'search', impl: 'sarima', metric: 'seconds', value: searchSeconds, unit: 's' },
  { case: 'search', impl: 'sarima', metric: 'fits', value: search.trace.length, unit: 'models' },
);

const run = benchRecord({ package: '@mle/forecasting', results });
printBenchReport(run, { json });
if (!json && !quick) {
  const v = (impl: string, metric: string) => resultValue(results, CASE, impl, metric);
  const table = markdownTable(
    ['forecast', 'MAPE', '95% interval coverage', 'log L (its own)', 'AIC (its own)', 'fit ms'],
    [
      ['sarima (ours, exact ML)', 'sarima'],
      ['arima-npm 0.2.8 (ctsa, CSS then ML)', 'arima-npm'],
      ['seasonal naive', 'seasonal-naive'],
      ['drift', 'drift'],
    ].map(([name, impl]) => {
      const fitted = impl === 'sarima' || impl === 'arima-npm';
      return [
        name!,
        `${v(impl!, 'mape').toFixed(3)}%`,
        fitted ? `${(100 * v(impl!, 'coverage_95')).toFixed(0)}%` : '',
        fitted ? v(impl!, 'llf').toFixed(3) : '',
        fitted ? v(impl!, 'aic').toFixed(3) : '',
        fitted ? v(impl!, 'fit_ms').toFixed(0) : '',
      ];
    }),
    { align: ['left', 'right', 'right', 'right', 'right', 'right'] },
  );
  // ctsa prints MA coefficients with the opposite sign (x − φx₋₁ = a − θa₋₁).
  const ourNames = Object.keys(ours.named).filter((n) => n !== 'sigma2' && n !== 'intercept');
  const peerValue = (name: string) => {
    const key = name
      .replace(/^ar\.L(\d+)$/, 'AR$1')
      .replace(/^ma\.L(\d+)$/, 'MA$1')
      .replace(/^ar\.S\.L(\d+)$/, (_, lag) => `SAR${Number(lag) / 12}`)
      .replace(/^ma\.S\.L(\d+)$/, (_, lag) => `SMA${Number(lag) / 12}`);
    const found = peerCoefficients.find((c) => c.name === key);
    if (!found) return Number.NaN;
    return key.includes('MA') ? -found.value : found.value;
  };
  const coefficients = markdownTable(
    ['coefficient', 'ours', 'arima-npm (MA sign flipped to ours)'],
    [
      ...ourNames.map((n) => [n, ours.named[n]!.toFixed(5), peerValue(n).toFixed(5)]),
      ['sigma2', ours.params.sigma2.toFixed(5), number(/SIGMA\^2\s+(-?[\d.]+)/).toFixed(5)],
    ],
    { align: ['left', 'right', 'right'] },
  );
  const t0 = dates.length - H - 96;
  const x = (i: number) => Number(dates[i]!.slice(0, 4)) + (Number(dates[i]!.slice(5, 7)) - 1) / 12;
  const chart = await lineChartSvg({
    title: `CO2 at Mauna Loa: 24 months held out, ${orderText(order)} forecast with its 95% interval`,
    x: { label: 'year', format: 'd' },
    y: { label: 'CO2 (ppm)' },
    series: [
      { name: 'observed', points: y.slice(t0).map((v, i) => ({ x: x(t0 + i), y: v })) },
      { name: 'arima-npm', points: peer!.mean.map((v, i) => ({ x: x(train.length + i), y: v })) },
      {
        name: 'ours (on top: the two coincide)',
        points: Array.from(forecast.mean, (v, i) => ({ x: x(train.length + i), y: v })),
      },
      { name: 'seasonal naive', points: Array.from(naive, (v, i) => ({ x: x(train.length + i), y: v })) },
    ],
    bands: [
      {
        name: 'ours: 95% interval',
        points: Array.from(forecast.mean, (_, i) => ({
          x: x(train.length + i),
          lower: forecast.lower[i]!,
          upper: forecast.upper[i]!,
        })),
      },
    ],
    width: 640,
  });
  commitBenchRun(packageDir, run, {
    charts: { 'co2-forecast.svg': chart },
    markdown: `Mauna Loa CO2, ${dates[0]} to ${dates[train.length - 1]} to fit (${train.length} months), ${dates[train.length]} to ${dates.at(-1)} held out. The order, chosen by our stepwise search on the fitting months only (${search.trace.length} fits, ${searchSeconds.toFixed(1)} s): ${orderText(order)}; both implementations fit that order. Fit times are medians of ${runs} fits.\n\n${table}\n\n${coefficients}`,
  });
  console.log(`\nrun ${run.run}: wrote bench/results.json, charts/co2-forecast.svg and the README's results`);
}
