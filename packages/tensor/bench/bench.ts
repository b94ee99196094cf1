/**
 * pnpm --filter @mle/tensor bench [-- --json] [-- --quick]
 *
 * Float32 square matmul at n = 128…1024: every rung of our ladder beside TensorFlow.js (cpu and wasm
 * backends), ml-matrix and onnxruntime-node (1 and 2 threads), in one process; GFLOP/s = 2n³ / median time.
 * Then the crossover sizes behind `defaultKernel`, and the 1e6-element broadcast add against a plain loop.
 * A full run (no --json, no --quick) writes the README's results tables, charts/matmul-gflops.svg and
 * bench/results.json from the same numbers.
 */
import { availableParallelism } from 'node:os';
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
  resultValue,
  sentence,
} from '@mle/report';
import { add, MATMUL_KERNELS, type MatmulKernelName, matmulPool, Rng } from '../src/index.js';
import { PEERS, quietTfjs } from './peers.js';

const { json, quick } = benchFlags();
const sizes = quick ? [128, 256] : [128, 256, 512, 1024];
const rungs = Object.keys(MATMUL_KERNELS) as MatmulKernelName[];
const results: BenchResult[] = [];
const record = (c: string, impl: string, metric: string, value: number, unit: string) =>
  results.push({ case: c, impl, metric, value, unit });

quietTfjs();
const progress = createProgress({ total: sizes.length * (rungs.length + PEERS.length) + 3, label: 'bench' });

for (const n of sizes) {
  const rng = new Rng(n);
  const a = rng.normal([n, n]).data as Float32Array;
  const b = rng.normal([n, n]).data as Float32Array;
  const flops = 2 * n ** 3;
  const gflops = (ms: number) => flops / ms / 1e6;
  const label = `matmul n=${n}`;
  const reference = checksum(MATMUL_KERNELS['wasm-simd'](a, b, n, n, n));
  const perImpl = new Map<string, number>();
  for (const rung of rungs) {
    // The naive loop at n=1024 takes seconds a run: one warm-up and three samples are enough to rank it.
    const t = await measureAdaptive(() => MATMUL_KERNELS[rung](a, b, n, n, n), { budgetMs: 1500 });
    perImpl.set(rung, gflops(t.median));
    progress.increment(1, { n, impl: rung });
  }
  for (const peer of PEERS) {
    const { run, release } = await peer.prepare(a, b, n);
    const sum = await run();
    // All implementations multiply the same matrices: their checksums agree to float32 accuracy.
    if (Math.abs(sum - reference) > 1e-3 * Math.sqrt(n) * n) {
      throw new Error(`${peer.name} at n=${n}: checksum ${sum} differs from ours (${reference})`);
    }
    const t = await measureAdaptive(run, { budgetMs: 1500 });
    perImpl.set(peer.name, gflops(t.median));
    await release();
    progress.increment(1, { n, impl: peer.name });
  }
  for (const [impl, value] of perImpl) record(label, impl, 'throughput', value, 'GFLOP/s');
  const best = Math.max(...rungs.map((r) => perImpl.get(r)!));
  record(label, 'best of ours', 'ratio to tfjs-wasm', best / perImpl.get('tfjs-wasm')!, 'x');
  record(label, 'best of ours', 'ratio to onnxruntime-2t', best / perImpl.get('onnxruntime-2t')!, 'x');
  record(label, 'best of ours', 'ratio to onnxruntime-1t', best / perImpl.get('onnxruntime-1t')!, 'x');
}

// Where each rung starts to pay, for defaultKernel's thresholds.
for (const n of [8, 16, 32, 64, 96, 128, 192]) {
  const rng = new Rng(n);
  const a = rng.normal([n, n]).data as Float32Array;
  const b = rng.normal([n, n]).data as Float32Array;
  for (const rung of ['blocked', 'wasm-simd', 'wasm-simd-parallel'] as const) {
    const t = await measureAdaptive(() => MATMUL_KERNELS[rung](a, b, n, n, n), {
      budgetMs: 200,
      maxRuns: 200,
    });
    record(`crossover n=${n}`, rung, 'throughput', (2 * n ** 3) / t.median / 1e6, 'GFLOP/s');
  }
}
progress.increment(1, { impl: 'crossover' });

// Element-wise: a 1000×1000 + 1000 broadcast add, and the same-shape add, against a plain loop.
{
  const rng = new Rng(1);
  const x = rng.normal([1000, 1000]);
  const row = rng.normal([1000]);
  const y = rng.normal([1000, 1000]);
  const xs = x.data as Float32Array;
  const ys = y.data as Float32Array;
  const plain = (p: Float32Array, q: Float32Array) => {
    const out = new Float32Array(p.length);
    for (let i = 0; i < p.length; i++) out[i] = p[i]! + q[i]!;
    return out;
  };
  const tPlain = await measureAdaptive(() => plain(xs, ys), { budgetMs: 1000, maxRuns: 100 });
  const tSame = await measureAdaptive(() => add(x, y), { budgetMs: 1000, maxRuns: 100 });
  const tBroadcast = await measureAdaptive(() => add(x, row), { budgetMs: 1000, maxRuns: 100 });
  record('add 1e6', 'plain loop', 'median time', tPlain.median, 'ms');
  record('add 1e6', 'ours, same shape', 'median time', tSame.median, 'ms');
  record('add 1e6', 'ours, [1000,1000] + [1000]', 'median time', tBroadcast.median, 'ms');
  record('add 1e6', 'ours, broadcast', 'ratio to plain loop', tBroadcast.median / tPlain.median, 'x');
  progress.increment(2, { impl: 'add' });
}
progress.stop();
matmulPool().close();

printBenchReport({ package: '@mle/tensor', results }, { json });
if (!json) {
  console.log(
    `\n${availableParallelism()} threads available; wasm-simd-parallel used ${matmulPool().threads}.`,
  );
  // The targets are set at n = 512, which a quick run does not measure; it also writes nothing.
  if (!quick) {
    console.log(`\n${targets().join('\n')}`);
    const record = benchRecord({ package: '@mle/tensor', results });
    commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), record, {
      charts: { 'matmul-gflops.svg': await gflopsChart() },
      markdown: readmeTables(),
    });
    console.log(
      `\nrun ${record.run}: wrote bench/results.json, charts/matmul-gflops.svg and the README's results tables`,
    );
  }
}

function value(c: string, impl: string, metric: string): number {
  return resultValue(results, c, impl, metric);
}

function targets(): string[] {
  const c = 'matmul n=512';
  const wasm = value(c, 'best of ours', 'ratio to tfjs-wasm');
  const ort = value(c, 'best of ours', 'ratio to onnxruntime-2t');
  return [
    `target: best of ours ≥ 1.0× tfjs-wasm at n = 512 → ${wasm.toFixed(2)}× ${wasm >= 1 ? 'met' : 'MISSED'}`,
    `target: best of ours ≥ 0.35× onnxruntime on 2 threads at n = 512 → ${ort.toFixed(2)}× ${ort >= 0.35 ? 'met' : 'MISSED'}`,
  ];
}

/** GFLOP/s per implementation and size (the best of ours in bold), the ratios, the targets and the element-wise add. */
function readmeTables(): string {
  const impls = [...rungs, ...PEERS.map((p) => p.name)];
  const gflops = markdownTable(
    ['float32 n×n', ...impls],
    sizes.map((n) => {
      const c = `matmul n=${n}`;
      const best = Math.max(...rungs.map((r) => value(c, r, 'throughput')));
      return [
        n,
        ...impls.map((impl) => {
          const v = value(c, impl, 'throughput');
          return v === best ? `**${formatNumber(v)}**` : formatNumber(v);
        }),
      ];
    }),
    { align: ['right', ...impls.map(() => 'right' as const)] },
  );
  const peers = ['tfjs-wasm', 'onnxruntime-1t', 'onnxruntime-2t'];
  const ratios = markdownTable(
    ['n', ...peers.map((p) => `best of ours ÷ ${p}`)],
    sizes.map((n) => [
      n,
      ...peers.map((p) => `${value(`matmul n=${n}`, 'best of ours', `ratio to ${p}`).toFixed(2)}×`),
    ]),
    { align: ['right', 'right', 'right', 'right'] },
  );
  const add = (impl: string) => value('add 1e6', impl, 'median time').toFixed(2);
  const broadcast = value('add 1e6', 'ours, broadcast', 'ratio to plain loop');
  return [
    gflops,
    ratios,
    targets().map(sentence).join(' '),
    `Element-wise: \`[1000,1000] + [1000]\` (broadcast) ${add('ours, [1000,1000] + [1000]')} ms, the same-shape add ${add('ours, same shape')} ms, a plain \`for\` loop over two Float32Arrays that allocates its output ${add('plain loop')} ms: broadcast ÷ loop = **${broadcast.toFixed(2)}×** (target ≤ 3×).`,
  ].join('\n\n');
}

function gflopsChart(): Promise<string> {
  return groupedBarChartSvg({
    title: 'float32 matmul, GFLOP/s (median)',
    category: 'matrix size',
    value: { label: 'GFLOP/s' },
    bars: results
      .filter((r) => r.case.startsWith('matmul') && r.metric === 'throughput' && r.impl !== 'naive')
      .map((r) => ({ category: r.case.replace('matmul ', ''), series: r.impl, value: r.value })),
    width: 720,
  });
}

function checksum(c: Float32Array): number {
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i]!;
  return s;
}
