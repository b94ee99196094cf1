/** Run: pnpm --filter @mle/classic-ml demo [-- --quick] */
import { loadIris } from '@mle/datasets';
import { demoFlags } from '@mle/report';
import {
  crossValidate,
  GaussianNB,
  KNeighborsClassifier,
  LogisticRegression,
  stratifiedKFold,
} from './index.js';

demoFlags();
const iris = loadIris();
const folds = stratifiedKFold(iris.labels, 10, 0);
for (const [name, model] of [
  ['logistic regression', new LogisticRegression()],
  ['k-nearest neighbours', new KNeighborsClassifier()],
  ['Gaussian naive Bayes', new GaussianNB()],
] as const)
  console.log(
    `${name}: ${(100 * crossValidate(model, iris.features, iris.labels, folds).mean).toFixed(2)}% (10-fold, iris)`,
  );
