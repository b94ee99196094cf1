import { describe, expect, it } from 'vitest';
import {
  evaluateRanking,
  letorDataset,
  ndcgAtK,
  pairwiseLambdas,
  type RankingData,
  sliceQueries,
  trainLambdaMart,
  trainNeuralRanker,
  trainPointwise,
} from '../src/index.js';

const tiny = letorDataset({ queries: 3, documents: [5, 7], seed: 9 });

/** ∂C/∂sᵢ by central differences, with the pair weights frozen at the scores given (they are piecewise constant). */
function numericGradient(
  data: RankingData,
  scores: Float64Array,
  weighting: 'ranknet' | 'lambdarank',
): Float64Array {
  const h = 1e-6;
  const out = new Float64Array(scores.length);
  // Freeze LambdaRank's |ΔNDCG| by evaluating the cost with the ranking of `scores`: a step of 1e-6 changes no rank.
  for (let i = 0; i < scores.length; i++) {
    const up = scores.slice();
    const down = scores.slice();
    up[i]! += h;
    down[i]! -= h;
    out[i] =
      (pairwiseLambdas(data, up, weighting).cost - pairwiseLambdas(data, down, weighting).cost) / (2 * h);
  }
  return out;
}

describe('the pairwise gradients', () => {
  const scores = Float64Array.from(tiny.relevance, (_, i) => Math.sin(1.7 * i) * 2); // distinct, so no ties to cross

  it.each(['ranknet', 'lambdarank'] as const)(
    '%s: the λs are the cost’s gradient (finite differences)',
    (weighting) => {
      const { gradient, hessian } = pairwiseLambdas(tiny, scores, weighting);
      const numeric = numericGradient(tiny, scores, weighting);
      for (let i = 0; i < scores.length; i++) expect(gradient[i]).toBeCloseTo(numeric[i]!, 6);
      expect(hessian.every((h) => h >= 0)).toBe(true);
      // What one document gains another loses: the gradients of each query sum to zero.
      for (let q = 0; q < 3; q++) {
        const sum = gradient.subarray(tiny.offsets[q], tiny.offsets[q + 1]).reduce((s, g) => s + g, 0);
        expect(Math.abs(sum)).toBeLessThan(1e-12);
      }
    },
  );

  it('LambdaRank weighs a pair by the NDCG a swap would change; RankNet weighs it 1', () => {
    // One pair: doc 0 (grade 1) ranked below doc 1 (grade 0).
    const pair = {
      features: 1,
      X: new Float64Array(2),
      relevance: Uint8Array.of(1, 0),
      offsets: Uint32Array.of(0, 2),
    };
    const s = Float64Array.of(0.2, 0.7);
    const delta = ndcgAtK(pair.relevance, Float64Array.of(0.7, 0.2)) - ndcgAtK(pair.relevance, s); // 1 − 1/log2 3
    const rho = 1 / (1 + Math.exp(0.2 - 0.7));
    const lambdarank = pairwiseLambdas(pair, s, 'lambdarank');
    expect(delta).toBeCloseTo(1 - 1 / Math.log2(3), 15);
    expect(Array.from(lambdarank.gradient)).toEqual([
      expect.closeTo(-rho * delta, 14),
      expect.closeTo(rho * delta, 14),
    ]);
    expect(pairwiseLambdas(pair, s, 'ranknet').gradient[0]).toBeCloseTo(-rho, 14);
    expect(pairwiseLambdas(pair, s, 'lambdarank', { sigma: 2 }).gradient[0]).toBeCloseTo(
      (-2 / (1 + Math.exp(2 * (0.2 - 0.7)))) * delta,
      14,
    );
  });

  it('a query with a single grade has no pairs; truncation leaves pairs below the cut weightless', () => {
    const flat = { ...tiny, relevance: new Uint8Array(tiny.relevance.length).fill(2) };
    expect(pairwiseLambdas(flat, scores, 'lambdarank').gradient.every((g) => g === 0)).toBe(true);
    // Ranked 0, 1, 2, 3; the pair (2, 3) sits below a cut at 2 and weighs nothing there, so doc 3 gets no gradient.
    const four = {
      features: 1,
      X: new Float64Array(4),
      relevance: Uint8Array.of(0, 0, 1, 0),
      offsets: Uint32Array.of(0, 4),
    };
    const ranked = Float64Array.of(4, 3, 2, 1);
    expect(pairwiseLambdas(four, ranked, 'lambdarank', { truncation: 2 }).gradient[3]).toBe(0);
    expect(pairwiseLambdas(four, ranked, 'lambdarank').gradient[3]).toBeGreaterThan(0);
    expect(() => pairwiseLambdas(tiny, scores.subarray(1), 'ranknet')).toThrow('scores for');
  });
});

describe('the four learners on a small graded dataset', () => {
  const data = letorDataset({ queries: 160, seed: 3 });
  const train = sliceQueries(data, 0, 120);
  const test = sliceQueries(data, 120, 160);
  const random = evaluateRanking(
    test,
    Float64Array.from(test.relevance, (_, i) => Math.sin(i * 12.9898)),
  );

  it('the data: grades 0–4 skewed toward 0, a fixed seed gives the same set', () => {
    const counts = [0, 0, 0, 0, 0];
    for (const r of data.relevance) counts[r]!++;
    expect(counts[0]).toBeGreaterThan(counts[1]!);
    expect(counts[1]).toBeGreaterThan(counts[4]!);
    expect(counts[4]).toBeGreaterThan(0);
    expect(Array.from(letorDataset({ queries: 160, seed: 3 }).relevance)).toEqual(Array.from(data.relevance));
    expect(() => letorDataset({ queries: 0 })).toThrow('queries must be a whole number ≥ 1, got 0');
  });

  it('each beats a random ranking on held-out queries by a wide margin, and LambdaMART’s cost falls', () => {
    const small = { nEstimators: 30, maxDepth: 3 };
    const lambdamart = trainLambdaMart(train, small);
    const rankers = [
      trainPointwise(train, small),
      lambdamart,
      trainNeuralRanker(train, { weighting: 'ranknet', epochs: 8 }),
      trainNeuralRanker(train, { weighting: 'lambdarank', epochs: 8 }),
    ];
    for (const ranker of rankers) {
      const scores = evaluateRanking(test, ranker.score(test));
      expect(scores.ndcgAt10).toBeGreaterThan(random.ndcgAt10 + 0.2);
    }
    const costs = lambdamart.model.trainLoss;
    expect(costs.at(-1)).toBeLessThan(costs[0]!);
  });
});
