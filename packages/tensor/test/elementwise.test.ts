import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  add,
  array,
  assertFinite,
  broadcastShapes,
  div,
  erf,
  erfFloat32,
  exp,
  fromArray,
  gelu,
  greater,
  log,
  maximum,
  mul,
  neg,
  pow,
  Rng,
  relu,
  sigmoid,
  sub,
  tanh,
  where,
} from '../src/index.js';
import { broadcastReference, size } from './reference.js';

/** Two shapes that broadcast: b is a's trailing axes with some set to 1, or a shorter suffix. */
const broadcastPair = fc
  .array(fc.integer({ min: 1, max: 5 }), { minLength: 0, maxLength: 4 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.integer({ min: 0, max: shape.length }),
      fc.array(fc.boolean(), { minLength: shape.length, maxLength: shape.length }),
      fc.boolean(),
    ),
  )
  .map(([shape, drop, ones, swap]) => {
    const other = shape.slice(drop).map((d, i) => (ones[i + drop] ? 1 : d));
    return swap ? [other, shape] : [shape, other];
  });

const ops = [
  ['add', add, (x: number, y: number) => x + y],
  ['sub', sub, (x: number, y: number) => x - y],
  ['mul', mul, (x: number, y: number) => x * y],
  ['div', div, (x: number, y: number) => x / y],
  ['maximum', maximum, (x: number, y: number) => Math.max(x, y)],
  ['greater', greater, (x: number, y: number) => (x > y ? 1 : 0)],
] as const;

describe('element-wise operations', () => {
  it.each(ops)('%s broadcasts like NumPy over any compatible shapes (float64, exact)', (_name, op, f) => {
    fc.assert(
      fc.property(broadcastPair, fc.nat(), ([sa, sb], seed) => {
        const rng = new Rng(seed);
        const a = rng.normal(sa!, 0, 1, 'float64');
        const b = rng.normal(sb!, 0, 1, 'float64');
        const out = op(a, b);
        const shape = broadcastShapes('test', sa!, sb!);
        expect(out.shape).toEqual(shape);
        expect(Array.from(out.toTypedArray())).toEqual(
          broadcastReference([...a.data], sa!, [...b.data], sb!, shape, f),
        );
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('reads strided and broadcast views without copying them first', () => {
    const a = array([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(add(a.T, array([10, 20])).toArray()).toEqual([
      [11, 24],
      [12, 25],
      [13, 26],
    ]);
    expect(mul(a.slice(null, { step: -2 }), 2).toArray()).toEqual([
      [6, 2],
      [12, 8],
    ]);
  });

  it('float32 results are float64 results rounded once to float32', () => {
    const rng = new Rng(4);
    const a = rng.normal([1000]);
    const b = rng.normal([1000]);
    const sum = add(a, b);
    for (let i = 0; i < 1000; i++) expect(sum.data[i]).toBe(Math.fround(a.data[i]! + b.data[i]!));
  });

  it('unary functions match Math in float64 and keep float32 as float32', () => {
    const x = fromArray([-3, -0.5, 0, 0.25, 2], [5], 'float64');
    const cases = [
      [exp(x), Math.exp],
      [tanh(x), Math.tanh],
      [neg(x), (v: number) => -v],
      [relu(x), (v: number) => Math.max(v, 0)],
      [sigmoid(x), (v: number) => 1 / (1 + Math.exp(-v))],
    ] as const;
    for (const [out, f] of cases)
      Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(f(x.data[i]!), 14));
    expect(exp(fromArray([1], [1])).dtype).toBe('float32');
    expect(exp(fromArray([1], [1], 'int32')).dtype).toBe('float64');
  });

  it('sigmoid does not overflow at ±1000 and log keeps NumPy special values', () => {
    expect(Array.from(sigmoid(array([-1000, 1000], 'float64')).data)).toEqual([0, 1]);
    expect(Array.from(log(array([0, -1], 'float64')).data)).toEqual([Number.NEGATIVE_INFINITY, Number.NaN]);
    expect(Array.from(maximum(array([Number.NaN, 1]), array([0, Number.NaN])).data)).toEqual([
      Number.NaN,
      Number.NaN,
    ]);
  });

  it('erfFloat32 is within 7e-8 of the float64 erf (absolute), and within 2e-7 relative near 0', () => {
    for (let x = -6; x <= 6; x += 1e-3) expect(Math.abs(erfFloat32(x) - erf(x))).toBeLessThan(7e-8);
    for (const x of [1e-8, 1e-5, 1e-3, 0.1, -0.05])
      expect(Math.abs(erfFloat32(x) - erf(x)) / Math.abs(erf(x))).toBeLessThan(2e-7);
  });

  it('GELU: x·Φ(x) with erf accurate to float64 (published values), and the tanh approximation within 1e-3 of it', () => {
    // erf to 19 digits (mpmath at 25 digits), as text so that the nearest double is taken: a float64 erf must be
    // within a few ulp (≈1e-16) of them.
    const published: [number, string][] = [
      [0.1, '0.1124629160182848922'],
      [0.5, '0.5204998778130465377'],
      [1, '0.8427007929497148693'],
      [-2, '-0.9953222650189527342'],
      [3.5, '0.9999992569016276586'],
    ];
    for (const [x, value] of published) expect(Math.abs(erf(x) - Number(value))).toBeLessThan(4e-16);
    const x = array([-3, -1, 0, 1, 3], 'float64');
    const exact = Array.from(gelu(x).data);
    // x·Φ(x) with the normal CDF from tables: Φ(1) = 0.8413447, Φ(3) = 0.9986501.
    const tabulated = [-0.0040496, -0.1586553, 0, 0.8413447, 2.9959503];
    exact.forEach((v, i) => expect(Math.abs(v - tabulated[i]!)).toBeLessThan(1e-6));
    Array.from(gelu(x, { approximate: 'tanh' }).data).forEach((v, i) =>
      expect(Math.abs(v - exact[i]!)).toBeLessThan(1e-3),
    );
  });

  it('where picks by a bool condition, broadcasting all three', () => {
    const x = array([-2, -1, 0, 1, 2]);
    expect(where(greater(x, 0), x, 0).toArray()).toEqual([0, 0, 0, 1, 2]);
    expect(() => where(x, x, x)).toThrow('where: condition must be a bool NDArray, got float32');
  });

  it('refuses dtype mixes and bool arithmetic with a way out', () => {
    const f32 = array([1, 2]);
    expect(() => add(f32, f32.astype('float64'))).toThrow(
      'add: dtype mismatch (a is float32 [2], b is float64 [2]); convert one with astype()',
    );
    expect(() => add(greater(f32, 1), greater(f32, 1))).toThrow(
      "add: bool arrays do not support arithmetic; use astype('int32')",
    );
    expect(() => add(array([1, 2, 3]), array([1, 2]))).toThrow(
      'add: shapes [3] and [2] cannot be broadcast together',
    );
    expect(div(fromArray([1, 2], [2], 'int32'), 2).toArray()).toEqual([0.5, 1]);
    expect(pow(array([2, 3]), 2).toArray()).toEqual([4, 9]);
  });

  it('size-0 arrays broadcast to size-0 results', () => {
    const empty = fromArray([], [0, 3]);
    expect(add(empty, array([1, 2, 3])).shape).toEqual([0, 3]);
    expect(size(add(empty, 1).shape)).toBe(0);
  });

  it('assertFinite names the first NaN or infinity and passes finite and integer arrays', () => {
    expect(() => assertFinite('loss', array([1, Number.NaN, Number.POSITIVE_INFINITY]))).toThrow(
      'loss: input [3] holds NaN at flat index 1; expected finite values',
    );
    expect(() =>
      assertFinite(
        'loss',
        array([
          [1, 2],
          [3, 4],
        ]).T,
      ),
    ).not.toThrow();
    expect(() => assertFinite('loss', fromArray([1, 2], [2], 'int32'))).not.toThrow();
  });
});
