#!/usr/bin/env -S npx tsx
/**
 * onnx-inference: inspect, run and benchmark any .onnx model.
 *   inspect <model.onnx> [--json]
 *   run <model.onnx> --input feeds.json [--threads N]
 *   bench <model.onnx> [--threads 1,2] [--batch 1,8,32] [--warmup N] [--iters N] [--json]
 *   demo [--quick]               the MNIST MLP: TypeScript vs onnxruntime float32 vs int8 (bench/bench.ts reports it)
 */
import { parseArgs } from 'node:util';
import { printBenchReport } from '@mle/report';
import { benchModel, latencyTable } from './bench.js';
import { demo } from './demo.js';
import { inspect } from './inspect.js';
import { formatOutputs, runModel } from './run.js';

const USAGE = `usage:
  onnx-inference inspect <model.onnx> [--json]
  onnx-inference run <model.onnx> --input feeds.json [--threads N]
  onnx-inference bench <model.onnx> [--threads 1,2] [--batch 1,8,32] [--warmup 10] [--iters 100] [--json]
  onnx-inference demo [--quick]`;

// pnpm passes the "--" of `pnpm start -- inspect x.onnx` and `pnpm demo -- --quick` through; it is not an argument.
const argv = process.argv.slice(2).filter((a) => a !== '--');

const list = (value: string, flag: string) =>
  value.split(',').map((v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1)
      throw new Error(`${flag}: "${v}" is not a positive integer (expected e.g. ${flag} 1,2)`);
    return n;
  });

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      quick: { type: 'boolean', default: false },
      input: { type: 'string' },
      threads: { type: 'string', default: '1' },
      batch: { type: 'string', default: '1,8,32' },
      warmup: { type: 'string', default: '10' },
      iters: { type: 'string', default: '100' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, model] = positionals;
  if (values.help || !command) {
    console.log(USAGE);
    return;
  }
  const needModel = () => {
    if (!model)
      throw new Error(
        `${command}: which model? ${USAGE.split('\n')
          .find((l) => l.includes(` ${command} `))
          ?.trim()}`,
      );
    return model;
  };
  switch (command) {
    case 'inspect':
      console.log(inspect(needModel(), values.json));
      return;
    case 'run': {
      if (!values.input) throw new Error('run: --input feeds.json is required');
      console.log(
        formatOutputs(await runModel(needModel(), values.input, list(values.threads, '--threads')[0]!)),
      );
      return;
    }
    case 'bench': {
      const results = await benchModel(needModel(), {
        threads: list(values.threads, '--threads'),
        batches: list(values.batch, '--batch'),
        warmup: list(values.warmup, '--warmup')[0]!,
        iters: list(values.iters, '--iters')[0]!,
      });
      if (values.json) printBenchReport({ package: '@mle/onnx-inference', results }, { json: true });
      else console.log(latencyTable(results));
      return;
    }
    case 'demo':
      await demo({ quick: values.quick });
      return;
    default:
      throw new Error(`unknown command "${command}"\n${USAGE}`);
  }
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
