import { readFileSync } from 'node:fs';
import { gaussian, mulberry32 } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  Arima,
  acf,
  constrainStationary,
  correlogramBands,
  difference,
  driftForecast,
  ForecastInputError,
  fillGaps,
  intervalCoverage,
  mape,
  multiplyPolynomials,
  pacf,
  partialAutocorrelations,
  seasonalNaive,
  unconstrainStationary,
} from '../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/statsmodels.json', import.meta.url), 'utf8')) as {
  series: Record<string, { values: number[] }>;
  correlogram: {
    series: string;
    d: number;
    D: number;
    s: number;
    acf: number[];
    acf_band: number[];
    pacf: number[];
    n: number;
  }[];
};

describe('differencing and correlograms', () => {
  it('differences at lag 1 and at the season, as the loop a reader would write', () => {
    const y = [3, 5, 4, 8, 9, 15, 14, 20];
    expect(Array.from(difference(y, 1))).toEqual([2, -1, 4, 1, 6, -1, 6]);
    // (1 − L)(1 − L²): difference, then difference at lag 2.
    expect(Array.from(difference(y, 1, 1, 2))).toEqual([2, 2, 2, -2, 0]);
    expect(() => difference([1, 2], 0, 1, 12)).toThrow('2 values cannot be differenced at lag 12');
  });

  it('ACF with Bartlett’s band and PACF (Levinson–Durbin) equal statsmodels’ on the differenced CO2 series', () => {
    const ref = fixture.correlogram[0]!;
    const w = difference(fixture.series[ref.series]!.values, ref.d, ref.D, ref.s);
    expect(w.length).toBe(ref.n);
    const r = acf(w, 36);
    const bands = correlogramBands(r, w.length);
    for (let k = 0; k <= 36; k++) {
      expect(r[k]).toBeCloseTo(ref.acf[k]!, 12);
      expect(pacf(w, 36)[k]).toBeCloseTo(ref.pacf[k]!, 10);
      if (k > 0) expect(bands.acf[k]).toBeCloseTo(ref.acf_band[k]!, 10);
    }
  });
});

describe('the Monahan/Jones transformation and polynomials', () => {
  it('maps any vector to a stationary AR polynomial and back', () => {
    const random = mulberry32(3);
    for (let trial = 0; trial < 50; trial++) {
      const x = Float64Array.from({ length: 1 + (trial % 4) }, () => 6 * (random() - 0.5));
      const phi = constrainStationary(x);
      // Stationary: the AR(p) recursion's impulse response dies out (some roots sit close to the circle, so it is
      // compared over windows rather than against a fixed bound).
      const impulse = [1];
      for (let t = 1; t < 20_000; t++)
        impulse.push(phi.reduce((s, c, i) => s + c * (impulse[t - i - 1] ?? 0), 0));
      const peak = (from: number, to: number) => Math.max(...impulse.slice(from, to).map(Math.abs));
      expect(peak(15_000, 20_000)).toBeLessThanOrEqual(peak(5_000, 10_000));
      expect(peak(15_000, 20_000)).toBeLessThan(0.01);
      const back = unconstrainStationary(phi);
      back.forEach((v, i) => expect(v).toBeCloseTo(x[i]!, 8));
    }
  });

  it('partial autocorrelations recover the transformation’s values and flag a root on or inside the unit circle', () => {
    const x = [0.3, -1.2, 2];
    const r = x.map((v) => v / Math.sqrt(1 + v * v));
    // constrainStationary negates (statsmodels' convention), so its polynomial's PACF is the negated r.
    Array.from(partialAutocorrelations(constrainStationary(x))).forEach((v, i) =>
      expect(v).toBeCloseTo(-r[i]!, 12),
    );
    expect(partialAutocorrelations([0.5])[0]).toBe(0.5);
    expect(Math.abs(partialAutocorrelations([1.02])[0]!)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...Array.from(partialAutocorrelations([0.5, 0.6]), Math.abs))).toBeGreaterThanOrEqual(1); // φ₁ + φ₂ > 1
  });

  it('multiplies the seasonal and non-seasonal polynomials', () => {
    // (1 − 0.5L)(1 − 0.3L⁴) = 1 − 0.5L − 0.3L⁴ + 0.15L⁵
    expect(Array.from(multiplyPolynomials([1, -0.5], [1, 0, 0, 0, -0.3]))).toEqual([
      1, -0.5, 0, 0, -0.3, 0.15,
    ]);
  });
});

describe('bad input and warnings', () => {
  const random = mulberry32(11);
  const normal = gaussian(random);
  const noise = Array.from({ length: 300 }, normal);

  it('names a NaN by its index, and fills gaps only when asked', () => {
    const y = noise.slice(0, 50);
    y[17] = Number.NaN;
    expect(() => new Arima({ p: 1, d: 0, q: 0 }).fit(y)).toThrow('value 17 is NaN, expected a finite number');
    const { values, filled } = fillGaps([1, Number.NaN, Number.NaN, 4, Number.NaN]);
    expect(Array.from(values)).toEqual([1, 2, 3, 4, 4]);
    expect(filled).toEqual([1, 2, 4]);
  });

  it('refuses a series too short for the order, a seasonal period of 1, and a bad order', () => {
    expect(() => new Arima({ p: 1, d: 1, q: 1, P: 0, D: 1, Q: 1, s: 12 }).fit(noise.slice(0, 20))).toThrow(
      '20 values are too few for ARIMA(1,1,1)(0,1,1)12: it needs at least',
    );
    expect(() => new Arima({ p: 0, d: 0, q: 1, Q: 1, s: 1 })).toThrow('needs a period s ≥ 2, got 1');
    expect(() => new Arima({ p: -1, d: 0, q: 0 })).toThrow(ForecastInputError);
    expect(() => new Arima({ p: 1, d: 0, q: 0 }).forecast(3)).toThrow('fit the model first');
  });

  it('warns of a unit root when a random walk is fitted without differencing, and of a non-invertible MA when white noise is differenced', () => {
    const walk: number[] = [];
    let level = 0;
    for (const e of noise) {
      level += e;
      walk.push(level);
    }
    const undifferenced = new Arima({ p: 1, d: 0, q: 0, trend: 'c' }).fit(walk);
    expect(undifferenced.params.ar[0]).toBeGreaterThan(0.95);
    expect(undifferenced.warnings.join()).toContain('the AR polynomial has a root near the unit circle');
    const overdifferenced = new Arima({ p: 0, d: 1, q: 1 }).fit(noise);
    expect(overdifferenced.params.ma[0]).toBeLessThan(-0.95);
    expect(overdifferenced.warnings.join()).toContain('the MA polynomial has a root near the unit circle');
    const right = new Arima({ p: 0, d: 1, q: 0 }).fit(walk);
    expect(right.warnings).toEqual([]);
  });

  it('a CSS fit that is not stationary is reported, and forecasting from it is refused by name', () => {
    const explosive: number[] = [1];
    for (let t = 1; t < 120; t++) explosive.push(1.03 * explosive[t - 1]! + 0.1 * noise[t]!);
    const css = new Arima({ p: 1, d: 0, q: 0 }).fit(explosive, { method: 'css' });
    expect(css.params.ar[0]).toBeGreaterThan(1);
    expect(css.warnings.join()).toContain('the AR polynomial is not stationary');
    expect(() => css.forecast(3)).toThrow(
      'the fitted AR part is not stationary, so the exact filter cannot start',
    );
  });
});

describe('the baselines and forecast scores', () => {
  it('seasonal naive repeats the last season, drift extends the first-to-last line, MAPE and coverage by hand', () => {
    const history = [1, 2, 3, 10, 20, 30];
    expect(Array.from(seasonalNaive(history, 4, 3))).toEqual([10, 20, 30, 10]);
    expect(Array.from(driftForecast(history, 2))).toEqual([35.8, 41.6]);
    expect(mape([100, 200], [110, 190])).toBeCloseTo(7.5, 12); // (10% + 5%) / 2
    expect(intervalCoverage([1, 5, 9], [0, 6, 8], [2, 7, 10])).toBeCloseTo(2 / 3, 15);
    expect(() => mape([1, 2], [1])).toThrow('1 forecasts for 2 actual values');
    expect(() => seasonalNaive(history, 2, 12)).toThrow(
      'the season must be a whole number in [1, 6], got 12',
    );
  });
});
