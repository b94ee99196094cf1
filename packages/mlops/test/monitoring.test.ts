import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mle/datasets';
import { OnnxSession } from '@mle/onnx-runtime';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  fetchStats,
  mnistPipeline,
  noise,
  referenceHistograms,
  replayThroughServer,
  runPipeline,
  type ServerProcess,
  sendImages,
  servingConfig,
  sessionClassifier,
  startModelServer,
  subtractHistograms,
} from '../src/index.js';

const root = mkdtempSync(join(tmpdir(), 'monitoring-'));
const repository = join(root, 'model-repository');
let server: ServerProcess;
let session: OnnxSession;
const { train, test } = loadMnist({ seed: 0 });
const { monitoring, labels } = servingConfig();

beforeAll(async () => {
  await runPipeline(mnistPipeline({ epochs: 1, registry: join(root, 'runs.db'), repository }), { root });
  session = await OnnxSession.create(readFileSync(join(repository, 'mnist', '1', 'model.onnx')));
  server = await startModelServer(repository);
});
afterAll(async () => {
  await server?.stop();
  await session?.release();
});

describe('drift monitoring through a running model server', () => {
  it("the server's histograms of replayed traffic equal the same images counted here, bin for bin", async () => {
    const images = test.images.subarray(0, 60 * 784);
    const before = (await fetchStats(server.base, 'mnist')).total;
    await sendImages(server.base, 'mnist', images, 0, 60, 25);
    const served = subtractHistograms((await fetchStats(server.base, 'mnist')).total, before);
    const local = await referenceHistograms(monitoring, images, 60, sessionClassifier(session), labels);
    expect(served.rows).toBe(60);
    expect(served.inputs[0]!.counts).toEqual(local.inputs[0]!.counts);
    expect(served.predictions).toEqual(local.predictions);
    expect(served.confidence).toEqual(local.confidence);
  });

  it('raises no alert on fresh test images, and catches Gaussian noise within a few hundred requests', async () => {
    const reference = await referenceHistograms(
      monitoring,
      train.images,
      train.count,
      sessionClassifier(session),
      labels,
    );
    const clean = await replayThroughServer({
      base: server.base,
      model: 'mnist',
      images: test.images.subarray(100 * 784, 500 * 784),
      reference,
      checkpoints: [100, 400],
    });
    expect(clean.map((c) => c.report.alert)).toEqual([false, false]);
    const noisy = await replayThroughServer({
      base: server.base,
      model: 'mnist',
      images: noise(test.images.subarray(500 * 784, 900 * 784), 0.2),
      reference,
      checkpoints: [100, 400],
    });
    expect(noisy.at(-1)!.report.alert).toBe(true);
    expect(noisy.at(-1)!.report.inputs.drifted).toBeGreaterThan(40);
  });
});
