/**
 * pnpm --filter @mle/model-server bench [-- --json] [-- --quick]
 *
 * Two models — `mlp` (the MNIST MLP, 784-128-10) and `wide` (784-4096-4096-10, ~20M parameters, ~80 MB, trained
 * briefly) — each served by five servers, every server in its own process, loaded on loopback by autocannon at
 * concurrency 1, 16 and 64: throughput and p50/p99 latency. Then text generation with the character GPT under
 * three schedulings (bench/generation.ts), and the memory checks: RSS after 10k and 100k inferences, and after 1k
 * and 10k short generations.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Adam,
  crossEntropy,
  DataLoader,
  fit,
  Linear,
  manualSeed,
  ReLU,
  Sequential,
  Softmax,
} from '@mle/autograd';
import { mnistArrays } from '@mle/autograd/mnist';
import { exportModule } from '@mle/onnx';
import {
  type BenchResult,
  benchFlags,
  benchRecord,
  commitBenchRun,
  createProgress,
  formatNumber,
  formatTable,
  groupedBarChartSvg,
  markdownTable,
  printBenchReport,
  resultValue,
  sentence,
} from '@mle/report';
import autocannon from 'autocannon';
import {
  decodeStepBench,
  GENERATION_CONCURRENCY,
  GENERATION_WORKLOAD,
  generationBench,
  SCHEDULINGS,
} from './generation.js';

const { json, quick } = benchFlags();
const say = (line = '') => {
  if (!json) console.log(line);
};
const app = fileURLToPath(new URL('..', import.meta.url));
const tsx = join(app, 'node_modules', '.bin', 'tsx');
const work = mkdtempSync(join(tmpdir(), 'mle-serving-bench-'));
const DURATION = quick ? 2 : 4;
const CONCURRENCY = [1, 16, 64];

// ---- models -------------------------------------------------------------------------------------------
const data = mnistArrays({ image: 'flat' });
say('building models: the MNIST MLP (from build-models) and the wide MLP (trained briefly here)…');
execFileSync(tsx, ['--conditions=@mle/source', 'scripts/build-models.ts', join(work, 'built')], {
  cwd: app,
  env: {
    ...process.env,
    MODEL_EPOCHS: quick ? '2' : '8',
    CI: 'true',
    ...(quick ? { GPT_RECIPE: 'quick' } : {}),
  },
  stdio: 'pipe',
});
manualSeed(0);
const wide = new Sequential(
  new Linear(784, 4096),
  new ReLU(),
  new Linear(4096, 4096),
  new ReLU(),
  new Linear(4096, 10),
);
fit({
  model: wide,
  optimizer: new Adam(wide.parameters(), { lr: 1e-4 }),
  loss: crossEntropy,
  train: new DataLoader(data.train.x.slice({ stop: 640 }), data.train.y.slice({ stop: 640 }), {
    batchSize: 64,
    seed: 0,
  }),
  epochs: 1,
  label: 'wide',
});
const models: Record<string, string> = {
  mlp: join(work, 'built', 'mnist', '1', 'model.onnx'),
  wide: join(work, 'wide.onnx'),
};
writeFileSync(
  models.wide!,
  exportModule(new Sequential(...wide.layers, new Softmax()), data.test.x.slice({ stop: 1 })),
);

/** A one-model repository for our server, with batching on or off. */
function repository(model: string, batching: boolean): string {
  const root = join(work, `repo-${model}-${batching ? 'on' : 'off'}`);
  mkdirSync(join(root, model, '1'), { recursive: true });
  writeFileSync(join(root, model, '1', 'model.onnx'), readFileSync(models[model]!));
  writeFileSync(
    join(root, model, 'config.json'),
    JSON.stringify({
      name: model,
      platform: 'onnxruntime_onnx',
      max_batch_size: batching ? 64 : 1,
      input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [784] }],
      output: [{ name: 'output', data_type: 'TYPE_FP32', dims: [10] }],
      dynamic_batching: { max_queue_delay_us: batching ? 2000 : 0, max_queue_size: 1024 },
    }),
  );
  return root;
}

// ---- servers ------------------------------------------------------------------------------------------
async function launch(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(tsx, ['--conditions=@mle/source', ...args], {
    cwd: app,
    env: { ...process.env, LOG_LEVEL: 'silent', ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.on('message', (m: { listening?: number }) => m.listening && resolve(m.listening));
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { port, child };
}

async function stop(child: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

const digit = Array.from(data.test.x.slice(0).toTypedArray());
const jsonBody = JSON.stringify({
  inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', data: digit }],
});
const header = Buffer.from(
  JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', parameters: { binary_data_size: 784 * 4 } }],
  }),
);
const binaryBody = Buffer.concat([header, Buffer.from(Float32Array.from(digit).buffer)]);

async function load(port: number, model: string, connections: number, binary: boolean) {
  const result = await autocannon({
    url: `http://127.0.0.1:${port}/v2/models/${model}/infer`,
    method: 'POST',
    connections,
    duration: DURATION,
    headers: binary
      ? {
          'content-type': 'application/octet-stream',
          'inference-header-content-length': String(header.length),
        }
      : { 'content-type': 'application/json' },
    body: binary ? binaryBody : jsonBody,
  });
  if (result.non2xx > 0 || result.errors > 0)
    throw new Error(`${model} c${connections}: ${result.non2xx} non-2xx, ${result.errors} errors`);
  return { reqPerS: result.requests.average, p50: result.latency.p50, p99: result.latency.p99 };
}

const IMPLS = ['naive', 'ceiling', 'server-no-batching', 'server-batching', 'server-binary'] as const;
const results: BenchResult[] = [];
const progress = createProgress({ total: IMPLS.length * 2 * CONCURRENCY.length, label: 'load' });
for (const model of ['mlp', 'wide']) {
  for (const impl of IMPLS) {
    const server =
      impl === 'naive' || impl === 'ceiling'
        ? await launch(['bench/peer-server.ts', impl, models[model]!])
        : await launch(['src/main.ts'], {
            PORT: '0',
            HOST: '127.0.0.1',
            POLL_MS: '0',
            MODEL_REPOSITORY: repository(model, impl !== 'server-no-batching'),
          });
    try {
      await load(server.port, model, 16, impl === 'server-binary'); // warm-up, not recorded
      for (const connections of CONCURRENCY) {
        const r = await load(server.port, model, connections, impl === 'server-binary');
        const c = `${model}-c${connections}`;
        results.push({ case: c, impl, metric: 'req_per_s', value: r.reqPerS, unit: 'req/s' });
        results.push({ case: c, impl, metric: 'p50_ms', value: r.p50, unit: 'ms' });
        results.push({ case: c, impl, metric: 'p99_ms', value: r.p99, unit: 'ms' });
        progress.increment(1, { model, impl, c: connections });
      }
    } finally {
      await stop(server.child);
    }
  }
}
progress.stop();

const get = (c: string, impl: string, metric: string) => resultValue(results, c, impl, metric);
const ratio = (model: string, a: string, b: string) =>
  get(`${model}-c64`, a, 'req_per_s') / get(`${model}-c64`, b, 'req_per_s');
const targets: [string, string, number, number][] = [
  ['mlp-c64', 'server-batching ÷ ceiling', ratio('mlp', 'server-batching', 'ceiling'), 0.9],
  ['mlp-c64', 'server-binary ÷ server-batching', ratio('mlp', 'server-binary', 'server-batching'), 1.3],
  [
    'wide-c64',
    'server-batching ÷ server-no-batching',
    ratio('wide', 'server-batching', 'server-no-batching'),
    4,
  ],
  ['wide-c64', 'server-batching ÷ naive', ratio('wide', 'server-batching', 'naive'), 4],
];
for (const [c, name, value] of targets)
  results.push({ case: c, impl: name, metric: 'ratio', value, unit: 'x' });

// ---- text generation: continuous vs request-level batching vs one at a time -----------------------------
say('generation: the character GPT under three schedulings…');
results.push(
  ...(await generationBench({
    built: join(work, 'built'),
    work,
    quick,
    launch: (env) => launch(['src/main.ts'], { PORT: '0', HOST: '127.0.0.1', POLL_MS: '0', ...env }),
    stop,
    onCase: (scheduling, clients) => say(`  ${scheduling}, ${clients} clients`),
  })),
);
results.push(...(await decodeStepBench(join(work, 'built'), quick)));
const generationRatio = (metric: string) =>
  get('gen-c32', 'continuous', metric) / get('gen-c32', 'request-level', metric);
results.push({
  case: 'gen-c32',
  impl: 'continuous ÷ request-level',
  metric: 'ratio',
  value: generationRatio('tokens_per_s'),
  unit: 'x',
});

// ---- memory: RSS of our server after 10k and after 100k requests ----------------------------------------
const memoryServer = await launch(['src/main.ts'], {
  PORT: '0',
  HOST: '127.0.0.1',
  POLL_MS: '0',
  MODEL_REPOSITORY: repository('mlp', true),
});
const rss = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${memoryServer.child.pid}/status`, 'utf8'))![1]) / 1024;
const requests = async (amount: number) => {
  const r = await autocannon({
    url: `http://127.0.0.1:${memoryServer.port}/v2/models/mlp/infer`,
    method: 'POST',
    connections: 64,
    amount,
    headers: { 'content-type': 'application/json' },
    body: jsonBody,
  });
  if (r.non2xx > 0 || r.errors > 0) throw new Error(`memory run: ${r.non2xx} non-2xx, ${r.errors} errors`);
};
const total = quick ? 20_000 : 100_000;
await requests(total / 10);
const after10 = rss();
await requests(total - total / 10);
const after100 = rss();
await stop(memoryServer.child);
results.push({
  case: 'memory',
  impl: 'server-batching',
  metric: `rss_after_${total / 10 / 1000}k`,
  value: after10,
  unit: 'MiB',
});
results.push({
  case: 'memory',
  impl: 'server-batching',
  metric: `rss_after_${total / 1000}k`,
  value: after100,
  unit: 'MiB',
});
results.push({
  case: 'memory',
  impl: 'server-batching',
  metric: 'rss_growth',
  value: after100 / after10,
  unit: 'x',
});

// RSS of a generating server after 1k and after 10k short generations (4 tokens each, 16 at a time).
const genServer = await launch(['src/main.ts'], {
  PORT: '0',
  HOST: '127.0.0.1',
  POLL_MS: '0',
  MODEL_REPOSITORY: join(work, 'gen-continuous'),
});
const genRss = () =>
  Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${genServer.child.pid}/status`, 'utf8'))![1]) / 1024;
const generations = async (amount: number) => {
  const r = await autocannon({
    url: `http://127.0.0.1:${genServer.port}/v2/models/gpt-char/generate`,
    method: 'POST',
    connections: 16,
    amount,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ text_input: 'Call me Ishmael. ', parameters: { max_tokens: 4 } }),
  });
  if (r.non2xx > 0 || r.errors > 0)
    throw new Error(`generation memory run: ${r.non2xx} non-2xx, ${r.errors} errors`);
};
const genTotal = quick ? 2_000 : 10_000;
await generations(genTotal / 10);
const genAfter1 = genRss();
await generations(genTotal - genTotal / 10);
const genAfter10 = genRss();
await stop(genServer.child);
for (const [metric, value, unit] of [
  [`rss_after_${genTotal / 10 / 1000}k`, genAfter1, 'MiB'],
  [`rss_after_${genTotal / 1000}k`, genAfter10, 'MiB'],
  ['rss_growth', genAfter10 / genAfter1, 'x'],
] as const)
  results.push({ case: 'memory-generation', impl: 'continuous', metric, value, unit });
rmSync(work, { recursive: true, force: true });

const SERVER_NAMES: Record<(typeof IMPLS)[number], string> = {
  naive: 'naive (Express + onnxruntime per request)',
  ceiling: 'ceiling (parse + validate JSON, constant answer)',
  'server-no-batching': 'ours, batching off',
  'server-batching': '**ours, batching on**',
  'server-binary': 'ours, binary tensor data',
};

printBenchReport({ package: '@mle/model-server', results }, { json });
const genMemoryLine = `RSS of the generating server after ${genTotal / 1000}k short generations ÷ after ${genTotal / 10 / 1000}k: ${(genAfter10 / genAfter1).toFixed(3)}× (target ≤ 1.10×) ${genAfter10 / genAfter1 <= 1.1 ? 'met' : 'MISSED'} (${genAfter1.toFixed(1)} → ${genAfter10.toFixed(1)} MiB)`;
const generationTarget = `continuous ÷ request-level tokens/s at 32 clients: ${generationRatio('tokens_per_s').toFixed(2)}× (target ≥ 2×) ${generationRatio('tokens_per_s') >= 2 ? 'met' : 'MISSED'}; p99 time to first token ${formatNumber(get('gen-c32', 'continuous', 'ttft_p99_ms'))} vs ${formatNumber(get('gen-c32', 'request-level', 'ttft_p99_ms'))} ms (target: lower) ${get('gen-c32', 'continuous', 'ttft_p99_ms') < get('gen-c32', 'request-level', 'ttft_p99_ms') ? 'met' : 'MISSED'}`;
const memoryLine = `RSS after ${total / 1000}k requests ÷ after ${total / 10 / 1000}k: ${(after100 / after10).toFixed(3)}× (target ≤ 1.10×) ${after100 / after10 <= 1.1 ? 'met' : 'MISSED'} (${after10.toFixed(1)} → ${after100.toFixed(1)} MiB)`;
if (!json) {
  say('\nthroughput, req/s (p99 ms) — concurrency 1 / 16 / 64:');
  const { header, rows } = throughputRows();
  say(formatTable(header, rows));
  say('\ntargets at concurrency 64:');
  for (const [, name, value, target] of targets)
    say(`  ${name}: ${value.toFixed(2)}× (target ≥ ${target}×) ${value >= target ? 'met' : 'MISSED'}`);
  say(`  ${memoryLine}`);
  say('\ngeneration (tokens/s; time to first token and between tokens, p50 / p99 ms):');
  say(formatTable(...generationRows()));
  say(`  ${generationTarget}`);
  say(`  ${decodeStepLine()}`);
  say(`  ${genMemoryLine}`);
  // The committed tables, chart and record come from one full run; a quick run only prints.
  if (!quick) {
    const record = benchRecord({ package: '@mle/model-server', results });
    commitBenchRun(app, record, {
      charts: { 'serving-throughput.svg': await throughputChart() },
      markdown: readmeTables(),
    });
    say(
      `\nrun ${record.run}: wrote bench/results.json, charts/serving-throughput.svg and the README's results tables`,
    );
  }
}

/** Requests per second (p99 ms) per model, server and concurrency. */
function throughputRows(names: Record<string, string> = {}) {
  const header = ['model', 'server', ...CONCURRENCY.map((c) => `c = ${c}`)];
  const rows = ['mlp', 'wide'].flatMap((model) =>
    IMPLS.map((impl) => [
      model,
      names[impl] ?? impl,
      ...CONCURRENCY.map(
        (c) =>
          `${formatNumber(Math.round(get(`${model}-c${c}`, impl, 'req_per_s')))} (${formatNumber(get(`${model}-c${c}`, impl, 'p99_ms'))})`,
      ),
    ]),
  );
  return { header, rows };
}

function readmeTables(): string {
  const { header, rows } = throughputRows(SERVER_NAMES);
  const throughput = markdownTable(header, rows, { align: ['left', 'left', 'right', 'right', 'right'] });
  const p99 = (c: string, impl: string) => formatNumber(get(c, impl, 'p99_ms'));
  const verdicts = markdownTable(
    ['target at concurrency 64', 'measured', 'p99 ms (this server ÷ the other)'],
    targets.map(([c, name, value, target]) => {
      const [a, b] = name.split(' ÷ ') as [string, string];
      return [
        `\`${c.replace('-c64', '')}\`: ${name} ≥ ${target}×`,
        `${value.toFixed(2)}× ${value >= target ? 'met' : 'missed'}`,
        `${p99(c, a)} ÷ ${p99(c, b)}`,
      ];
    }),
    { align: ['left', 'right', 'right'] },
  );
  const [genHeader, genRows] = generationRows();
  const generation = markdownTable(genHeader, genRows, {
    align: ['left', 'right', 'right', 'right', 'right'],
  });
  return `Requests per second (p99 latency in ms):\n\n${throughput}\n\n${verdicts}\n\n${sentence(memoryLine)}\n\nText generation with the character GPT, max_batch_size 32, streamed to 1, 8 and 32 clients on loopback; ${GENERATION_WORKLOAD}:\n\n${generation}\n\n${sentence(generationTarget)}\n\n${sentence(decodeStepLine())}\n\n${sentence(genMemoryLine)}`;
}

function throughputChart(): Promise<string> {
  return groupedBarChartSvg({
    title: 'Requests per second at concurrency 64 (loopback)',
    category: 'model',
    value: { label: 'req/s' },
    bars: ['mlp', 'wide'].flatMap((model) =>
      IMPLS.map((impl) => ({ category: model, series: impl, value: get(`${model}-c64`, impl, 'req_per_s') })),
    ),
    width: 640,
  });
}

/** Per scheduling and number of clients: tokens/s, time to first token and inter-token gap (p50 / p99 ms). */
function generationRows(): [string[], string[][]] {
  const header = ['scheduling', 'clients', 'tokens/s', 'first token p50 / p99', 'between tokens p50 / p99'];
  const rows = SCHEDULINGS.flatMap((impl) =>
    GENERATION_CONCURRENCY.map((clients) => {
      const c = `gen-c${clients}`;
      const pair = (metric: string) =>
        `${formatNumber(get(c, impl, `${metric}_p50_ms`))} / ${formatNumber(get(c, impl, `${metric}_p99_ms`))}`;
      return [
        impl === 'continuous' ? '**continuous**' : impl,
        String(clients),
        formatNumber(Math.round(get(c, impl, 'tokens_per_s'))),
        pair('ttft'),
        pair('itl'),
      ];
    }),
  );
  return [header, rows];
}

/** One decode step of the GPT, caches copied per step vs kept in slots. */
function decodeStepLine(): string {
  const at = (B: number) =>
    `${formatNumber(get(`decode-step-b${B}`, 'CausalLm (caches copied)', 'ms'))} vs ${formatNumber(get(`decode-step-b${B}`, 'CausalLmSlots', 'ms'))} ms at ${B}`;
  return `One decode step of the GPT with 64 cached positions a sequence, caches copied in and out every step (CausalLm) vs kept in slots (CausalLmSlots, what the server runs): ${[1, 8, 32].map(at).join(', ')} sequences`;
}
