import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crossEntropy, evaluate, noGrad, Tensor } from '@mle/autograd';
import { exportModule, OnnxSession, quantizeDynamicInt8, readModel } from '@mle/onnx';
import {
  type BenchResult,
  createProgress,
  formatTable,
  groupedBarChartSvg,
  printBenchReport,
} from '@mle/report';
import { argmax, fromTypedArray, type NDArray } from '@mle/tensor';
import { latencyStats, timeRuns } from './latency.js';
import { ARTIFACTS, trainedMnistMlp } from './mnist.js';

const BATCHES = [1, 8, 32] as const;
const ITERS: Record<number, number> = { 1: 400, 8: 200, 32: 100 };
const WARMUP = 20;

/**
 * The MNIST MLP three ways on the same inputs: our TypeScript forward pass, onnxruntime float32, and
 * onnxruntime with the weights quantized to int8. Prints accuracy, size and throughput per batch size;
 * with `bench`, prints only the report (and `--json` makes it one JSON object).
 */
export async function demo(options: { bench: boolean; json: boolean }): Promise<void> {
  const say = (line = '') => {
    if (!options.bench) console.log(line);
  };
  const { model, data } = trainedMnistMlp(say);
  const float32 = exportModule(model, data.test.x.slice({ stop: 1 }), {
    metadata: {
      docString: 'MNIST MLP 784-128-10 trained by @mle/autograd',
      properties: { labels: '0,1,2,3,4,5,6,7,8,9', preprocessing: 'pixels / 255, row-major 28×28' },
    },
  });
  const { bytes: int8, report } = quantizeDynamicInt8(float32);
  mkdirSync(ARTIFACTS, { recursive: true });
  writeFileSync(join(ARTIFACTS, 'mnist-mlp.onnx'), float32);
  writeFileSync(join(ARTIFACTS, 'mnist-mlp.int8.onnx'), int8);
  say(
    `\nexported ${ARTIFACTS}mnist-mlp.onnx (${kib(float32.length)}) and mnist-mlp.int8.onnx (${kib(int8.length)})`,
  );
  say(
    `weights: ${kib(report.floatWeightBytes)} float32 → ${kib(report.int8WeightBytes)} int8 (${pct(report.int8WeightBytes / report.floatWeightBytes)}), ops: ${readModel(
      int8,
    )
      .opCounts.map(([op, n]) => `${op}×${n}`)
      .join(' ')}`,
  );

  const sessions = { float32: await OnnxSession.create(float32), int8: await OnnxSession.create(int8) };
  const results: BenchResult[] = [];
  try {
    const ts = evaluate(model, data.test.x, data.test.y, crossEntropy).accuracy;
    const accuracy = {
      typescript: ts,
      float32: await onnxAccuracy(sessions.float32, data.test.x, data.test.y),
      int8: await onnxAccuracy(sessions.int8, data.test.x, data.test.y),
    };
    for (const [impl, value] of Object.entries(accuracy))
      results.push({ case: 'test set', impl, metric: 'test_accuracy', value: 100 * value, unit: '%' });

    const progress = createProgress({ total: BATCHES.length * 3, label: 'throughput' });
    for (const batch of BATCHES) {
      const x = data.test.x.slice({ stop: batch });
      const runs = {
        float32: () => sessions.float32.run({ input: x }),
        int8: () => sessions.int8.run({ input: x }),
        typescript: () => noGrad(() => model.forward(new Tensor(x))),
      };
      for (const [impl, run] of Object.entries(runs)) {
        const stats = latencyStats(await timeRuns(run, WARMUP, ITERS[batch]!), batch);
        results.push({
          case: `batch=${batch}`,
          impl,
          metric: 'items_per_s',
          value: stats.itemsPerSecond,
          unit: 'items/s',
        });
        results.push({ case: `batch=${batch}`, impl, metric: 'p50', value: stats.p50, unit: 'ms' });
        progress.increment();
      }
    }
    progress.stop();
  } finally {
    await sessions.float32.release();
    await sessions.int8.release();
  }

  if (options.bench) {
    printBenchReport({ package: '@mle/onnx-inference', results }, options.json ? ['--json'] : []);
    return;
  }
  const get = (c: string, impl: string, metric: string) =>
    results.find((r) => r.case === c && r.impl === impl && r.metric === metric)!.value;
  say('\naccuracy on the 2,000 test digits:');
  say(
    formatTable(
      ['implementation', 'test accuracy'],
      ['typescript', 'float32', 'int8'].map((impl) => [
        impl,
        `${get('test set', impl, 'test_accuracy').toFixed(2)}%`,
      ]),
    ),
  );
  say(
    '\nthroughput (items/s, median latency, 1 onnxruntime thread; our TypeScript forward uses its own kernels):',
  );
  say(
    formatTable(
      [
        'batch',
        'typescript',
        'onnxruntime float32',
        'onnxruntime int8',
        'int8 ÷ float32',
        'float32 ÷ typescript',
      ],
      BATCHES.map((b) => {
        const c = `batch=${b}`;
        return [
          b,
          get(c, 'typescript', 'items_per_s'),
          get(c, 'float32', 'items_per_s'),
          get(c, 'int8', 'items_per_s'),
          `${(get(c, 'int8', 'items_per_s') / get(c, 'float32', 'items_per_s')).toFixed(2)}×`,
          `${(get(c, 'float32', 'items_per_s') / get(c, 'typescript', 'items_per_s')).toFixed(2)}×`,
        ];
      }),
    ),
  );
  const speedup = get('batch=32', 'int8', 'items_per_s') / get('batch=32', 'float32', 'items_per_s');
  const loss = get('test set', 'float32', 'test_accuracy') - get('test set', 'int8', 'test_accuracy');
  say(
    `\ntarget: int8 ≥ 1.5× float32 at batch 32 → ${speedup.toFixed(2)}× ${speedup >= 1.5 ? 'met' : 'MISSED'}`,
  );
  say(
    `target: int8 loses ≤ 0.5 accuracy points → ${loss.toFixed(2)} points ${loss <= 0.5 ? 'met' : 'MISSED'}`,
  );
  const charts = new URL('../charts/', import.meta.url);
  mkdirSync(charts, { recursive: true });
  const svg = await groupedBarChartSvg({
    title: 'MNIST MLP throughput, items/s (median), 2 vCPU',
    category: 'batch size',
    value: { label: 'items/s', log: true },
    bars: results
      .filter((r) => r.metric === 'items_per_s')
      .map((r) => ({ category: r.case, series: r.impl, value: r.value })),
  });
  writeFileSync(new URL('mnist-throughput.svg', charts), svg);
  say(`chart written to ${new URL('mnist-throughput.svg', charts).pathname}`);
}

async function onnxAccuracy(session: OnnxSession, x: NDArray, y: NDArray): Promise<number> {
  const logits = (await session.run({ input: x })).output!;
  const predicted = argmax(fromTypedArray(logits.data as Float32Array, [...logits.dims]), 1).data;
  const labels = y.toTypedArray();
  let correct = 0;
  for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
  return correct / labels.length;
}

const kib = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
