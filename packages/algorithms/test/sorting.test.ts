import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  countingSort,
  heapSort,
  insertionSort,
  mergeSort,
  mergeSortBottomUp,
  numericOrder,
  quickSort,
  radixSort,
  timSort,
} from '../src/index.js';

/** Doubles including the awkward ones: duplicates, negatives, -0, NaN, ±Infinity. */
const number = fc.oneof(
  { weight: 6, arbitrary: fc.double() },
  { weight: 2, arbitrary: fc.integer({ min: -5, max: 5 }) },
  {
    weight: 1,
    arbitrary: fc.constantFrom(-0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY),
  },
);
const numbers = fc.array(number, { maxLength: 300 });
/** The reference order: Float64Array.prototype.sort (numeric, -0 before +0, NaN last). */
const reference = (xs: number[]) => Array.from(Float64Array.from(xs).sort());
const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => Object.is(v, b[i]));

const comparisonSorts = { insertionSort, mergeSort, mergeSortBottomUp, quickSort, heapSort, timSort };

describe('comparison sorts agree with the built-in order', () => {
  it.each(Object.entries(comparisonSorts))(
    '%s on random doubles with -0, NaN and ±Infinity',
    (_name, sort) => {
      fc.assert(
        fc.property(numbers, (xs) => {
          const sorted = sort(xs.slice());
          expect(same(sorted, reference(xs))).toBe(true);
        }),
        { numRuns: 300, seed: 1 },
      );
    },
  );

  const adversarial: Record<string, (n: number) => number[]> = {
    sorted: (n) => Array.from({ length: n }, (_, i) => i),
    reversed: (n) => Array.from({ length: n }, (_, i) => n - i),
    'organ pipe': (n) => Array.from({ length: n }, (_, i) => (i < n / 2 ? i : n - i)),
    'all equal': (n) => new Array(n).fill(7),
    'few distinct': (n) => Array.from({ length: n }, (_, i) => (i * 7919) % 3),
  };
  it.each(Object.keys(adversarial))(
    'quickSort stays correct and fast on %s input (introsort bound)',
    (shape) => {
      const xs = adversarial[shape]!(50_000);
      let comparisons = 0;
      const sorted = quickSort(xs.slice(), (a, b) => {
        comparisons++;
        return a - b;
      });
      expect(same(sorted, reference(xs))).toBe(true);
      // O(n log n): 4·n·log₂n is 3.1e6 here, against 1.25e9 for quicksort's quadratic worst case.
      expect(comparisons).toBeLessThan(4 * 50_000 * Math.log2(50_000));
    },
  );

  it.each(['sorted', 'reversed'])(
    'quickSort splits %s input evenly: no more comparisons than on random input',
    (shape) => {
      const n = 100_000;
      let comparisons = 0;
      quickSort(adversarial[shape]!(n), (a, b) => {
        comparisons++;
        return a - b;
      });
      // Random input takes ~1.1·n·log₂n. A partition that reversed the larger keys made sorted input take 3.5·n·log₂n.
      expect(comparisons).toBeLessThan(1.2 * n * Math.log2(n));
    },
  );

  it('the stable sorts keep equal keys in input order (objects with a comparator)', () => {
    const record = fc.record({ key: fc.integer({ min: 0, max: 5 }), id: fc.nat() });
    fc.assert(
      fc.property(fc.array(record, { maxLength: 200 }), (rows) => {
        const tagged = rows.map((r, i) => ({ ...r, id: i }));
        const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
        const expected = tagged.slice().sort(byKey); // Array.prototype.sort is stable (ES2019)
        for (const sort of [insertionSort, mergeSort, mergeSortBottomUp])
          expect(sort(tagged.slice(), byKey)).toEqual(expected);
      }),
      { numRuns: 200, seed: 2 },
    );
  });
});

describe('timSort on run-structured input (natural runs, galloping merges)', () => {
  it('equals the built-in on concatenated sorted and reversed runs of many lengths, and stays stable', () => {
    const run = fc.tuple(fc.array(fc.integer({ min: -50, max: 50 }), { maxLength: 120 }), fc.boolean());
    fc.assert(
      fc.property(fc.array(run, { maxLength: 40 }), (runs) => {
        const xs = runs.flatMap(([r, down]) => r.slice().sort((a, b) => (down ? b - a : a - b)));
        expect(timSort(xs.slice())).toEqual(reference(xs));
        const tagged = xs.map((key, id) => ({ key, id }));
        const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
        expect(timSort(tagged.slice(), byKey)).toEqual(tagged.slice().sort(byKey));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('nearly sorted input of 100,000 takes far fewer comparisons than n log n', () => {
    const xs = Array.from({ length: 100_000 }, (_, i) => i);
    for (let k = 0; k < 100; k++) {
      const i = (k * 7919) % xs.length;
      const j = (k * 104_729) % xs.length;
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
    let comparisons = 0;
    const sorted = timSort(xs.slice(), (a, b) => {
      comparisons++;
      return a - b;
    });
    expect(sorted).toEqual(reference(xs));
    expect(comparisons).toBeLessThan(0.5 * 100_000 * Math.log2(100_000));
  });
});

describe('radix and counting sorts', () => {
  it('radixSort orders Float32 keys exactly as Float32Array.prototype.sort, NaN last and -0 before +0', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.float(), fc.constantFrom(-0, 0, Number.NaN)), { maxLength: 500 }),
        (xs) => {
          const ours = radixSort(Float32Array.from(xs));
          const theirs = Float32Array.from(xs).sort();
          expect(same(Array.from(ours), Array.from(theirs))).toBe(true);
        },
      ),
      { numRuns: 300, seed: 3 },
    );
  });

  it('radixSort on Int32 and Uint32 keys', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer(), { maxLength: 500 }),
        fc.array(fc.nat({ max: 0xffffffff }), { maxLength: 500 }),
        (ints, uints) => {
          expect(Array.from(radixSort(Int32Array.from(ints)))).toEqual(
            Array.from(Int32Array.from(ints).sort()),
          );
          expect(Array.from(radixSort(Uint32Array.from(uints)))).toEqual(
            Array.from(Uint32Array.from(uints).sort()),
          );
        },
      ),
      { numRuns: 200, seed: 4 },
    );
  });

  it('countingSort on bytes and labels', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 })), (xs) => {
        expect(countingSort(xs.slice(), 10)).toEqual(xs.slice().sort((a, b) => a - b));
      }),
      { numRuns: 100, seed: 5 },
    );
  });
});

describe('bad input', () => {
  it('names what is wrong, and a failed sort leaves the input unmodified', () => {
    expect(() => mergeSort('abc' as unknown as number[])).toThrow('mergeSort: expected an array, got string');
    const xs = [5, 3, 9, 1, 7, 2, 8];
    let calls = 0;
    const explodes = (a: number, b: number) => {
      if (++calls === 6) throw new Error('comparator failed');
      return a - b;
    };
    for (const sort of Object.values(comparisonSorts)) {
      calls = 0;
      expect(() => sort(xs, explodes)).toThrow('comparator failed');
      expect(xs).toEqual([5, 3, 9, 1, 7, 2, 8]);
    }
    expect(() => quickSort([1, 2, 3], () => Number.NaN)).toThrow(
      'quickSort: the comparator returned NaN for',
    );
    expect(() => heapSort([1, 2], (() => 'x') as unknown as (a: number, b: number) => number)).toThrow(
      'heapSort: the comparator returned x',
    );
    expect(() => radixSort([3, 1, 2] as unknown as Float32Array)).toThrow(
      'radixSort: expected a Uint32Array, Int32Array or Float32Array, got an Array',
    );
    expect(() => radixSort(new Float64Array(2) as unknown as Float32Array)).toThrow('got Float64Array');
    const labels = [1, 2, 12, 0];
    expect(() => countingSort(labels, 10)).toThrow(
      'countingSort: value 2 is 12, expected an integer in [0, 10)',
    );
    expect(labels).toEqual([1, 2, 12, 0]);
  });

  it('numericOrder is a total order (antisymmetric, transitive on samples)', () => {
    fc.assert(
      fc.property(number, number, number, (a, b, c) => {
        expect(Math.sign(numericOrder(a, b)) + Math.sign(numericOrder(b, a))).toBe(0);
        if (numericOrder(a, b) <= 0 && numericOrder(b, c) <= 0)
          expect(numericOrder(a, c)).toBeLessThanOrEqual(0);
      }),
      { numRuns: 500, seed: 6 },
    );
  });
});
