/**
 * Run: pnpm --filter @mle/data-pipeline bench [-- --json] [-- --quick]
 * The same pipeline (sql/user_features.sql and sql/daily_revenue.sql: aggregation, windows, a join) on 1M and 10M
 * generated events in DuckDB, Polars, Arquero and a hand-written TypeScript loop, each run in its own child process
 * (so its peak RSS is its own), loading the log the way that engine reads files. Every engine's answer is checked
 * against DuckDB's before its time counts. --quick: 100k events, one run each.
 */
import { mkdtempSync, rmSync } from 'node:fs';
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
  DuckDB,
  findNearDuplicates,
  generateEvents,
  nearDupCorpus,
  sampleWithCopies,
  scoreAgainstExact,
} from '../src/index.js';
import { readEvents } from './polars.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const ENGINES = ['duckdb', 'polars', 'arquero', 'typescript'] as const;
const CUTOFF = '2026-01-22 00:00:00';
const SIZES = quick
  ? [{ rows: 100_000, name: 'pipeline-100k' }]
  : [
      { rows: 1_000_000, name: 'pipeline-1m' },
      { rows: 10_000_000, name: 'pipeline-10m' },
    ];
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const results: BenchResult[] = [];
/** Engines that did not finish a case, and why (e.g. out of memory). */
const failures: { case: string; engine: string; reason: string }[] = [];

interface EngineRun {
  seconds: number;
  peakRssMb: number;
  users: number;
  revenue: number;
}

function runEngine(engine: string, dir: string): EngineRun {
  return runWorkspaceScript(join(packageDir, 'bench', 'run-engine.ts'), [engine, dir, CUTOFF], packageDir);
}

for (const size of SIZES) {
  const dir = mkdtempSync(join(tmpdir(), 'data-pipeline-bench-'));
  try {
    const db = await DuckDB.open();
    try {
      await generateEvents(db, { rows: size.rows, seed: 0 });
      await db.run(`COPY events TO '${join(dir, 'events.parquet')}' (FORMAT parquet)`);
    } finally {
      db.close();
    }
    readEvents(join(dir, 'events.parquet')).writeIPC(join(dir, 'events.arrow'));
    let reference: EngineRun | undefined;
    for (const engine of ENGINES) {
      // Arquero at 10M: one run (it takes minutes); everyone else the median of three.
      const runs = quick || (engine === 'arquero' && size.rows >= 10_000_000) ? 1 : 3;
      const done: EngineRun[] = [];
      try {
        for (let r = 0; r < runs; r++) done.push(runEngine(engine, dir));
      } catch (error) {
        const stderr = String((error as { stderr?: string }).stderr ?? error);
        const reason = /heap out of memory|Allocation failed/.test(stderr)
          ? 'ran out of memory'
          : /ETIMEDOUT|timed out/.test(stderr)
            ? 'did not finish in 15 minutes'
            : (stderr.split('\n').find((l) => l.trim()) ?? 'failed');
        failures.push({ case: size.name, engine, reason });
        log(`${size.name} ${engine}: ${reason}`);
        continue;
      }
      const first = done[0]!;
      reference ??= first;
      if (
        first.users !== reference.users ||
        Math.abs(first.revenue - reference.revenue) > 1e-6 * reference.revenue
      )
        throw new Error(
          `bench: ${engine} disagrees with duckdb at ${size.name} (${first.users} users, revenue ${first.revenue})`,
        );
      const seconds = median(done.map((d) => d.seconds));
      const rss = Math.max(...done.map((d) => d.peakRssMb));
      results.push({ case: size.name, impl: engine, metric: 'seconds', value: seconds, unit: 's' });
      results.push({ case: size.name, impl: engine, metric: 'peak_rss_mb', value: rss, unit: 'MB' });
      log(
        `${size.name} ${engine}: ${seconds.toFixed(2)} s, peak RSS ${rss.toFixed(0)} MB (${runs} run${runs > 1 ? 's' : ''})`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// Near-duplicates: MinHash + LSH over the whole corpus, scored against exact Jaccard on every pair of a sample.
const NEAR_DUP = { threshold: 0.5, hashes: 128, sample: quick ? 800 : 3000 };
const corpus = nearDupCorpus();
let start = performance.now();
const found = findNearDuplicates(corpus.texts, NEAR_DUP);
const lshSeconds = (performance.now() - start) / 1000;
start = performance.now();
const sample = sampleWithCopies(corpus, NEAR_DUP.sample);
const score = scoreAgainstExact(corpus.texts, sample, found.pairs, NEAR_DUP.threshold);
const exactSeconds = (performance.now() - start) / 1000;
const allPairs = (corpus.texts.length * (corpus.texts.length - 1)) / 2;
results.push(
  { case: 'near-dup', impl: 'minhash-lsh', metric: 'precision', value: score.precision, unit: 'ratio' },
  { case: 'near-dup', impl: 'minhash-lsh', metric: 'recall', value: score.recall, unit: 'ratio' },
  { case: 'near-dup', impl: 'minhash-lsh', metric: 'seconds', value: lshSeconds, unit: 's' },
  { case: 'near-dup', impl: 'minhash-lsh', metric: 'pairs_compared', value: found.candidates, unit: 'pairs' },
  { case: 'near-dup', impl: 'exact-jaccard', metric: 'seconds', value: exactSeconds, unit: 's' },
  {
    case: 'near-dup',
    impl: 'exact-jaccard',
    metric: 'pairs_compared',
    value: score.comparisons,
    unit: 'pairs',
  },
);
log(
  `near-dup: ${corpus.texts.length} documents (${corpus.injected.length} injected copies), ${found.bands} bands × ${found.rows} rows; LSH ${lshSeconds.toFixed(2)} s comparing ${found.candidates} of ${allPairs} pairs; on a sample of ${sample.length}: precision ${score.precision.toFixed(3)}, recall ${score.recall.toFixed(3)} (${score.correct} of ${score.truePairs} true pairs, ${score.reported} reported; exact Jaccard on its ${score.comparisons} pairs ${exactSeconds.toFixed(1)} s)`,
);

// What every child's RSS includes before it loads anything: Node and the TypeScript runner.
const idle = runEngine('none', tmpdir());
results.push({ case: 'process', impl: 'none', metric: 'peak_rss_mb', value: idle.peakRssMb, unit: 'MB' });
log(`an idle child process: peak RSS ${idle.peakRssMb.toFixed(0)} MB`);

const run = benchRecord({ package: '@mle/data-pipeline', results });
printBenchReport(run, { json });
if (!json) {
  const has = (c: string, impl: string) => results.some((r) => r.case === c && r.impl === impl);
  const cell = (c: string, impl: string, metric: string, digits: number) =>
    has(c, impl)
      ? resultValue(results, c, impl, metric).toFixed(digits)
      : (failures.find((f) => f.case === c && f.engine === impl)?.reason ?? '');
  const table = markdownTable(
    [
      'engine',
      ...SIZES.flatMap((s) => [`${s.name}: seconds`, `${s.name}: peak RSS (MB)`]),
      'seconds ÷ DuckDB’s (largest)',
    ],
    ENGINES.map((engine) => {
      const last = SIZES[SIZES.length - 1]!.name;
      return [
        engine,
        ...SIZES.flatMap((s) => [cell(s.name, engine, 'seconds', 2), cell(s.name, engine, 'peak_rss_mb', 0)]),
        has(last, engine) && has(last, 'duckdb')
          ? `${(resultValue(results, last, engine, 'seconds') / resultValue(results, last, 'duckdb', 'seconds')).toFixed(1)}×`
          : '',
      ];
    }),
    { align: ['left', ...SIZES.flatMap(() => ['right', 'right'] as const), 'right'] },
  );
  const nearDupTable = markdownTable(
    ['method', 'pairs compared', 'seconds', 'precision', 'recall'],
    [
      [
        `MinHash + LSH (${found.bands} × ${found.rows}), all ${corpus.texts.length.toLocaleString('en-US')} documents`,
        `${found.candidates.toLocaleString('en-US')} of ${allPairs.toLocaleString('en-US')}`,
        lshSeconds.toFixed(2),
        score.precision.toFixed(3),
        score.recall.toFixed(3),
      ],
      [
        `exact Jaccard, the ${sample.length.toLocaleString('en-US')}-document sample`,
        score.comparisons.toLocaleString('en-US'),
        exactSeconds.toFixed(2),
        '1 (the reference)',
        '1 (the reference)',
      ],
    ],
    { align: ['left', 'right', 'right', 'right', 'right'] },
  );
  const chart = await groupedBarChartSvg({
    title: 'The same pipeline, seconds (load + both queries; log scale)',
    category: 'events',
    value: { label: 'seconds', log: true },
    bars: results
      .filter((r) => r.metric === 'seconds' && r.case.startsWith('pipeline'))
      .map((r) => ({ category: r.case, series: r.impl, value: r.value })),
  });
  if (!quick) {
    commitBenchRun(packageDir, run, {
      charts: { 'pipeline-seconds.svg': chart },
      markdown: `Each engine in its own process, loading the generated log from files (DuckDB and Polars read its Parquet; Arquero and the loop its Arrow IPC copy), then user_features and daily_revenue; every engine's users and revenue checked equal to DuckDB's. Median of three runs (Arquero at 10M: one), peak RSS the largest of them; an idle child process (Node and the TypeScript runner) peaks at ${resultValue(results, 'process', 'none', 'peak_rss_mb').toFixed(0)} MB, which every figure includes.\n\n${table}\n\nNear-duplicates (MinHash, ${NEAR_DUP.hashes} hashes, LSH ${found.bands} bands × ${found.rows} rows for Jaccard ≥ ${NEAR_DUP.threshold}, character 5-gram shingles) over ${corpus.texts.length.toLocaleString('en-US')} documents (the 3,000 labelled sentences, ${corpus.kinds.filter((k) => k === 'moby-dick').length.toLocaleString('en-US')} Moby Dick paragraphs, ${corpus.injected.length} injected near-copies with 2–30% of words edited), scored against exact Jaccard on all ${score.comparisons.toLocaleString('en-US')} pairs of a ${sample.length.toLocaleString('en-US')}-document sample that holds the copies:\n\n${nearDupTable}`,
    });
    console.log(
      `\nrun ${run.run}: wrote bench/results.json, charts/pipeline-seconds.svg and the README's results`,
    );
  }
}
