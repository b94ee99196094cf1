import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crossEntropy, evaluate, noGrad, Tensor } from '@mle/autograd';
import { exportModule, quantizeDynamicInt8 } from '@mle/onnx';
import { OnnxSession, readModel } from '@mle/onnx-runtime';
import { type BenchResult, createProgress, formatTable, groupedBarChartSvg, resultValue } from '@mle/report';
import { argmax, fromTypedArray, type NDArray } from '@mle/tensor';
import { latencyStats, timeRuns } from './latency.js';
import { ARTIFACTS, trainedMnistMlp } from './mnist.js';

const BATCHES = [1, 8, 32] as const;
// Enough runs for a stable median on a shared 2-core machine (a full bench takes about 20 s here).
const ITERS: Record<number, number> = { 1: 2000, 8: 1000, 32: 500 };
const WARMUP = 20;

/**
 * The MNIST MLP three ways on the same inputs: our TypeScript forward pass, onnxruntime float32, and onnxruntime with
 * the weights quantized to int8. Returns accuracy and throughput rows per batch size; `say` hears the progress
 * (training, export, sizes); `quick` runs a tenth of the timed iterations.
 */
export async function compareMnist(options: {
  quick: boolean;
  say: (line?: string) => void;
}): Promise<BenchResult[]> {
  const { say } = options;
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
    const ts = evaluate(model, data.test.x, data.test.y, crossEntropy).metrics.accuracy!;
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
        const iters = options.quick ? ITERS[batch]! / 10 : ITERS[batch]!;
        const stats = latencyStats(await timeRuns(run, WARMUP, iters), batch);
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

  return results;
}

/** The throughput table (items/s from the median latency) with the two ratios, as rows for a terminal or README. */
export function throughputRows(results: readonly BenchResult[]): {
  header: string[];
  rows: (string | number)[][];
} {
  const header = [
    'batch',
    'our TypeScript forward',
    'onnxruntime float32',
    'onnxruntime int8',
    'int8 ÷ float32',
    'float32 ÷ TypeScript',
  ];
  const rows = BATCHES.map((b) => {
    const c = `batch=${b}`;
    const [ts, f32, i8] = ['typescript', 'float32', 'int8'].map((impl) =>
      resultValue(results, c, impl, 'items_per_s'),
    ) as [number, number, number];
    return [
      b,
      Math.round(ts),
      Math.round(f32),
      Math.round(i8),
      `${(i8 / f32).toFixed(2)}×`,
      `${(f32 / ts).toFixed(1)}×`,
    ];
  });
  return { header, rows };
}

/** Test accuracy of the three, and the two targets with whether this run met them. */
export function accuracyAndTargets(results: readonly BenchResult[]): string[] {
  const accuracy = (impl: string) => resultValue(results, 'test set', impl, 'test_accuracy');
  const speedup =
    resultValue(results, 'batch=32', 'int8', 'items_per_s') /
    resultValue(results, 'batch=32', 'float32', 'items_per_s');
  const loss = accuracy('float32') - accuracy('int8');
  return [
    `accuracy on the 2,000 test digits: TypeScript ${accuracy('typescript').toFixed(2)}%, onnxruntime float32 ${accuracy('float32').toFixed(2)}%, int8 ${accuracy('int8').toFixed(2)}%`,
    `target: int8 ≥ 1.5× float32 at batch 32 → ${speedup.toFixed(2)}× ${speedup >= 1.5 ? 'met' : 'MISSED'}`,
    `target: int8 loses ≤ 0.5 accuracy points → ${loss.toFixed(2)} points ${loss <= 0.5 ? 'met' : 'MISSED'}`,
  ];
}

export function throughputChart(results: readonly BenchResult[]): Promise<string> {
  return groupedBarChartSvg({
    title: 'MNIST MLP throughput, items/s (median)',
    category: 'batch size',
    value: { label: 'items/s', log: true },
    bars: results
      .filter((r) => r.metric === 'items_per_s')
      .map((r) => ({ category: r.case, series: r.impl, value: r.value })),
  });
}

/** `onnx-inference demo`: the comparison, printed (the bench writes the README's table and chart). */
export async function demo(options: { quick: boolean }): Promise<void> {
  const results = await compareMnist({ quick: options.quick, say: (line = '') => console.log(line) });
  const { header, rows } = throughputRows(results);
  console.log(
    '\nthroughput (items/s, median latency, 1 onnxruntime thread; our TypeScript forward uses its own kernels):',
  );
  console.log(formatTable(header, rows));
  console.log(`\n${accuracyAndTargets(results).join('\n')}`);
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
