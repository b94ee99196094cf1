import { KMeans } from './cluster/kmeans.js';
import type { ModelJson } from './core/estimator.js';
import { PCA } from './decomposition/pca.js';
import { ElasticNet } from './linear/elastic-net.js';
import { LinearRegression } from './linear/linear-regression.js';
import { LogisticRegression } from './linear/logistic-regression.js';
import { Ridge } from './linear/ridge.js';
import { GaussianNB, MultinomialNB } from './naive-bayes/naive-bayes.js';
import { KNeighborsClassifier, KNeighborsRegressor } from './neighbors/knn.js';
import { SimpleImputer } from './preprocessing/imputer.js';
import { PolynomialFeatures } from './preprocessing/polynomial.js';
import { MinMaxScaler, StandardScaler } from './preprocessing/scalers.js';

const LOADERS = {
  KMeans: KMeans.fromJSON,
  KNeighborsClassifier: KNeighborsClassifier.fromJSON,
  KNeighborsRegressor: KNeighborsRegressor.fromJSON,
  GaussianNB: GaussianNB.fromJSON,
  MultinomialNB: MultinomialNB.fromJSON,
  PCA: PCA.fromJSON,
  ElasticNet: ElasticNet.fromJSON,
  Lasso: ElasticNet.fromJSON,
  LinearRegression: LinearRegression.fromJSON,
  LogisticRegression: LogisticRegression.fromJSON,
  Ridge: Ridge.fromJSON,
  SimpleImputer: SimpleImputer.fromJSON,
  PolynomialFeatures: PolynomialFeatures.fromJSON,
  MinMaxScaler: MinMaxScaler.fromJSON,
  StandardScaler: StandardScaler.fromJSON,
} as const satisfies Record<string, (json: ModelJson) => unknown>;

/** Rebuilds a model from its `toJSON()` (or that JSON as text); an unknown type is an error listing the known ones. */
export function loadModel(json: ModelJson | string) {
  const parsed: ModelJson = typeof json === 'string' ? JSON.parse(json) : json;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.type !== 'string')
    throw new TypeError('loadModel: expected { type, params, state } as toJSON() writes it');
  const load = (LOADERS as Record<string, (json: ModelJson) => unknown>)[parsed.type];
  if (!load)
    throw new RangeError(
      `loadModel: unknown model type ${JSON.stringify(parsed.type)}; known: ${Object.keys(LOADERS).join(', ')}`,
    );
  return load(parsed);
}
