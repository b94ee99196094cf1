/**
 * Deep learning from scratch on MNIST: an MLP and a LeNet-style CNN trained with Adam on the seeded split
 * (7,000 train, 1,000 dev, 2,000 test), then the "structuring ML projects" readouts.
 * Run: pnpm --filter @mle/autograd demo   (about 2 minutes on 2 cores)
 *      pnpm --filter @mle/autograd demo -- --quick   (2 + 1 epochs, the same code path, no charts written: ~30 s)
 */
import { writeFileSync } from 'node:fs';
import { MNIST_COLS, MNIST_PIXELS } from '@mle/datasets';
import { demoFlags, formatTable } from '@mle/report';
import { argmax } from '@mle/tensor';
import { learningCurveSvg } from './charts.js';
import {
  biasVariance,
  confusionMatrix,
  crossEntropy,
  type EpochRecord,
  evaluate,
  type Module,
  manualSeed,
  worstExamples,
} from './index.js';
import { mnistCnn as cnn, fitMnist, type MnistArrays, mnistMlp as mlp, mnistArrays } from './mnist.js';

// Best published MNIST test error, a stand-in for Bayes error: 0.23% (Cireşan, Meier & Schmidhuber, 2012).
const BASELINE_ERROR = 0.0023;
const charts = new URL('../charts/', import.meta.url);
const { quick } = demoFlags();

async function train(name: string, model: Module, data: ReturnType<typeof mnistArrays>, epochs: number) {
  console.log(
    `\n== ${name}: ${model
      .parameters()
      .reduce((n, p) => n + p.size, 0)
      .toLocaleString('en-US')} parameters, Adam 1e-3, batch 64, ${epochs} epochs`,
  );
  const started = performance.now();
  const rows: EpochRecord[] = [];
  const result = fitMnist(model, data.train, {
    dev: data.dev,
    epochs,
    label: name,
    onEpoch: (r) => {
      rows.push(r);
      console.log(
        `epoch ${String(r.epoch).padStart(2)}  train loss ${r.trainLoss.toFixed(4)}  train acc ${pct(r.train.accuracy!)}  dev acc ${pct(r.dev!.accuracy!)}  ${r.seconds.toFixed(1)} s`,
      );
    },
  });
  const seconds = (performance.now() - started) / 1000;
  const test = evaluate(model, data.test.x, data.test.y, crossEntropy);
  console.log(
    `${name}: test accuracy ${pct(test.metrics.accuracy!)} on ${data.test.y.size} held-out digits, trained in ${seconds.toFixed(0)} s`,
  );
  const svg = await learningCurveSvg(result.history, `${name} on MNIST: error per epoch`);
  // The committed charts come from the full run only.
  if (!quick) writeFileSync(new URL(`${name.toLowerCase()}-learning-curve.svg`, charts), svg);
  return { model, history: rows, test, seconds };
}

const pct = (accuracy: number) => `${(100 * accuracy).toFixed(2)}%`;

manualSeed(0);
const flat = mnistArrays({ image: 'flat' });
const mlpRun = await train('MLP', mlp({ dropout: 0.2 }), flat, quick ? 2 : 20);
manualSeed(0);
const grid = mnistArrays({ image: 'grid' });
const cnnRun = await train('CNN', cnn(), grid, quick ? 1 : 10);

console.log('\n== Bias and variance (Ng, "Structuring ML projects"): which gap to work on next');
console.log(
  formatTable(
    ['model', 'baseline error', 'train error', 'dev error', 'avoidable bias', 'variance', 'work on'],
    [
      ['MLP', mlpRun],
      ['CNN', cnnRun],
    ].map(([name, run]) => {
      const r = run as typeof mlpRun;
      const trainErr =
        1 -
        evaluate(
          r.model,
          name === 'MLP' ? flat.train.x : grid.train.x,
          (name === 'MLP' ? flat : grid).train.y,
          crossEntropy,
        ).metrics.accuracy!;
      const devErr = 1 - r.history.at(-1)!.dev!.accuracy!;
      const bv = biasVariance({ trainError: trainErr, devError: devErr, baselineError: BASELINE_ERROR });
      return [
        name as string,
        pct(BASELINE_ERROR),
        pct(trainErr),
        pct(devErr),
        pct(bv.avoidableBias),
        pct(bv.variance),
        bv.focus,
      ];
    }),
  ),
);

console.log('\n== Error analysis of the CNN on the dev set: rows are true digits, columns predictions');
const dev = evaluate(cnnRun.model, grid.dev.x, grid.dev.y, crossEntropy);
const labels = grid.dev.y.toTypedArray();
const matrix = confusionMatrix(argmax(dev.logits, 1).data, labels, 10);
console.log(
  formatTable(
    ['true \\ predicted', ...'0123456789'],
    matrix.map((row, d) => [String(d), ...row]),
  ),
);
const worst = worstExamples(dev.logits, labels, 5);
console.log(
  formatTable(
    ['dev index', 'label', 'predicted', 'loss'],
    worst.map((e) => [e.index, e.label, e.predicted, e.loss]),
  ),
);
showDigit(grid.dev, worst[0]!.index);
console.log(quick ? '\nquick run: no charts written' : `\nlearning curves written to ${charts.pathname}`);

function showDigit(set: MnistArrays, index: number) {
  const pixels = set.x.reshape(-1, MNIST_PIXELS).slice(index).toTypedArray();
  const shades = ' .:-=+*#%@';
  console.log(`the most confidently wrong dev digit (#${index}, labelled ${set.y.get(index)}):`);
  for (let r = 4; r < 24; r++) {
    let line = '  ';
    for (let c = 0; c < MNIST_COLS; c++)
      line += shades[Math.min(9, Math.floor(pixels[r * MNIST_COLS + c]! * 10))];
    console.log(line);
  }
}
