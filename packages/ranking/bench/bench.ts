/**
 * Run: pnpm --filter @mle/ranking bench [-- --json] [-- --quick]
 * PageRank on seeded random graphs (power-law in-degree, a tenth of the nodes dangling, repeated edges kept): ours
 * (power iteration, and Gauss–Seidel) beside graphology-metrics and ngraph.pagerank at 100k nodes / 1M edges, ours
 * alone at 1M / 10M. Each run is its own child process, so its peak RSS is its own; building the graph and ranking it
 * are timed apart; every implementation stops on the same rule (L1 change below 1e-10 per node) and its scores are
 * checked against ours. --quick: 10k nodes / 100k edges.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  groupedBarChartSvg,
  markdownTable,
  median,
  printBenchReport,
  resultValue,
  runWorkspaceScript,
} from '@mle/report';
import {
  evaluateRanking,
  letorDataset,
  type Ranker,
  sliceQueries,
  trainLambdaMart,
  trainNeuralRanker,
  trainPointwise,
} from '../src/index.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const CASES = quick
  ? [
      {
        name: '10k-100k',
        nodes: 10_000,
        edges: 100_000,
        impls: ['ours', 'ours-gauss-seidel', 'graphology', 'ngraph'],
      },
    ]
  : [
      {
        name: '100k-1m',
        nodes: 100_000,
        edges: 1_000_000,
        impls: ['ours', 'ours-gauss-seidel', 'graphology', 'ngraph'],
      },
      { name: '1m-10m', nodes: 1_000_000, edges: 10_000_000, impls: ['ours', 'ours-gauss-seidel'] },
    ];
const RUNS = quick ? 1 : 3;

interface Run {
  build_ms: number;
  rank_ms: number;
  peak_rss_mb: number;
  iterations: number;
}

const dir = mkdtempSync(join(tmpdir(), 'ranking-bench-'));
function runChild(
  impl: string,
  nodes: number,
  edges: number,
): { run: Run; scores: Float64Array<ArrayBufferLike> } {
  const file = join(dir, `${impl}.bin`);
  const run = runWorkspaceScript<Run>(
    join(packageDir, 'bench', 'run-pagerank.ts'),
    [impl, String(nodes), String(edges), file],
    packageDir,
  );
  const buffer = readFileSync(file);
  return {
    run,
    scores: new Float64Array(buffer.buffer, buffer.byteOffset, buffer.byteLength / 8),
  };
}

const results: BenchResult[] = [];
const differences: string[] = [];
try {
  for (const c of CASES) {
    let reference: Float64Array<ArrayBufferLike> | undefined;
    for (const impl of c.impls) {
      const runs: Run[] = [];
      let scores: Float64Array<ArrayBufferLike> = new Float64Array(0);
      for (let r = 0; r < RUNS; r++) {
        const child = runChild(impl, c.nodes, c.edges);
        runs.push(child.run);
        scores = child.scores;
      }
      reference ??= scores;
      let diff = 0;
      for (let v = 0; v < c.nodes; v++) diff = Math.max(diff, Math.abs(scores[v]! - reference[v]!));
      if (diff > 1e-7) throw new Error(`bench: ${impl} differs from ours by ${diff} at ${c.name}`);
      differences.push(`${impl} ${c.name}: largest difference from ours ${diff.toExponential(1)}`);
      const row = (metric: keyof Run, unit: string) =>
        results.push({ case: c.name, impl, metric, value: median(runs.map((x) => x[metric])), unit });
      row('build_ms', 'ms');
      row('rank_ms', 'ms');
      results.push({
        case: c.name,
        impl,
        metric: 'peak_rss_mb',
        value: Math.max(...runs.map((x) => x.peak_rss_mb)),
        unit: 'MB',
      });
      if (impl.startsWith('ours')) row('iterations', 'iterations');
      log(
        `${c.name} ${impl}: build ${resultValue(results, c.name, impl, 'build_ms').toFixed(0)} ms, rank ${resultValue(results, c.name, impl, 'rank_ms').toFixed(0)} ms, peak RSS ${resultValue(results, c.name, impl, 'peak_rss_mb').toFixed(0)} MB (${RUNS} run${RUNS > 1 ? 's' : ''}; largest difference from ours ${diff.toExponential(1)})`,
      );
    }
  }
  const idle = runChild('none', 1, 0).run;
  results.push({ case: 'process', impl: 'none', metric: 'peak_rss_mb', value: idle.peak_rss_mb, unit: 'MB' });
} finally {
  rmSync(dir, { recursive: true, force: true });
}

// Learning to rank: the four learners on one split of a seeded graded dataset, scored on its held-out queries.
const LETOR = quick ? { queries: 200, train: 120 } : { queries: 1000, train: 600 };
const letor = letorDataset({ queries: LETOR.queries, seed: 1 });
const letorTrain = sliceQueries(letor, 0, LETOR.train);
const letorTest = sliceQueries(letor, LETOR.train, LETOR.queries);
const trees = quick ? { nEstimators: 30 } : {};
const epochs = quick ? 5 : 30;
const learners: [string, () => Ranker][] = [
  ['pointwise', () => trainPointwise(letorTrain, trees)],
  ['ranknet', () => trainNeuralRanker(letorTrain, { weighting: 'ranknet', epochs })],
  ['lambdarank', () => trainNeuralRanker(letorTrain, { weighting: 'lambdarank', epochs })],
  ['lambdamart', () => trainLambdaMart(letorTrain, trees)],
];
for (const [impl, train] of learners) {
  const start = performance.now();
  const ranker = train();
  const seconds = (performance.now() - start) / 1000;
  const scores = evaluateRanking(letorTest, ranker.score(letorTest));
  // Scoring time: the held-out queries' documents scored at once, median of 5, per document.
  const scoringMs: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t = performance.now();
    ranker.score(letorTest);
    scoringMs.push(performance.now() - t);
  }
  const perDocumentUs = (1000 * median(scoringMs)) / letorTest.relevance.length;
  results.push(
    { case: 'letor', impl, metric: 'ndcg_at_10', value: scores.ndcgAt10, unit: 'ratio' },
    { case: 'letor', impl, metric: 'map', value: scores.map, unit: 'ratio' },
    { case: 'letor', impl, metric: 'mrr', value: scores.mrr, unit: 'ratio' },
    { case: 'letor', impl, metric: 'precision_at_10', value: scores.precisionAt10, unit: 'ratio' },
    { case: 'letor', impl, metric: 'train_s', value: seconds, unit: 's' },
    { case: 'letor', impl, metric: 'score_us_per_doc', value: perDocumentUs, unit: 'µs' },
  );
  log(
    `letor ${impl}: NDCG@10 ${scores.ndcgAt10.toFixed(4)}, MAP ${scores.map.toFixed(4)}, MRR ${scores.mrr.toFixed(4)}, trained in ${seconds.toFixed(1)} s, scores ${perDocumentUs.toFixed(2)} µs a document`,
  );
}

const run = benchRecord({ package: '@mle/ranking', results });
printBenchReport(run, { json });
if (!json && !quick) {
  const has = (c: string, impl: string) => results.some((r) => r.case === c && r.impl === impl);
  const cell = (c: string, impl: string, metric: string, digits: number) =>
    has(c, impl) ? resultValue(results, c, impl, metric).toFixed(digits) : '–';
  const impls = ['ours', 'ours-gauss-seidel', 'graphology', 'ngraph'];
  const table = markdownTable(
    [
      'implementation',
      ...CASES.flatMap((c) => [`${c.name}: build ms`, `${c.name}: rank ms`, `${c.name}: peak RSS MB`]),
      'rank ms ÷ ours (100k-1m)',
    ],
    impls.map((impl) => [
      impl,
      ...CASES.flatMap((c) => [
        cell(c.name, impl, 'build_ms', 0),
        cell(c.name, impl, 'rank_ms', 0),
        cell(c.name, impl, 'peak_rss_mb', 0),
      ]),
      `${(resultValue(results, '100k-1m', impl, 'rank_ms') / resultValue(results, '100k-1m', 'ours', 'rank_ms')).toFixed(1)}×`,
    ]),
    { align: ['left', ...CASES.flatMap(() => ['right', 'right', 'right'] as const), 'right'] },
  );
  const chart = await groupedBarChartSvg({
    title: 'PageRank at 100k nodes / 1M edges: building the graph and ranking it (ms, log scale)',
    category: 'implementation',
    value: { label: 'ms', log: true },
    bars: results
      .filter((r) => r.case === '100k-1m' && (r.metric === 'build_ms' || r.metric === 'rank_ms'))
      .map((r) => ({ category: r.impl, series: r.metric === 'build_ms' ? 'build' : 'rank', value: r.value })),
  });
  const letorTable = markdownTable(
    ['learner', 'NDCG@10', 'MAP', 'MRR', 'precision@10', 'training s', 'scoring µs a document'],
    learners.map(([impl]) => [
      impl,
      resultValue(results, 'letor', impl, 'ndcg_at_10').toFixed(4),
      resultValue(results, 'letor', impl, 'map').toFixed(4),
      resultValue(results, 'letor', impl, 'mrr').toFixed(4),
      resultValue(results, 'letor', impl, 'precision_at_10').toFixed(4),
      resultValue(results, 'letor', impl, 'train_s').toFixed(1),
      resultValue(results, 'letor', impl, 'score_us_per_doc').toFixed(2),
    ]),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
  commitBenchRun(packageDir, run, {
    charts: { 'pagerank-speed.svg': chart },
    markdown: `Seeded random directed graphs (power-law in-degree, a tenth of the nodes dangling, repeated edges kept and counted by every implementation), each implementation in its own process, median of ${RUNS} runs (peak RSS the largest); all stop when an iteration's L1 change is below 1e-10 per node, and every score is checked against ours (largest difference ${Math.max(...differences.map((d) => Number(d.split(' ').pop()))).toExponential(1)}). Iterations to converge: power ${cell('100k-1m', 'ours', 'iterations', 0)} and Gauss–Seidel ${cell('100k-1m', 'ours-gauss-seidel', 'iterations', 0)} at 100k-1m, ${cell('1m-10m', 'ours', 'iterations', 0)} and ${cell('1m-10m', 'ours-gauss-seidel', 'iterations', 0)} at 1m-10m. An idle child process (Node and the TypeScript runner) peaks at ${resultValue(results, 'process', 'none', 'peak_rss_mb').toFixed(0)} MB, which every figure includes.\n\n${table}\n\nLearning to rank on \`letorDataset({ queries: ${LETOR.queries}, seed: 1 })\` (${letor.relevance.length.toLocaleString('en-US')} documents, grades 0–4), trained on the first ${LETOR.train} queries and scored on the other ${LETOR.queries - LETOR.train} (scoring: all their documents in one call, median of 5, per document); the trees 100 rounds of depth 4 for both tree learners, the networks one hidden layer of 32 for ${epochs} epochs:\n\n${letorTable}`,
  });
  console.log(
    `\nrun ${run.run}: wrote bench/results.json, charts/pagerank-speed.svg and the README's results`,
  );
}
