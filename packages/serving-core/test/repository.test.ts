import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear, manualSeed } from '@mle/autograd';
import { exportGptOnnx, generate, randomGpt } from '@mle/gpt';
import { exportModule } from '@mle/onnx';
import * as T from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FakeClock,
  type ModelConfig,
  ModelRepository,
  type ModelRuntime,
  ServingError,
} from '../src/index.js';
import { onnxLanguageModelFactory } from '../src/onnx-runtime.js';
import { savedNames, saveLayersModel, tfjsBackend } from '../src/tfjs-runtime.js';
import { DoublingRuntime, realRuntimes, rowsOf } from './fakes.js';

const scratch = mkdtempSync(join(tmpdir(), 'mle-serving-core-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));
let repoCount = 0;

const config = (
  name: string,
  platform: ModelConfig['platform'],
  input: [string, number],
  output: [string, number],
) => ({
  name,
  platform,
  max_batch_size: 8,
  input: [{ name: input[0], data_type: 'TYPE_FP32', dims: [input[1]] }],
  output: [{ name: output[0], data_type: 'TYPE_FP32', dims: [output[1]] }],
  dynamic_batching: { max_queue_delay_us: 500, max_queue_size: 16 },
});

function repositoryDir(
  models: Record<string, { config: unknown; versions?: Record<string, Record<string, Uint8Array | string>> }>,
) {
  const root = join(scratch, `repo${repoCount++}`);
  for (const [name, model] of Object.entries(models)) {
    mkdirSync(join(root, name), { recursive: true });
    writeFileSync(join(root, name, 'config.json'), JSON.stringify(model.config));
    for (const [version, files] of Object.entries(model.versions ?? { 1: {} })) {
      mkdirSync(join(root, name, version), { recursive: true });
      for (const [file, content] of Object.entries(files))
        writeFileSync(join(root, name, version, file), content);
    }
  }
  return root;
}

describe('ModelRepository with the real runtimes', () => {
  it('serves an ONNX model (onnxruntime) and a TensorFlow.js layers model side by side', async () => {
    await tfjsBackend();
    manualSeed(1);
    const linear = new Linear(3, 2);
    const onnx = exportModule(linear, T.zeros([1, 3]));
    const tfModel = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [3], units: 2, kernelInitializer: 'ones', biasInitializer: 'zeros' }),
      ],
    });
    const tfDir = join(scratch, 'tfjs-export');
    await saveLayersModel(tfModel, tfDir);
    const names = savedNames(JSON.parse(readFileSync(join(tfDir, 'model.json'), 'utf8')).modelTopology);
    expect(names).toEqual({
      inputs: [`${tfModel.layers[0]!.name}_input`],
      outputs: [tfModel.layers[0]!.name],
    });
    const root = repositoryDir({
      linear: {
        config: config('linear', 'onnxruntime_onnx', ['input', 3], ['output', 2]),
        versions: { 1: { 'model.onnx': onnx } },
      },
      dense: {
        config: config('dense', 'tfjs_layers', [names.inputs[0]!, 3], [names.outputs[0]!, 2]),
      },
    });
    mkdirSync(join(root, 'dense', '1'), { recursive: true });
    for (const f of ['model.json', 'weights.bin'])
      writeFileSync(join(root, 'dense', '1', f), readFileSync(join(tfDir, f)));
    const repo = new ModelRepository({ root, pollMs: 0, runtimes: realRuntimes });
    await repo.start();
    expect(repo.status()).toEqual([
      { name: 'dense', state: 'READY', version: 1 },
      { name: 'linear', state: 'READY', version: 1 },
    ]);
    expect(repo.ready).toBe(true);
    const x = Float32Array.from([1, 2, 3]);
    const [y] = await repo
      .get('linear')
      .batcher!.infer({ inputs: [{ name: 'input', datatype: 'FP32', shape: [1, 3], data: x }] });
    const expected = T.add(
      T.matmul(T.fromArray([1, 2, 3], [1, 3]), linear.weight.value.T),
      linear.bias!.value,
    ).data;
    Array.from(y!.data as Float32Array).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 5));
    const dense = repo.get('dense');
    expect(dense.platform).toBe('tfjs_layers');
    const [z] = await dense.batcher!.infer({
      inputs: [{ name: dense.signature.inputs[0]!.name, datatype: 'FP32', shape: [1, 3], data: x }],
    });
    expect(Array.from(z!.data as Float32Array)).toEqual([6, 6]); // all-ones kernel: 1 + 2 + 3
    await repo.close();
  });
});

describe('ModelRepository behaviour (fake runtime, fake clock)', () => {
  const fakeConfig = (name: string) => config(name, 'onnxruntime_onnx', ['x', 2], ['y', 2]);

  it('keeps serving the good models when one fails to load, and says why', async () => {
    const root = repositoryDir({
      good: { config: fakeConfig('good') },
      badjson: { config: { name: 'badjson', platform: 'pytorch', max_batch_size: 0 } },
      noversion: { config: fakeConfig('noversion'), versions: {} },
      misnamed: { config: fakeConfig('other') },
      mismatch: { config: config('mismatch', 'onnxruntime_onnx', ['x', 3], ['y', 2]) },
      unwired: { config: config('unwired', 'tfjs_layers', ['x', 2], ['y', 2]) },
    });
    const repo = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: { onnxruntime_onnx: () => new DoublingRuntime() },
    });
    await repo.start();
    const status = Object.fromEntries(repo.status().map((s) => [s.name, s]));
    expect(status.good!.state).toBe('READY');
    expect(status.badjson!.reason).toMatch(
      /badjson\/config\.json: invalid config: platform: .*; max_batch_size: .*; input: .*/,
    );
    expect(status.noversion!.reason).toBe('noversion: no version directory (expected noversion/1/ …)');
    expect(status.misnamed!.reason).toBe(
      'misnamed/config.json: name is "other", expected "misnamed" (the directory name)',
    );
    expect(status.mismatch!.reason).toBe(
      'version 1: mismatch: input "x" has dims [2] in the model, [3] in the config',
    );
    expect(status.unwired!.reason).toBe(
      'no runtime for platform tfjs_layers in this server (it has: onnxruntime_onnx)',
    );
    expect(repo.ready).toBe(false);
    expect(() => repo.get('mismatch')).toThrow(ServingError);
    expect(() => repo.get('mismatch')).toThrow(/model mismatch is not ready: version 1/);
    await repo.close();
  });

  it('never turns a request name into a path', async () => {
    const root = repositoryDir({ good: { config: fakeConfig('good') } });
    mkdirSync(join(scratch, 'secret', '1'), { recursive: true });
    const repo = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: { onnxruntime_onnx: () => new DoublingRuntime() },
    });
    await repo.start();
    for (const name of ['../secret', '..', 'good/../good', '/etc/passwd', '', '.hidden', 'a\\b']) {
      const error = (() => {
        try {
          repo.get(name);
          return undefined;
        } catch (e) {
          return e as ServingError;
        }
      })();
      expect(error?.code, name).toBe('MODEL_NOT_FOUND');
    }
    await repo.close();
  });

  it('loads a new version beside the old one and swaps only when it is ready; the old one is drained and released', async () => {
    const root = repositoryDir({ m: { config: fakeConfig('m') } });
    const clock = new FakeClock();
    const runtimes: DoublingRuntime[] = [];
    let release!: () => void;
    const gates = [
      undefined,
      new Promise<void>((resolve) => {
        release = resolve;
      }),
    ];
    const repo = new ModelRepository({
      root,
      clock,
      pollMs: 1000,
      runtimes: {
        onnxruntime_onnx: () => {
          const r = new DoublingRuntime(gates[runtimes.length]);
          runtimes.push(r);
          return r;
        },
      },
    });
    await repo.start();
    expect(repo.get('m').version).toBe(1);
    mkdirSync(join(root, 'm', '2'));
    clock.advance(1000); // the poll starts loading version 2, which waits on its gate
    await new Promise((r) => setImmediate(r));
    expect(repo.get('m').version).toBe(1); // not half-loaded: still version 1
    const answer = repo.get('m').batcher!.infer({ inputs: rowsOf(1, 1) });
    clock.advance(1); // past max_queue_delay
    expect((await answer)[0]!.data[0]).toBe(2);
    release();
    await repo.poll();
    expect(repo.get('m').version).toBe(2);
    expect(runtimes[0]!.released).toBe(1);
    await repo.close();
    expect(runtimes[1]!.released).toBe(1);
  });

  it('serves the version a specific version_policy names (a rollback), and the latest again when it is removed', async () => {
    const root = repositoryDir({ m: { config: fakeConfig('m'), versions: { 1: {}, 2: {} } } });
    const repo = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: { onnxruntime_onnx: () => new DoublingRuntime() },
    });
    await repo.start();
    expect(repo.get('m').version).toBe(2);
    const pin = (versions: number[] | undefined) =>
      writeFileSync(
        join(root, 'm', 'config.json'),
        JSON.stringify({
          ...fakeConfig('m'),
          ...(versions ? { version_policy: { specific: { versions } } } : {}),
        }),
      );
    pin([1]);
    await repo.poll();
    expect(repo.get('m').version).toBe(1);
    pin([7]);
    await repo.poll();
    // A policy naming a missing version keeps the loaded one serving and says why.
    expect(repo.get('m').version).toBe(1);
    expect(repo.status()).toEqual([{ name: 'm', state: 'READY', version: 1 }]);
    pin(undefined);
    expect(repo.get('m').monitor).toBeUndefined();
    mkdirSync(join(root, 'm', '.tmp-3')); // a deployer's scratch directory is not a version
    await repo.poll();
    expect(repo.get('m').version).toBe(2);
    await repo.close();
  });

  it('gives a model with a monitoring section a traffic monitor of its signature', async () => {
    const monitoring = { window_rows: 8, segments: 2, bins: { min: 0, max: 4, count: 4 } };
    const root = repositoryDir({
      m: { config: { ...fakeConfig('m'), labels: ['a', 'b'], monitoring } },
      n: { config: { ...fakeConfig('n'), monitoring }, versions: { 1: {}, 2: {} } },
    });
    writeFileSync(
      join(root, 'n', 'config.json'),
      JSON.stringify({ ...fakeConfig('n'), version_policy: { specific: { versions: [3] } } }),
    );
    const repo = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: { onnxruntime_onnx: () => new DoublingRuntime() },
    });
    await repo.start();
    const m = repo.get('m');
    const y = await Promise.all([m.batcher!.infer({ inputs: rowsOf(1, 3) })]);
    m.monitor!.record(rowsOf(1, 3), y[0]!);
    expect(m.monitor!.snapshot()).toMatchObject({
      labels: ['a', 'b'],
      window: { rows: 1, inputs: [{ counts: [0, 0, 0, 1, 0, 0, 0, 1] }], predictions: [1, 0] },
    });
    expect(repo.status()[1]).toEqual({
      name: 'n',
      state: 'UNAVAILABLE',
      reason: 'n: version_policy names version 3, which is not in n/ (it has 1, 2)',
    });
    await repo.close();
  });

  it('keeps the old version when the new one fails, and drops a model whose directory is removed', async () => {
    const root = repositoryDir({ m: { config: fakeConfig('m') }, gone: { config: fakeConfig('gone') } });
    let calls = 0;
    const failing: ModelRuntime = {
      platform: 'fake',
      load: async () => {
        throw new Error('corrupt weights');
      },
      infer: async () => [],
      release: async () => {},
    };
    const repo = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: { onnxruntime_onnx: () => (calls++ < 2 ? new DoublingRuntime() : failing) },
    });
    await repo.start();
    mkdirSync(join(root, 'm', '3'));
    rmSync(join(root, 'gone'), { recursive: true });
    await repo.poll();
    expect(repo.get('m').version).toBe(1);
    expect(repo.status().map((s) => s.name)).toEqual(['m']);
    expect(() => repo.get('gone')).toThrow('no model named "gone"');
    await repo.close();
    await expect(
      new ModelRepository({ root: join(scratch, 'nope'), runtimes: realRuntimes }).start(),
    ).rejects.toThrow(/model repository .*nope does not exist/);
  });
});

describe('ModelRepository with generative models', () => {
  const alphabet = 'abcdefghijk'; // the random GPT's 11 tokens
  const generative = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    platform: 'onnxruntime_onnx',
    max_batch_size: 4,
    generation: { tokenizer: { type: 'characters', alphabet }, context_length: 32, ...extra },
  });

  it('serves a GPT exported to ONNX through the generation scheduler: greedy text equals the TypeScript model', async () => {
    // Every weight N(0, 0.3²): logits far from uniform, so no near-tie can flip a greedy choice between engines.
    const model = randomGpt(
      {
        vocabSize: 11,
        contextLength: 32,
        layers: 2,
        heads: 2,
        width: 16,
        dropout: 0,
        bias: true,
        positions: 'rope',
      },
      3,
    );
    const root = repositoryDir({
      gpt: { config: generative('gpt'), versions: { 1: { 'model.onnx': exportGptOnnx(model) } } },
    });
    const repo = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: {},
      languageModels: { onnxruntime_onnx: onnxLanguageModelFactory },
    });
    await repo.start();
    const served = repo.get('gpt');
    expect(served.batcher).toBeUndefined();
    const { scheduler, tokenizer } = served.generator!;
    expect(served.config.generation).toMatchObject({
      scheduling: 'continuous',
      max_queue_size: 256,
      defaults: { max_tokens: 64, temperature: 1, top_p: 1, repetition_penalty: 1 },
    });
    const prompt = tokenizer.encode('abcab');
    const result = await scheduler.submit({ prompt, maxTokens: 20, sampler: { temperature: 0 } });
    expect(result.tokens).toEqual(generate(model, prompt, { maxTokens: 20, temperature: 0 }).tokens);
    await repo.close();
  });

  it('says why a generative model cannot be served: no language-model runtime, or a tokenizer of another size', async () => {
    const lm = (vocabSize: number) => async () => ({
      vocabSize,
      step: async () => [],
      reset: () => {},
      release: async () => {},
    });
    const root = repositoryDir({ small: { config: generative('small') } });
    const unwired = new ModelRepository({ root, pollMs: 0, runtimes: realRuntimes });
    await unwired.start();
    expect(unwired.status()[0]!.reason).toBe(
      'no language-model runtime for platform onnxruntime_onnx in this server (it has: none)',
    );
    await unwired.close();
    const mismatched = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: {},
      languageModels: { onnxruntime_onnx: lm(12) },
    });
    await mismatched.start();
    expect(mismatched.status()[0]!.reason).toBe(
      "version 1: small: the model has 12 tokens, the config's alphabet 11 characters",
    );
    await mismatched.close();
  });

  it('refuses a config without tensors or a generation section, and a bad generation section, naming the fields', async () => {
    const root = repositoryDir({
      neither: { config: { name: 'neither', platform: 'onnxruntime_onnx', max_batch_size: 1 } },
      badgen: { config: generative('badgen', { context_length: 1, scheduling: 'fifo' }) },
    });
    const repo = new ModelRepository({ root, pollMs: 0, runtimes: realRuntimes });
    await repo.start();
    const reasons = Object.fromEntries(repo.status().map((s) => [s.name, s.reason]));
    expect(reasons.neither).toBe(
      'neither/config.json: invalid config: input: at least one input (or a generation section); output: at least one output (or a generation section)',
    );
    expect(reasons.badgen).toMatch(
      /badgen\/config\.json: invalid config: generation\.context_length: .*; generation\.scheduling: .*/,
    );
    await repo.close();
  });
});
