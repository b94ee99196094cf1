/**
 * Run: pnpm --filter @mle/memory-hierarchy bench [-- --json] [-- --quick]   (quick: smaller sizes)
 * Every number the README quotes. The references measured in the same run: the cache sizes and line size the
 * system reports (sysfs, else lscpu), the same probes in WebAssembly beside JavaScript, and the engine's native
 * memset and memcpy (TypedArray.fill and .set) beside a JavaScript read loop. A full run (neither flag) writes
 * bench/results.json, the charts and the README's results block, all from this one run.
 */
import { fileURLToPath } from 'node:url';
import {
  type BenchResult,
  benchFlags,
  benchRecord,
  commitBenchRun,
  markdownTable,
  printBenchReport,
  sentence,
} from '@mle/report';
import { drawCharts } from '../src/charts.js';
import { compareWithSystem, dataLineBytes, reportedCaches, runExperiments } from '../src/index.js';
import { resultTables } from '../src/tables.js';

const { json, quick } = benchFlags();
const results = await runExperiments({
  quick,
  onStep: (step) => process.stderr.write(`${step}\n`),
});
const rows: BenchResult[] = [];
const add = (c: string, impl: string, metric: string, value: number, unit: string) =>
  rows.push({ case: c, impl, metric, value, unit });
const KiB = 1024;

const reported = reportedCaches(results.system);
const source = `system (${reported?.source})`;
const { hierarchy, levelLatency, memoryLatency, randomKnees } = results;
compareWithSystem(hierarchy, reported?.caches).forEach((row, i) => {
  const level = `L${row.level}`;
  add(
    `${level} size`,
    'knee, page-by-page chain confirmed by the random chain',
    'size',
    row.detectedBytes / KiB,
    'KiB',
  );
  if (row.systemBytes !== undefined) {
    add(`${level} size`, source, 'size', row.systemBytes / KiB, 'KiB');
    add(`${level} size`, 'knee ÷ system', 'ratio', row.ratio!, 'x');
  }
  const { js, wasm } = levelLatency[i]!;
  add(`${level} latency`, 'random chain (JS)', 'latency', js, 'ns');
  add(`${level} latency`, 'random chain (wasm)', 'latency', wasm, 'ns');
  add(`${level} latency`, 'JS ÷ wasm', 'ratio', js / wasm, 'x');
});
const memory = `memory latency (${memoryLatency.bytes / KiB / KiB} MiB)`;
add(memory, 'random chain (JS)', 'latency', memoryLatency.js, 'ns');
add(memory, 'random chain (wasm)', 'latency', memoryLatency.wasm, 'ns');
add(memory, 'JS ÷ wasm', 'ratio', memoryLatency.js / memoryLatency.wasm, 'x');
add('past the last knee', 'page-by-page chain', 'latency', hierarchy.beyond.ns, 'ns');
for (const [impl, estimate] of [
  ['random chain (JS)', randomKnees.js],
  ['random chain (wasm)', randomKnees.wasm],
] as const) {
  for (const level of estimate.levels)
    add(`random-chain knee ${level.level}`, impl, 'size', level.bytes / KiB, 'KiB');
}

if (results.lineBytes !== undefined)
  add('line size', 'two-load probe (wasm)', 'size', results.lineBytes, 'B');
if (results.sharingLineBytes !== undefined)
  add('line size', 'false-sharing sweep', 'size', results.sharingLineBytes, 'B');
const line = reported && dataLineBytes(reported.caches);
if (line !== undefined) add('line size', `${source} coherency_line_size`, 'size', line, 'B');
for (const p of results.pairs)
  add(`pair offset ${p.offsetBytes} B`, 'two-load probe (wasm)', 'time', p.nsPerBlock, 'ns');
for (const p of results.stride) {
  add(`stride ${p.stride}`, `strided sum (${p.engine})`, 'time per read', p.nsPerRead, 'ns');
  add(`stride ${p.stride}`, `strided sum (${p.engine})`, 'useful bandwidth', p.usefulGbPerSecond, 'GB/s');
}

const curves = [
  ['random chain (JS)', results.latency.random.js],
  ['random chain (wasm)', results.latency.random.wasm],
  ['page by page (JS)', results.latency.pageLocal],
  ['one line per page (JS)', results.latency.tlb],
] as const;
for (const [impl, points] of curves) {
  for (const p of points) add(`latency ${p.bytes / KiB} KiB`, impl, 'latency', p.ns, 'ns');
}
for (const p of results.bandwidth)
  add(`bandwidth ${p.bytes / KiB} KiB`, p.kernel, 'bandwidth', p.gbPerSecond, 'GB/s');

for (const c of [...results.traversal, ...results.features]) add(c.name, 'JS', 'median time', c.ms, 'ms');
const ratio = (a: { ms: number }, b: { ms: number }) => b.ms / a.ms;
const [row, column] = results.traversal;
add('column-major ÷ row-major', 'JS', 'ratio', ratio(row!, column!), 'x');
const [meanAos, meanSoa, scoreAos, scoreSoa] = results.features;
add('feature mean AoS ÷ SoA', 'JS', 'ratio', ratio(meanSoa!, meanAos!), 'x');
add('linear scores SoA ÷ AoS', 'JS', 'ratio', ratio(scoreAos!, scoreSoa!), 'x');
for (const m of results.matmul) add(`matmul n=${m.n}`, m.kernel, 'throughput', m.gflops, 'GFLOP/s');
const padded = results.falseSharing.at(-1)!;
for (const r of results.falseSharing) {
  add(`false sharing, counters ${r.gapBytes} B apart`, '2 workers', 'time', r.ms, 'ms');
  add(
    `false sharing, counters ${r.gapBytes} B apart`,
    `÷ ${padded.gapBytes} B apart`,
    'ratio',
    r.ms / padded.ms,
    'x',
  );
}

const report = { package: '@mle/memory-hierarchy', results: rows };
printBenchReport(report, { json });
if (!json && !quick) {
  const record = benchRecord(report);
  const charts = await drawCharts(results);
  commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), record, { charts, markdown: readmeTables() });
  console.log(
    `\nrun ${record.run}: wrote bench/results.json, ${Object.keys(charts)
      .map((name) => `charts/${name}`)
      .join(', ')} and the README's results block`,
  );
}

/** The demo's tables as Markdown, each with its notes and the chart drawn from the same measurements. */
function readmeTables(): string {
  return resultTables(results)
    .map((table) =>
      [
        `**${table.title}.**`,
        markdownTable(table.header, table.rows, { align: table.align }),
        table.notes.map(sentence).join(' '),
        table.chart ? `![${table.chart.alt}](charts/${table.chart.file})` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
    )
    .join('\n\n');
}
