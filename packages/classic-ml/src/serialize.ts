import { DBSCAN } from './cluster/dbscan.js';
import { GaussianMixture } from './cluster/gaussian-mixture.js';
import { KMeans } from './cluster/kmeans.js';
import type { Estimator, ModelJson, Predictor, Transformer } from './core/estimator.js';
import { PCA } from './decomposition/pca.js';
import { GradientBoostingClassifier, GradientBoostingRegressor } from './ensemble/boosting.js';
import { RandomForestClassifier, RandomForestRegressor } from './ensemble/forest.js';
import { ElasticNet } from './linear/elastic-net.js';
import { LinearRegression } from './linear/linear-regression.js';
import { LogisticRegression } from './linear/logistic-regression.js';
import { Ridge } from './linear/ridge.js';
import { Pipeline } from './model-selection/pipeline.js';
import { GaussianNB, MultinomialNB } from './naive-bayes/naive-bayes.js';
import { KNeighborsClassifier, KNeighborsRegressor } from './neighbors/knn.js';
import { SimpleImputer } from './preprocessing/imputer.js';
import { PolynomialFeatures } from './preprocessing/polynomial.js';
import { MinMaxScaler, StandardScaler } from './preprocessing/scalers.js';
import { LinearSVC } from './svm/linear-svc.js';
import { SVC } from './svm/svc.js';
import { DecisionTreeClassifier, DecisionTreeRegressor } from './tree/cart.js';

const LOADERS = {
  KMeans: KMeans.fromJSON,
  DBSCAN: DBSCAN.fromJSON,
  GaussianMixture: GaussianMixture.fromJSON,
  Pipeline: (json: ModelJson): Pipeline =>
    new Pipeline(
      (json.state!.steps as { name: string; model: ModelJson }[]).map(
        ({ name, model }) => [name, loadModel(model) as Transformer | Predictor] as const,
      ),
    ),
  LinearSVC: LinearSVC.fromJSON,
  SVC: SVC.fromJSON,
  DecisionTreeClassifier: DecisionTreeClassifier.fromJSON,
  DecisionTreeRegressor: DecisionTreeRegressor.fromJSON,
  RandomForestClassifier: RandomForestClassifier.fromJSON,
  RandomForestRegressor: RandomForestRegressor.fromJSON,
  GradientBoostingClassifier: GradientBoostingClassifier.fromJSON,
  GradientBoostingRegressor: GradientBoostingRegressor.fromJSON,
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
export function loadModel(json: ModelJson | string): Estimator {
  const parsed: ModelJson = typeof json === 'string' ? JSON.parse(json) : json;
  if (!parsed || typeof parsed !== 'object' || typeof parsed.type !== 'string')
    throw new TypeError('loadModel: expected { type, params, state } as toJSON() writes it');
  const load = (LOADERS as Record<string, (json: ModelJson) => Estimator>)[parsed.type];
  if (!load)
    throw new RangeError(
      `loadModel: unknown model type ${JSON.stringify(parsed.type)}; known: ${Object.keys(LOADERS).join(', ')}`,
    );
  return load(parsed);
}
