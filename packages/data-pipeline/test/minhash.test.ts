import { describe, expect, it } from 'vitest';
import {
  candidateProbability,
  chooseBands,
  estimatedJaccard,
  findNearDuplicates,
  hashSeeds,
  jaccard,
  nearDupCorpus,
  sampleWithCopies,
  scoreAgainstExact,
  shingles,
  signature,
} from '../src/index.js';

/** Two sets of 32-bit ids with exactly `shared` in common out of `size` each. */
function pairWithOverlap(size: number, shared: number, offset: number): [Uint32Array, Uint32Array] {
  const a = Uint32Array.from({ length: size }, (_, i) => offset + i);
  const b = Uint32Array.from({ length: size }, (_, i) => (i < shared ? offset + i : offset + size + i));
  return [a, b];
}

describe('shingles and exact Jaccard', () => {
  it('Jaccard equals |A ∩ B| / |A ∪ B| computed with Sets', () => {
    const [a, b] = pairWithOverlap(100, 60, 1000);
    expect(jaccard(a, b)).toBeCloseTo(60 / 140, 15);
    const x = shingles('the quick brown fox jumps over the lazy dog');
    const y = shingles('the quick brown cat jumps over the lazy dog');
    const [sx, sy] = [new Set(x), new Set(y)];
    const both = [...sx].filter((v) => sy.has(v)).length;
    expect(jaccard(x, y)).toBeCloseTo(both / (sx.size + sy.size - both), 15);
    expect(jaccard(x, x)).toBe(1);
  });

  it('case, punctuation and spacing do not change the shingles; a short text is one shingle', () => {
    expect(shingles('Call me Ishmael.  Some years ago')).toEqual(shingles('call me ishmael some years ago'));
    expect(shingles('ok')).toHaveLength(1);
    expect(() => shingles('text', 0)).toThrow('k must be a whole number ≥ 1, got 0');
  });
});

describe('MinHash signatures estimate Jaccard without bias, with the binomial spread', () => {
  it.each([0.2, 0.5, 0.8])('at J = %s over 400 pairs and 128 hashes', (target) => {
    const seeds = hashSeeds(128, 3);
    const size = 200;
    const shared = Math.round((2 * size * target) / (1 + target)); // J = s / (2n − s)
    const J = shared / (2 * size - shared);
    const errors: number[] = [];
    for (let p = 0; p < 400; p++) {
      const [a, b] = pairWithOverlap(size, shared, p * 10_000);
      errors.push(estimatedJaccard(signature(a, seeds), signature(b, seeds)) - J);
    }
    const mean = errors.reduce((s, e) => s + e, 0) / errors.length;
    const sd = Math.sqrt(errors.reduce((s, e) => s + (e - mean) ** 2, 0) / (errors.length - 1));
    const theory = Math.sqrt((J * (1 - J)) / 128);
    expect(Math.abs(mean)).toBeLessThan((4 * theory) / Math.sqrt(400)); // within 4 standard errors of the mean
    expect(sd / theory).toBeGreaterThan(0.8);
    expect(sd / theory).toBeLessThan(1.2);
  });
});

describe('LSH bands for a threshold', () => {
  it('the S-curve is the closed form and crosses one half near the threshold', () => {
    expect(candidateProbability(0.5, 20, 5)).toBeCloseTo(1 - (1 - 0.5 ** 5) ** 20, 15);
    for (const t of [0.3, 0.5, 0.8]) {
      const { bands, rows } = chooseBands(128, t);
      expect(bands * rows).toBeLessThanOrEqual(128);
      expect(candidateProbability(t - 0.2, bands, rows)).toBeLessThan(0.5);
      expect(candidateProbability(Math.min(0.99, t + 0.2), bands, rows)).toBeGreaterThan(0.5);
    }
    expect(() => chooseBands(128, 1)).toThrow('threshold must be in (0, 1), got 1');
  });
});

describe('near-duplicates in the sentences and Moby Dick with injected near-copies', () => {
  const corpus = nearDupCorpus({ copies: 150, seed: 2 });
  const threshold = 0.5;
  const found = findNearDuplicates(corpus.texts, { threshold });

  it('precision and recall against exact Jaccard on all pairs of a sample', () => {
    const sample = sampleWithCopies(corpus, 700);
    const score = scoreAgainstExact(corpus.texts, sample, found.pairs, threshold);
    expect(score.truePairs).toBeGreaterThan(100);
    expect(score.precision).toBeGreaterThan(0.9);
    expect(score.recall).toBeGreaterThan(0.85);
    // LSH compared a sliver of the corpus's pairs.
    expect(found.candidates).toBeLessThan((corpus.texts.length * (corpus.texts.length - 1)) / 2 / 1000);
  });

  it('a lightly edited copy joins its original’s group; the group keeps its first document', () => {
    const light = corpus.injected.filter((c) => c.edited <= 0.05);
    expect(light.length).toBeGreaterThan(5);
    for (const { original, copy } of light) {
      expect(found.representative[copy]).toBe(found.representative[original]);
      expect(found.representative[copy]).toBeLessThanOrEqual(original);
    }
  });

  it('the exact duplicates among the sentences are found too', () => {
    const first = new Map<string, number>();
    const exact: [number, number][] = [];
    corpus.texts.slice(0, 3000).forEach((t, i) => {
      const key = t.trim().toLowerCase();
      const j = first.get(key);
      if (j === undefined) first.set(key, i);
      else exact.push([j, i]);
    });
    expect(exact.length).toBeGreaterThan(10);
    for (const [i, j] of exact) expect(found.representative[j]).toBe(found.representative[i]);
  });
});
