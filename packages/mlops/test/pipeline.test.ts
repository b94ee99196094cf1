import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadStateDict, Sequential, Softmax, Tensor } from '@mle/autograd';
import { mnistMlp } from '@mle/autograd/mnist';
import { loadMnist } from '@mle/datasets';
import { OnnxSession, toNDArray } from '@mle/onnx-runtime';
import { fromTypedArray } from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import {
  CorruptArtifactError,
  hashFiles,
  mnistPipeline,
  planPipeline,
  runPipeline,
  type Step,
  verifyArtifact,
} from '../src/index.js';
import { runScript } from './fixtures/child.js';
import { toyPipeline } from './fixtures/steps.js';

const fresh = () => mkdtempSync(join(tmpdir(), 'mlops-'));
const statuses = (reports: { step: string; status: string }[]) =>
  Object.fromEntries(reports.map((r) => [r.step, r.status]));
const noop = (name: string, needs: string[] = []): Step => ({ name, needs, version: '1', run() {} });

describe('planning', () => {
  it('orders steps after what they need, and names a cycle, an unknown need, a duplicate', () => {
    expect(planPipeline(toyPipeline().reverse()).map((s) => s.name)).toEqual([
      'ingest',
      'featurize',
      'train',
      'evaluate',
    ]);
    expect(() => planPipeline([noop('a', ['b']), noop('b', ['a'])])).toThrow(
      'the pipeline has a cycle: a → b → a',
    );
    expect(() => planPipeline([noop('a', ['z'])])).toThrow(
      'step "a" needs "z", which is not a step of this pipeline',
    );
    expect(() => planPipeline([noop('a'), noop('a')])).toThrow('step "a" is defined twice');
    expect(() => planPipeline([noop('Bad Name')])).toThrow('a name is lower-case letters');
  });
});

describe('content-addressed steps', () => {
  it('runs every step once, then skips them all; two roots get byte-identical artifacts', async () => {
    const [a, b] = [fresh(), fresh()];
    const first = await runPipeline(toyPipeline(), { root: a });
    expect(statuses(first)).toEqual({ ingest: 'ran', featurize: 'ran', train: 'ran', evaluate: 'ran' });
    const again = await runPipeline(toyPipeline(), { root: a });
    expect(statuses(again)).toEqual({
      ingest: 'cached',
      featurize: 'cached',
      train: 'cached',
      evaluate: 'cached',
    });
    expect(again.map((r) => r.key)).toEqual(first.map((r) => r.key));
    const other = await runPipeline(toyPipeline(), { root: b });
    // Every file, the manifests included, is the same bytes in both roots.
    other.forEach((r, i) => expect(hashFiles(r.dir)).toEqual(hashFiles(first[i]!.dir)));
    expect(JSON.parse(readFileSync(join(first[3]!.dir, 'metrics.json'), 'utf8'))).toEqual({ mean: 12 });
  });

  it('a changed parameter reruns its step and what follows; what came before stays cached', async () => {
    const root = fresh();
    await runPipeline(toyPipeline(), { root });
    const changed = await runPipeline(toyPipeline({ scale: 3 }), { root });
    expect(statuses(changed)).toEqual({ ingest: 'cached', featurize: 'ran', train: 'ran', evaluate: 'ran' });
  });

  it('a new code version that writes the same bytes reruns that step only: downstream is keyed on content', async () => {
    const root = fresh();
    await runPipeline(toyPipeline(), { root });
    const bumped = await runPipeline(toyPipeline({ featurizeVersion: '2' }), { root });
    expect(statuses(bumped)).toEqual({
      ingest: 'cached',
      featurize: 'ran',
      train: 'cached',
      evaluate: 'cached',
    });
  });

  it('--from reruns a step and everything downstream; --force reruns one step', async () => {
    const root = fresh();
    await runPipeline(toyPipeline(), { root });
    expect(statuses(await runPipeline(toyPipeline(), { root, from: 'train' }))).toEqual({
      ingest: 'cached',
      featurize: 'cached',
      train: 'ran',
      evaluate: 'ran',
    });
    expect(statuses(await runPipeline(toyPipeline(), { root, force: ['ingest'] }))).toEqual({
      ingest: 'ran',
      featurize: 'cached',
      train: 'cached',
      evaluate: 'cached',
    });
    await expect(runPipeline(toyPipeline(), { root, from: 'deploy' })).rejects.toThrow(
      'no step named "deploy"',
    );
  });

  it('a cached artifact changed on disk is detected and named before it is used', async () => {
    const root = fresh();
    const reports = await runPipeline(toyPipeline(), { root });
    writeFileSync(join(reports[2]!.dir, 'model.json'), '{"mean": 99}');
    const error = await runPipeline(toyPipeline(), { root }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CorruptArtifactError);
    expect((error as Error).message).toMatch(
      /of step "train": model\.json has sha256 [0-9a-f]{12}…, its manifest says/,
    );
    // Forcing the step rewrites it.
    expect(statuses(await runPipeline(toyPipeline(), { root, force: ['train'] })).train).toBe('ran');
  });

  it('a step that throws leaves no artifact and says which step', async () => {
    const root = fresh();
    const steps = [
      ...toyPipeline().slice(0, 1),
      {
        ...noop('boom', ['ingest']),
        run: () => {
          throw new Error('out of memory');
        },
      },
    ];
    await expect(runPipeline(steps, { root })).rejects.toThrow('step "boom" failed: out of memory');
    expect(existsSync(join(root, 'artifacts', 'boom'))).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });

  it('a process killed in the middle of a step leaves no half-written artifact; the next run resumes at that step', async () => {
    const root = fresh();
    // node itself (not the tsx wrapper), so the signal ends the process the test watches.
    const child = spawnSync(
      process.execPath,
      ['--import', 'tsx', '--conditions=@mle/source', 'test/fixtures/crash-run.ts', root, 'train'],
      { cwd: fileURLToPath(new URL('..', import.meta.url)), encoding: 'utf8', timeout: 120_000 },
    );
    expect(child.signal, child.stderr).toBe('SIGKILL');
    expect(existsSync(join(root, 'artifacts', 'train'))).toBe(false);
    expect(readdirSync(join(root, 'tmp'))).toHaveLength(1); // the dead run's scratch, half written
    const resumed = await runPipeline(toyPipeline(), { root });
    expect(statuses(resumed)).toEqual({
      ingest: 'cached',
      featurize: 'cached',
      train: 'ran',
      evaluate: 'ran',
    });
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });
});

describe('two pipeline runs at once on one artifact directory', () => {
  it('both finish with the same artifacts, every one verified, no scratch left', async () => {
    const root = fresh();
    const run = async () =>
      JSON.parse(await runScript('test/fixtures/run-toy.ts', [root])) as [string, string, string][];
    const [a, b] = await Promise.all([run(), run()]);
    expect(a.map(([, , hash]) => hash)).toEqual(b.map(([, , hash]) => hash));
    const again = await runPipeline(toyPipeline(), { root });
    expect(again.every((r) => r.status === 'cached')).toBe(true);
    for (const r of again) verifyArtifact(r.dir);
    expect(readdirSync(join(root, 'tmp'))).toEqual([]);
  });
});

describe('the MNIST pipeline', () => {
  it('runs ingest → validate → featurize → train → evaluate, and twice gives byte-identical artifacts', async () => {
    const steps = mnistPipeline({ epochs: 1, hidden: 16 });
    const [a, b] = await Promise.all([fresh(), fresh()].map((root) => runPipeline(steps, { root })));
    expect(a!.map((r) => r.step)).toEqual(['ingest', 'validate', 'featurize', 'train', 'evaluate', 'export']);
    a!.forEach((r, i) => expect(hashFiles(r.dir), r.step).toEqual(hashFiles(b![i]!.dir)));
    const metrics = JSON.parse(readFileSync(join(a!.at(-2)!.dir, 'metrics.json'), 'utf8'));
    expect(metrics.test_accuracy).toBeGreaterThan(0.8);
  });

  it('exports ONNX that takes raw pixels: onnxruntime gives the trained model’s probabilities and accuracy', async () => {
    const reports = await runPipeline(mnistPipeline({ epochs: 1, hidden: 16 }), { root: fresh() });
    const dir = (step: string) => reports.find((r) => r.step === step)!.dir;
    const session = await OnnxSession.create(readFileSync(join(dir('export'), 'model.onnx')));
    const { test } = loadMnist({ seed: 0 });
    const n = 500;
    const raw = fromTypedArray(test.images.slice(0, n * 784), [n, 784]);
    const probs = toNDArray((await session.run({ input: raw })).output!).toTypedArray() as Float32Array;
    await session.release();
    // The reference: the trained model (autograd) on standardized pixels, then softmax.
    const scaler = JSON.parse(readFileSync(join(dir('featurize'), 'scaler.json'), 'utf8')) as {
      mean: number;
      std: number;
    };
    const model = new Sequential(...mnistMlp({ hidden: 16 }).layers, new Softmax());
    model.loadStateDict(loadStateDict(join(dir('train'), 'model')));
    const standardized = Float32Array.from(
      test.images.slice(0, n * 784),
      (v) => (v - scaler.mean) / scaler.std,
    );
    const expected = model
      .forward(new Tensor(fromTypedArray(standardized, [n, 784])))
      .value.toTypedArray() as Float32Array;
    const worst = probs.reduce((m, p, i) => Math.max(m, Math.abs(p - expected[i]!)), 0);
    expect(worst).toBeLessThan(1e-4);
    const config = JSON.parse(readFileSync(join(dir('export'), 'config.json'), 'utf8'));
    expect(config).toMatchObject({ name: 'mnist', platform: 'onnxruntime_onnx' });
  });

  it('validation stops the pipeline on out-of-range pixels, naming the split and the pixel', async () => {
    const root = fresh();
    const [ingest, validate] = mnistPipeline();
    const bad = {
      ...ingest!,
      run: async (ctx: Parameters<Step['run']>[0]) => {
        await ingest!.run(ctx);
        const file = join(ctx.out, 'test.images.f32');
        const pixels = new Float32Array(readFileSync(file).buffer.slice(0));
        pixels[5] = 7;
        writeFileSync(file, new Uint8Array(pixels.buffer));
      },
    };
    await expect(runPipeline([bad, validate!], { root })).rejects.toThrow(
      'step "validate" failed: validation failed: test: pixel 5 is 7, outside [0, 1]',
    );
  });
});
