/**
 * The shared cases: every model, ours and the peer, cross-validated on the same seeded folds of the same rows,
 * standardized by a scaler fitted on each training fold alone. Accuracy (or R²) is pooled over the folds; fit time
 * is the median over the folds.
 */
import { loadBostonHousing, loadIris, loadPenguins } from '@mle/datasets';
import { median } from '@mle/report';
import {
  accuracy,
  complement,
  DecisionTreeClassifier,
  DecisionTreeRegressor,
  GaussianNB,
  GradientBoostingClassifier,
  GradientBoostingRegressor,
  KNeighborsClassifier,
  KNeighborsRegressor,
  kFold,
  Lasso,
  LinearRegression,
  LinearSVC,
  LogisticRegression,
  RandomForestClassifier,
  RandomForestRegressor,
  Ridge,
  r2Score,
  StandardScaler,
  SVC,
  stratifiedKFold,
} from '../src/index.js';
import { type BenchModel, ours, PEERS, type PeerName, packageOf } from './peers.js';

export interface Dataset {
  name: string;
  X: readonly (readonly number[])[];
  y: readonly number[];
  task: 'classification' | 'regression';
}

export function datasets(): Dataset[] {
  const iris = loadIris();
  const penguins = loadPenguins();
  const boston = loadBostonHousing();
  return [
    { name: 'iris', X: iris.features, y: iris.labels, task: 'classification' },
    { name: 'penguins', X: penguins.features, y: penguins.labels, task: 'classification' },
    { name: 'boston', X: boston.features, y: boston.target, task: 'regression' },
  ];
}

export interface ModelCase {
  model: string;
  ours: () => BenchModel;
  peer?: PeerName;
}

export const CLASSIFIERS: ModelCase[] = [
  { model: 'logreg', ours: ours(() => new LogisticRegression()), peer: 'ml-logistic-regression' },
  { model: 'knn', ours: ours(() => new KNeighborsClassifier()), peer: 'ml-knn' },
  { model: 'gnb', ours: ours(() => new GaussianNB()), peer: 'ml-naivebayes' },
  // The peer's stopping rule (ml-cart splits no node of 3 rows or fewer), so both grow the same size of tree.
  { model: 'tree', ours: ours(() => new DecisionTreeClassifier({ minSamplesSplit: 4 })), peer: 'ml-cart' },
  { model: 'forest', ours: ours(() => new RandomForestClassifier({ seed: 1 })), peer: 'ml-random-forest' },
  { model: 'gbm', ours: ours(() => new GradientBoostingClassifier()) },
  { model: 'svm', ours: ours(() => new SVC()), peer: 'libsvm-js' },
  { model: 'linear-svm', ours: ours(() => new LinearSVC()) },
];

export const REGRESSORS: ModelCase[] = [
  { model: 'linreg', ours: ours(() => new LinearRegression()), peer: 'ml-regression-multivariate-linear' },
  { model: 'ridge', ours: ours(() => new Ridge()) },
  { model: 'lasso', ours: ours(() => new Lasso({ alpha: 0.05 })) },
  { model: 'knn', ours: ours(() => new KNeighborsRegressor()) },
  {
    model: 'tree',
    ours: ours(() => new DecisionTreeRegressor({ minSamplesLeaf: 5 })),
    peer: 'ml-cart (regression)',
  },
  {
    model: 'forest',
    ours: ours(() => new RandomForestRegressor({ seed: 1 })),
    peer: 'ml-random-forest (regression)',
  },
  { model: 'gbm', ours: ours(() => new GradientBoostingRegressor()) },
];

/** Ten folds: stratified by class for classification, shuffled k-fold for regression; seed 0 for both. */
export function foldsOf(data: Dataset): number[][] {
  return data.task === 'classification'
    ? stratifiedKFold([...data.y], 10, 0)
    : kFold(data.y.length, 10, { shuffle: true, seed: 0 });
}

export interface CrossValidated {
  /** Accuracy or R², pooled over the held-out rows of all folds. */
  score: number;
  /** Medians over the folds. */
  fitMs: number;
  predictMs: number;
}

export function crossValidateModel(make: () => BenchModel, data: Dataset, folds: number[][]): CrossValidated {
  const n = data.y.length;
  const predicted = new Float64Array(n);
  const fitMs: number[] = [];
  const predictMs: number[] = [];
  for (const test of folds) {
    const train = complement(n, test);
    const scaler = new StandardScaler().fit(train.map((i) => data.X[i]!));
    const Xtrain = scaler.transform(train.map((i) => data.X[i]!)).toArrays();
    const Xtest = scaler.transform(test.map((i) => data.X[i]!)).toArrays();
    const model = make();
    const start = performance.now();
    model.fit(
      Xtrain,
      train.map((i) => data.y[i]!),
    );
    fitMs.push(performance.now() - start);
    const predicting = performance.now();
    const out = model.predict(Xtest);
    predictMs.push(performance.now() - predicting);
    test.forEach((row, k) => {
      predicted[row] = Number(out[k]);
    });
    model.release?.();
  }
  const truth = Float64Array.from(data.y);
  return {
    score: data.task === 'classification' ? accuracy(truth, predicted) : r2Score(truth, predicted),
    fitMs: median(fitMs),
    predictMs: median(predictMs),
  };
}

export { PEERS, packageOf };
