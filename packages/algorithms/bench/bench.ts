/**
 * pnpm --filter @mle/algorithms bench [-- --json] [-- --quick]
 *
 * Every sort against the built-in it would replace, in the same process, on the same seeded inputs:
 * number arrays against Array.prototype.sort((a, b) => a - b), 32-bit keys against TypedArray.prototype.sort;
 * random and nearly-sorted (1% of elements swapped) inputs; median of several runs after warm-up.
 */
import { fileURLToPath } from 'node:url';
import {
  type BenchResult,
  benchFlags,
  benchRecord,
  commitBenchRun,
  createProgress,
  formatNumber,
  groupedBarChartSvg,
  markdownTable,
  measureAdaptive,
  printBenchReport,
} from '@mle/report';
import {
  heapSort,
  insertionSort,
  mergeSort,
  mergeSortBottomUp,
  quickSort,
  radixSort,
  timSort,
} from '../src/index.js';

const { json, quick } = benchFlags();
const sizes = quick ? [1_000, 100_000] : [1_000, 100_000, 1_000_000];

/** xorshift32 with a fixed seed: the same inputs on every run. */
function generator(seed: number) {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function input(n: number, shape: 'random' | 'nearly sorted'): number[] {
  const random = generator(n + (shape === 'random' ? 1 : 2));
  const xs = Array.from({ length: n }, (_, i) => (shape === 'random' ? random() * 1e6 - 5e5 : i));
  if (shape === 'nearly sorted') {
    for (let k = 0; k < n / 100; k++) {
      const i = Math.floor(random() * n);
      const j = Math.floor(random() * n);
      [xs[i], xs[j]] = [xs[j]!, xs[i]!];
    }
  }
  return xs;
}

const byValue = (a: number, b: number) => a - b;
const numberSorts: Record<string, (xs: number[]) => unknown> = {
  'Array.prototype.sort': (xs) => xs.sort(byValue),
  timSort: (xs) => timSort(xs, byValue),
  quickSort: (xs) => quickSort(xs, byValue),
  mergeSort: (xs) => mergeSort(xs, byValue),
  mergeSortBottomUp: (xs) => mergeSortBottomUp(xs, byValue),
  heapSort: (xs) => heapSort(xs, byValue),
  insertionSort: (xs) => insertionSort(xs, byValue),
};

const results: BenchResult[] = [];
const record = (c: string, impl: string, ms: number) =>
  results.push({ case: c, impl, metric: 'median time', value: ms, unit: 'ms' });
const progress = createProgress({ total: sizes.length * 2 + 2, label: 'sorts' });
for (const n of sizes) {
  for (const shape of ['random', 'nearly sorted'] as const) {
    const data = input(n, shape);
    const c = `${shape} n=${n.toExponential(0).replace('+', '')}`;
    for (const [impl, sort] of Object.entries(numberSorts)) {
      // O(n²): 5·10⁹ steps at 1e5 random; even 1% swapped elements cost 14 s at 1e6.
      if (impl === 'insertionSort' && n > 1_000) continue;
      const t = await measureAdaptive(() => sort(data.slice()), { budgetMs: 800, minRuns: 3, maxRuns: 30 });
      record(c, impl, t.median);
    }
    progress.increment();
  }
}

// 32-bit keys: radix sort against the typed arrays' own sort, up to 1e7.
for (const n of quick ? [100_000, 1_000_000] : [1_000, 100_000, 1_000_000, 10_000_000]) {
  const random = generator(n);
  const floats = Float32Array.from({ length: n }, () => random() * 2e6 - 1e6);
  const c = `float32 keys n=${n.toExponential(0).replace('+', '')}`;
  record(
    c,
    'Float32Array.prototype.sort',
    (await measureAdaptive(() => floats.slice().sort(), { budgetMs: 800, minRuns: 3 })).median,
  );
  record(
    c,
    'radixSort',
    (await measureAdaptive(() => radixSort(floats.slice()), { budgetMs: 800, minRuns: 3 })).median,
  );
}
progress.increment();

// TimSort on nearly-sorted objects with a comparator, where V8's own sort is also a TimSort.
{
  const n = quick ? 100_000 : 1_000_000;
  const rows = input(n, 'nearly sorted').map((key, id) => ({ key, id }));
  const byKey = (a: { key: number }, b: { key: number }) => a.key - b.key;
  const c = `nearly sorted objects n=${n.toExponential(0).replace('+', '')}`;
  record(
    c,
    'Array.prototype.sort',
    (await measureAdaptive(() => rows.slice().sort(byKey), { budgetMs: 800, minRuns: 3 })).median,
  );
  record(
    c,
    'timSort',
    (await measureAdaptive(() => timSort(rows.slice(), byKey), { budgetMs: 800, minRuns: 3 })).median,
  );
}
progress.increment();
progress.stop();

const get = (c: string, impl: string) =>
  results.find((r) => r.case === c && r.impl === impl)?.value ?? Number.NaN;
const radixCase = 'float32 keys n=1e6';
const timCase = `nearly sorted objects n=${quick ? '1e5' : '1e6'}`;
const speedup = get(radixCase, 'Float32Array.prototype.sort') / get(radixCase, 'radixSort');
const timRatio = get(timCase, 'timSort') / get(timCase, 'Array.prototype.sort');
results.push({
  case: radixCase,
  impl: 'radixSort',
  metric: 'speed-up over Float32Array.prototype.sort',
  value: speedup,
  unit: 'x',
});
results.push({
  case: timCase,
  impl: 'timSort',
  metric: 'time ratio to Array.prototype.sort',
  value: timRatio,
  unit: 'x',
});
for (const c of [...new Set(results.map((r) => r.case))]) {
  const builtIn = get(c, c.startsWith('float32') ? 'Float32Array.prototype.sort' : 'Array.prototype.sort');
  for (const r of results.filter(
    (x) => x.case === c && x.metric === 'median time' && !x.impl.includes('prototype'),
  )) {
    results.push({ case: c, impl: r.impl, metric: 'ratio to built-in', value: r.value / builtIn, unit: 'x' });
  }
}

printBenchReport({ package: '@mle/algorithms', results }, { json });
if (!json) {
  const targets = [
    `radixSort ≥ 2× Float32Array.prototype.sort at 1e6 → ${speedup.toFixed(2)}× ${speedup >= 2 ? 'met' : 'MISSED'}`,
    `timSort within 1.5× of Array.prototype.sort on nearly-sorted objects → ${timRatio.toFixed(2)}× ${timRatio <= 1.5 ? 'met' : 'MISSED'}`,
  ];
  console.log(`\ntargets: ${targets.join('\n         ')}`);
  // The committed table, chart and record come from one full run; a quick run only prints.
  if (!quick) {
    const record = benchRecord({ package: '@mle/algorithms', results });
    commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), record, {
      charts: { 'sorting.svg': await sortingChart() },
      markdown: `${readmeTable()}\n\nTargets: ${targets.join('; ')}.`,
    });
    console.log(
      `\nrun ${record.run}: wrote bench/results.json, charts/sorting.svg and the README's results table`,
    );
  }
}

/** The README's table: each input at n = 10⁶ (median ms), the fastest in bold. */
function readmeTable(): string {
  const columns: [string, string][] = [
    ['built-in', ''],
    ['timSort', 'timSort'],
    ['quickSort', 'quickSort'],
    ['mergeSort', 'mergeSort'],
    ['bottom-up', 'mergeSortBottomUp'],
    ['heapSort', 'heapSort'],
    ['radixSort', 'radixSort'],
  ];
  const rows: [string, string, string][] = [
    ['random numbers', 'random n=1e6', 'Array.prototype.sort'],
    ['nearly sorted numbers', 'nearly sorted n=1e6', 'Array.prototype.sort'],
    ['Float32 keys', 'float32 keys n=1e6', 'Float32Array.prototype.sort'],
    ['nearly sorted objects (comparator)', 'nearly sorted objects n=1e6', 'Array.prototype.sort'],
  ];
  const ms = (c: string, impl: string) =>
    results.find((r) => r.case === c && r.impl === impl && r.metric === 'median time')?.value;
  return markdownTable(
    ['input, n = 10⁶', ...columns.map(([label]) => label)],
    rows.map(([label, c, builtIn]) => {
      const values = columns.map(([, impl]) => ms(c, impl || builtIn));
      const best = Math.min(...values.filter((v): v is number => v !== undefined));
      return [
        label,
        ...values.map((v) =>
          v === undefined ? '' : v === best ? `**${formatNumber(v)}**` : formatNumber(v),
        ),
      ];
    }),
    { align: ['left', 'right', 'right', 'right', 'right', 'right', 'right', 'right'] },
  );
}

function sortingChart(): Promise<string> {
  return groupedBarChartSvg({
    title: 'Sorting 1e6 numbers: median ms (lower is better)',
    category: 'input',
    value: { label: 'ms', log: true },
    bars: results
      .filter((r) => r.metric === 'median time' && r.case.endsWith('n=1e6'))
      .map((r) => ({ category: r.case.replace(' n=1e6', ''), series: r.impl, value: r.value })),
    width: 720,
  });
}
