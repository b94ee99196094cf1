import { gaussian, mulberry32 } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import { exactSearch, Hnsw, type Metric } from '../src/index.js';

const n = 2000;
const d = 16;
const random = mulberry32(5);
const normal = gaussian(random);
const vectors = Float32Array.from({ length: n * d }, normal);
const queries = Array.from({ length: 100 }, () => Float32Array.from({ length: d }, normal));

function build(metric: Metric, seed = 1): Hnsw {
  const index = new Hnsw(d, n, { M: 12, efConstruction: 100, metric, seed });
  for (let i = 0; i < n; i++) index.add(vectors.subarray(i * d, (i + 1) * d));
  return index;
}

describe('exact search, the reference', () => {
  it('equals sorting every distance, for L2 and cosine', () => {
    for (const metric of ['l2', 'cosine'] as const) {
      for (const q of queries.slice(0, 5)) {
        const qn = Math.hypot(...q);
        const distances = Array.from({ length: n }, (_, i) => {
          const v = vectors.subarray(i * d, (i + 1) * d);
          if (metric === 'l2') return v.reduce((s, x, k) => s + (x - q[k]!) ** 2, 0);
          return 1 - v.reduce((s, x, k) => s + x * q[k]!, 0) / (Math.hypot(...v) * qn);
        });
        const sorted = Array.from({ length: n }, (_, i) => i).sort(
          (a, b) => distances[a]! - distances[b]! || a - b,
        );
        expect(Array.from(exactSearch(vectors, d, q, 10, metric))).toEqual(sorted.slice(0, 10));
      }
    }
  });
});

describe('HNSW against exact search', () => {
  it.each(['l2', 'cosine'] as const)(
    '%s: recall@10 ≥ 0.95 at ef 128 with a fraction of exact search’s distances',
    (metric) => {
      const index = build(metric);
      index.distanceComputations = 0;
      let hits = 0;
      for (const q of queries) {
        const truth = new Set(exactSearch(vectors, d, q, 10, metric));
        for (const id of index.search(q, 10, 128).ids) if (truth.has(id)) hits++;
      }
      expect(hits / (10 * queries.length)).toBeGreaterThanOrEqual(0.95);
      expect(index.distanceComputations / queries.length).toBeLessThan(n / 2);
    },
  );

  it('a larger ef finds more of the true neighbours; a stored vector finds itself at distance 0', () => {
    const index = build('l2');
    const recall = (ef: number) => {
      let hits = 0;
      for (const q of queries) {
        const truth = new Set(exactSearch(vectors, d, q, 10));
        for (const id of index.search(q, 10, ef).ids) if (truth.has(id)) hits++;
      }
      return hits;
    };
    expect(recall(10)).toBeLessThan(recall(200));
    const self = index.search(vectors.subarray(7 * d, 8 * d), 3);
    expect(self.ids[0]).toBe(7);
    expect(self.distances[0]).toBe(0);
    expect(Array.from(self.distances)).toEqual([...self.distances].sort((a, b) => a - b));
  });

  it('the same seed builds the same graph', () => {
    const a = build('l2', 3).search(queries[0]!, 10, 32);
    const b = build('l2', 3).search(queries[0]!, 10, 32);
    expect(Array.from(a.ids)).toEqual(Array.from(b.ids));
  });

  it('refuses the wrong dimension, NaN, a zero vector for cosine, a full or empty index and a bad k', () => {
    const index = new Hnsw(3, 2, { metric: 'cosine' });
    expect(() => index.search([1, 0, 0], 1)).toThrow('the index is empty');
    expect(() => index.add([1, 0])).toThrow('vector of dimension 2, expected 3');
    expect(() => index.add([1, Number.NaN, 0])).toThrow('vector[1] is NaN, expected a finite number');
    expect(() => index.add([0, 0, 0])).toThrow('a zero vector has no direction for the cosine metric');
    index.add([1, 0, 0]);
    index.add([0, 1, 0]);
    expect(() => index.add([0, 0, 1])).toThrow('the index is full (capacity 2)');
    expect(() => index.search([1, 0], 1)).toThrow('vector of dimension 2, expected 3');
    expect(() => index.search([1, 0, 0], 0)).toThrow('k must be a whole number ≥ 1, got 0');
    expect(() => new Hnsw(3, 10, { M: 1 })).toThrow('M must be a whole number in [2, 127], got 1');
  });
});
