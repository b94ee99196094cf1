import type { Align, Cell } from '@mle/report';
import { compareWithSystem, formatBytes, withinFactor } from './compare.js';
import { type Results, reportedCaches, type TimedCase } from './experiments.js';
import { dataLineBytes } from './system-caches.js';

/** One table of a run's results, as the demo prints it and the bench writes it into the README. */
export interface ResultTable {
  /** The chart drawn from the same measurements, if there is one: a file in charts/ and its alt text. */
  chart?: { file: string; alt: string };
  title: string;
  header: string[];
  rows: Cell[][];
  align?: Align[];
  /** Lines that go with the table (plain, without a full stop). */
  notes: string[];
}

const MiB = 2 ** 20;
const fixed = (value: number, digits = 1) => value.toFixed(digits);
const right = (columns: number): Align[] => [
  'left',
  ...Array.from({ length: columns - 1 }, () => 'right' as const),
];

/** Every table of a run, in the order the README explains them. Demo and bench render these, so they agree. */
export function resultTables(results: Results): ResultTable[] {
  return [levels(results), bandwidth(results), lineSize(results), stride(results), ...mlCosts(results)];
}

function levels(results: Results): ResultTable {
  const reported = reportedCaches(results.system);
  const source = reported?.source ?? 'system';
  const { hierarchy, levelLatency, memoryLatency, randomKnees } = results;
  const rows: Cell[][] = compareWithSystem(hierarchy, reported?.caches).map((row, i) => [
    `L${row.level}`,
    formatBytes(row.detectedBytes),
    row.systemBytes === undefined ? 'not reported' : formatBytes(row.systemBytes),
    row.ratio === undefined ? '' : fixed(row.ratio, 2),
    row.ratio === undefined ? '' : withinFactor(row.ratio, 2) ? 'yes' : '**no**',
    `${fixed(levelLatency[i]!.js)} ns`,
    `${fixed(levelLatency[i]!.wasm)} ns`,
  ]);
  rows.push([
    'memory',
    '',
    '',
    '',
    '',
    `${fixed(memoryLatency.js)} ns at ${formatBytes(memoryLatency.bytes)}`,
    `${fixed(memoryLatency.wasm)} ns`,
  ]);
  const knees = (estimate: typeof hierarchy) =>
    estimate.levels.map((l) => formatBytes(l.bytes)).join(', ') || 'none';
  const line = reported && dataLineBytes(reported.caches);
  const notes = [
    `page by page, a load past ${formatBytes(hierarchy.beyond.fromBytes)} costs ${fixed(hierarchy.beyond.ns)} ns`,
    `the random chain's own knees are ${knees(randomKnees.js)} (JS) and ${knees(randomKnees.wasm)} (wasm)`,
    `the two-load probe finds ${results.lineBytes === undefined ? 'no line (no offset costs 10% more than a nearer one)' : `a ${results.lineBytes}-byte line`}, the false-sharing sweep ${results.sharingLineBytes === undefined ? 'none (no gap contends, or every gap does)' : `a ${results.sharingLineBytes}-byte line`}; ${line === undefined ? 'the system reports none' : `${source}'s coherency_line_size is ${line} B`}`,
  ];
  if (results.system.unavailable) notes.push(`system cache sizes: ${results.system.unavailable}`);
  return {
    chart: { file: 'latency.svg', alt: 'latency vs working set' },
    title: `The levels: knees of the page-by-page chain that the random chain confirms, beside the sizes ${source} reports, and what a random load costs on each`,
    header: ['level', 'knee', source, 'knee ÷ system', 'within 2×', 'random load, JS', 'random load, wasm'],
    rows,
    align: ['left', 'right', 'right', 'right', 'left', 'right', 'right'],
    notes,
  };
}

function bandwidth(results: Results): ResultTable {
  const wanted = [16 * 1024, 512 * 1024, 8 * MiB, 32 * MiB, 128 * MiB, 1024 * MiB];
  const sizes = wanted.filter((bytes) => results.bandwidth.some((p) => p.bytes === bytes));
  const kernels = [...new Set(results.bandwidth.map((p) => p.kernel))];
  return {
    chart: { file: 'bandwidth.svg', alt: 'bandwidth vs working set' },
    title: 'Sequential bandwidth, GB/s (copy counts bytes read and written)',
    header: ['kernel', ...sizes.map(formatBytes)],
    rows: kernels.map((kernel) => [
      kernel,
      ...sizes.map((bytes) => {
        const point = results.bandwidth.find((p) => p.kernel === kernel && p.bytes === bytes);
        return point ? fixed(point.gbPerSecond) : '';
      }),
    ]),
    align: right(sizes.length + 1),
    notes: [],
  };
}

function lineSize(results: Results): ResultTable {
  return {
    chart: { file: 'line-size.svg', alt: 'cost of the second load vs its offset' },
    title:
      'The cache line: two dependent loads per random 512-byte block, the second `offset` bytes after the first',
    header: ['offset (bytes)', ...results.pairs.map((p) => String(p.offsetBytes))],
    rows: [['ns per block', ...results.pairs.map((p) => fixed(p.nsPerBlock))]],
    align: right(results.pairs.length + 1),
    notes: [
      results.lineBytes === undefined
        ? 'detected line: none (no offset costs 10% more than a nearer one; the pairs scatter more than the jump)'
        : `detected line: ${results.lineBytes} B`,
    ],
  };
}

function stride(results: Results): ResultTable {
  const strides = [...new Set(results.stride.map((p) => p.stride))];
  return {
    chart: { file: 'stride.svg', alt: 'useful bandwidth vs stride' },
    title: 'Strided reads: one int32 every `stride` elements',
    header: ['stride (elements)', ...strides.map(String)],
    rows: (['JS', 'wasm'] as const).flatMap((engine) => {
      const points = results.stride.filter((p) => p.engine === engine);
      return [
        [`ns per read, ${engine}`, ...points.map((p) => fixed(p.nsPerRead, 2))],
        [`useful GB/s, ${engine}`, ...points.map((p) => fixed(p.usefulGbPerSecond, 2))],
      ];
    }),
    align: right(strides.length + 1),
    notes: [],
  };
}

function mlCosts(results: Results): ResultTable[] {
  const versus = (cases: TimedCase[], slow: number, fast: number) =>
    `**${fixed(cases[slow]!.ms / cases[fast]!.ms, 2)}×** slower`;
  const { traversal, features } = results;
  const layouts: ResultTable = {
    title: 'Layouts: the same arithmetic in two orders (median ms)',
    header: ['case', 'ms', 'ratio'],
    rows: [
      [traversal[0]!.name, fixed(traversal[0]!.ms), ''],
      [traversal[1]!.name, fixed(traversal[1]!.ms), versus(traversal, 1, 0)],
      [features[0]!.name, fixed(features[0]!.ms), versus(features, 0, 1)],
      [features[1]!.name, fixed(features[1]!.ms), ''],
      [features[2]!.name, fixed(features[2]!.ms), ''],
      [features[3]!.name, fixed(features[3]!.ms), versus(features, 3, 2)],
    ],
    align: ['left', 'right', 'right'],
    notes: [],
  };
  const sizes = [...new Set(results.matmul.map((m) => m.n))];
  const kernels = [...new Set(results.matmul.map((m) => m.kernel))];
  const matmul: ResultTable = {
    title: 'The first rungs of the matmul ladder from @mle/tensor, GFLOP/s',
    header: ['kernel', ...sizes.map((n) => `n = ${n}`)],
    rows: kernels.map((kernel) => [
      kernel,
      ...sizes.map((n) => fixed(results.matmul.find((m) => m.n === n && m.kernel === kernel)!.gflops, 2)),
    ]),
    align: right(sizes.length + 1),
    notes: [],
  };
  const padded = results.falseSharing.at(-1)!;
  const sharing: ResultTable = {
    title: `False sharing: two worker threads, ${results.falseSharing[0]!.iterations.toLocaleString('en-US')} \`Atomics.add\` each on its own counter`,
    header: ['counters apart', 'slower worker (ms)', `÷ ${padded.gapBytes} B apart`],
    rows: results.falseSharing.map((r) => [`${r.gapBytes} B`, fixed(r.ms), `${fixed(r.ms / padded.ms, 2)}×`]),
    align: ['left', 'right', 'right'],
    notes: [
      results.sharingLineBytes === undefined
        ? 'the sweep finds no line: no gap contends, or every gap does'
        : `counters contend while they share a line: from ${results.sharingLineBytes} B apart on they do not`,
    ],
  };
  return [layouts, matmul, sharing];
}
