import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Arima } from '../src/index.js';

interface ExactFit {
  series: 'co2' | 'temp';
  order: [number, number, number];
  seasonal: [number, number, number, number];
  trend: 'n' | 'c';
  params: Record<string, number>;
  sigma2: number;
  llf: number;
  default_start_llf: number;
  aic: number;
  aicc: number;
  bic: number;
  nobs: number;
  forecast: { mean: number[]; lower: number[]; upper: number[] };
}
const fixture = JSON.parse(readFileSync(new URL('./fixtures/statsmodels.json', import.meta.url), 'utf8')) as {
  series: Record<string, { values: number[] }>;
  exact: ExactFit[];
  css: { series: string; order: [number, number, number]; params: number[]; sse: number; nobs: number }[];
};

const label = (m: ExactFit) =>
  `${m.series} (${m.order})${m.seasonal[3] ? `(${m.seasonal.slice(0, 3)})${m.seasonal[3]}` : ''} trend ${m.trend}`;
const modelFor = (m: ExactFit) => {
  const [p, d, q] = m.order;
  const [P, D, Q, s] = m.seasonal;
  return new Arima({ p, d, q, P, D, Q, s, trend: m.trend });
};
const fits = new Map(
  fixture.exact.map((m) => [m, modelFor(m).fit(fixture.series[m.series]!.values)] as const),
);
const cases = fixture.exact.map((m) => [label(m), m] as const);

describe('exact maximum likelihood against statsmodels SARIMAX (simple differencing)', () => {
  it.each(cases)('%s: our likelihood at statsmodels’ parameters is statsmodels’ log-likelihood', (_n, m) => {
    expect(fits.get(m)!.loglikeAt(m.params)).toBeCloseTo(m.llf, 7);
  });

  it.each(cases)('%s: the fit — parameters, σ², log-likelihood, AIC, AICc, BIC', (_n, m) => {
    const model = fits.get(m)!;
    expect(model.nobs).toBe(m.nobs);
    expect(model.optimizer!.converged).toBe(true);
    for (const [name, value] of Object.entries(m.params)) {
      if (name === 'sigma2') expect(Math.abs(model.named.sigma2! / value - 1)).toBeLessThan(1e-3);
      else expect(Math.abs(model.named[name]! - value)).toBeLessThan(5e-4);
    }
    // Ours may only be as good or better: the optimum is the same to 1e-5 in log-likelihood.
    expect(model.llf).toBeGreaterThan(m.llf - 1e-5);
    expect(model.llf - m.llf).toBeLessThan(1e-5);
    for (const criterion of ['aic', 'aicc', 'bic'] as const)
      expect(Math.abs(model[criterion] - m[criterion]) / Math.abs(m[criterion])).toBeLessThan(1e-6);
  });

  it.each(cases)('%s: 24 forecasts and their 95% intervals at statsmodels’ parameters', (_n, m) => {
    const model = modelFor(m).fit(fixture.series[m.series]!.values).useParams(m.params);
    const f = model.forecast(24);
    for (let h = 0; h < 24; h++) {
      expect(f.mean[h]).toBeCloseTo(m.forecast.mean[h]!, 6);
      expect(f.lower[h]).toBeCloseTo(m.forecast.lower[h]!, 6);
      expect(f.upper[h]).toBeCloseTo(m.forecast.upper[h]!, 6);
    }
  });

  it('where statsmodels’ default start stops at a local maximum, ours reaches its best-of-grid optimum', () => {
    const m = fixture.exact.find((e) => e.series === 'temp' && e.order.join() === '1,1,1')!;
    expect(m.default_start_llf).toBeLessThan(m.llf - 5); // 112.78 against 121.01
    expect(fits.get(m)!.llf).toBeCloseTo(m.llf, 5);
  });
});

describe('conditional sum of squares', () => {
  it('AR(2) with an intercept on the differenced temperatures equals statsmodels’ AutoReg (least squares)', () => {
    const ref = fixture.css.find((c) => c.order.join() === '2,1,0')!;
    const model = new Arima({ p: 2, d: 1, q: 0, trend: 'c' }).fit(fixture.series.temp!.values, {
      method: 'css',
    });
    const { intercept, ar } = model.params;
    [intercept, ...ar].forEach((v, i) => expect(v).toBeCloseTo(ref.params[i]!, 6));
    expect(model.nobs).toBe(ref.nobs);
    expect(model.params.sigma2 * model.nobs).toBeCloseTo(ref.sse, 8);
  });

  it('ARMA(1,1) with an intercept equals least squares on residuals from scipy’s lfilter', () => {
    const ref = fixture.css.find((c) => c.order.join() === '1,1,1')!;
    const model = new Arima({ p: 1, d: 1, q: 1, trend: 'c' }).fit(fixture.series.temp!.values, {
      method: 'css',
    });
    // The reference is parameterised by the mean μ; ours by the intercept c = μ(1 − φ).
    const [mu, phi, theta] = ref.params as [number, number, number];
    expect(model.params.ar[0]).toBeCloseTo(phi, 5);
    expect(model.params.ma[0]).toBeCloseTo(theta, 5);
    expect(model.params.intercept).toBeCloseTo(mu * (1 - phi), 6);
    expect(model.params.sigma2 * model.nobs).toBeCloseTo(ref.sse, 8);
  });
});
