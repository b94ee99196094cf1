import { OnnxSession } from '@mle/onnx-runtime';
import { type BenchResult, createProgress, formatTable } from '@mle/report';
import { Rng } from '@mle/tensor';
import { latencyStats, timeRuns } from './latency.js';

export interface BenchOptions {
  threads: number[];
  batches: number[];
  warmup: number;
  iters: number;
}

/**
 * Latency and throughput of one model per (threads, batch) on seeded random input. The model must have one
 * float32 input whose first dimension is symbolic and the rest fixed.
 */
export async function benchModel(path: string, options: BenchOptions): Promise<BenchResult[]> {
  const probe = await OnnxSession.create(path);
  const input = probe.inputs[0]!;
  await probe.release();
  const rest = input.shape.slice(1);
  if (
    input.dtype !== 'float32' ||
    typeof input.shape[0] === 'number' ||
    rest.some((d) => typeof d !== 'number')
  ) {
    throw new Error(
      `bench: needs one float32 input with a symbolic batch dimension and fixed others; "${input.name}" is ${input.dtype} [${input.shape.map((d) => d ?? '?').join(', ')}]`,
    );
  }
  const results: BenchResult[] = [];
  const progress = createProgress({
    total: options.threads.length * options.batches.length * options.iters,
    label: 'bench',
  });
  for (const threads of options.threads) {
    const session = await OnnxSession.create(path, { intraOpThreads: threads });
    try {
      for (const batch of options.batches) {
        const x = new Rng(batch).normal([batch, ...(rest as number[])]);
        const samples = await timeRuns(
          () => session.run({ [input.name]: x }),
          options.warmup,
          options.iters,
          () => progress.increment(),
        );
        const stats = latencyStats(samples, batch);
        const c = `threads=${threads} batch=${batch}`;
        for (const [metric, value, unit] of [
          ['p50', stats.p50, 'ms'],
          ['p90', stats.p90, 'ms'],
          ['p99', stats.p99, 'ms'],
          ['items_per_s', stats.itemsPerSecond, 'items/s'],
        ] as const) {
          results.push({ case: c, impl: 'onnxruntime', metric, value, unit });
        }
      }
    } finally {
      await session.release();
    }
  }
  progress.stop();
  return results;
}

export function latencyTable(results: readonly BenchResult[]): string {
  const cases = [...new Set(results.map((r) => r.case))];
  const get = (c: string, metric: string) =>
    results.find((r) => r.case === c && r.metric === metric)?.value ?? Number.NaN;
  return formatTable(
    ['configuration', 'p50 ms', 'p90 ms', 'p99 ms', 'items/s'],
    cases.map((c) => [c, get(c, 'p50'), get(c, 'p90'), get(c, 'p99'), get(c, 'items_per_s')]),
  );
}
