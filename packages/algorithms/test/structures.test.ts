import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  binarySearch,
  LRUCache,
  lowerBound,
  PriorityQueue,
  quickselect,
  topK,
  UnionFind,
  upperBound,
} from '../src/index.js';

describe('searching and selection', () => {
  it('lower and upper bounds bracket the equal elements, as a linear scan says', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -20, max: 20 }), { maxLength: 100 }),
        fc.integer({ min: -25, max: 25 }),
        (xs, x) => {
          const a = xs.slice().sort((p, q) => p - q);
          expect(lowerBound(a, x)).toBe(a.filter((v) => v < x).length);
          expect(upperBound(a, x)).toBe(a.filter((v) => v <= x).length);
          const i = binarySearch(a, x);
          expect(i === -1 ? !a.includes(x) : a[i] === x).toBe(true);
        },
      ),
      { numRuns: 300, seed: 11 },
    );
  });

  it('quickselect returns the k-th smallest and leaves the input alone; topK the k largest', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.nat(),
        (xs, seed) => {
          const k = seed % xs.length;
          const before = xs.slice();
          const sorted = Float64Array.from(xs).sort();
          expect(Object.is(quickselect(xs, k), sorted[k]) || quickselect(xs, k) === sorted[k]).toBe(true);
          expect(xs).toEqual(before);
          const m = seed % 10;
          expect(topK(xs, m)).toEqual(Array.from(sorted).reverse().slice(0, m));
        },
      ),
      { numRuns: 300, seed: 12 },
    );
    expect(() => quickselect([1, 2], 2)).toThrow('quickselect: k = 2 is outside [0, 1]');
    expect(() => topK([1, Number.NaN], 1)).toThrow('topK: NaN has no place in an order');
  });
});

describe('data structures against simple reference models', () => {
  it('PriorityQueue with decrease-key pops in priority order, like a sorted array', () => {
    const op = fc.oneof(
      fc.record({
        kind: fc.constant('set' as const),
        key: fc.integer({ min: 0, max: 15 }),
        p: fc.integer({ min: 0, max: 100 }),
      }),
      fc.record({ kind: fc.constant('pop' as const) }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 200 }), (ops) => {
        const pq = new PriorityQueue<number>();
        const model = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === 'set') {
            pq.set(o.key, o.p);
            model.set(o.key, o.p);
          } else {
            const popped = pq.pop();
            if (model.size === 0) {
              expect(popped).toBeUndefined();
              continue;
            }
            const min = Math.min(...model.values());
            expect(popped![1]).toBe(min);
            expect(model.get(popped![0])).toBe(min);
            model.delete(popped![0]);
          }
          expect(pq.size).toBe(model.size);
        }
      }),
      { numRuns: 300, seed: 13 },
    );
  });

  it('LRUCache evicts exactly what a list-based model evicts', () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant('get' as const), key: fc.integer({ min: 0, max: 9 }) }),
      fc.record({ kind: fc.constant('set' as const), key: fc.integer({ min: 0, max: 9 }), value: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(op, { maxLength: 200 }), (capacity, ops) => {
        const cache = new LRUCache<number, number>(capacity);
        let model: [number, number][] = []; // least recent first
        for (const o of ops) {
          if (o.kind === 'get') {
            const hit = model.find(([k]) => k === o.key);
            expect(cache.get(o.key)).toBe(hit?.[1]);
            if (hit) model = [...model.filter(([k]) => k !== o.key), hit];
          } else {
            model = [...model.filter(([k]) => k !== o.key), [o.key, o.value]];
            const evicted = model.length > capacity ? model.shift() : undefined;
            expect(cache.set(o.key, o.value)).toEqual(evicted);
          }
          expect(cache.keys()).toEqual(model.map(([k]) => k));
        }
      }),
      { numRuns: 300, seed: 14 },
    );
    expect(() => new LRUCache(0)).toThrow('LRUCache: capacity must be a positive integer, got 0');
  });

  it('UnionFind agrees with naive set merging', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 19 }), fc.integer({ min: 0, max: 19 })), {
          maxLength: 60,
        }),
        (pairs) => {
          const uf = new UnionFind(20);
          const label = Array.from({ length: 20 }, (_, i) => i);
          for (const [a, b] of pairs) {
            const merged = label[a] !== label[b];
            expect(uf.union(a, b)).toBe(merged);
            const from = label[b]!;
            for (let i = 0; i < 20; i++) if (label[i] === from) label[i] = label[a]!;
          }
          for (let i = 0; i < 20; i++)
            for (let j = 0; j < 20; j++) expect(uf.connected(i, j)).toBe(label[i] === label[j]);
          expect(uf.count).toBe(new Set(label).size);
        },
      ),
      { numRuns: 200, seed: 15 },
    );
    expect(() => new UnionFind(3).find(3)).toThrow('UnionFind: element 3 is outside [0, 2]');
  });
});
