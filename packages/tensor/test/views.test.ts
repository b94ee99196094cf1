import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { arange, concat, DTYPES, fromArray, type NDArray, split, stack } from '../src/index.js';
import { size, strides } from './reference.js';

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
const base = (shape: number[]) => arange(size(shape), undefined, 1, 'float64').reshape(shape);
const flat = (a: NDArray) => Array.from(a.toTypedArray());

/** The row-major flat index of a multi-index, computed without NDArray. */
const at = (shape: readonly number[], index: readonly number[]) =>
  index.reduce((s, i, axis) => s + i * strides(shape)[axis]!, 0);

function* indices(shape: readonly number[]): Generator<number[]> {
  if (shape.length === 0) {
    yield [];
    return;
  }
  for (let i = 0; i < shape[0]!; i++) for (const rest of indices(shape.slice(1))) yield [i, ...rest];
}

describe('views', () => {
  it('copies any transposed view element by element, into every dtype (one compiled copy per type pair)', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) =>
          fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape.keys()], { minLength: shape.length })),
        ),
        fc.constantFrom(...DTYPES),
        fc.constantFrom(...DTYPES),
        ([shape, perm], from, to) => {
          const t = base(shape)
            .astype(from)
            .transpose(...perm);
          const expected = [...indices(t.shape)].map((index) => t.get(...index));
          expect(Array.from(t.toTypedArray())).toEqual(expected);
          const converted = Array.from(t.astype(to).toTypedArray());
          expect(converted).toEqual(expected.map((v) => (to === 'bool' ? (v ? 1 : 0) : Number(v))));
        },
      ),
    );
  });

  it('transpose by any permutation moves element (i…) to (perm i…), sharing the buffer', () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) =>
          fc.tuple(fc.constant(shape), fc.shuffledSubarray([...shape.keys()], { minLength: shape.length })),
        ),
        ([shape, perm]) => {
          const a = base(shape);
          const t = a.transpose(...perm);
          expect(t.data).toBe(a.data);
          for (const index of indices(t.shape)) {
            const source = new Array<number>(shape.length);
            perm.forEach((axis, i) => {
              source[axis] = index[i]!;
            });
            expect(t.get(...index)).toBe(at(shape, source));
          }
        },
      ),
      { numRuns: 100, seed: 1 },
    );
  });

  it('slicing with any start/stop/step picks Python range() of each axis', () => {
    const spec = fc.record({
      start: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
      stop: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
      step: fc.option(
        fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0),
        { nil: undefined },
      ),
    });
    fc.assert(
      fc.property(shapeArb, fc.array(spec, { minLength: 1, maxLength: 4 }), (shape, specs) => {
        const used = specs.slice(0, shape.length);
        const a = base(shape);
        const view = a.slice(...used);
        const picks = shape.map((d, axis) =>
          used[axis] ? pythonRange(used[axis]!, d) : [...Array(d).keys()],
        );
        expect(view.shape).toEqual(picks.map((p) => p.length));
        for (const index of indices(view.shape)) {
          expect(view.get(...index)).toBe(
            at(
              shape,
              index.map((i, axis) => picks[axis]![i]!),
            ),
          );
        }
      }),
      { numRuns: 200, seed: 2 },
    );
  });

  it('reshape keeps row-major order; of a contiguous array it is a view, of a transposed one a copy', () => {
    fc.assert(
      fc.property(shapeArb, (shape) => {
        const a = base(shape);
        const r = a.reshape(-1);
        expect(r.data).toBe(a.data);
        expect(flat(r)).toEqual(flat(a));
        const t = a.transpose();
        const tr = t.reshape(-1);
        expect(flat(tr)).toEqual(flat(t));
        if (shape.filter((d) => d > 1).length > 1) expect(tr.data).not.toBe(a.data);
      }),
      { numRuns: 100, seed: 3 },
    );
  });

  it('contiguous() copies only when the view is not row-major', () => {
    const a = arange(12).reshape(3, 4);
    expect(a.contiguous()).toBe(a);
    expect(a.slice(1).contiguous()).not.toBe(a.slice(1));
    expect(a.slice(1).contiguous().data).toBe(a.data);
    expect(a.T.contiguous().data).not.toBe(a.data);
    expect(flat(a.T.contiguous())).toEqual([0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11]);
  });

  it('broadcastTo repeats with stride 0; expandDims and squeeze add and drop unit axes', () => {
    const row = arange(3);
    const b = row.broadcastTo([2, 3]);
    expect(b.strides).toEqual([0, 1]);
    expect(b.toArray()).toEqual([
      [0, 1, 2],
      [0, 1, 2],
    ]);
    expect(row.expandDims(0).shape).toEqual([1, 3]);
    expect(row.expandDims(-1).shape).toEqual([3, 1]);
    expect(row.expandDims(1).squeeze().shape).toEqual([3]);
    expect(() => row.broadcastTo([2, 4])).toThrow(
      'broadcastTo: shapes [3] and [2,4] cannot be broadcast together',
    );
    expect(() => arange(6).reshape(2, 3).squeeze(0)).toThrow('squeeze: axis 0 of [2,3] has length 2, not 1');
  });

  it('writes through a view reach the base array, as in NumPy', () => {
    const a = arange(6).reshape(2, 3);
    a.T.set([2, 1], 99);
    expect(a.get(1, 2)).toBe(99);
  });

  it('concat, stack and split invert one another', () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 1, max: 3 }), (shape, parts) => {
        const axis = shape.length - 1;
        const a = base([...shape.slice(0, -1), shape.at(-1)! * parts]);
        const pieces = split(a, parts, axis);
        expect(pieces.every((p) => p.data === a.data)).toBe(true);
        expect(flat(concat(pieces, axis))).toEqual(flat(a));
        const s = stack(pieces, 0);
        expect(s.shape).toEqual([parts, ...pieces[0]!.shape]);
      }),
      { numRuns: 50, seed: 4 },
    );
  });

  it('rejects impossible views with the shapes in the message', () => {
    const a = arange(6).reshape(2, 3);
    expect(() => a.reshape(4, 2)).toThrow('reshape: cannot reshape array of size 6 (shape [2,3]) into [4,2]');
    expect(() => a.reshape(-1, -1)).toThrow('only one dimension may be -1');
    expect(() => a.transpose(0, 0)).toThrow('transpose: axes [0,0] are not a permutation');
    expect(() => a.slice(0, 0, 0)).toThrow('slice: 3 indices for an array of rank 2');
    expect(() => a.slice(2)).toThrow('slice: index 2 is out of bounds for axis 0 with size 2');
    expect(() => a.slice(null, { step: 0 })).toThrow('slice: step 0 on axis 1 must be a non-zero integer');
    expect(() => a.get(0, 3)).toThrow('get: index 3 is out of bounds for axis 1 with size 3');
    expect(() => fromArray([1, 2, 3], [2, 2])).toThrow('fromArray: 3 values cannot fill shape [2,2]');
    expect(() => concat([a, arange(4).reshape(2, 2).astype('float64')], 1)).toThrow(
      'concat: array 1 is float64',
    );
    expect(() => split(a, 2, 1)).toThrow('split: axis 1 of length 3 cannot be split into 2 equal sections');
  });
});

/** Python's range(*slice(start, stop, step).indices(d)). */
function pythonRange(spec: { start?: number; stop?: number; step?: number }, d: number): number[] {
  const step = spec.step ?? 1;
  const norm = (v: number | undefined, fallback: number, lo: number, hi: number) => {
    if (v === undefined) return fallback;
    const x = v < 0 ? v + d : v;
    return Math.min(Math.max(x, lo), hi);
  };
  const start = step > 0 ? norm(spec.start, 0, 0, d) : norm(spec.start, d - 1, -1, d - 1);
  const stop = step > 0 ? norm(spec.stop, d, 0, d) : norm(spec.stop, -1, -1, d - 1);
  const out: number[] = [];
  for (let i = start; step > 0 ? i < stop : i > stop; i += step) out.push(i);
  return out;
}

describe('assign', () => {
  it('writes through a strided view, broadcasting the source', () => {
    const a = arange(12).reshape(3, 4);
    a.slice(null, { step: 2 }).assign(arange(2).reshape(1, 2).astype('float32'));
    expect(a.toArray()).toEqual([
      [0, 1, 1, 3],
      [0, 5, 1, 7],
      [0, 9, 1, 11],
    ]);
    a.T.slice(0).assign(-1);
    expect(a.slice(null, 0).toArray()).toEqual([-1, -1, -1]);
    expect(() => a.assign(arange(3))).toThrow(
      'broadcastTo: shapes [3] and [3,4] cannot be broadcast together',
    );
    expect(() => a.assign(arange(4, undefined, 1, 'int32'))).toThrow(
      'assign: dtype mismatch (target is float32, source is int32)',
    );
  });
});
