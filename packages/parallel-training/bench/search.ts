/**
 * The hyperparameter searches on the MNIST MLP (part of `pnpm --filter @mle/parallel-training bench`): random search
 * (20 trials × 9 epochs), Hyperband (R = 9 epochs, η = 3), a grid (learning rate × width, 4 × 3), and TPE (20
 * trials, median stopping), each over 3 seeds with 2 trials at a time in worker threads. Every searcher's best dev
 * accuracy and total epochs, and the charts.
 */
import { type BenchResult, lineChartSvg, markdownTable, scatterChartSvg } from '@mle/report';
import {
  bestOf,
  gridSearch,
  hyperband,
  MNIST_SPACE,
  randomSearch,
  runSearch,
  type Searcher,
  type SearchResult,
  tpe,
  workerExecutor,
} from '../src/index.js';

const WORKER = new URL('../src/search/mnist-worker.ts', import.meta.url);
const CASE = 'mnist-mlp';

export async function benchSearch(options: { quick: boolean; log: (line: string) => void }) {
  const { quick, log } = options;
  const seeds = quick ? [1] : [1, 2, 3];
  const epochs = quick ? 3 : 9;
  const trials = quick ? 4 : 20;
  const searchers: { impl: string; make: (seed: number) => Searcher; earlyStopping?: boolean }[] = [
    { impl: 'random', make: (seed) => randomSearch(MNIST_SPACE, { trials, epochs, seed }) },
    { impl: 'hyperband', make: (seed) => hyperband(MNIST_SPACE, { maxEpochs: epochs, eta: 3, seed }) },
    {
      impl: 'grid',
      make: () =>
        gridSearch(
          {
            ...MNIST_SPACE,
            batchSize: { kind: 'choice', values: [64] },
            dropout: { kind: 'choice', values: [0.2] },
          },
          { points: quick ? 2 : 4, epochs },
        ),
    },
    { impl: 'tpe', make: (seed) => tpe(MNIST_SPACE, { trials, epochs, seed }), earlyStopping: true },
  ];
  const runs = new Map<string, SearchResult[]>();
  for (const seed of seeds)
    for (const s of searchers) {
      const started = performance.now();
      const result = await runSearch(s.make(seed), workerExecutor(WORKER, 2, { workerData: { seed } }), {
        concurrency: 2,
        earlyStopping: s.earlyStopping ? { minTrials: 4, grace: 2 } : undefined,
      });
      runs.set(s.impl, [...(runs.get(s.impl) ?? []), result]);
      log(
        `search ${s.impl} seed ${seed}: best ${(100 * result.best!.score).toFixed(1)}% in ${result.totalEpochs} epochs (${result.outcomes.length} trials, ${result.stopped} stopped, ${((performance.now() - started) / 1000).toFixed(0)} s)`,
      );
    }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const results: BenchResult[] = searchers.flatMap(({ impl }) => {
    const rs = runs.get(impl)!;
    return [
      {
        case: CASE,
        impl,
        metric: 'best_dev_accuracy',
        value: mean(rs.map((r) => r.best!.score)),
        unit: 'ratio',
      },
      { case: CASE, impl, metric: 'total_epochs', value: mean(rs.map((r) => r.totalEpochs)), unit: 'epochs' },
    ];
  });
  const value = (impl: string, metric: string) =>
    results.find((r) => r.impl === impl && r.metric === metric)!.value;
  const gap = 100 * (value('random', 'best_dev_accuracy') - value('hyperband', 'best_dev_accuracy'));
  const share = value('hyperband', 'total_epochs') / value('random', 'total_epochs');
  results.push(
    { case: CASE, impl: 'hyperband', metric: 'points_below_random', value: gap, unit: 'points' },
    { case: CASE, impl: 'hyperband', metric: 'epochs_share_of_random', value: share, unit: 'ratio' },
  );
  const table = markdownTable(
    ['search', ...seeds.map((s) => `seed ${s}: best dev / epochs`), 'mean best dev accuracy', 'mean epochs'],
    searchers.map(({ impl }) => [
      impl,
      ...runs.get(impl)!.map((r) => `${(100 * r.best!.score).toFixed(1)}% / ${r.totalEpochs}`),
      `${(100 * value(impl, 'best_dev_accuracy')).toFixed(2)}%`,
      value(impl, 'total_epochs').toFixed(0),
    ]),
    { align: ['left', ...seeds.map(() => 'right' as const), 'right', 'right'] },
  );
  // Best-so-far dev accuracy against the epochs spent, seed 1, in the order trials finished.
  const progress = await lineChartSvg({
    title: `MNIST MLP, seed ${seeds[0]}: best dev accuracy so far against epochs trained`,
    x: { label: 'epochs trained (all trials)' },
    y: { label: 'best dev accuracy so far' },
    series: searchers.map(({ impl }) => {
      let spent = 0;
      let best = 0;
      return {
        name: impl,
        points: runs.get(impl)![0]!.outcomes.map((o) => {
          spent += o.scores.length;
          best = Math.max(best, Number.isFinite(bestOf(o)) ? bestOf(o) : 0);
          return { x: spent, y: best };
        }),
      };
    }),
    width: 640,
  });
  const scatter = await scatterChartSvg({
    title: `Random search and TPE, seed ${seeds[0]}: each trial's learning rate and best dev accuracy (label: width)`,
    x: { label: 'Adam learning rate', log: true },
    y: { label: 'best dev accuracy' },
    points: ['random', 'tpe'].flatMap((impl) =>
      runs
        .get(impl)![0]!
        .outcomes.filter((o) => Number.isFinite(bestOf(o)))
        .map((o) => ({
          x: o.config.lr as number,
          y: bestOf(o),
          label: String(o.config.hidden),
          group: impl,
        })),
    ),
    width: 640,
  });
  const markdown = [
    `**Hyperparameter search** on the MNIST MLP (Adam learning rate 1e-4…0.3 log, width 16…256 log, batch 32/64/128/256, dropout 0…0.6; 7,000 training digits, 1,000 dev), 2 trials at a time in worker threads, ${seeds.length} seed${seeds.length > 1 ? 's' : ''}: random search ${trials} trials × ${epochs} epochs; Hyperband R = ${epochs}, η = 3 (each rung retrains from scratch); the grid is learning rate × width (${quick ? 2 : 4} points each) at batch 64 and dropout 0.2; TPE ${trials} trials with the median stopping rule (from epoch 3, once 4 trials reached the epoch).`,
    table,
    `Hyperband's best is ${gap >= 0 ? `${gap.toFixed(2)} points below` : `${(-gap).toFixed(2)} points above`} random search's (mean over seeds) with ${(100 * share).toFixed(0)}% of its epochs.`,
  ].join('\n\n');
  return { results, markdown, charts: { 'search-progress.svg': progress, 'search-trials.svg': scatter } };
}
