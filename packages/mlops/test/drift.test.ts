import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { kolmogorovSurvival, ksTwoSample, psi } from '../src/index.js';

const scipy = JSON.parse(readFileSync(new URL('./fixtures/scipy-ks.json', import.meta.url), 'utf8')) as {
  cases: {
    a: number[];
    b: number[];
    statistic: number;
    kstwobign_sf: number;
    ks_2samp_asymp_pvalue: number;
  }[];
};

describe('the two-sample Kolmogorov–Smirnov test, against SciPy 1.10 (reference/ks_fixture.py)', () => {
  it.each(scipy.cases.map((c, i) => [i, c] as const))(
    'case %i: D equals ks_2samp’s; p equals kstwobign.sf(√(nm/(n+m))·D)',
    (_, c) => {
      const { statistic, pValue } = ksTwoSample(c.a, c.b);
      expect(statistic).toBeCloseTo(c.statistic, 12);
      expect(Math.abs(pValue - c.kstwobign_sf)).toBeLessThan(1e-9);
    },
  );

  it('the Kolmogorov survival function at known points (both series, where they meet)', () => {
    expect(kolmogorovSurvival(0)).toBe(1);
    // 1.3580986 is the 5% critical value of the Kolmogorov distribution.
    expect(kolmogorovSurvival(1.3580986393225507)).toBeCloseTo(0.05, 9);
    expect(Math.abs(kolmogorovSurvival(0.999999) - kolmogorovSurvival(1.000001))).toBeLessThan(1e-5);
  });

  it('names an empty or non-finite sample', () => {
    expect(() => ksTwoSample([], [1])).toThrow('ksTwoSample: the reference sample is empty');
    expect(() => ksTwoSample([1, Number.NaN], [1])).toThrow(
      'ksTwoSample: the reference sample has NaN at index 1',
    );
  });
});

describe('the population stability index', () => {
  it('equals the hand computation: reference 1…10 in two bins, recent 80% / 20%', () => {
    const reference = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const recent = [1, 1, 1, 1, 1, 1, 1, 1, 7, 7];
    const { value, bins } = psi(reference, recent, { bins: 2 });
    expect(bins.map((b) => [b.expected, b.actual])).toEqual([
      [0.5, 0.8],
      [0.5, 0.2],
    ]);
    expect(value).toBeCloseTo((0.8 - 0.5) * Math.log(0.8 / 0.5) + (0.2 - 0.5) * Math.log(0.2 / 0.5), 12);
  });

  it('is 0 for the same sample; an empty bin is floored, not infinite', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => Math.sin(i) * 10);
    expect(psi(xs, xs).value).toBe(0);
    const shifted = psi(
      xs,
      xs.map((x) => x + 100),
    );
    expect(Number.isFinite(shifted.value)).toBe(true);
    expect(shifted.value).toBeGreaterThan(0.25);
  });
});
