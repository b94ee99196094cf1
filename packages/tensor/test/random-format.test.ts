import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { arange, array, eye, fromArray, linspace, oneHot, Rng, zeros } from '../src/index.js';

const reference = JSON.parse(readFileSync(new URL('./fixtures/xoshiro128ss.json', import.meta.url), 'utf8'));

describe('Rng (xoshiro128**)', () => {
  it('reproduces the reference implementation from state [1, 2, 3, 4]', () => {
    const rng = Rng.fromState(reference.state);
    expect(Array.from({ length: reference.outputs.length }, () => rng.nextUint32())).toEqual(
      reference.outputs,
    );
  });

  it('is fixed by its seed', () => {
    expect(Array.from(new Rng(7).normal([5]).data)).toEqual(Array.from(new Rng(7).normal([5]).data));
    expect(Array.from(new Rng(7).normal([5]).data)).not.toEqual(Array.from(new Rng(8).normal([5]).data));
  });

  it('normal draws pass a Kolmogorov–Smirnov test against the normal CDF, with the right moments', () => {
    const n = 20_000;
    const x = Array.from(new Rng(123).normal([n], 0, 1, 'float64').data).sort((a, b) => a - b);
    const mean = x.reduce((a, b) => a + b, 0) / n;
    const variance = x.reduce((a, b) => a + (b - mean) ** 2, 0) / n;
    expect(Math.abs(mean)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(variance - 1)).toBeLessThan(0.05);
    // Φ by the Zelen & Severo approximation (|error| < 7.5e-8), independent of this package's erf.
    const phi = (z: number) => {
      const t = 1 / (1 + 0.2316419 * Math.abs(z));
      const d = 0.3989422804014327 * Math.exp((-z * z) / 2);
      const p =
        d * t * (0.31938153 + t * (-0.356563782 + t * (1.781477937 + t * (-1.821255978 + t * 1.330274429))));
      return z >= 0 ? 1 - p : p;
    };
    const ks = Math.max(...x.map((v, i) => Math.max((i + 1) / n - phi(v), phi(v) - i / n)));
    expect(ks).toBeLessThan(1.63 / Math.sqrt(n)); // the 1% critical value
  });

  it('uniform stays in [low, high) and nextInt is unbiased enough for a chi-square test', () => {
    const u = new Rng(5).uniform([10_000], -2, 3, 'float64').data;
    expect(Math.min(...u)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...u)).toBeLessThan(3);
    const rng = new Rng(6);
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 70_000; i++) counts[rng.nextInt(7)]++;
    const chi2 = counts.reduce((s, c) => s + (c - 10_000) ** 2 / 10_000, 0);
    expect(chi2).toBeLessThan(16.81); // 6 degrees of freedom, p = 0.01
    const perm = Array.from(new Rng(1).permutation(50).data).sort((a, b) => a - b);
    expect(perm).toEqual([...Array(50).keys()]);
  });

  it('refuses parameters that would give garbage', () => {
    expect(() => new Rng(1.5)).toThrow('Rng: seed must be a safe integer, got 1.5');
    expect(() => new Rng(1).normal([2], 0, Number.NaN)).toThrow(
      'normal: std is NaN, expected a finite number',
    );
    expect(() => new Rng(1).uniform([2], 1, 1)).toThrow('uniform: high (1) must be greater than low (1)');
    expect(() => new Rng(1).normal([2], 0, 1, 'int32')).toThrow(
      'normal: dtype must be float32 or float64, got int32',
    );
  });
});

describe('creation', () => {
  it('arange, linspace, eye and oneHot as NumPy', () => {
    expect(arange(2, 11, 3).toArray()).toEqual([2, 5, 8]);
    expect(arange(5, 0, -2).toArray()).toEqual([5, 3, 1]);
    expect(linspace(0, 1, 5, 'float64').toArray()).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(eye(2, 3).toArray()).toEqual([
      [1, 0, 0],
      [0, 1, 0],
    ]);
    expect(oneHot([2, 0], 3).toArray()).toEqual([
      [0, 0, 1],
      [1, 0, 0],
    ]);
    expect(() => oneHot([3], 3)).toThrow('oneHot: index 3 is out of bounds for depth 3');
    expect(() => arange(0, 1, 0)).toThrow('arange: step must not be 0');
    expect(() => linspace(0, Number.POSITIVE_INFINITY)).toThrow('linspace: start and stop must be finite');
  });

  it('array() checks nesting and element types', () => {
    expect(() => array([[1, 2], [3]])).toThrow(
      'array: ragged nesting at [1]: expected a list of 2, got a list of 1',
    );
    expect(() => array([1, 'x' as unknown as number])).toThrow(
      'array: element at [1] is "x", expected a number or boolean',
    );
    expect(array([true, false], 'bool').toArray()).toEqual([true, false]);
    expect(() => zeros([2, -1])).toThrow('zeros: invalid shape [2,-1]');
  });
});

describe('printing', () => {
  it('shows shape, dtype and aligned values like NumPy', () => {
    expect(
      String(
        array([
          [1.5, -2],
          [3, 4.25],
        ]),
      ),
    ).toBe('NDArray(shape=[2,2], dtype=float32)\n[[ 1.5000, -2.0000],\n [ 3.0000,  4.2500]]');
    expect(String(fromArray([1, 0], [2], 'bool'))).toBe('NDArray(shape=[2], dtype=bool)\n[ true, false]');
    expect(String(array(7, 'int32'))).toBe('NDArray(shape=[], dtype=int32)\n7');
  });

  it('summarises large arrays with the first and last three items of each axis', () => {
    const text = String(arange(2000).reshape(2, 1000));
    expect(text).toBe(
      'NDArray(shape=[2,1000], dtype=float32)\n[[   0,    1,    2, ...,  997,  998,  999],\n [1000, 1001, 1002, ..., 1997, 1998, 1999]]',
    );
  });
});
