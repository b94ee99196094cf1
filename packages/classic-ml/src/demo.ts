/**
 * Run: pnpm --filter @mle/classic-ml demo [-- --quick]
 * Every model cross-validated beside its JavaScript peer on the same folds (one table), then the pictures: decision
 * regions of four classifiers on two iris features, the PCA projection, the k-means clusters, and gradient boosting's
 * learning curve. --quick (CI): iris and Boston only, three folds, no ensembles, no charts.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadBostonHousing, loadIris } from '@mle/datasets';
import { demoFlags, formatTable, lineChartSvg, regionChartSvg, scatterChartSvg } from '@mle/report';
import { CLASSIFIERS, crossValidateModel, datasets, PEERS, packageOf, REGRESSORS } from '../bench/cases.js';
import {
  DecisionTreeClassifier,
  GradientBoostingRegressor,
  KMeans,
  KNeighborsClassifier,
  kFold,
  LogisticRegression,
  meanSquaredError,
  PCA,
  type Predictor,
  StandardScaler,
  SVC,
  stratifiedKFold,
  trainTestSplit,
} from './index.js';

const { quick } = demoFlags();
const foldCount = quick ? 3 : 5;
/** Peers that take seconds a fit (at their defaults, on these small sets): the bench runs them; the demo says so. */
const SLOW_PEERS = new Set(['ml-logistic-regression', 'ml-random-forest (regression)']);

const rows: string[][] = [];
for (const data of datasets().filter((d) => !quick || d.name !== 'penguins')) {
  const folds =
    data.task === 'classification'
      ? stratifiedKFold([...data.y], foldCount, 0)
      : kFold(data.y.length, foldCount, { shuffle: true, seed: 0 });
  const format = (v: number) => (data.task === 'classification' ? `${(100 * v).toFixed(2)}%` : v.toFixed(3));
  for (const c of data.task === 'classification' ? CLASSIFIERS : REGRESSORS) {
    if (quick && (c.model === 'forest' || c.model === 'gbm')) continue;
    const ours = crossValidateModel(c.ours, data, folds);
    const peer =
      c.peer && !SLOW_PEERS.has(c.peer) ? crossValidateModel(PEERS[c.peer], data, folds) : undefined;
    rows.push([
      `${data.name}-${c.model}`,
      format(ours.score),
      c.peer ? packageOf(c.peer) : '',
      peer ? format(peer.score) : c.peer ? 'in the bench (slow)' : '',
    ]);
  }
}
console.log(
  `Cross-validated accuracy (R² for Boston housing), ${foldCount} folds, the same folds for ours and the peer:\n`,
);
console.log(
  formatTable(['case', 'ours', 'peer', 'peer’s'], rows, { align: ['left', 'right', 'left', 'right'] }),
);

if (!quick) {
  const charts = fileURLToPath(new URL('../charts/', import.meta.url));
  mkdirSync(charts, { recursive: true });
  const write = (name: string, svg: string) => {
    writeFileSync(`${charts}${name}`, svg);
    console.log(`wrote charts/${name}`);
  };
  const iris = loadIris();
  const species = (i: number) => iris.classNames[iris.labels[i]!]!;

  // Decision regions on petal length and width (features 2 and 3), the two that separate the species best.
  const petals = iris.features.map((x) => [x[2]!, x[3]!]);
  const models: [string, Predictor][] = [
    ['logistic-regression', new LogisticRegression({ C: 10 })],
    ['knn', new KNeighborsClassifier({ nNeighbors: 15 })],
    ['tree', new DecisionTreeClassifier({ maxDepth: 3 })],
    ['svm', new SVC({ C: 10 })],
  ];
  const size = { x: 0.2, y: 0.1 }; // a coarse grid keeps each chart near 270 KB
  const grid: number[][] = [];
  for (let x = 0.8; x < 7.2; x += size.x) for (let y = 0; y < 2.7; y += size.y) grid.push([x, y]);
  const centres = grid.map(([x, y]) => [x! + size.x / 2, y! + size.y / 2]);
  for (const [name, model] of models) {
    model.fit(petals, iris.labels);
    const predicted = model.predict(centres);
    write(
      `regions-${name}.svg`,
      await regionChartSvg({
        title: `${name}: decision regions on two iris features (training accuracy ${(100 * model.score(petals, iris.labels)).toFixed(1)}%)`,
        x: { label: 'petal length (cm)' },
        y: { label: 'petal width (cm)' },
        cells: grid.map(([x, y], k) => ({ x: x!, y: y!, group: iris.classNames[predicted[k]!]! })),
        size,
        points: petals.map(([x, y], i) => ({ x: x!, y: y!, group: species(i) })),
      }),
    );
  }

  // PCA of the standardized features, and k-means (k = 3) drawn in the same plane.
  const Z = new StandardScaler().fitTransform(iris.features);
  const pca = new PCA({ nComponents: 2 }).fit(Z);
  const scores = pca.transform(Z);
  const [pc1, pc2] = [pca.explainedVarianceRatio![0]!, pca.explainedVarianceRatio![1]!];
  const axes = {
    x: { label: `PC1 (${(100 * pc1).toFixed(1)}% of the variance)` },
    y: { label: `PC2 (${(100 * pc2).toFixed(1)}%)` },
  };
  write(
    'pca-projection.svg',
    await scatterChartSvg({
      title: 'Iris, standardized, on its first two principal components',
      ...axes,
      points: iris.labels.map((_, i) => ({
        x: scores.get(i, 0),
        y: scores.get(i, 1),
        label: '',
        group: species(i),
      })),
    }),
  );
  const clusters = new KMeans({ nClusters: 3, seed: 0 }).fit(Z).labels!;
  write(
    'kmeans-clusters.svg',
    await scatterChartSvg({
      title: 'k-means (k = 3) on standardized iris, drawn on the PCA plane',
      ...axes,
      points: iris.labels.map((_, i) => ({
        x: scores.get(i, 0),
        y: scores.get(i, 1),
        label: '',
        group: `cluster ${clusters[i]}`,
      })),
    }),
  );

  // Gradient boosting's learning curve on Boston housing: training and held-out error by round.
  const boston = loadBostonHousing();
  const { train, test } = trainTestSplit(boston.target.length, { testSize: 0.2, seed: 0 });
  const pick = (idx: number[]) => ({
    X: idx.map((i) => boston.features[i]!),
    y: idx.map((i) => boston.target[i]!),
  });
  const [tr, te] = [pick(train), pick(test)];
  const gbm = new GradientBoostingRegressor({ nEstimators: 500, subsample: 0.8, seed: 0 }).fit(tr.X, tr.y);
  const curve = (X: readonly (readonly number[])[], y: number[]) =>
    gbm.stagedPredict(X).map((p, r) => ({ x: r + 1, y: meanSquaredError(y, p) }));
  const held = curve(te.X, te.y);
  const best = held.reduce((a, b) => (b.y < a.y ? b : a));
  write(
    'gbm-learning-curve.svg',
    await lineChartSvg({
      title: 'Gradient boosting on Boston housing: mean squared error by round',
      x: { label: 'boosting round', format: 'd' },
      y: { label: 'MSE ($1000²)', log: true },
      series: [
        { name: 'training rows', points: curve(tr.X, tr.y) },
        { name: 'held-out 20%', points: held },
      ],
      markers: [{ x: best.x, label: `lowest held-out MSE ${best.y.toFixed(1)} at round ${best.x}` }],
    }),
  );
  console.log(
    `\nPCA: PC1 explains ${(100 * pc1).toFixed(1)}% of standardized iris (${(100 * new PCA().fit(iris.features).explainedVarianceRatio![0]!).toFixed(1)}% unstandardized; the published figure is 92.5%).`,
  );
  console.log(
    `Gradient boosting: held-out MSE ${held[held.length - 1]!.y.toFixed(2)} after 500 rounds, lowest ${best.y.toFixed(2)} at round ${best.x}.`,
  );
}
