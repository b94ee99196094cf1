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
export { evaluateRecommender, type OfflineMetrics } from './evaluate.js';
export { exactSearch, Hnsw, type HnswOptions, type Metric } from './hnsw.js';
export { countMatrix, interactionMatrices, type SparseCounts } from './matrix.js';
export { MatrixFactorization, type MatrixFactorizationOptions, rmse } from './mf.js';
export { ItemKnn, Popularity, type Recommender } from './models.js';
export { topK } from './top-k.js';
