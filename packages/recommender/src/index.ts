/**
 * A recommender from scratch: a seeded interaction log with hidden tastes and power-law popularity, a leave-last-out
 * split, popularity, item-kNN and implicit ALS, and the offline metrics that compare them.
 */
export { type AlsOptions, alsSolveRow, ImplicitAls } from './als.js';
export {
  type GeneratorOptions,
  generateInteractions,
  type InteractionLog,
  leaveLastOut,
  type Split,
} from './data.js';
export {
  type EvaluateOptions,
  evaluateLists,
  evaluateRecommender,
  type OfflineMetrics,
  requestContext,
} from './evaluate.js';
export { exactSearch, Hnsw, type HnswOptions, type Metric } from './hnsw.js';
export { countMatrix, interactionMatrices, type SparseCounts, userMatrix } from './matrix.js';
export { MatrixFactorization, type MatrixFactorizationOptions, rmse } from './mf.js';
export { ItemKnn, Popularity, type Recommender } from './models.js';
export {
  type CandidateModelOptions,
  type CandidateModels,
  type Candidates,
  evaluateStages,
  fitCandidateModels,
  RANKER_FEATURES,
  type TwoStageOptions,
  TwoStageRecommender,
} from './system.js';
export { topK } from './top-k.js';
export { TwoTower, type TwoTowerOptions, type UserSequences, userSequences } from './two-tower.js';
