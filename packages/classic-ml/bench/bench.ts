/**
 * Run: pnpm --filter @mle/classic-ml bench [-- --json] [-- --quick] [-- --from-record]
 * Every model cross-validated beside its JavaScript peer on the same folds of iris, penguins and Boston housing
 * (accuracy or R², median fit time); PCA and k-means on iris; fit times on a 100k × 20 synthetic problem; the k-d
 * tree's crossover with brute force; histogram against exact splits in gradient boosting. A full run writes the
 * README's results, charts/fit-time.svg and bench/results.json.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadIris } from '@mle/datasets';
import {
  type BenchRecord,
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  groupedBarChartSvg,
  markdownTable,
  measure,
  printBenchReport,
  resultValue,
} from '@mle/report';
import { kmeans as mlKmeans } from 'ml-kmeans';
import { PCA as MlPCA } from 'ml-pca';
import { adjustedRandIndex, KMeans, PCA } from '../src/index.js';
import { CLASSIFIERS, crossValidateModel, datasets, foldsOf, PEERS, packageOf, REGRESSORS } from './cases.js';
import { kdTreeCrossover, speedCases } from './speed.js';

/** --from-record: render the README and chart again from bench/results.json, measuring nothing (same run id). */
const fromRecord = process.argv.includes('--from-record');
const { json, quick } = benchFlags(process.argv.slice(2).filter((a) => a !== '--from-record'));
/** scikit-learn's scores on the same folds: scripts/sklearn-cv.py wrote them (Python is not run here). */
const SKLEARN: { sklearn: string; cases: Record<string, { mean: number; min: number; max: number }> } =
  JSON.parse(readFileSync(new URL('sklearn-cv.json', import.meta.url), 'utf8'));
const log = benchLog({ json });
const recorded: BenchRecord | undefined = fromRecord
  ? JSON.parse(readFileSync(new URL('results.json', import.meta.url), 'utf8'))
  : undefined;
const results: BenchResult[] = recorded ? recorded.results : measureAll();
const value = (c: string, impl: string, metric: string) => resultValue(results, c, impl, metric);
const has = (c: string, impl: string, metric: string) =>
  results.some((r) => r.case === c && r.impl === impl && r.metric === metric);
/** The cases run beside a peer on real data, and the peer's name (the impl that is not ours). */
const shared = [...new Set(results.filter((r) => /^(iris|penguins|boston)-/.test(r.case)).map((r) => r.case))]
  .map((c) => ({ case: c, peer: results.find((r) => r.case === c && r.impl !== 'ours')?.impl }))
  .filter((s): s is { case: string; peer: string } => s.peer !== undefined);

/** Fit plus predict, the medians over the folds. */
const work = (c: string, impl: string) => value(c, impl, 'fit_ms') + value(c, impl, 'predict_ms');
const percent = (v: number) => `${(100 * v).toFixed(2)}%`;
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0));

function measureAll(): BenchResult[] {
  const out: BenchResult[] = [];
  // 1. Every model on the same folds, ours beside its peer.
  for (const data of quick ? datasets().filter((d) => d.name !== 'penguins') : datasets()) {
    const folds = foldsOf(data);
    const metric = data.task === 'classification' ? 'cv_accuracy' : 'r2';
    for (const c of data.task === 'classification' ? CLASSIFIERS : REGRESSORS) {
      if (quick && data.task === 'regression' && (c.model === 'forest' || c.model === 'gbm')) continue;
      const name = `${data.name}-${c.model}`;
      const impls: [string, () => ReturnType<(typeof c)['ours']>][] = [['ours', c.ours]];
      if (c.peer) impls.push([packageOf(c.peer), PEERS[c.peer]]);
      for (const [impl, make] of impls) {
        const cv = crossValidateModel(make, data, folds);
        out.push({ case: name, impl, metric, value: cv.score, unit: '' });
        out.push({ case: name, impl, metric: 'fit_ms', value: cv.fitMs, unit: 'ms' });
        out.push({ case: name, impl, metric: 'predict_ms', value: cv.predictMs, unit: 'ms' });
        log(
          `${name} ${impl}: ${metric} ${cv.score.toFixed(4)}, fit ${cv.fitMs.toFixed(2)} ms, predict ${cv.predictMs.toFixed(2)} ms`,
        );
      }
    }
  }
  // 2. Unsupervised models on iris: fit time, and what each found.
  const iris = loadIris();
  const irisRows = iris.features.map((r) => [...r]);
  for (const [impl, fit, ratio] of [
    ['ours', () => new PCA().fit(irisRows), () => new PCA().fit(irisRows).explainedVarianceRatio![0]!],
    ['ml-pca', () => new MlPCA(irisRows), () => new MlPCA(irisRows).getExplainedVariance()[0]!],
  ] as const) {
    out.push({ case: 'iris-pca', impl, metric: 'fit_ms', value: measure(fit).median, unit: 'ms' });
    out.push({ case: 'iris-pca', impl, metric: 'pc1_variance_ratio', value: ratio(), unit: '' });
  }
  for (const [impl, fit] of [
    ['ours', () => new KMeans({ nClusters: 3, nInit: 1, seed: 0 }).fit(irisRows).labels!],
    ['ml-kmeans', () => mlKmeans(irisRows, 3, { seed: 0 }).clusters],
  ] as const) {
    out.push({ case: 'iris-kmeans', impl, metric: 'fit_ms', value: measure(fit).median, unit: 'ms' });
    out.push({
      case: 'iris-kmeans',
      impl,
      metric: 'ari',
      value: adjustedRandIndex(iris.labels, fit()),
      unit: '',
    });
  }
  // 3. Speed on a larger problem, the k-d tree's crossover, histogram against exact boosting.
  out.push(
    ...speedCases({
      rows: quick ? 5000 : 100_000,
      features: 20,
      runs: quick ? 1 : 3,
      smallRows: quick ? 1000 : 5000,
      log,
    }),
  );
  out.push(...kdTreeCrossover(quick ? 5000 : 20_000, quick ? [2, 8, 16] : [2, 3, 4, 6, 8, 10, 12, 16], log));
  return out;
}

const run = benchRecord({ package: '@mle/classic-ml', results, machine: recorded?.machine });
printBenchReport(run, { json });

if (!json) {
  // Rendered on a quick run too (so the code is exercised), written only by a full one.
  const output = {
    charts: { 'fit-time.svg': await fitTimeChart() },
    markdown: [accuracyTable(), unsupervisedTable(), speedTable(), crossoverTable(), boostingLine()].join(
      '\n\n',
    ),
  };
  if (!quick) {
    commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), run, output);
    console.log(`\nrun ${run.run}: wrote bench/results.json, charts/fit-time.svg and the README's results`);
  }
}

function accuracyTable(): string {
  const rows = [
    ...new Set(
      results
        .filter((r) => r.impl === 'ours' && (r.metric === 'cv_accuracy' || r.metric === 'r2'))
        .map((r) => r.case),
    ),
  ].map((c) => {
    const metric = has(c, 'ours', 'cv_accuracy') ? 'cv_accuracy' : 'r2';
    const format = metric === 'r2' ? (v: number) => v.toFixed(3) : percent;
    const peer = shared.find((s) => s.case === c)?.peer;
    const sk = SKLEARN.cases[c];
    const skCell = !sk
      ? ''
      : sk.min === sk.max
        ? format(sk.mean)
        : `${format(sk.mean)} (${format(sk.min)}–${format(sk.max)})`;
    return [
      c,
      format(value(c, 'ours', metric)),
      skCell,
      peer ?? '',
      peer ? format(value(c, peer, metric)) : '',
      ms(work(c, 'ours')),
      peer ? ms(work(c, peer)) : '',
      peer ? `${(work(c, peer) / work(c, 'ours')).toFixed(1)}×` : '',
    ];
  });
  return `Ten-fold cross-validation (stratified for the classifiers; seed 0), every model on the same folds, features standardized on each training fold. Accuracy is pooled over the held-out rows (R² for Boston housing). The scikit-learn column is scikit-learn ${SKLEARN.sklearn} with the same hyperparameters on the same folds, from \`bench/sklearn-cv.json\` (made by \`scripts/sklearn-cv.py\`, not in this run); where its model is random (trees break ties between equal splits at random, forests and boosting sample) it is the mean of random_state 0–9, with the range. Time is fit plus predicting the held-out fold (k-nearest neighbours does its work in predict), the median over the folds.\n\n${markdownTable(
    ['case', 'ours', 'scikit-learn', 'peer', 'peer’s', 'ours (ms)', 'peer (ms)', 'peer ÷ ours time'],
    rows,
    { align: ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right'] },
  )}`;
}

function unsupervisedTable(): string {
  return `Iris, unsupervised (median of 7 fits):\n\n${markdownTable(
    ['case', 'ours', 'peer', 'peer’s', 'ours fit (ms)', 'peer fit (ms)'],
    [
      [
        'PCA: variance explained by PC1',
        percent(value('iris-pca', 'ours', 'pc1_variance_ratio')),
        'ml-pca',
        percent(value('iris-pca', 'ml-pca', 'pc1_variance_ratio')),
        ms(value('iris-pca', 'ours', 'fit_ms')),
        ms(value('iris-pca', 'ml-pca', 'fit_ms')),
      ],
      [
        'k-means, k = 3: adjusted Rand index to the species',
        value('iris-kmeans', 'ours', 'ari').toFixed(3),
        'ml-kmeans',
        value('iris-kmeans', 'ml-kmeans', 'ari').toFixed(3),
        ms(value('iris-kmeans', 'ours', 'fit_ms')),
        ms(value('iris-kmeans', 'ml-kmeans', 'fit_ms')),
      ],
    ],
    { align: ['left', 'right', 'left', 'right', 'right', 'right'] },
  )}`;
}

function speedTable(): string {
  const synth = results.filter(
    (r) => r.case.startsWith('synthetic-') && r.metric === 'fit_ms' && !r.case.endsWith('-gbm'),
  );
  const cases = [...new Set(synth.map((r) => r.case))];
  const rows = cases.flatMap((c) => {
    const impls = synth.filter((r) => r.case === c).map((r) => r.impl);
    const peer = impls.find((i) => !i.startsWith('ours'));
    return impls
      .filter((i) => i.startsWith('ours'))
      .map((impl) => [
        c,
        impl,
        ms(value(c, impl, 'fit_ms')),
        peer ?? '',
        peer ? ms(value(c, peer, 'fit_ms')) : '',
        peer ? `${(value(c, peer, 'fit_ms') / value(c, impl, 'fit_ms')).toFixed(1)}×` : '',
      ]);
  });
  return `Fit time on a seeded synthetic problem, 100,000 rows × 20 features (median of 3; k-means from the same 8 starting rows for 30 iterations each; nearest neighbours: 1,000 queries against 20,000 rows, fit and predict; trees of depth 8; ml-cart on 5,000 rows, as it took minutes on 20,000):\n\n${markdownTable(
    ['case', 'ours', 'ours (ms)', 'peer', 'peer (ms)', 'peer ÷ ours'],
    rows,
    { align: ['left', 'left', 'right', 'left', 'right', 'right'] },
  )}`;
}

function crossoverTable(): string {
  const cases = [...new Set(results.filter((r) => r.metric === 'query_ms').map((r) => r.case))];
  return `k-nearest neighbours, 1,000 queries against 20,000 standard-normal rows (median of 3), by the number of features:\n\n${markdownTable(
    ['features', 'brute force (ms)', 'k-d tree (ms)', 'brute ÷ tree'],
    cases.map((c) => [
      c.split('-d')[1]!,
      ms(value(c, 'brute', 'query_ms')),
      ms(value(c, 'kd_tree', 'query_ms')),
      `${(value(c, 'brute', 'query_ms') / value(c, 'kd_tree', 'query_ms')).toFixed(2)}×`,
    ]),
    { align: ['right', 'right', 'right', 'right'] },
  )}`;
}

function boostingLine(): string {
  const c = results.find((r) => r.case.startsWith('synthetic-') && r.case.endsWith('-gbm'))!.case;
  const exact = value(c, 'ours-exact', 'fit_ms');
  const hist = value(c, 'ours-hist', 'fit_ms');
  return `Gradient boosting, 50 rounds of depth-3 trees on the 100,000 × 20 problem: exact splits ${(exact / 1000).toFixed(1)} s (training R² ${value(c, 'ours-exact', 'r2').toFixed(4)}), histogram splits with 255 bins ${(hist / 1000).toFixed(1)} s (R² ${value(c, 'ours-hist', 'r2').toFixed(4)}): ${(exact / hist).toFixed(1)}× faster.`;
}

/** The peer's time over ours for every case with a peer, by model and dataset, on a log axis. */
function fitTimeChart(): Promise<string> {
  const bars = shared.map((s) => {
    const [dataset, ...model] = s.case.split('-');
    return {
      category: model.join('-'),
      series: dataset!,
      value: has(s.case, s.peer, 'predict_ms')
        ? work(s.case, s.peer) / work(s.case, 'ours')
        : value(s.case, s.peer, 'fit_ms') / value(s.case, 'ours', 'fit_ms'),
    };
  });
  return groupedBarChartSvg({
    title: 'Time of the JavaScript peer over ours on the same folds (above 1: ours is faster)',
    category: 'model',
    value: { label: 'peer ÷ ours', log: true },
    bars,
    width: 760,
  });
}
