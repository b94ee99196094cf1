/**
 * Run: pnpm --filter @mle/mlops run-pipeline [-- --from STEP] [-- --force STEP] [-- --root DIR]
 * The MNIST pipeline, cached under .mlops/ in this package unless --root says otherwise; each run is recorded in
 * <root>/runs.db (see `pnpm --filter @mle/mlops runs -- list`).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { pipelineCli } from './cli.js';
import { mnistPipeline } from './mnist-pipeline.js';
import { gitCommit, SqliteTrackingStore } from './tracking.js';

const steps = mnistPipeline();
try {
  const { reports, root } = await pipelineCli(
    steps,
    process.argv.slice(2),
    fileURLToPath(new URL('../.mlops', import.meta.url)),
  );
  const store = new SqliteTrackingStore(join(root, 'runs.db'));
  const train = steps.find((s) => s.name === 'train')!;
  const id = await store.startRun({
    experiment: 'mnist-pipeline',
    params: train.params as Record<string, never>,
    gitCommit: gitCommit(),
    dataFingerprint: reports[0]!.hash,
  });
  const evaluate = reports.find((r) => r.step === 'evaluate')!;
  const { test_accuracy } = JSON.parse(readFileSync(join(evaluate.dir, 'metrics.json'), 'utf8'));
  await store.logMetric(id, 'test_accuracy', test_accuracy, 1);
  for (const r of reports) await store.logArtifact(id, { name: r.step, path: r.dir, sha256: r.hash });
  await store.endRun(id, 'finished');
  await store.close();
  console.log(`recorded as run ${id.slice(0, 8)} in ${join(root, 'runs.db')}`);
} catch (error) {
  console.error(`pipeline: ${(error as Error).message}`);
  process.exitCode = 1;
}
