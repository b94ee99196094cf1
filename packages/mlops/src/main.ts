/**
 * Run: pnpm --filter @mle/mlops run-pipeline [-- --from STEP] [-- --force STEP] [-- --root DIR] [-- --repository DIR]
 * The MNIST pipeline end to end — ingest … export, register (gated) and deploy — cached under .mlops/ in this
 * package unless --root says otherwise. The run is recorded in <root>/runs.db (`pnpm --filter @mle/mlops runs --
 * list`), the registry is in the same file (`pnpm --filter @mle/mlops models -- list`), and production is deployed
 * into <root>/model-repository, which the model server serves with MODEL_REPOSITORY set to it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parsePipelineArgs, runWithProgress, summaryTable } from './cli.js';
import { mnistPipeline, readRegistration, readTestAccuracy } from './mnist-pipeline.js';
import { artifactOf } from './pipeline.js';
import { gitCommit, SqliteTrackingStore } from './tracking.js';

let exitCode = 0;
try {
  const args = parsePipelineArgs(process.argv.slice(2), fileURLToPath(new URL('../.mlops', import.meta.url)));
  const db = join(args.root, 'runs.db');
  const store = new SqliteTrackingStore(db);
  const options = { epochs: 2, hidden: 64, lr: 1e-3 };
  const id = await store.startRun({
    experiment: 'mnist-pipeline',
    params: options,
    gitCommit: gitCommit(),
  });
  try {
    const steps = mnistPipeline({ ...options, registry: db, repository: args.repository, runId: id });
    const reports = await runWithProgress(steps, args);
    console.log(summaryTable(reports));
    const dir = (step: string) => artifactOf(reports, step);
    const testAccuracy = readTestAccuracy(dir('evaluate'));
    await store.setDataFingerprint(id, reports[0]!.hash);
    const history = JSON.parse(readFileSync(join(dir('train'), 'history.json'), 'utf8')) as {
      epoch: number;
      train_loss: number;
    }[];
    await store.logMetrics(
      id,
      history.map((h) => ({ key: 'train_loss', value: h.train_loss, step: h.epoch })),
    );
    await store.logMetric(id, 'test_accuracy', testAccuracy, options.epochs);
    for (const r of reports) await store.logArtifact(id, { name: r.step, path: r.dir, sha256: r.hash });
    await store.endRun(id, 'finished');
    const registered = readRegistration(dir('register'));
    const refused = registered.gate?.checks.filter((c) => !c.passed).map((c) => `${c.name} (${c.detail})`);
    console.log(
      [
        `run ${id.slice(0, 8)} recorded in ${db}`,
        `model mnist version ${registered.version}: ${
          registered.gate === null
            ? `registered before, stage ${registered.stage}`
            : registered.gate.passed
              ? 'passed the gate, now in production'
              : `refused by the gate: ${refused!.join('; ')}`
        }`,
        `production deployed to ${join(args.repository, 'mnist')} (serve it: MODEL_REPOSITORY=${args.repository} pnpm --filter @mle/model-server start)`,
      ].join('\n'),
    );
  } catch (error) {
    await store.endRun(id, 'failed');
    throw error;
  } finally {
    await store.close();
  }
} catch (error) {
  console.error(`run-pipeline: ${(error as Error).message}`);
  exitCode = 1;
}
process.exitCode = exitCode;
