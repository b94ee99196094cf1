import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  argmax,
  argmin,
  array,
  broadcastShapes,
  logsumexp,
  matmul,
  max,
  mean,
  min,
  type NDArray,
  type NestedArray,
  type SliceSpec,
  softmax,
  std,
  sum,
  take,
  takeAlongAxis,
  variance,
} from '../src/index.js';

// Every expected value below was computed by NumPy (test/fixtures/make_numpy_fixture.py).
const fixture = JSON.parse(readFileSync(new URL('./fixtures/numpy-semantics.json', import.meta.url), 'utf8'));

const values = (a: NDArray) => Array.from(a.toTypedArray());
/** float64 arrays: our results must equal NumPy's to the last bits, up to summation order. */
const close = (actual: number[], expected: number[]) => {
  expect(actual.length).toBe(expected.length);
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10));
};

describe(`NumPy ${fixture.numpy_version} semantics`, () => {
  it('broadcasts the shapes NumPy broadcasts and refuses the ones it refuses', () => {
    for (const { a, b, out } of fixture.broadcast) {
      if (out === null)
        expect(() => broadcastShapes('add', a, b), `${a} with ${b}`).toThrow(/cannot be broadcast together/);
      else expect(broadcastShapes('add', a, b), `${a} with ${b}`).toEqual(out);
    }
  });

  it('reduces along any axes, with and without keepdims', () => {
    const x = array(fixture.x as NestedArray, 'float64');
    for (const row of fixture.reductions) {
      const options = { axis: row.axis ?? undefined, keepdims: row.keepdims };
      const ops = { sum, mean, max, min, var: variance, std } as const;
      for (const [name, op] of Object.entries(ops)) {
        const r = op(x, options);
        expect(r.shape, `${name} ${JSON.stringify(options)}`).toEqual(row[name].shape);
        close(values(r), row[name].values);
      }
      const v1 = variance(x, { ...options, ddof: 1 });
      close(values(v1), row.var_ddof1.values);
    }
  });

  it('argmax and argmin along an axis or over the flattened array', () => {
    const x = array(fixture.x as NestedArray, 'float64');
    for (const row of fixture.arg) {
      const axis = row.axis ?? undefined;
      expect(argmax(x, axis).shape).toEqual(row.argmax.shape);
      expect(values(argmax(x, axis))).toEqual(row.argmax.values);
      expect(values(argmin(x, axis))).toEqual(row.argmin.values);
    }
  });

  it('slices with starts, stops, negative steps and integer indices as views', () => {
    const m = array(fixture.m as NestedArray, 'float64');
    for (const { spec, shape, values: expected } of fixture.slices) {
      const specs: SliceSpec[] = spec.map((s: number | (number | null)[]) =>
        typeof s === 'number'
          ? s
          : { start: s[0] ?? undefined, stop: s[1] ?? undefined, step: s[2] ?? undefined },
      );
      const view = m.slice(...specs);
      expect(view.shape, JSON.stringify(spec)).toEqual(shape);
      expect(values(view), JSON.stringify(spec)).toEqual(expected);
      expect(view.data).toBe(m.data);
    }
  });

  it('transposes by any permutation, negative axes included', () => {
    const x = array(fixture.x as NestedArray, 'float64');
    for (const { axes, shape, values: expected } of fixture.transpose) {
      const t = axes ? x.transpose(...axes) : x.transpose();
      expect(t.shape).toEqual(shape);
      expect(values(t)).toEqual(expected);
    }
  });

  it('matmul broadcasts batch axes and treats 1-D operands as NumPy does', () => {
    for (const { a, b, shape, values: expected } of fixture.matmul) {
      const r = matmul(array(a, 'float64'), array(b, 'float64'));
      expect(r.shape).toEqual(shape);
      close(values(r), expected);
      const r32 = matmul(array(a), array(b));
      values(r32).forEach((v, i) =>
        expect(Math.abs(v - expected[i]!)).toBeLessThan(1e-5 * (1 + Math.abs(expected[i]!))),
      );
    }
    const [[a1, b1], [a2, b2]] = fixture.matmul_errors;
    expect(() => matmul(array(nestedZeros(a1)), array(nestedZeros(b1)))).toThrow(
      'matmul: inner dimensions differ (a is [2,3], b is [4,5])',
    );
    expect(() => matmul(array(nestedZeros(a2)), array(nestedZeros(b2)))).toThrow(
      'matmul: shapes [2] and [5] cannot be broadcast together',
    );
  });

  it('logsumexp and softmax stay finite where the naive formula overflows', () => {
    const z = array(fixture.softmax.z as NestedArray, 'float64');
    close(values(logsumexp(z, { axis: 1 })), fixture.softmax.logsumexp);
    close(values(softmax(z, 1)), fixture.softmax.softmax);
  });

  it('take and takeAlongAxis', () => {
    const t = array(fixture.take.a as NestedArray, 'int32');
    const r = take(t, array(fixture.take.take_axis1.indices, 'int32'), 1);
    expect(r.shape).toEqual(fixture.take.take_axis1.shape);
    expect(values(r)).toEqual(fixture.take.take_axis1.values);
    expect(values(takeAlongAxis(t, array(fixture.take.take_along_axis1.indices, 'int32'), 1))).toEqual(
      fixture.take.take_along_axis1.values,
    );
  });
});

function nestedZeros(shape: number[]): NestedArray {
  return shape.length === 0 ? 0 : Array.from({ length: shape[0]! }, () => nestedZeros(shape.slice(1)));
}
