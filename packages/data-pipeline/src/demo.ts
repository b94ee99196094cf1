/** Run: pnpm --filter @mle/data-pipeline demo [-- --quick] */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchRecord, createProgress, demoFlags, formatTable, machineLine } from '@mle/report';
import {
  CURRENT,
  currentVersion,
  DuckDB,
  findNearDuplicates,
  formatReport,
  generateEvents,
  InputError,
  jaccard,
  loadRealTables,
  nearDupCorpus,
  realQuery,
  realQuerySql,
  runPipeline,
  STAGES,
  shingles,
  ValidationError,
} from './index.js';

const { quick } = demoFlags();
const rows = quick ? 100_000 : 1_000_000;
const cutoff = '2026-01-22 00:00:00';
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const work = join(packageDir, 'out');
const outDir = join(work, 'features');
const seconds = (start: number) => ((performance.now() - start) / 1000).toFixed(2);
const n = (v: unknown) => Number(v).toLocaleString('en-US');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });

// 1. A generated event log, written as Parquet: the pipeline's input.
const db = await DuckDB.open();
const input = join(work, 'events.parquet');
let start = performance.now();
await generateEvents(db, { rows, seed: 0 });
await db.run(`COPY events TO '${input}' (FORMAT PARQUET)`);
console.log(`generated ${n(rows)} events (seed 0) in ${seconds(start)} s: ${input}`);

// 2. The pipeline: load, validate, five feature tables, validate, Parquet, read back, publish.
const progress = createProgress({ total: STAGES.length, label: 'pipeline' });
const stageTimes: [string, string][] = [];
start = performance.now();
let last = start;
const result = await runPipeline({
  events: input,
  outDir,
  cutoff,
  onStage: (stage, done) => {
    stageTimes.push([stage, ((performance.now() - last) / 1000).toFixed(2)]);
    last = performance.now();
    progress.update(done, { stage });
  },
});
progress.stop();
const inputRules = result.reports[0]!.checked;
const outputRules = result.reports.slice(1).reduce((sum, r) => sum + r.checked, 0);
console.log(
  `\nthe pipeline in ${seconds(start)} s (${inputRules} rules checked on the input and ${outputRules} on the ${result.reports.length - 1} outputs, none broken), published as ${join(outDir, CURRENT)} → ${currentVersion(outDir)}:`,
);
console.log(
  formatTable(
    ['stage', 'seconds', 'rows'],
    stageTimes.map(([stage, s]) => {
      const table = stage === 'load events' ? 'events' : stage;
      return [stage, s, result.rows[table] === undefined ? '' : n(result.rows[table])];
    }),
    { align: ['left', 'right', 'right'] },
  ),
);
const busiest = await db.rows(
  `SELECT user_id, events, clicks, purchases, ROUND(revenue, 2) AS revenue, sessions, bought_next_week FROM read_parquet('${join(outDir, CURRENT, 'user_features.parquet')}') ORDER BY events DESC LIMIT 5`,
);
console.log('\nThe five busiest users before the cutoff (read back from user_features.parquet):');
console.log(
  formatTable(
    Object.keys(busiest[0]!),
    busiest.map((r) => Object.values(r).map(String)),
    { align: Object.keys(busiest[0]!).map(() => 'right' as const) },
  ),
);

// 3. A broken input: the run stops at validation and `current` stays where it was.
const broken = join(work, 'events-broken.parquet');
await db.run(`COPY (
  SELECT event_id, CASE WHEN event_id = 41 THEN -3 ELSE user_id END AS user_id, item_id,
         CASE WHEN event_id % 50000 = 17 THEN 'refund' ELSE event_type END AS event_type, ts,
         CASE WHEN event_type = 'purchase' AND event_id % 7 = 0 THEN -price ELSE price END AS price
  FROM events
  UNION ALL SELECT * FROM events WHERE event_id < 3
) TO '${broken}' (FORMAT PARQUET)`);
console.log(`\nA deliberately broken copy (${broken}):`);
try {
  await runPipeline({ events: broken, outDir, cutoff });
  console.log('  ✗ it was accepted: the validation did not catch it');
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  for (const report of error.reports.filter((r) => r.failures.length > 0)) console.log(formatReport(report));
  console.log(`nothing written: ${join(outDir, CURRENT)} still → ${currentVersion(outDir)}`);
}
const csv = join(work, 'events-malformed.csv');
writeFileSync(
  csv,
  'event_id,user_id,item_id,event_type,ts,price\n0,1,2,view,2026-01-01 00:00:01,\n1,1,2,click,2026-01-01 00:00:02\n2,seven,2,view,2026-01-01 00:00:03,\n',
);
try {
  await runPipeline({ events: csv, outDir, cutoff });
} catch (error) {
  if (!(error instanceof InputError)) throw error;
  console.log(`\nA malformed CSV is refused before loading:\n${error.message}`);
}

// 4. Tasks on real data, each a portable SQL file.
await loadRealTables(db);
const show = async (title: string, name: Parameters<typeof realQuery>[1], limit: number) => {
  const out = (await realQuery(db, name)).slice(0, limit);
  console.log(`\n${title} (sql/${name}.sql):`);
  console.log(
    formatTable(
      Object.keys(out[0]!),
      out.map((r) =>
        Object.values(r).map((v) =>
          v instanceof Date
            ? v.toISOString().slice(0, 7)
            : typeof v === 'number' && !Number.isInteger(v)
              ? v.toFixed(3)
              : String(v),
        ),
      ),
    ),
  );
};
await show('Flights between states, the busiest pairs', 'route_states', 5);
await show('Penguins by species and island (a pivot)', 'penguin_islands', 3);
const duplicates = await db.rows(
  `SELECT COUNT(*) AS kept, SUM(copies) AS sentences, SUM(conflicting_labels) AS conflicts FROM (${realQuerySql('sentence_duplicates')}) d`,
);
console.log(
  `\nExact deduplication of the labelled sentences (sql/sentence_duplicates.sql): ${n(duplicates[0]!.sentences)} → ${n(duplicates[0]!.kept)} kept, ${duplicates[0]!.conflicts} of them copied with two different labels`,
);
db.close();

// 5. Near-duplicates by MinHash + LSH.
start = performance.now();
const corpus = nearDupCorpus();
const found = findNearDuplicates(corpus.texts, { threshold: 0.5 });
const removed = found.representative.filter((r, i) => r !== i).length;
const joined = corpus.injected.filter(
  (c) => found.representative[c.copy] === found.representative[c.original],
);
// Which copies are near-duplicates by the exact measure: the heaviest edits take a copy below the threshold.
const close = corpus.injected.filter(
  (c) => jaccard(shingles(corpus.texts[c.original]!), shingles(corpus.texts[c.copy]!)) >= 0.5,
);
console.log(
  `\nNear-duplicates among ${n(corpus.texts.length)} documents (sentences, Moby Dick paragraphs, ${corpus.injected.length} injected near-copies): LSH with ${found.bands} bands × ${found.rows} rows compared ${n(found.candidates)} of ${n((corpus.texts.length * (corpus.texts.length - 1)) / 2)} pairs in ${seconds(start)} s; ${n(found.pairs.length)} pairs at Jaccard ≥ 0.5, ${n(removed)} documents would be dropped. ${close.length} of the ${corpus.injected.length} copies are within Jaccard 0.5 of their original (exactly); ${close.filter((c) => joined.includes(c)).length} of those joined it, and ${joined.length - close.filter((c) => joined.includes(c)).length} copies beyond it did too.`,
);
const example = corpus.injected.find((c) => c.edited > 0.1 && found.representative[c.copy] === c.original);
if (example) {
  console.log(`  original: ${corpus.texts[example.original]!.slice(0, 110)}…`);
  console.log(
    `  copy:     ${corpus.texts[example.copy]!.slice(0, 110)}… (${(example.edited * 100).toFixed(0)}% of words edited)`,
  );
}

// 6. The bench's last full run, as committed.
const recordFile = new URL('../bench/results.json', import.meta.url);
if (existsSync(recordFile)) {
  const record: BenchRecord = JSON.parse(readFileSync(recordFile, 'utf8'));
  console.log(`\nThe bench's last run (${record.run}; ${machineLine(record.machine)}):`);
  const cases = [...new Set(record.results.map((r) => r.case))].filter((c) => c.startsWith('pipeline'));
  const value = (c: string, impl: string, metric: string) =>
    record.results.find((r) => r.case === c && r.impl === impl && r.metric === metric)?.value;
  console.log(
    formatTable(
      ['engine', ...cases.flatMap((c) => [`${c} s`, `${c} MB`])],
      ['duckdb', 'polars', 'arquero', 'typescript'].map((engine) => [
        engine,
        ...cases.flatMap((c) => [
          value(c, engine, 'seconds')?.toFixed(2) ?? '–',
          value(c, engine, 'peak_rss_mb')?.toFixed(0) ?? '–',
        ]),
      ]),
      { align: ['left', ...cases.flatMap(() => ['right', 'right'] as const)] },
    ),
  );
  const p = value('near-dup', 'minhash-lsh', 'precision');
  const r = value('near-dup', 'minhash-lsh', 'recall');
  if (p !== undefined && r !== undefined)
    console.log(
      `near-dup: MinHash + LSH precision ${p.toFixed(3)}, recall ${r.toFixed(3)} against exact Jaccard`,
    );
}
