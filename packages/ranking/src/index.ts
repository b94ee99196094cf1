/**
 * Ranking: PageRank by power iteration or Gauss–Seidel on a CSR graph built in O(E), and the ranking metrics
 * (NDCG@k, MAP, MRR, precision@k) that learning to rank is judged by.
 */
export { buildGraph, type CsrGraph, type EdgeList, randomGraph } from './graph.js';
export {
  type LetorOptions,
  letorDataset,
  type RankingData,
  sliceQueries,
} from './ltr/dataset.js';
export { type Lambdas, type PairWeighting, pairwiseLambdas } from './ltr/lambdas.js';
export {
  evaluateRanking,
  type NeuralRankerOptions,
  type Ranker,
  type RankingScores,
  trainLambdaMart,
  trainNeuralRanker,
  trainPointwise,
} from './ltr/learners.js';
export {
  averagePrecision,
  dcgAtK,
  meanOverQueries,
  ndcgAtK,
  precisionAtK,
  type Query,
  rankOrder,
  reciprocalRank,
} from './metrics.js';
export { type PageRankOptions, type PageRankResult, pageRank } from './pagerank.js';
