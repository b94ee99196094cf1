import { loadIris } from '@mle/datasets';
import { describe, expect, it } from 'vitest';
import {
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  ElasticNet,
  type Features,
  GaussianMixture,
  GaussianNB,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  KMeans,
  KNeighborsClassifier,
  KNeighborsRegressor,
  Lasso,
  LinearRegression,
  LinearSVC,
  LogisticRegression,
  loadModel,
  MinMaxScaler,
  MultinomialNB,
  PCA,
  Pipeline,
  PolynomialFeatures,
  RandomForestClassifier,
  RandomForestRegressor,
  Ridge,
  SimpleImputer,
  StandardScaler,
  SVC,
} from '../src/index.js';

const iris = loadIris();
const X = iris.features;
const y = iris.features.map((x) => x[3]!);

type Fitted = { toJSON(): unknown } & (
  | { predict(X: Features): ArrayLike<number> }
  | { transform(X: Features): { data: Float64Array } }
);
const outputs = (model: Fitted) =>
  Array.from('predict' in model ? model.predict(X) : model.transform(X).data);

describe('every model round-trips through JSON text and predicts the same', () => {
  const cases: [string, Fitted][] = [
    ['LinearRegression', new LinearRegression().fit(X, y)],
    ['Ridge', new Ridge({ alpha: 3 }).fit(X, y)],
    ['Lasso', new Lasso({ alpha: 0.05 }).fit(X, y)],
    ['ElasticNet', new ElasticNet({ alpha: 0.05 }).fit(X, y)],
    ['LogisticRegression', new LogisticRegression().fit(X, iris.labels)],
    ['KMeans', new KMeans({ nClusters: 3 }).fit(X)],
    ['KNeighborsClassifier', new KNeighborsClassifier({ weights: 'distance' }).fit(X, iris.labels)],
    ['KNeighborsRegressor', new KNeighborsRegressor({ algorithm: 'brute' }).fit(X, y)],
    ['DecisionTreeClassifier', new DecisionTreeClassifier({ maxDepth: 3 }).fit(X, iris.labels)],
    ['DecisionTreeRegressor', new DecisionTreeRegressor({ ccpAlpha: 0.01 }).fit(X, y)],
    ['RandomForestClassifier', new RandomForestClassifier({ nEstimators: 5 }).fit(X, iris.labels)],
    ['RandomForestRegressor', new RandomForestRegressor({ nEstimators: 5, oobScore: true }).fit(X, y)],
    ['GradientBoostingClassifier', new GradientBoostingClassifier({ nEstimators: 5 }).fit(X, iris.labels)],
    ['GradientBoostingRegressor', new GradientBoostingRegressor({ nEstimators: 5, maxBins: 32 }).fit(X, y)],
    ['LinearSVC', new LinearSVC().fit(X, iris.labels)],
    ['SVC', new SVC().fit(X, iris.labels)],
    ['GaussianMixture', new GaussianMixture({ nComponents: 3 }).fit(X)],
    [
      'Pipeline',
      new Pipeline([
        ['scale', new StandardScaler()],
        ['model', new LogisticRegression()],
      ]).fit(X, iris.labels),
    ],
    ['GaussianNB', new GaussianNB().fit(X, iris.labels)],
    ['MultinomialNB', new MultinomialNB({ alpha: 0.5 }).fit(X, iris.labels)],
    ['PCA', new PCA({ nComponents: 2 }).fit(X)],
    ['StandardScaler', new StandardScaler().fit(X)],
    ['MinMaxScaler', new MinMaxScaler().fit(X)],
    ['SimpleImputer', new SimpleImputer().fit(X)],
    ['PolynomialFeatures', new PolynomialFeatures({ degree: 2 }).fit(X)],
  ];
  it.each(cases)('%s', (type, model) => {
    const text = JSON.stringify(model);
    const loaded = loadModel(text) as unknown as Fitted;
    expect(loaded.constructor.name).toBe(type);
    expect(outputs(loaded)).toEqual(outputs(model));
    expect(JSON.stringify(loaded)).toBe(text);
  });
});
