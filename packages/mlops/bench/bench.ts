/**
 * Run: pnpm --filter @mle/mlops bench [-- --json] [-- --quick]
 * What the loop costs and how fast it sees trouble, on this machine:
 *  - tracking: metrics logged per second into the SQLite store (one call per metric, and batches of 100), beside
 *    MLflow's file-store layout (a line appended to a file per metric) as the peer design;
 *  - monitoring: the model server's infer latency with the traffic histograms on and off (the same model under two
 *    names, requests interleaved), one row and 32 rows a request;
 *  - deployment: versions swapped back and forth under a closed loop of 4 clients: failed requests, the time from
 *    the config write to the first answer from the new version (the server polls every 100 ms), and latency
 *    percentiles in steady state and within a second of a swap;
 *  - drift: each shift replayed through the server, the sample size at which the job first alerts; false alarms
 *    over disjoint slices of fresh test images; and the window's PSI over a stream that turns rotated
 *    (charts/drift-over-time.svg): clean test images, then rotated ones.
 * --quick: fewer repetitions, and the drift figures on fewer images.
 */
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@mle/datasets';
import { OnnxSession } from '@mle/onnx-runtime';
import {
  type BenchResult,
  benchFlags,
  benchLog,
  benchRecord,
  commitBenchRun,
  lineChartSvg,
  markdownTable,
  median,
  percentile,
  printBenchReport,
} from '@mle/report';
import {
  deployToRepository,
  detectShifts,
  loadGenerator,
  ModelRegistry,
  mnistPipeline,
  referenceHistograms,
  rotate,
  runPipeline,
  type Sample,
  SHIFTS,
  SqliteTrackingStore,
  servingConfig,
  sessionClassifier,
  startModelServer,
  windowDriftOverStream,
} from '../src/index.js';

const { json, quick } = benchFlags();
const log = benchLog({ json });
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const results: BenchResult[] = [];
const scratch = mkdtempSync(join(tmpdir(), 'mlops-bench-'));

// --- tracking throughput ---------------------------------------------------------------------------------------
{
  const n = quick ? 2000 : 20_000;
  const rounds = quick ? 1 : 3;
  const rates: Record<string, number[]> = { single: [], batched: [], 'file store': [] };
  for (let round = 0; round < rounds; round++) {
    const store = new SqliteTrackingStore(join(scratch, `tracking-${round}.db`));
    const id = await store.startRun({ experiment: 'bench', params: {} });
    let t = performance.now();
    for (let i = 0; i < n; i++) await store.logMetric(id, 'loss', 1 / (i + 1), i);
    rates.single!.push(n / ((performance.now() - t) / 1000));
    const id2 = await store.startRun({ experiment: 'bench', params: {} });
    t = performance.now();
    for (let i = 0; i < n; i += 100)
      await store.logMetrics(
        id2,
        Array.from({ length: 100 }, (_, k) => ({ key: 'loss', value: 1 / (i + k + 1), step: i + k })),
      );
    rates.batched!.push(n / ((performance.now() - t) / 1000));
    await store.close();
    // MLflow's file store: <run>/metrics/<key>, one "timestamp value step" line appended per metric.
    const dir = join(scratch, `file-store-${round}`, 'metrics');
    mkdirSync(dir, { recursive: true });
    t = performance.now();
    for (let i = 0; i < n; i++) appendFileSync(join(dir, 'loss'), `${Date.now()} ${1 / (i + 1)} ${i}\n`);
    rates['file store']!.push(n / ((performance.now() - t) / 1000));
  }
  for (const [impl, values] of Object.entries(rates)) {
    results.push({ case: 'tracking', impl, metric: 'metrics_per_s', value: median(values), unit: '1/s' });
    log(`tracking, ${impl}: ${median(values).toFixed(0)} metrics/s`);
  }
}

// --- two models through the pipeline, then a server -------------------------------------------------------------
const root = join(scratch, 'pipeline');
const db = join(root, 'runs.db');
const repository = join(root, 'model-repository');
for (const epochs of [1, 3]) await runPipeline(mnistPipeline({ epochs, registry: db, repository }), { root });
// The same production model under a second name without monitoring: the peer for the histograms' cost.
const plain = join(repository, 'mnist-plain');
cpSync(join(repository, 'mnist'), plain, { recursive: true });
const { monitoring: _, ...plainConfig } = JSON.parse(readFileSync(join(plain, 'config.json'), 'utf8'));
writeFileSync(join(plain, 'config.json'), JSON.stringify({ ...plainConfig, name: 'mnist-plain' }));
const { test, train } = loadMnist({ seed: 0 });
let server = await startModelServer(repository, { pollMs: 100 });

// --- monitoring overhead ---------------------------------------------------------------------------------------
for (const rows of [1, 32]) {
  const body = JSON.stringify({
    inputs: [
      {
        name: 'input',
        shape: [rows, 784],
        datatype: 'FP32',
        data: Array.from(test.images.subarray(0, rows * 784)),
      },
    ],
  });
  const times: Record<string, number[]> = { mnist: [], 'mnist-plain': [] };
  const requests = quick ? 200 : 2000;
  for (let i = 0; i < requests; i++)
    for (const model of i % 2 === 0 ? ['mnist', 'mnist-plain'] : ['mnist-plain', 'mnist']) {
      const t = performance.now();
      const res = await fetch(`${server.base}/v2/models/${model}/infer`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await res.arrayBuffer();
      if (i >= requests / 10) times[model]!.push(performance.now() - t); // the first tenth warms up
    }
  const on = median(times.mnist!);
  const off = median(times['mnist-plain']!);
  results.push(
    { case: `infer-${rows}-rows`, impl: 'monitored', metric: 'median_ms', value: on, unit: 'ms' },
    { case: `infer-${rows}-rows`, impl: 'unmonitored', metric: 'median_ms', value: off, unit: 'ms' },
  );
  log(
    `infer, ${rows} rows a request: ${on.toFixed(3)} ms monitored, ${off.toFixed(3)} ms not (×${(on / off).toFixed(2)})`,
  );
}

// --- swaps under load ------------------------------------------------------------------------------------------
{
  const registry = new ModelRegistry(db);
  const body = JSON.stringify({
    inputs: [
      { name: 'input', shape: [1, 784], datatype: 'FP32', data: Array.from(test.images.subarray(0, 784)) },
    ],
  });
  const load = loadGenerator(`${server.base}/v2/models/mnist/infer`, body, 4);
  await load.until('2');
  await new Promise((r) => setTimeout(r, 1000));
  const swaps = quick ? 4 : 10;
  const toNew: number[] = [];
  const swapTimes: number[] = [];
  for (let s = 0; s < swaps; s++) {
    const target = s % 2 === 0 ? 1 : 2;
    const at = performance.now();
    deployToRepository(registry, registry.get('mnist', target), repository);
    toNew.push((await load.until(String(target))) - at);
    swapTimes.push(at);
    await new Promise((r) => setTimeout(r, 1500));
  }
  const samples: Sample[] = await load.stop();
  registry.close();
  const failed = samples.filter((s) => s.status !== 200).length;
  const near = (s: Sample) => swapTimes.some((t) => s.sentAt >= t && s.sentAt < t + 1000);
  const latency = (xs: Sample[]) => xs.map((s) => s.receivedAt - s.sentAt);
  const steady = latency(samples.filter((s) => !near(s)));
  const swapping = latency(samples.filter(near));
  results.push(
    { case: 'swap', impl: 'requests', metric: 'count', value: samples.length, unit: '' },
    { case: 'swap', impl: 'requests', metric: 'failed', value: failed, unit: '' },
    { case: 'swap', impl: 'config-to-new-version', metric: 'median_ms', value: median(toNew), unit: 'ms' },
    { case: 'swap', impl: 'steady', metric: 'p50_ms', value: percentile(steady, 50), unit: 'ms' },
    { case: 'swap', impl: 'steady', metric: 'p99_ms', value: percentile(steady, 99), unit: 'ms' },
    {
      case: 'swap',
      impl: 'within-1s-of-swap',
      metric: 'p50_ms',
      value: percentile(swapping, 50),
      unit: 'ms',
    },
    {
      case: 'swap',
      impl: 'within-1s-of-swap',
      metric: 'p99_ms',
      value: percentile(swapping, 99),
      unit: 'ms',
    },
  );
  log(
    `swaps: ${swaps} under 4 clients, ${samples.length} requests, ${failed} failed; new version answering ${median(toNew).toFixed(0)} ms after the config write (median); p99 ${percentile(steady, 99).toFixed(1)} ms steady, ${percentile(swapping, 99).toFixed(1)} ms within a second of a swap`,
  );
}

// --- drift detection -------------------------------------------------------------------------------------------
const session = await OnnxSession.create(readFileSync(join(repository, 'mnist', '2', 'model.onnx')));
const classify = sessionClassifier(session);
const { monitoring, labels } = servingConfig();
const reference = await referenceHistograms(monitoring, train.images, train.count, classify, labels);
const checkpoints = quick ? [25, 50, 100, 200] : [10, 25, 50, 100, 200, 400, 800];
const detections = await detectShifts({
  base: server.base,
  reference,
  images: test.images,
  labels: test.labels,
  checkpoints,
  classify,
});
for (const d of detections) {
  results.push(
    {
      case: `drift: ${d.shift}`,
      impl: 'drift-job',
      metric: 'caught_at',
      value: d.caughtAt ?? -1,
      unit: 'images',
    },
    { case: `drift: ${d.shift}`, impl: 'served-model', metric: 'accuracy', value: d.accuracy, unit: '' },
  );
  log(`drift, ${d.shift}: ${d.caughtAt === null ? 'not caught' : `caught after ${d.caughtAt} images`}`);
}
// False alarms: ten disjoint slices of 200 fresh test images, each checked at every checkpoint up to 200.
const alarmCheckpoints = checkpoints.filter((c) => c <= 200);
const slice = alarmCheckpoints.at(-1)!;
const slices = Math.floor(test.count / slice);
let alarms = 0;
for (let k = 0; k < slices; k++) {
  const [control] = await detectShifts({
    base: server.base,
    reference,
    images: test.images.subarray(k * slice * 784, (k + 1) * slice * 784),
    labels: test.labels.subarray(k * slice, (k + 1) * slice),
    checkpoints: alarmCheckpoints,
    classify,
    shifts: SHIFTS.slice(0, 1),
  });
  if (control!.caughtAt !== null) alarms++;
}
results.push({
  case: 'drift: false alarms',
  impl: 'drift-job',
  metric: 'slices_alerting',
  value: alarms,
  unit: `of ${slices}`,
});
log(`false alarms: ${alarms} of ${slices} clean slices of ${slice} images`);
await server.stop();

// PSI over time: a fresh server (an empty window), 1,000 clean test images, then all 2,000 rotated 15° (enough to
// turn the whole 2,000-row window over).
server = await startModelServer(repository, { pollMs: 100 });
const half = quick ? 400 : 1000;
const stream = new Float32Array((half + test.count) * 784);
stream.set(test.images.subarray(0, half * 784));
stream.set(rotate(test.images, 15), half * 784);
const overTime = await windowDriftOverStream({
  base: server.base,
  model: 'mnist',
  images: stream,
  reference,
  every: 100,
});
await server.stop();
await session.release();
const firstAlert = overTime.find((c) => c.report.alert)?.rows ?? -1;
results.push({
  case: 'drift over time',
  impl: 'window',
  metric: 'first_alert_row',
  value: firstAlert,
  unit: 'rows',
});
log(`window drift: rotation begins at row ${half}, first alert at row ${firstAlert}`);
rmSync(scratch, { recursive: true, force: true });

const run = benchRecord({ package: '@mle/mlops', results });
printBenchReport(run, { json });
if (!json && !quick) {
  const value = (c: string, impl: string, metric: string) =>
    results.find((r) => r.case === c && r.impl === impl && r.metric === metric)!.value;
  const chart = await lineChartSvg({
    title: `The server's window (the last ${monitoring.window_rows} rows) against the training data: clean, then rotated 15°`,
    x: { label: 'images served', format: 'd' },
    y: { label: 'PSI, or share of pixels' },
    series: [
      { name: 'mean pixel PSI', points: overTime.map((c) => ({ x: c.rows, y: c.report.inputs.meanPsi })) },
      {
        name: 'confidence PSI',
        points: overTime.map((c) => ({ x: c.rows, y: c.report.prediction.confidencePsi })),
      },
      {
        name: 'pixels drifted (share)',
        points: overTime.map((c) => ({ x: c.rows, y: c.report.inputs.drifted / c.report.inputs.features })),
      },
    ],
    markers: [
      { x: half, label: 'rotation begins' },
      ...(firstAlert > 0 ? [{ x: firstAlert, label: 'first alert' }] : []),
    ],
  });
  const tables = [
    markdownTable(
      ['tracking store', 'metrics logged per second (median of 3)'],
      [
        ['SQLite (WAL), one call per metric', value('tracking', 'single', 'metrics_per_s').toFixed(0)],
        ['SQLite (WAL), batches of 100', value('tracking', 'batched', 'metrics_per_s').toFixed(0)],
        [
          'MLflow-style file store (a line appended per metric)',
          value('tracking', 'file store', 'metrics_per_s').toFixed(0),
        ],
      ],
      { align: ['left', 'right'] },
    ),
    markdownTable(
      ['infer request', 'monitored (ms, median)', 'unmonitored (ms, median)', 'ratio'],
      [1, 32].map((rows) => {
        const on = value(`infer-${rows}-rows`, 'monitored', 'median_ms');
        const off = value(`infer-${rows}-rows`, 'unmonitored', 'median_ms');
        return [
          `${rows} row${rows === 1 ? '' : 's'}`,
          on.toFixed(3),
          off.toFixed(3),
          `${(on / off).toFixed(2)}×`,
        ];
      }),
      { align: ['left', 'right', 'right', 'right'] },
    ),
    markdownTable(
      ['swaps under 4 clients', 'value'],
      [
        ['requests', value('swap', 'requests', 'count').toFixed(0)],
        ['failed', value('swap', 'requests', 'failed').toFixed(0)],
        [
          'config written → new version answering (median)',
          `${value('swap', 'config-to-new-version', 'median_ms').toFixed(0)} ms`,
        ],
        [
          'latency p50 / p99, steady',
          `${value('swap', 'steady', 'p50_ms').toFixed(1)} / ${value('swap', 'steady', 'p99_ms').toFixed(1)} ms`,
        ],
        [
          'latency p50 / p99, within 1 s of a swap',
          `${value('swap', 'within-1s-of-swap', 'p50_ms').toFixed(1)} / ${value('swap', 'within-1s-of-swap', 'p99_ms').toFixed(1)} ms`,
        ],
      ],
      { align: ['left', 'right'] },
    ),
    markdownTable(
      ['shift', `caught after (checks at ${checkpoints.join(', ')})`, 'accuracy under it'],
      detections.map((d) => [
        d.shift,
        d.caughtAt === null ? 'not caught' : `${d.caughtAt} images`,
        `${(100 * d.accuracy).toFixed(2)}%`,
      ]),
      { align: ['left', 'right', 'right'] },
    ),
    `False alarms: ${alarms} of ${slices} disjoint slices of ${slice} fresh test images alerted at any checkpoint (${alarmCheckpoints.join(', ')}). In the stream below, the rotation begins at image ${half}; the window first alerts at image ${firstAlert}.`,
    '![Window PSI over a stream that turns rotated](charts/drift-over-time.svg)',
  ];
  commitBenchRun(packageDir, run, {
    charts: { 'drift-over-time.svg': chart },
    markdown: tables.join('\n\n'),
  });
}
