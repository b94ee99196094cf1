import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  argmax,
  array,
  logSoftmax,
  logsumexp,
  max,
  mean,
  type NDArray,
  Rng,
  softmax,
  std,
  sum,
  variance,
} from '../src/index.js';
import { size, strides } from './reference.js';

/** Groups the elements of a row-major array by their index on the kept axes: the reference reduction. */
function groups(data: ArrayLike<number>, shape: number[], axes: number[]): number[][] {
  const kept = shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const keptShape = kept.map((i) => shape[i]!);
  const out: number[][] = Array.from({ length: size(keptShape) }, () => []);
  const s = strides(shape);
  const ks = strides(keptShape);
  for (let flat = 0; flat < data.length; flat++) {
    let g = 0;
    kept.forEach((axis, j) => {
      g += (Math.floor(flat / s[axis]!) % shape[axis]!) * ks[j]!;
    });
    out[g]!.push(data[flat]!);
  }
  return out;
}

const caseArb = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(fc.constant(shape), fc.subarray([...shape.keys()], { minLength: 1 }), fc.boolean(), fc.nat()),
  );

describe('reductions', () => {
  it('sum, mean, max, var and std over any axes equal the per-group float64 reference', () => {
    fc.assert(
      fc.property(caseArb, ([shape, axes, keepdims, seed]) => {
        const x = new Rng(seed).normal(shape, 0, 3, 'float64');
        const ref = groups(x.data, shape, axes);
        const options = { axis: axes, keepdims };
        const expectAll = (out: NDArray, f: (g: number[]) => number) => {
          expect(out.shape).toEqual(
            keepdims
              ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
              : shape.filter((_, i) => !axes.includes(i)),
          );
          Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(f(ref[i]!), 10));
        };
        const m = (g: number[]) => g.reduce((a, b) => a + b, 0) / g.length;
        const v = (g: number[]) => g.reduce((a, b) => a + (b - m(g)) ** 2, 0) / g.length;
        expectAll(sum(x, options), (g) => g.reduce((a, b) => a + b, 0));
        expectAll(mean(x, options), m);
        expectAll(max(x, options), (g) => Math.max(...g));
        expectAll(variance(x, options), v);
        expectAll(std(x, options), (g) => Math.sqrt(v(g)));
      }),
      { numRuns: 150, seed: 21 },
    );
  });

  it('softmax rows sum to 1 and logSoftmax = log(softmax) wherever softmax is not 0', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.nat(),
        (rows, cols, seed) => {
          const x = new Rng(seed).normal([rows, cols], 0, 5, 'float64');
          const s = softmax(x, 0);
          const rowSums = sum(s, { axis: 0 });
          Array.from(rowSums.data).forEach((v) => expect(v).toBeCloseTo(1, 12));
          const ls = logSoftmax(x, 0);
          Array.from(ls.data).forEach((v, i) => expect(v).toBeCloseTo(Math.log(s.data[i]!), 10));
        },
      ),
      { numRuns: 50, seed: 22 },
    );
  });

  it('stays finite where the textbook formulas overflow', () => {
    const big = array([[1000, 1000, 1000]], 'float64');
    expect(logsumexp(big, { axis: 1 }).item()).toBeCloseTo(1000 + Math.log(3), 12);
    expect(Array.from(softmax(big).data)).toEqual([1 / 3, 1 / 3, 1 / 3]);
    expect(logSoftmax(array([[0, -1e4]], 'float64')).get(0, 1)).toBe(-1e4);
    expect(logsumexp(array([Number.NEGATIVE_INFINITY, Number.NEGATIVE_INFINITY], 'float64')).item()).toBe(
      Number.NEGATIVE_INFINITY,
    );
  });

  it('variance by two passes survives a large offset that breaks E[x²] − E[x]²', () => {
    const x = array([1e8 + 4, 1e8 + 7, 1e8 + 13, 1e8 + 16], 'float64');
    expect(variance(x).item()).toBe(22.5);
    expect(variance(x, { ddof: 1 }).item()).toBe(30);
  });

  it('NaN propagates through max and wins argmax, as in NumPy', () => {
    const x = array([1, Number.NaN, 3]);
    expect(max(x).item()).toBeNaN();
    expect(argmax(x).item()).toBe(1);
    expect(argmax(array([1, 5, 5])).item()).toBe(1);
  });

  it('names bad axes and empty reductions', () => {
    const x = array([
      [1, 2],
      [3, 4],
    ]);
    expect(() => sum(x, { axis: 2 })).toThrow('sum: axis 2 is out of bounds for an array of rank 2');
    expect(() => sum(x, { axis: [0, -2] })).toThrow('sum: repeated axis');
    expect(() => max(array([]))).toThrow('max: zero-size reduction of [0] has no identity');
    expect(() => mean(array([]))).toThrow('mean: cannot average zero elements');
    expect(() => variance(array([1]), { ddof: 1 })).toThrow(
      'var: 1 elements with ddof 1 leave no degrees of freedom',
    );
    expect(() => softmax(x, 5)).toThrow('softmax: axis 5 is out of bounds');
  });
});
