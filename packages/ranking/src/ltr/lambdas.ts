import type { RankingData } from './dataset.js';

export type PairWeighting = 'ranknet' | 'lambdarank';

export interface Lambdas {
  /** ∂C/∂sᵢ for each document. */
  gradient: Float64Array;
  /** Σ over its pairs of σ²·ρ(1 − ρ)·|ΔNDCG|: the curvature Newton leaf steps divide by. */
  hessian: Float64Array;
  /** The summed pairwise cost C (weighted by |ΔNDCG| for LambdaRank). */
  cost: number;
}

/**
 * The pairwise gradients of RankNet and LambdaRank (Burges, "From RankNet to LambdaRank to LambdaMART", 2010): for
 * each pair i, j of one query with relevance i > j, the cost is log(1 + e^(−σ(sᵢ − sⱼ))), whose gradient is
 * λᵢⱼ = −σ·ρᵢⱼ with ρᵢⱼ = 1 / (1 + e^(σ(sᵢ − sⱼ))); sᵢ gets λᵢⱼ and sⱼ gets −λᵢⱼ. LambdaRank scales each pair by
 * |ΔNDCG|, the change in the query's NDCG if i and j swapped places in the current ranking (ties in input order):
 * the gradient of a cost that cares about the top of the list; with `truncation` k it is ΔNDCG@k, so pairs that
 * both rank below k weigh nothing (LightGBM's truncation level). A query with nothing relevant (or one grade) has no
 * pairs and contributes nothing.
 */
export function pairwiseLambdas(
  data: RankingData,
  scores: ArrayLike<number>,
  weighting: PairWeighting,
  options: { sigma?: number; truncation?: number } = {},
): Lambdas {
  const { sigma = 1, truncation = Number.POSITIVE_INFINITY } = options;
  const n = data.relevance.length;
  if (scores.length !== n)
    throw new RangeError(`pairwiseLambdas: ${scores.length} scores for ${n} documents`);
  const gradient = new Float64Array(n);
  const hessian = new Float64Array(n);
  let cost = 0;
  const queries = data.offsets.length - 1;
  for (let q = 0; q < queries; q++) {
    const start = data.offsets[q]!;
    const end = data.offsets[q + 1]!;
    const size = end - start;
    const rel = data.relevance.subarray(start, end);
    let discountOf: Float64Array | undefined;
    let idealDcg = 1;
    if (weighting === 'lambdarank') {
      // 1 / log2(rank + 1) of each document in the current ranking, and the ideal DCG.
      const order = Array.from({ length: size }, (_, i) => i).sort(
        (a, b) => scores[start + b]! - scores[start + a]! || a - b,
      );
      discountOf = new Float64Array(size);
      order.forEach((doc, rank) => {
        discountOf![doc] = rank < truncation ? 1 / Math.log2(rank + 2) : 0;
      });
      const ideal = Array.from(rel).sort((a, b) => b - a);
      idealDcg = ideal.reduce(
        (s, r, rank) => (rank < truncation ? s + (2 ** r - 1) / Math.log2(rank + 2) : s),
        0,
      );
      if (idealDcg === 0) continue;
    }
    for (let a = 0; a < size; a++) {
      for (let b = 0; b < size; b++) {
        if (rel[a]! <= rel[b]!) continue;
        const i = start + a;
        const j = start + b;
        const diff = scores[i]! - scores[j]!;
        const weight = discountOf
          ? Math.abs((2 ** rel[a]! - 2 ** rel[b]!) * (discountOf[a]! - discountOf[b]!)) / idealDcg
          : 1;
        const rho = 1 / (1 + Math.exp(sigma * diff));
        const lambda = -sigma * rho * weight;
        gradient[i]! += lambda;
        gradient[j]! -= lambda;
        const curvature = sigma * sigma * rho * (1 - rho) * weight;
        hessian[i]! += curvature;
        hessian[j]! += curvature;
        // log(1 + e^(−σ·diff)), computed without overflow for large |diff|.
        const z = -sigma * diff;
        cost += weight * (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z)));
      }
    }
  }
  return { gradient, hessian, cost };
}
