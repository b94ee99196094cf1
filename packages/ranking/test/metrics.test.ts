import { describe, expect, it } from 'vitest';
import {
  averagePrecision,
  dcgAtK,
  meanOverQueries,
  ndcgAtK,
  precisionAtK,
  rankOrder,
  reciprocalRank,
} from '../src/index.js';

// Grades 3, 2, 0, 1; the scores rank them doc 1 (grade 2), doc 2 (0), doc 3 (1), doc 0 (3).
const relevance = [3, 2, 0, 1];
const scores = [0.1, 0.9, 0.5, 0.3];

describe('ranking metrics against values worked by hand', () => {
  it('DCG and NDCG with the exponential gain 2^rel − 1 and the log2(rank + 1) discount', () => {
    expect(rankOrder(scores)).toEqual([1, 2, 3, 0]);
    // DCG@4 = 3/1 + 0/log2 3 + 1/2 + 7/log2 5; the ideal order 3, 2, 1, 0 gives 7 + 3/log2 3 + 1/2.
    expect(dcgAtK(relevance, scores)).toBeCloseTo(3 + 0.5 + 7 / Math.log2(5), 14);
    expect(dcgAtK(relevance, scores)).toBeCloseTo(6.514735906513751, 14);
    expect(ndcgAtK(relevance, scores)).toBeCloseTo(0.6935890634491111, 14);
    expect(ndcgAtK(relevance, scores, 2)).toBeCloseTo(3 / (7 + 3 / Math.log2(3)), 14);
    expect(ndcgAtK(relevance, relevance)).toBe(1);
    expect(ndcgAtK(relevance, scores, 10)).toBeCloseTo(ndcgAtK(relevance, scores, 4), 14); // k past the end
  });

  it('precision@k, average precision and reciprocal rank (relevant = grade ≥ 1)', () => {
    expect(precisionAtK(relevance, scores, 1)).toBe(1);
    expect(precisionAtK(relevance, scores, 2)).toBe(0.5);
    expect(precisionAtK(relevance, scores, 3)).toBeCloseTo(2 / 3, 15);
    expect(precisionAtK(relevance, scores, 8)).toBe(3 / 8); // k counts past the list's end
    // Relevant documents at ranks 1, 3 and 4: (1/1 + 2/3 + 3/4) / 3.
    expect(averagePrecision(relevance, scores)).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 3, 15);
    expect(reciprocalRank(relevance, scores)).toBe(1);
    expect(reciprocalRank([0, 0, 1], [3, 2, 1])).toBeCloseTo(1 / 3, 15);
  });

  it('ties keep the input order', () => {
    // Docs 0 and 1 tie; doc 0 (irrelevant) stays first.
    expect(rankOrder([0.5, 0.5, 0.2])).toEqual([0, 1, 2]);
    expect(reciprocalRank([0, 1, 0], [0.5, 0.5, 0.2])).toBe(0.5);
    expect(precisionAtK([0, 1, 0], [0.5, 0.5, 0.2], 1)).toBe(0);
    expect(ndcgAtK([0, 1, 0], [0.5, 0.5, 0.2])).toBeCloseTo(1 / Math.log2(3), 15);
    expect(reciprocalRank([1, 0, 0], [0.5, 0.5, 0.2])).toBe(1); // the same tie, the other way round
  });

  it('a query with no relevant document: NDCG 1, the binary metrics 0; the mean can count it or skip it', () => {
    const none = [0, 0, 0];
    expect([
      ndcgAtK(none, [3, 2, 1]),
      averagePrecision(none, [3, 2, 1]),
      reciprocalRank(none, [3, 2, 1]),
    ]).toEqual([1, 0, 0]);
    expect(precisionAtK(none, [3, 2, 1], 2)).toBe(0);
    const queries = [
      { relevance, scores },
      { relevance: none, scores: [3, 2, 1] },
    ];
    expect(meanOverQueries(reciprocalRank, queries)).toBe(0.5);
    expect(meanOverQueries(reciprocalRank, queries, { withoutRelevant: 'skip' })).toBe(1);
    expect(meanOverQueries((r, s) => ndcgAtK(r, s, 2), queries)).toBeCloseTo(
      (0.3373519727104165 + 1) / 2,
      14,
    );
  });

  it('refuses mismatched lengths, negative grades, NaN scores and a bad k', () => {
    expect(() => ndcgAtK([1, 0], [1])).toThrow('2 relevance labels but 1 scores');
    expect(() => averagePrecision([1, -1], [1, 2])).toThrow(
      'relevance[1] is -1, expected a non-negative grade',
    );
    expect(() => reciprocalRank([1, 0], [Number.NaN, 1])).toThrow('scores[0] is NaN');
    expect(() => precisionAtK([1, 0], [1, 2], 0)).toThrow('k must be a whole number ≥ 1, got 0');
    expect(() =>
      meanOverQueries(reciprocalRank, [{ relevance: [0], scores: [1] }], { withoutRelevant: 'skip' }),
    ).toThrow('no query to average');
  });
});
