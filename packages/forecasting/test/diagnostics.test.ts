import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { chiSquareSurvival, difference, kpss, ljungBox, logGamma, ndiffs } from '../src/index.js';

const fixture = JSON.parse(readFileSync(new URL('./fixtures/statsmodels.json', import.meta.url), 'utf8')) as {
  series: Record<string, { values: number[] }>;
  diagnostics: {
    ljungbox: { lags: number[]; model_df: number; statistic: number[]; pvalue: number[] };
    ljungbox_temp: { lags: number[]; model_df: number; statistic: number[]; pvalue: number[] };
    kpss: { series: string; regression: 'c' | 'ct'; statistic: number; pvalue: number; lags: number }[];
  };
};
const co2 = fixture.series.co2!.values;
const temp = fixture.series.temp!.values;

describe('the χ² tail', () => {
  it('log Γ at integers and halves, and the χ² survival function at closed forms', () => {
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 13);
    // χ²₂: e^(−x/2); χ²₁: erfc(√(x/2)), at x = 3.841458820694124 it is 0.05.
    expect(chiSquareSurvival(3, 2)).toBeCloseTo(Math.exp(-1.5), 14);
    expect(chiSquareSurvival(3.841458820694124, 1)).toBeCloseTo(0.05, 12);
    expect(chiSquareSurvival(0, 5)).toBe(1);
  });
});

describe('Ljung–Box against statsmodels’ acorr_ljungbox', () => {
  it.each([
    ['CO2 differenced at 1 and 12, model_df 2', 'ljungbox'],
    ['temperature differenced', 'ljungbox_temp'],
  ] as const)('%s', (_name, key) => {
    const ref = fixture.diagnostics[key];
    const x = key === 'ljungbox' ? difference(co2, 1, 1, 12) : difference(temp, 1);
    ref.lags.forEach((lags, i) => {
      const lb = ljungBox(x, lags, ref.model_df);
      expect(lb.statistic).toBeCloseTo(ref.statistic[i]!, 9);
      expect(Math.abs(lb.pValue / ref.pvalue[i]! - 1)).toBeLessThan(1e-9);
    });
    expect(() => ljungBox(x, 3, 3)).toThrow('modelDf must be a whole number below lags (3), got 3');
  });
});

describe('KPSS against statsmodels’ kpss (nlags="legacy")', () => {
  const seriesOf: Record<string, number[] | Float64Array> = {
    co2,
    'co2 differenced': difference(co2, 1),
    temp,
    'temp differenced': difference(temp, 1),
  };
  it.each(fixture.diagnostics.kpss.map((k) => [`${k.series}, ${k.regression}`, k] as const))(
    '%s',
    (_n, ref) => {
      const result = kpss(seriesOf[ref.series]!, { regression: ref.regression });
      expect(result.lags).toBe(ref.lags);
      expect(result.statistic).toBeCloseTo(ref.statistic, 10);
      expect(result.pValue).toBeCloseTo(ref.pvalue, 12);
    },
  );

  it('ndiffs: CO2 needs one difference to be level-stationary at 5%, the temperatures two', () => {
    expect(ndiffs(co2)).toBe(1);
    expect(ndiffs(temp)).toBe(2); // the differenced temperatures still reject at 5% (p = 0.043)
  });
});
