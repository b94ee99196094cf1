/**
 * Ranking metrics for one query: the documents' graded relevance (0 = irrelevant) and the scores a model gave them.
 * The ranking is the documents sorted by score, highest first; **a tie keeps the documents' input order** (a stable
 * sort, as LightGBM's evaluation does), so give distinct scores where that matters. A document is relevant for the
 * binary metrics (precision, MAP, MRR) when its relevance is ≥ 1.
 *
 * A query with no relevant document: NDCG is 1 (nothing to find, nothing missed, as LightGBM and XGBoost score it);
 * precision, average precision and reciprocal rank are 0. `meanOverQueries` can leave such queries out instead.
 */

function check(
  relevance: ArrayLike<number>,
  scores: ArrayLike<number>,
  k: number | undefined,
  name: string,
): void {
  if (relevance.length !== scores.length)
    throw new RangeError(
      `${name}: ${relevance.length} relevance labels but ${scores.length} scores; expected one each`,
    );
  for (let i = 0; i < relevance.length; i++) {
    if (!(relevance[i]! >= 0 && relevance[i]! < Number.POSITIVE_INFINITY))
      throw new RangeError(`${name}: relevance[${i}] is ${relevance[i]}, expected a non-negative grade`);
    if (Number.isNaN(scores[i]!)) throw new RangeError(`${name}: scores[${i}] is NaN`);
  }
  if (k !== undefined && (!Number.isInteger(k) || k < 1))
    throw new RangeError(`${name}: k must be a whole number ≥ 1, got ${k}`);
}

/** The documents' indices in ranked order: by score descending, ties in input order. */
export function rankOrder(scores: ArrayLike<number>): number[] {
  return Array.from(scores, (_, i) => i).sort((a, b) => scores[b]! - scores[a]! || a - b);
}

/** The gain of a grade in DCG: 2^rel − 1, the exponential gain of the LETOR benchmarks and LightGBM. */
const gain = (rel: number) => 2 ** rel - 1;

/** DCG@k = Σ_{i<k} (2^rel_i − 1) / log2(i + 2) over the ranking. */
export function dcgAtK(
  relevance: ArrayLike<number>,
  scores: ArrayLike<number>,
  k = relevance.length,
): number {
  check(relevance, scores, k, 'dcgAtK');
  const order = rankOrder(scores);
  let dcg = 0;
  for (let i = 0; i < Math.min(k, order.length); i++) dcg += gain(relevance[order[i]!]!) / Math.log2(i + 2);
  return dcg;
}

/** NDCG@k: DCG@k over the DCG@k of the ideal ranking (by relevance); 1 when no document is relevant. */
export function ndcgAtK(
  relevance: ArrayLike<number>,
  scores: ArrayLike<number>,
  k = relevance.length,
): number {
  const ideal = dcgAtK(relevance, relevance, k);
  return ideal === 0 ? 1 : dcgAtK(relevance, scores, k) / ideal;
}

/** Precision@k: the share of the first k ranked documents that are relevant (k counts even past the list's end). */
export function precisionAtK(relevance: ArrayLike<number>, scores: ArrayLike<number>, k: number): number {
  check(relevance, scores, k, 'precisionAtK');
  const order = rankOrder(scores);
  let hits = 0;
  for (let i = 0; i < Math.min(k, order.length); i++) if (relevance[order[i]!]! >= 1) hits++;
  return hits / k;
}

/** Average precision: the mean, over the relevant documents, of the precision at each one's rank; 0 if none. */
export function averagePrecision(relevance: ArrayLike<number>, scores: ArrayLike<number>): number {
  check(relevance, scores, undefined, 'averagePrecision');
  const order = rankOrder(scores);
  let hits = 0;
  let sum = 0;
  order.forEach((doc, i) => {
    if (relevance[doc]! >= 1) sum += ++hits / (i + 1);
  });
  return hits === 0 ? 0 : sum / hits;
}

/** Reciprocal rank: 1 / the rank of the first relevant document; 0 if none. */
export function reciprocalRank(relevance: ArrayLike<number>, scores: ArrayLike<number>): number {
  check(relevance, scores, undefined, 'reciprocalRank');
  const first = rankOrder(scores).findIndex((doc) => relevance[doc]! >= 1);
  return first < 0 ? 0 : 1 / (first + 1);
}

export interface Query {
  relevance: ArrayLike<number>;
  scores: ArrayLike<number>;
}

/**
 * A metric's mean over queries (MAP is `meanOverQueries(averagePrecision, …)`, MRR `meanOverQueries(reciprocalRank,
 * …)`). `withoutRelevant: 'skip'` leaves out queries with no relevant document, as TREC's evaluation does; by
 * default they count with the metric's own value for them.
 */
export function meanOverQueries(
  metric: (relevance: ArrayLike<number>, scores: ArrayLike<number>) => number,
  queries: readonly Query[],
  options: { withoutRelevant?: 'count' | 'skip' } = {},
): number {
  const counted =
    options.withoutRelevant === 'skip'
      ? queries.filter((q) => Array.prototype.some.call(q.relevance, (r: number) => r >= 1))
      : queries;
  if (counted.length === 0) throw new RangeError('meanOverQueries: no query to average');
  return counted.reduce((s, q) => s + metric(q.relevance, q.scores), 0) / counted.length;
}
