/**
 * pnpm --filter @mle/onnx-inference bench [-- --json] [-- --quick]
 * The MNIST MLP in TypeScript, onnxruntime float32 and int8, per batch size, measured in one process. A full run
 * writes the README's results table, charts/mnist-throughput.svg and bench/results.json; --quick runs a tenth of
 * the iterations and writes nothing.
 */
import { fileURLToPath } from 'node:url';
import {
  benchFlags,
  benchRecord,
  commitBenchRun,
  markdownTable,
  printBenchReport,
  sentence,
} from '@mle/report';
import { accuracyAndTargets, compareMnist, throughputChart, throughputRows } from '../src/demo.js';

const { json, quick } = benchFlags();
// With --json, stdout is the report and stderr stays empty; otherwise the steps are shown on stderr.
const say = json ? () => {} : (line = '') => void process.stderr.write(`${line}\n`);
const results = await compareMnist({ quick, say });
printBenchReport({ package: '@mle/onnx-inference', results }, { json });
if (!json) {
  const summary = accuracyAndTargets(results);
  console.log(`\n${summary.join('\n')}`);
  if (!quick) {
    const record = benchRecord({ package: '@mle/onnx-inference', results });
    const { header, rows } = throughputRows(results);
    commitBenchRun(fileURLToPath(new URL('..', import.meta.url)), record, {
      charts: { 'mnist-throughput.svg': await throughputChart(results) },
      markdown: `${markdownTable(header, rows, { align: header.map(() => 'right') })}\n\n${summary.map(sentence).join(' ')}`,
    });
    console.log(
      `\nrun ${record.run}: wrote bench/results.json, charts/mnist-throughput.svg and the README's results table`,
    );
  }
}
