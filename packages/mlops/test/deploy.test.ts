import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mle/datasets';
import { afterAll, describe, expect, it } from 'vitest';
import {
  artifactOf,
  deployToRepository,
  loadGenerator,
  ModelRegistry,
  mnistPipeline,
  type Registration,
  readRegistration,
  runPipeline,
  type Sample,
  type ServerProcess,
  startModelServer,
} from '../src/index.js';
import { runScript } from './fixtures/child.js';

const root = mkdtempSync(join(tmpdir(), 'deploy-'));
const db = join(root, 'runs.db');
const repository = join(root, 'model-repository');
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop();
});

/** One pipeline run through register and deploy; returns what the register step recorded. */
async function pipeline(epochs: number): Promise<Registration> {
  const reports = await runPipeline(mnistPipeline({ epochs, hidden: 64, registry: db, repository }), {
    root,
  });
  return readRegistration(artifactOf(reports, 'register'));
}

const { test } = loadMnist({ seed: 0 });
const image = Array.from(test.images.subarray(0, 784));
const body = JSON.stringify({ inputs: [{ name: 'input', shape: [1, 784], datatype: 'FP32', data: image }] });

/** Requests sent after `t` and answered: every one by `version`, and none failed. */
const after = (samples: Sample[], t: number, until = Number.POSITIVE_INFINITY) =>
  samples.filter((s) => s.sentAt > t && s.sentAt < until);

describe('deployment to a running model server, under load', () => {
  it('swaps to a promoted version with zero failed requests, and rolls back in one command the same way', async () => {
    const first = await pipeline(1);
    expect(first).toMatchObject({ version: 1, stage: 'production', gate: { passed: true } });
    expect(existsSync(join(repository, 'mnist', '1', 'model.onnx'))).toBe(true);

    server = await startModelServer(repository, { pollMs: 100 });
    const load = loadGenerator(`${server.base}/v2/models/mnist/infer`, body, 4);
    await load.until('1');

    // A better candidate: trained longer, it passes the gate and the deploy step writes version 2 beside 1.
    const second = await pipeline(3);
    expect(second).toMatchObject({ version: 2, stage: 'production', gate: { passed: true } });
    const swapped = await load.until('2');
    await new Promise((r) => setTimeout(r, 300));

    // Rollback: one command, the CLI a person would type.
    const rollbackAt = performance.now();
    const said = await runScript('src/models-main.ts', [
      'rollback',
      '--root',
      root,
      '--repository',
      repository,
    ]);
    expect(said).toContain('rolled model mnist back from version 2 to version 1');
    const rolledBack = await load.until('1');
    await new Promise((r) => setTimeout(r, 300));
    const samples = await load.stop();

    const failed = samples.filter((s) => s.status !== 200);
    expect(failed).toEqual([]);
    expect(samples.length).toBeGreaterThan(100);
    // Once version 2 had answered, every request sent afterwards (until the rollback) was answered by it…
    expect(new Set(after(samples, swapped, rollbackAt).map((s) => s.version))).toEqual(new Set(['2']));
    // …and once version 1 answered again after the rollback, every later request was answered by version 1.
    expect(new Set(after(samples, rolledBack).map((s) => s.version))).toEqual(new Set(['1']));
    const registry = new ModelRegistry(db);
    expect(registry.versions('mnist').map((v) => [v.version, v.stage])).toEqual([
      [1, 'production'],
      [2, 'archived'],
    ]);

    // A rerun of the same pipeline registers nothing new: the same model file is the same version.
    expect(await pipeline(3)).toMatchObject({ version: 2, stage: 'archived' });
    registry.close();
    expect(await server.stop()).toBe(0); // a graceful shutdown
    server = undefined;
  });

  it('a model file changed after registration is refused before anything is written to the repository', async () => {
    const registry = new ModelRegistry(db);
    const v2 = registry.get('mnist', 2);
    const original = readFileSync(join(v2.artifactDir, 'model.onnx'));
    const elsewhere = join(root, 'other-repository');
    try {
      writeFileSync(join(v2.artifactDir, 'model.onnx'), Buffer.concat([original, Buffer.from([0])]));
      expect(() => deployToRepository(registry, v2, elsewhere)).toThrow(
        /model "mnist" version 2: model\.onnx has sha256 [0-9a-f]{12}…, registered [0-9a-f]{12}…/,
      );
      expect(existsSync(elsewhere)).toBe(false);
    } finally {
      writeFileSync(join(v2.artifactDir, 'model.onnx'), original);
      registry.close();
    }
  });
});
