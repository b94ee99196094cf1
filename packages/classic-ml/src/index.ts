/**
 * Machine learning from scratch with a scikit-learn-shaped API: models take features as a Matrix or rows of numbers,
 * `fit`, then `predict`, `predictProba`, `transform` and `score`; hyperparameters are typed objects with
 * scikit-learn's defaults; every model round-trips through JSON (`toJSON`, `loadModel`).
 */
export { DBSCAN, type DBSCANParams } from './cluster/dbscan.js';
export { GaussianMixture, type GaussianMixtureParams } from './cluster/gaussian-mixture.js';
export { KMeans, type KMeansParams } from './cluster/kmeans.js';
export type { Classifier, Estimator, ModelJson, Predictor, Transformer } from './core/estimator.js';
export { encodeLabels } from './core/labels.js';
export { type LbfgsResult, minimizeLbfgs, type Objective } from './core/lbfgs.js';
export { cholesky, choleskySolve, householderQr, jacobiSvd, leastSquaresQr } from './core/linalg.js';
export { type Features, Matrix, toMatrix } from './core/matrix.js';
export { PCA, type PcaParams } from './decomposition/pca.js';
export {
  type BoostingObjective,
  type BoostingParams,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  type GradientBoostingRegressorParams,
  NewtonBoosting,
  type RegressionLoss,
} from './ensemble/boosting.js';
export { type ForestParams, RandomForestClassifier, RandomForestRegressor } from './ensemble/forest.js';
export { ElasticNet, type ElasticNetParams, Lasso } from './linear/elastic-net.js';
export { LinearRegression, type LinearRegressionParams } from './linear/linear-regression.js';
export { LogisticRegression, type LogisticRegressionParams } from './linear/logistic-regression.js';
export { Ridge, type RidgeParams } from './linear/ridge.js';
export {
  type Average,
  accuracy,
  type ConfusionMatrix,
  confusionMatrix,
  logLoss,
  macroF1,
  type PrecisionRecallF1,
  precisionRecallF1,
  rocAuc,
} from './metrics/classification.js';
export { adjustedRandIndex, silhouetteScore } from './metrics/clustering.js';
export { meanAbsoluteError, meanSquaredError, r2Score } from './metrics/regression.js';
export { type CrossValidation, crossValidate } from './model-selection/cross-validate.js';
export { type GridSearchResult, gridSearch, type ParamGrid } from './model-selection/grid-search.js';
export { Pipeline, type PipelineParams } from './model-selection/pipeline.js';
export { complement, kFold, stratifiedKFold, trainTestSplit } from './model-selection/split.js';
export {
  GaussianNB,
  type GaussianNBParams,
  MultinomialNB,
  type MultinomialNBParams,
} from './naive-bayes/naive-bayes.js';
export { KdTree } from './neighbors/kd-tree.js';
export {
  AUTO_KD_TREE_MAX_DIMENSIONS,
  KNeighborsClassifier,
  type KNeighborsParams,
  KNeighborsRegressor,
} from './neighbors/knn.js';
export { SimpleImputer, type SimpleImputerParams } from './preprocessing/imputer.js';
export { PolynomialFeatures, type PolynomialFeaturesParams } from './preprocessing/polynomial.js';
export {
  MinMaxScaler,
  type MinMaxScalerParams,
  StandardScaler,
  type StandardScalerParams,
} from './preprocessing/scalers.js';
export { loadModel } from './serialize.js';
export { LinearSVC, type LinearSVCParams } from './svm/linear-svc.js';
export { SVC, type SVCParams } from './svm/svc.js';
export {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  type TreeParams,
} from './tree/cart.js';
export { BinnedFeatures } from './tree/histogram-splitter.js';
export { Tree } from './tree/tree.js';
