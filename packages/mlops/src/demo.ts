/** Run: pnpm --filter @mle/mlops demo [-- --quick] */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mle/datasets';
import { OnnxSession } from '@mle/onnx-runtime';
import { demoFlags, formatTable } from '@mle/report';
import {
  type Classifier,
  gitCommit,
  ModelRegistry,
  mnistPipeline,
  PromotionRefused,
  runGate,
  runPipeline,
  SqliteTrackingStore,
  type StepReport,
  sessionClassifier,
  summaryTable,
} from './index.js';

const { quick } = demoFlags();
const root = mkdtempSync(join(tmpdir(), 'mlops-demo-'));
const steps = mnistPipeline({ epochs: quick ? 1 : 2 });
try {
  console.log('The MNIST pipeline, first run (every step runs):');
  const first = await runPipeline(steps, { root });
  console.log(summaryTable(first, { timings: false }));
  console.log('\nThe same pipeline again (every step comes from the cache, same keys and content hashes):');
  console.log(summaryTable(await runPipeline(steps, { root }), { timings: false }));
  console.log(
    '\nA new learning rate (ingest, validate and featurize stay cached; train, evaluate and export run):',
  );
  const changed = await runPipeline(mnistPipeline({ epochs: quick ? 1 : 2, lr: 3e-3 }), { root });
  console.log(summaryTable(changed, { timings: false }));
  const metrics = (reports: typeof first) =>
    JSON.parse(readFileSync(join(reports.find((r) => r.step === 'evaluate')!.dir, 'metrics.json'), 'utf8'))
      .test_accuracy as number;
  // Both runs in the tracking store (SQLite, WAL): parameters, lineage, the metric, every artifact's content hash.
  const store = new SqliteTrackingStore(join(root, 'runs.db'));
  for (const [lr, reports] of [
    [1e-3, first],
    [3e-3, changed],
  ] as [number, StepReport[]][]) {
    const id = await store.startRun({
      experiment: 'mnist-mlp',
      params: { lr, hidden: 64, epochs: quick ? 1 : 2 },
      gitCommit: gitCommit(),
      dataFingerprint: reports[0]!.hash,
    });
    await store.logMetric(id, 'test_accuracy', metrics(reports), 1);
    for (const r of reports) await store.logArtifact(id, { name: r.step, path: r.dir, sha256: r.hash });
    await store.endRun(id, 'finished');
  }
  const runs = await Promise.all(
    (await store.listRuns({ experiment: 'mnist-mlp' })).map((r) => store.getRun(r.id)),
  );
  await store.close();
  console.log('\nThe tracking store (SQLite, WAL) holds both runs:');
  console.log(
    formatTable(
      ['lr', 'data fingerprint', 'model (train artifact)', 'test accuracy'],
      [...runs]
        .sort((a, b) => (a.params.lr as number) - (b.params.lr as number))
        .map((r) => [
          String(r.params.lr),
          r.dataFingerprint!.slice(0, 12),
          r.artifacts.find((a) => a.name === 'train')!.sha256.slice(0, 12),
          `${(100 * r.latest.test_accuracy!).toFixed(2)}%`,
        ]),
      { align: ['right', 'left', 'left', 'right'] },
    ),
  );

  // The registry: the first model through the gate into production, then the second gated against it.
  const registry = new ModelRegistry(join(root, 'runs.db'));
  const { test } = loadMnist({ seed: 0 });
  const evalSet = { images: test.images, labels: test.labels, count: test.count };
  const sessions: OnnxSession[] = [];
  const classifierOf = async (reports: StepReport[]): Promise<Classifier> => {
    const dir = reports.find((r) => r.step === 'export')!.dir;
    const session = await OnnxSession.create(readFileSync(join(dir, 'model.onnx')));
    sessions.push(session);
    return sessionClassifier(session);
  };
  const register = (reports: StepReport[]) =>
    registry.register({
      name: 'mnist',
      artifactDir: reports.find((r) => r.step === 'export')!.dir,
      dataHash: reports[0]!.hash,
      codeVersion: 'mnist-pipeline',
      metrics: { test_accuracy: metrics(reports) },
    });
  const v1 = register(first);
  const production = await classifierOf(first);
  const promote = (version: number, report: Awaited<ReturnType<typeof runGate>>) => {
    try {
      registry.transition('mnist', version, 'production', report);
    } catch (error) {
      if (!(error instanceof PromotionRefused)) throw error;
      console.log(error.message);
    }
  };
  promote(v1.version, await runGate(production, null, evalSet));
  const v2 = register(changed);
  const gate = await runGate(await classifierOf(changed), production, evalSet);
  console.log(`\nThe gate for version ${v2.version} (lr 3e-3) against production (version ${v1.version}):`);
  console.log(
    formatTable(
      ['check', 'passed', 'detail'],
      gate.checks.map((c) => [c.name, c.passed ? 'yes' : 'NO', c.detail]),
    ),
  );
  promote(v2.version, gate);
  console.log(
    `Registry: ${registry
      .versions('mnist')
      .map((v) => `version ${v.version} ${v.stage} (${(100 * v.metrics.test_accuracy!).toFixed(2)}%)`)
      .join(', ')}.`,
  );
  for (const s of sessions) await s.release();
  registry.close();
  console.log(
    'Artifacts were under a temporary directory, now removed; `pnpm --filter @mle/mlops run-pipeline` keeps them in .mlops/.',
  );
} finally {
  rmSync(root, { recursive: true, force: true });
}
