/**
 * pnpm --filter @mle/autograd bench [-- --json] [-- --quick]
 *
 * The demo's MLP and CNN trained here and with TensorFlow.js on the same seeded split, in the same batch
 * order, with the same optimizer: test accuracy and seconds per epoch for each. Then an ablation of
 * optimizers, regularization and BatchNorm on the MLP, scored on the dev set. Takes 5–10 minutes on 2 cores.
 * Without --json it writes the README's results tables, charts/ablation.svg and bench/results.json from this run.
 */

import { fileURLToPath } from 'node:url';
import {
  type BenchResult,
  benchFlags,
  benchRecord,
  commitBenchRun,
  formatTable,
  groupedBarChartSvg,
  markdownTable,
  printBenchReport,
  resultValue,
} from '@mle/report';
import * as tf from '@tensorflow/tfjs';
import {
  Adam,
  crossEntropy,
  DataLoader,
  evaluate,
  type Module,
  manualSeed,
  type Optimizer,
  SGD,
} from '../src/index.js';
import { mnistCnn as cnn, fitMnist, type MnistArrays, mnistMlp as mlp, mnistArrays } from '../src/mnist.js';
import { registerWasmConvFilterGradient, tfjsCnn, tfjsMlp } from './tfjs-models.js';

const { json, quick } = benchFlags();
// --quick: the same code path with 2 MLP epochs, 1 CNN epoch and 1-epoch ablations; it writes nothing.
const epochsOf = (full: number) => (quick ? Math.max(1, Math.round(full / 10)) : full);
const log = (line: string) => {
  if (!json) console.log(line);
};
const results: BenchResult[] = [];
const record = (c: string, impl: string, metric: string, value: number, unit: string) =>
  results.push({ case: c, impl, metric, value, unit });

const flat = mnistArrays({ image: 'flat' });
const grid = mnistArrays({ image: 'grid' });
const runs = [
  {
    name: 'mlp',
    data: flat,
    epochs: epochsOf(20),
    ours: () => mlp({ dropout: 0.2 }),
    theirs: () => tfjsMlp(0, 0.2),
    shape: [784],
  },
  { name: 'cnn', data: grid, epochs: epochsOf(10), ours: cnn, theirs: () => tfjsCnn(0), shape: [28, 28, 1] },
] as const;

for (const run of runs) {
  manualSeed(0);
  const model = run.ours();
  const history = fitMnist(model, run.data.train, {
    epochs: run.epochs,
    label: `ours ${run.name}`,
  }).history;
  const accuracy = evaluate(model, run.data.test.x, run.data.test.y, crossEntropy).metrics.accuracy!;
  record(`mnist ${run.name}`, `ours-${run.name}`, 'test_accuracy', 100 * accuracy, '%');
  record(`mnist ${run.name}`, `ours-${run.name}`, 'epoch_seconds', mean(history.map((r) => r.seconds)), 's');
  log(`ours-${run.name}: ${(100 * accuracy).toFixed(2)}%`);
}

// tfjs-node's install script downloads libtensorflow, which this machine cannot; the wasm backend is the
// fastest tfjs that runs here.
await tf.setBackend('wasm');
await tf.ready();
registerWasmConvFilterGradient();
log(`tfjs backend: ${tf.getBackend()}`);
for (const run of runs) {
  const model = run.theirs();
  model.compile({
    optimizer: tf.train.adam(1e-3),
    loss: (yt: tf.Tensor, yp: tf.Tensor) => tf.losses.softmaxCrossEntropy(yt, yp),
  });
  const loader = new DataLoader(run.data.train.x, run.data.train.y, { batchSize: 64, seed: 0 });
  const seconds: number[] = [];
  for (let epoch = 0; epoch < run.epochs; epoch++) {
    const started = performance.now();
    for (const batch of loader) {
      const [x, y] = toTf(batch, run.shape);
      await model.trainOnBatch(x, y);
      tf.dispose([x, y]);
    }
    seconds.push((performance.now() - started) / 1000);
  }
  const accuracy = tfAccuracy(model, run.data.test, run.shape);
  record(`mnist ${run.name}`, `tfjs-${run.name}`, 'test_accuracy', 100 * accuracy, '%');
  record(`mnist ${run.name}`, `tfjs-${run.name}`, 'epoch_seconds', mean(seconds), 's');
  log(`tfjs-${run.name}: ${(100 * accuracy).toFixed(2)}%`);
  model.dispose();
}
for (const run of runs) {
  const get = (impl: string, metric: string) =>
    resultValue(results, `mnist ${run.name}`, `${impl}-${run.name}`, metric);
  record(
    `mnist ${run.name}`,
    'ours vs tfjs',
    'accuracy_difference',
    get('ours', 'test_accuracy') - get('tfjs', 'test_accuracy'),
    'points',
  );
  record(
    `mnist ${run.name}`,
    'ours vs tfjs',
    'epoch_time_ratio',
    get('ours', 'epoch_seconds') / get('tfjs', 'epoch_seconds'),
    'x',
  );
}

// The course's lessons, measured: each change to the baseline (Adam 1e-3, no regularization, no BatchNorm).
const ablations: [string, string, () => { model: Module; optimizer: Optimizer }][] = [
  ['optimizer', 'SGD lr 0.1', () => withOptimizer(mlp(), (m) => new SGD(m.parameters(), { lr: 0.1 }))],
  [
    'optimizer',
    'SGD + momentum 0.9, lr 0.01',
    () => withOptimizer(mlp(), (m) => new SGD(m.parameters(), { lr: 0.01, momentum: 0.9 })),
  ],
  ['optimizer', 'Adam lr 1e-3', () => withOptimizer(mlp(), adam)],
  ['regularization', 'none', () => withOptimizer(mlp(), adam)],
  [
    'regularization',
    'L2 (weight decay 1e-3)',
    () => withOptimizer(mlp(), (m) => new Adam(m.parameters(), { lr: 1e-3, weightDecay: 1e-3 })),
  ],
  ['regularization', 'dropout 0.2', () => withOptimizer(mlp({ dropout: 0.2 }), adam)],
  ['batch norm', 'without', () => withOptimizer(mlp(), adam)],
  ['batch norm', 'with BatchNorm1d', () => withOptimizer(mlp({ batchNorm: true }), adam)],
];
const cache = new Map<string, number>();
for (const [group, variant, make] of ablations) {
  const key = variant === 'none' || variant === 'without' ? 'Adam lr 1e-3' : variant;
  if (!cache.has(key)) {
    manualSeed(0);
    const { model, optimizer } = make();
    const history = fitMnist(model, flat.train, {
      optimizer,
      dev: flat.dev,
      epochs: epochsOf(10),
      label: variant,
    }).history;
    cache.set(key, 100 * history.at(-1)!.dev!.accuracy!);
  }
  record(`ablation: ${group}`, variant, 'dev_accuracy', cache.get(key)!, '%');
}

printBenchReport({ package: '@mle/autograd', results }, { json });
if (!json) {
  console.log('\nAblation (MLP 784-128-10, 10 epochs, batch 64, dev accuracy):');
  const ablation = ablationRows();
  console.log(formatTable(ablation.header, ablation.rows));
  // The committed tables, chart and record come from one full run.
  const record = benchRecord({ package: '@mle/autograd', results });
  commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), record, {
    charts: { 'ablation.svg': await ablationChart() },
    markdown: readmeTables(),
  });
  console.log(
    `\nrun ${record.run}: wrote bench/results.json, charts/ablation.svg and the README's results tables`,
  );
}

function value(c: string, impl: string, metric: string): number {
  return resultValue(results, c, impl, metric);
}

function ablationRows() {
  const rows = results
    .filter((r) => r.case.startsWith('ablation'))
    .map((r) => [r.case.replace('ablation: ', ''), r.impl, `${r.value.toFixed(2)}%`]);
  return { header: ['lesson', 'variant', 'dev accuracy'], rows };
}

/** Ours against tfjs-wasm per model, then the ablation. */
function readmeTables(): string {
  const models: Record<string, string> = {
    mlp: 'MLP 784-128-10, dropout 0.2, 20 epochs',
    cnn: 'CNN conv5×5×8 → pool → conv5×5×16 → pool → 64 → 10, 10 epochs',
  };
  const pct = (v: number) => `${v.toFixed(2)}%`;
  const comparison = markdownTable(
    ['model', 'ours: test accuracy', 'tfjs: test accuracy', 'ours: s/epoch', 'tfjs: s/epoch', 'time ratio'],
    runs.map(({ name }) => {
      const c = `mnist ${name}`;
      return [
        models[name]!,
        pct(value(c, `ours-${name}`, 'test_accuracy')),
        pct(value(c, `tfjs-${name}`, 'test_accuracy')),
        value(c, `ours-${name}`, 'epoch_seconds').toFixed(2),
        value(c, `tfjs-${name}`, 'epoch_seconds').toFixed(2),
        `${value(c, 'ours vs tfjs', 'epoch_time_ratio').toFixed(2)}×`,
      ];
    }),
    { align: ['left', 'right', 'right', 'right', 'right', 'right'] },
  );
  const { header, rows } = ablationRows();
  const ablation = markdownTable(header, rows, { align: ['left', 'left', 'right'] });
  return `${comparison}\n\n**Ablation** (MLP 784-128-10, 10 epochs, dev accuracy; each row changes one thing from Adam 1e-3 with no\nregularization and no BatchNorm):\n\n${ablation}\n\n![ablation](charts/ablation.svg)`;
}

function ablationChart(): Promise<string> {
  return groupedBarChartSvg({
    title: 'MLP on MNIST: dev accuracy after 10 epochs, one change at a time',
    category: 'lesson',
    value: { label: 'dev accuracy, %' },
    bars: results
      .filter((r) => r.case.startsWith('ablation'))
      .map((r) => ({ category: r.case.replace('ablation: ', ''), series: r.impl, value: r.value })),
    width: 720,
  });
}

function adam(m: Module): Optimizer {
  return new Adam(m.parameters(), { lr: 1e-3 });
}

function withOptimizer(model: Module, make: (m: Module) => Optimizer) {
  return { model, optimizer: make(model) };
}

function mean(values: number[]): number {
  return values.reduce((a, b) => a + b, 0) / values.length;
}

function toTf(
  batch: {
    x: { toTypedArray(): ArrayLike<number>; shape: readonly number[] };
    y: { toTypedArray(): ArrayLike<number> };
  },
  shape: readonly number[],
) {
  const n = batch.x.shape[0]!;
  return tf.tidy(() => [
    tf.tensor(batch.x.toTypedArray() as Float32Array, [n, ...shape]),
    tf.oneHot(tf.tensor1d(Int32Array.from(batch.y.toTypedArray()), 'int32'), 10),
  ]) as [tf.Tensor, tf.Tensor];
}

function tfAccuracy(model: tf.LayersModel, set: MnistArrays, shape: readonly number[]): number {
  return tf.tidy(() => {
    const n = set.x.shape[0]!;
    const predicted = (
      model.predict(tf.tensor(set.x.toTypedArray() as Float32Array, [n, ...shape])) as tf.Tensor
    ).argMax(1);
    const actual = tf.tensor1d(Int32Array.from(set.y.toTypedArray()), 'int32');
    return predicted.equal(actual).sum().dataSync()[0]! / n;
  });
}
