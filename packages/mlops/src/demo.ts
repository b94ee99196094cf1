/** Run: pnpm --filter @mle/mlops demo [-- --quick] */
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadMnist } from '@mle/datasets';
import { OnnxSession } from '@mle/onnx-runtime';
import { demoFlags, formatTable } from '@mle/report';
import {
  artifactOf,
  DEFAULT_THRESHOLDS,
  type DriftReport,
  deployProduction,
  detectShifts,
  loadGenerator,
  ModelRegistry,
  mnistPipeline,
  readRegistration,
  referenceHistograms,
  rollback,
  runPipeline,
  type ServerProcess,
  servingConfig,
  sessionClassifier,
  startModelServer,
  summaryTable,
} from './index.js';

const { quick } = demoFlags();
// Kept after the demo, so every artifact it prints can be opened; each demo starts it afresh.
const root = fileURLToPath(new URL('../.mlops/demo', import.meta.url));
rmSync(root, { recursive: true, force: true });
const db = join(root, 'runs.db');
const repository = join(root, 'model-repository');
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

async function candidate(label: string, options: { epochs: number; hidden?: number; lr?: number }) {
  const reports = await runPipeline(mnistPipeline({ ...options, registry: db, repository }), { root });
  const registered = readRegistration(artifactOf(reports, 'register'));
  console.log(`\n${label}:`);
  console.log(summaryTable(reports, { timings: false }));
  const gate = registered.gate!;
  console.log(
    `version ${registered.version}: test accuracy ${pct(gate.candidateAccuracy)}${
      gate.productionAccuracy === null ? '' : ` against production's ${pct(gate.productionAccuracy)}`
    } — ${gate.passed ? 'passed the gate, promoted and deployed' : 'refused by the gate'}`,
  );
  if (!gate.passed)
    console.log(
      formatTable(
        ['failed check', 'detail'],
        gate.checks.filter((c) => !c.passed).map((c) => [c.name, c.detail]),
      ),
    );
  return { reports, registered };
}

let server: ServerProcess | undefined;
let load: ReturnType<typeof loadGenerator> | undefined;
try {
  console.log(`Everything below is written under ${root}.`);
  const first = await candidate('Candidate 1 (one epoch): the first production model', { epochs: 1 });
  server = await startModelServer(repository, { pollMs: 100 });
  const { test, train } = loadMnist({ seed: 0 });
  const image = Array.from(test.images.subarray(0, 784));
  const body = JSON.stringify({
    inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', data: image }],
  });
  load = loadGenerator(`${server.base}/v2/models/mnist/infer`, body, 4);
  const v1 = String(first.registered.version);
  await load.until(v1);
  console.log(
    `\nThe model server (its own process, ${server.base}) serves version ${v1}; 4 clients send requests.`,
  );

  await candidate('Candidate 2 (barely trained: 16 hidden units, learning rate 1e-5)', {
    epochs: 1,
    hidden: 16,
    lr: 1e-5,
  });
  const third = await candidate('Candidate 3 (three epochs)', { epochs: 3 });
  const v3 = String(third.registered.version);
  const swapped = await load.until(v3);
  await new Promise((r) => setTimeout(r, 200));
  const rollbackAt = performance.now();
  const registry = new ModelRegistry(db);
  const back = rollback(registry, 'mnist', repository);
  const rolledBack = await load.until(v1);
  await new Promise((r) => setTimeout(r, 200));
  const samples = await load.stop();
  load = undefined;
  const failed = samples.filter((s) => s.status !== 200).length;
  const answeredBy = (from: number, to: number) =>
    [...new Set(samples.filter((s) => s.sentAt > from && s.sentAt < to).map((s) => s.version))].join(', ');
  // Counts and timings vary from run to run; `pnpm --filter @mle/mlops bench` measures them.
  console.log(
    [
      `\nUnder load from 4 clients throughout: ${failed === 0 ? 'no request failed' : `${failed} requests FAILED`}.`,
      `Once version ${v3} had answered, every later request was answered by version ${answeredBy(swapped, rollbackAt)}.`,
      `Rollback (what \`pnpm --filter @mle/mlops models -- rollback\` runs): version ${back.from} → ${back.version}; once it answered, every later request was answered by version ${answeredBy(rolledBack, Number.POSITIVE_INFINITY)}.`,
    ].join('\n'),
  );
  // Roll forward again (the better model passed its gate) for the drift replay.
  registry.transition(
    'mnist',
    third.registered.version,
    'production',
    registry.get('mnist', third.registered.version).gate!,
  );
  deployProduction(registry, 'mnist', repository);
  registry.close();
  await waitForVersion(server.base, v3);

  const session = await OnnxSession.create(readFileSync(join(repository, 'mnist', v3, 'model.onnx')));
  const classify = sessionClassifier(session);
  const { monitoring, labels } = servingConfig();
  const checkpoints = quick ? [25, 50, 100, 200] : [25, 50, 100, 200, 400, 800];
  const detections = await detectShifts({
    base: server.base,
    reference: await referenceHistograms(monitoring, train.images, train.count, classify, labels),
    images: test.images,
    labels: test.labels,
    checkpoints,
    classify,
  });
  await session.release();
  console.log(
    `\nDrift: shifted test images replayed through version ${v3}; the server's /stats histograms against the training data's, checked after ${checkpoints.join(', ')} images:`,
  );
  console.log(
    formatTable(
      ['shift', 'caught after', 'signal', 'mean pixel PSI', 'confidence PSI', 'accuracy under it'],
      detections.map((d) => [
        d.shift,
        d.caughtAt === null ? `not in ${checkpoints.at(-1)}` : `${d.caughtAt} images`,
        signal(d.at.report),
        d.at.report.inputs.meanPsi.toFixed(3),
        d.at.report.prediction.confidencePsi.toFixed(3),
        pct(d.accuracy),
      ]),
      { align: ['left', 'right', 'left', 'right', 'right', 'right'] },
    ),
  );
  console.log(
    [
      '\nWhere everything is:',
      `  tracking store and registry    ${db}`,
      `  model repository (served)      ${repository}`,
      ...third.reports.map((r) => `  ${`${r.step} (candidate 3)`.padEnd(30)} ${r.dir}`),
    ].join('\n'),
  );
} finally {
  await load?.stop();
  await server?.stop();
}

/** Resolves once the server answers metadata with this version (after a deploy, the next poll loads it). */
async function waitForVersion(base: string, version: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    const meta = (await (await fetch(`${base}/v2/models/mnist`)).json()) as { versions?: string[] };
    if (meta.versions?.[0] === version) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`the server did not load version ${version} within 15 s`);
}

/** Which part of the drift report alerted: the pixels (how many drifted) and/or the model's confidence. */
function signal(report: DriftReport): string {
  const pixels = `${report.inputs.drifted}/784 pixels`;
  if (!report.alert) return `— (${pixels})`;
  const share = report.inputs.drifted / report.inputs.features >= DEFAULT_THRESHOLDS.featureShare;
  return [share ? pixels : '', report.prediction.drifted ? 'confidence' : ''].filter(Boolean).join(' + ');
}
