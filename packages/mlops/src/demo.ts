/** Run: pnpm --filter @mle/mlops demo [-- --quick] */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { demoFlags } from '@mle/report';
import { mnistPipeline, runPipeline, summaryTable } from './index.js';

const { quick } = demoFlags();
const root = mkdtempSync(join(tmpdir(), 'mlops-demo-'));
const steps = mnistPipeline({ epochs: quick ? 1 : 2 });
try {
  console.log('The MNIST pipeline, first run (every step runs):');
  const first = await runPipeline(steps, { root });
  console.log(summaryTable(first, { timings: false }));
  console.log('\nThe same pipeline again (every step comes from the cache, same keys and content hashes):');
  console.log(summaryTable(await runPipeline(steps, { root }), { timings: false }));
  console.log('\nA new learning rate (ingest, validate and featurize stay cached; train and evaluate run):');
  const changed = await runPipeline(mnistPipeline({ epochs: quick ? 1 : 2, lr: 3e-3 }), { root });
  console.log(summaryTable(changed, { timings: false }));
  const metrics = (reports: typeof first) =>
    JSON.parse(readFileSync(join(reports.at(-1)!.dir, 'metrics.json'), 'utf8')).test_accuracy as number;
  console.log(
    `\nTest accuracy: ${(100 * metrics(first)).toFixed(2)}% at lr 1e-3, ${(100 * metrics(changed)).toFixed(2)}% at lr 3e-3. Artifacts were under a temporary directory, now removed; \`pnpm --filter @mle/mlops pipeline\` keeps them in .mlops/.`,
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
