/**
 * Run: pnpm --filter @mle/memory-hierarchy demo   (about 2 minutes on 2 cores)
 *      pnpm --filter @mle/memory-hierarchy demo -- --quick   (the same experiments at smaller sizes; writes nothing)
 * Finds this machine's caches from JavaScript, sets them beside what the system reports, and measures what the
 * hierarchy does to code an ML engineer writes. Writes the SVG charts to charts/ and the raw numbers to bench-results/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { demoFlags, formatTable } from '@mle/report';
import { drawCharts } from './charts.js';
import { compareWithSystem, formatBytes, withinFactor } from './compare.js';
import { reportedCaches, runExperiments, type TimedCase } from './experiments.js';
import { dataLineBytes } from './system-caches.js';

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const { quick } = demoFlags();
const results = await runExperiments({
  quick,
  onStep: (step) => process.stderr.write(`[${elapsed()}] ${step}\n`),
});
const print = (title: string, table: string) => process.stdout.write(`\n${title}\n${table}\n`);
const fixed = (value: number, digits = 1) => value.toFixed(digits);

const { system } = results;
if (system.unavailable) process.stdout.write(`\nsystem cache sizes: ${system.unavailable}\n`);
const reported = reportedCaches(system)?.caches;
const { hierarchy, levelLatency, memoryLatency, randomKnees } = results;
print(
  'Detected levels (knees of the page-by-page chain) beside the sizes the system reports',
  formatTable(
    [
      'level',
      'knee',
      'system',
      'knee ÷ system',
      'within 2×',
      'random load, JS (ns)',
      'random load, wasm (ns)',
    ],
    compareWithSystem(hierarchy, reported).map((row, i) => [
      `L${row.level}`,
      formatBytes(row.detectedBytes),
      row.systemBytes === undefined ? 'not reported' : formatBytes(row.systemBytes),
      row.ratio === undefined ? '-' : fixed(row.ratio, 2),
      row.ratio === undefined ? '-' : withinFactor(row.ratio, 2) ? 'yes' : 'no',
      fixed(levelLatency[i]!.js),
      fixed(levelLatency[i]!.wasm),
    ]),
  ),
);
const knees = (estimate: typeof hierarchy) =>
  estimate.levels.map((l) => formatBytes(l.bytes)).join(', ') || 'none';
process.stdout.write(
  `memory: ${fixed(memoryLatency.js)} ns (JS), ${fixed(memoryLatency.wasm)} ns (wasm) per random load at ` +
    `${formatBytes(memoryLatency.bytes)}; ${fixed(hierarchy.beyond.ns)} ns page by page past ` +
    `${formatBytes(hierarchy.beyond.fromBytes)}\n` +
    `knees of the random chain itself: ${knees(randomKnees.js)} (JS); ${knees(randomKnees.wasm)} (wasm)\n`,
);

const sizes = [16 * 1024, 512 * 1024, 8 * 2 ** 20, 32 * 2 ** 20, 128 * 2 ** 20, 1024 * 2 ** 20];
const kernels = [...new Set(results.bandwidth.map((p) => p.kernel))];
print(
  'Sequential bandwidth, GB/s',
  formatTable(
    ['kernel', ...sizes.map(formatBytes)],
    kernels.map((kernel) => [
      kernel,
      ...sizes.map((bytes) => {
        const point = results.bandwidth.find((p) => p.kernel === kernel && p.bytes === bytes);
        return point ? fixed(point.gbPerSecond) : '-';
      }),
    ]),
  ),
);

const line = reported && dataLineBytes(reported);
print(
  `Cache line: two loads per random block in 128 MiB; measured ${results.lineBytes} B, system says ${line ?? 'nothing'}`,
  formatTable(
    ['offset (B)', ...results.pairs.map((p) => String(p.offsetBytes))],
    [['ns per block', ...results.pairs.map((p) => fixed(p.nsPerBlock))]],
  ),
);
const strides = [...new Set(results.stride.map((p) => p.stride))];
print(
  'Strided reads over 64 MiB: one int32 every `stride` elements',
  formatTable(
    ['stride (elements)', ...strides.map(String)],
    (['JS', 'wasm'] as const).flatMap((engine) => {
      const points = results.stride.filter((p) => p.engine === engine);
      return [
        [`ns per read (${engine})`, ...points.map((p) => fixed(p.nsPerRead, 2))],
        [`useful GB/s (${engine})`, ...points.map((p) => fixed(p.usefulGbPerSecond, 2))],
      ];
    }),
  ),
);

const versus = (cases: TimedCase[], a: number, b: number) => fixed(cases[b]!.ms / cases[a]!.ms, 2);
print(
  'Layouts: the same arithmetic in two orders',
  formatTable(
    ['case', 'ms', 'ratio'],
    [
      ...results.traversal.map((c, i) => [
        c.name,
        fixed(c.ms),
        i === 1 ? `${versus(results.traversal, 0, 1)}× row-major` : '',
      ]),
      ...results.features.map((c, i) => [
        c.name,
        fixed(c.ms),
        i === 0
          ? `${versus(results.features, 1, 0)}× SoA`
          : i === 3
            ? `${versus(results.features, 2, 3)}× AoS`
            : '',
      ]),
    ],
  ),
);
print(
  'Matmul ladder from @mle/tensor, GFLOP/s',
  formatTable(
    ['n', 'kernel', 'GFLOP/s'],
    results.matmul.map((m) => [m.n, m.kernel, fixed(m.gflops, 2)]),
  ),
);
const sharing = results.falseSharing;
print(
  `False sharing: two worker threads, ${quick ? '500,000' : '5,000,000'} Atomics.add each on their own counter`,
  formatTable(
    ['counters apart', 'ms (slower worker)', 'ratio'],
    sharing.map((r) => [`${r.gapBytes} B`, fixed(r.ms), fixed(r.ms / sharing.at(-1)!.ms, 2)]),
  ),
);

if (quick) {
  process.stdout.write(`\nquick run in ${elapsed()}: no charts or bench-results written\n`);
} else {
  const raw = new URL('../bench-results/', import.meta.url);
  mkdirSync(raw, { recursive: true });
  writeFileSync(new URL('demo.json', raw), `${JSON.stringify(results)}\n`);
  const charts = await drawCharts(results);
  const dir = new URL('../charts/', import.meta.url);
  mkdirSync(dir, { recursive: true });
  for (const [name, svg] of Object.entries(charts)) writeFileSync(new URL(name, dir), svg);
  const written = Object.keys(charts).map((name) => `charts/${name}`);
  process.stdout.write(`\nwrote ${written.join(', ')} and bench-results/demo.json in ${elapsed()}\n`);
}
