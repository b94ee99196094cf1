import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMnist } from '@mle/datasets';
import { OnnxSession } from '@mle/onnx-runtime';
import { afterAll, describe, expect, it } from 'vitest';
import {
  artifactOf,
  DEFAULT_GATE,
  type MnistPipelineOptions,
  ModelRegistry,
  mnistPipeline,
  PromotionRefused,
  readTestAccuracy,
  runGate,
  runPipeline,
  sessionClassifier,
  shiftImages,
} from '../src/index.js';
import { runScript } from './fixtures/child.js';

const root = mkdtempSync(join(tmpdir(), 'registry-'));
const sessions: OnnxSession[] = [];
afterAll(async () => {
  for (const s of sessions) await s.release();
});

/** Runs the pipeline with these options and returns its export artifact, metrics and a real onnxruntime classifier. */
async function candidate(options: MnistPipelineOptions) {
  const reports = await runPipeline(mnistPipeline(options), { root });
  const dir = (step: string) => artifactOf(reports, step);
  const session = await OnnxSession.create(readFileSync(join(dir('export'), 'model.onnx')));
  sessions.push(session);
  const classify = sessionClassifier(session);
  const metrics = { test_accuracy: readTestAccuracy(dir('evaluate')) };
  return { dir: dir('export'), dataHash: reports[0]!.hash, classify, metrics };
}

/** Registers a candidate's export artifact, with its lineage and metrics. */
const register = (registry: ModelRegistry, c: Awaited<ReturnType<typeof candidate>>) =>
  registry.register({
    name: 'mnist',
    artifactDir: c.dir,
    dataHash: c.dataHash,
    codeVersion: 'mnist-pipeline@1',
    metrics: c.metrics,
  });

const { test } = loadMnist({ seed: 0 });
const evalSet = { images: test.images, labels: test.labels, count: test.count };

describe('the promotion gate and the registry', () => {
  it('shifts an image by a pixel, filling the edge with background', () => {
    const image = new Float32Array(784);
    image[0] = 1; // top-left
    image[28 * 27 + 27] = 1; // bottom-right
    const right = shiftImages(image, 1, 1, 0);
    expect(right[1]).toBe(1);
    expect(right[0]).toBe(0);
    expect(right.reduce((a, b) => a + b, 0)).toBe(1); // the bottom-right pixel left the frame
  });

  it('promotes a model that passes, refuses one that fails naming each failed check, archives what it replaces', async () => {
    const registry = new ModelRegistry(join(root, 'registry.db'));
    const first = await candidate({ epochs: 2, hidden: 64 });
    const v1 = register(registry, first);
    expect(v1.version).toBe(1);
    expect(() => registry.transition('mnist', 1, 'production')).toThrow('production needs a gate report');
    const gate1 = await runGate(first.classify, null, evalSet);
    expect(gate1.checks.filter((c) => !c.passed)).toEqual([]);
    expect(registry.transition('mnist', 1, 'production', gate1).stage).toBe('production');

    // Barely trained: worse than production, and below the class floors.
    const bad = await candidate({ epochs: 1, hidden: 16, lr: 1e-5 });
    const v2 = register(registry, bad);
    const gate2 = await runGate(bad.classify, first.classify, evalSet);
    expect(gate2.passed).toBe(false);
    const beats = gate2.checks.find((c) => c.name === 'beats production')!;
    expect(beats.passed).toBe(false);
    expect(beats.value).toBeCloseTo(gate2.candidateAccuracy - gate2.productionAccuracy!, 12);
    expect(() => registry.transition('mnist', v2.version, 'production', gate2)).toThrow(PromotionRefused);
    expect(() => registry.transition('mnist', v2.version, 'production', gate2)).toThrow(
      /failed the gate: beats production \(accuracy .* points, needs \+0\.20\); .*class floor: digit 0/,
    );
    expect(registry.production('mnist')!.version).toBe(1);

    // Trained longer: beats production by more than the margin and passes the behavioural tests.
    const better = await candidate({ epochs: 3, hidden: 64 });
    const v3 = register(registry, better);
    const gate3 = await runGate(better.classify, first.classify, evalSet, DEFAULT_GATE);
    expect(gate3.checks.filter((c) => !c.passed)).toEqual([]);
    registry.transition('mnist', v3.version, 'production', gate3);
    expect(registry.versions('mnist').map((v) => [v.version, v.stage])).toEqual([
      [1, 'archived'],
      [2, 'none'],
      [3, 'production'],
    ]);
    // Lineage and the gate's report travel with the version.
    const prod = registry.production('mnist')!;
    expect(prod.dataHash).toBe(better.dataHash);
    expect(prod.gate!.passed).toBe(true);
    registry.close();
  });

  it('two processes registering at once get distinct versions, and the same file is one version (transactions)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'registry-')), 'registry.db');
    new ModelRegistry(path).close(); // the schema, before the writers race to create it
    const writer = () => runScript('test/fixtures/register-writer.ts', [path, '40']);
    const [a, b] = (await Promise.all([writer(), writer()])).map((out) => JSON.parse(out) as number[]);
    const own = [...a!.slice(0, -1), ...b!.slice(0, -1)].sort((x, y) => x - y);
    // 80 distinct files: versions 1…81 less the shared one's, each handed out once.
    expect(new Set(own).size).toBe(80);
    expect(a!.at(-1)).toBe(b!.at(-1));
    expect([...own, a!.at(-1)!].sort((x, y) => x - y)).toEqual(Array.from({ length: 81 }, (_, i) => i + 1));
  });

  it('rolls production back to the version before it, and says why when there is none', async () => {
    const registry = new ModelRegistry(join(mkdtempSync(join(tmpdir(), 'registry-')), 'registry.db'));
    const dir = mkdtempSync(join(tmpdir(), 'export-'));
    const add = (content: string) => {
      writeFileSync(join(dir, 'model.onnx'), content);
      return registry.register({ name: 'm', artifactDir: dir, dataHash: 'd', codeVersion: '1', metrics: {} });
    };
    const passed = { passed: true, checks: [], candidateAccuracy: 1, productionAccuracy: null };
    expect(() => registry.rollback('m')).toThrow('model "m" has no version in production to roll back from');
    registry.transition('m', add('one').version, 'production', passed);
    expect(() => registry.rollback('m')).toThrow(
      'model "m": version 1 is the only one that has been in production; nothing to roll back to',
    );
    add('two'); // never promoted: not a rollback target
    registry.transition('m', add('three').version, 'production', passed);
    const { from, to } = registry.rollback('m');
    expect([from.version, to.version]).toEqual([3, 1]);
    expect(registry.versions('m').map((v) => v.stage)).toEqual(['production', 'none', 'archived']);
    registry.close();
  });

  it('a model file changed after registration is caught before deployment', async () => {
    const registry = new ModelRegistry(join(mkdtempSync(join(tmpdir(), 'registry-')), 'registry.db'));
    const model = await candidate({ epochs: 1, hidden: 16 });
    const copy = mkdtempSync(join(tmpdir(), 'export-'));
    writeFileSync(join(copy, 'model.onnx'), readFileSync(join(model.dir, 'model.onnx')));
    const v = registry.register({
      name: 'mnist',
      artifactDir: copy,
      dataHash: model.dataHash,
      codeVersion: '1',
      metrics: {},
    });
    registry.verify(v);
    writeFileSync(join(copy, 'model.onnx'), 'not a model');
    expect(() => registry.verify(v)).toThrow(
      /model "mnist" version 1: model\.onnx has sha256 [0-9a-f]{12}…, registered/,
    );
    registry.close();
  });
});
