import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Linear } from '@mle/autograd';
import { exportModule, GraphBuilder } from '@mle/onnx';
import * as T from '@mle/tensor';
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DynamicBatcher,
  FakeClock,
  ModelRepository,
  type ModelRuntime,
  parseModelConfig,
  ServingError,
  systemClock,
} from '../src/index.js';
import { OnnxModelRuntime } from '../src/onnx-runtime.js';
import { savedNames, saveLayersModel, TfjsModelRuntime, tfjsBackend } from '../src/tfjs-runtime.js';
import { DoublingRuntime, flush, realRuntimes, rowsOf } from './fakes.js';

const scratch = mkdtempSync(join(tmpdir(), 'mle-serving-edges-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('clocks', () => {
  it('cancelled timers never fire, on the fake clock and the real one', async () => {
    const fake = new FakeClock();
    const fired: string[] = [];
    const cancel = fake.setTimer(5, () => fired.push('a'));
    fake.setTimer(3, () => fired.push('b'));
    fake.setTimer(3, () => fired.push('c'));
    cancel();
    fake.advance(10);
    expect(fired).toEqual(['b', 'c']); // equal times fire in the order they were set
    let real = false;
    systemClock.setTimer(1, () => {
      real = true;
    })();
    await new Promise((r) => setTimeout(r, 10));
    expect(real).toBe(false);
  });
});

describe('config and runtimes', () => {
  it('names the root when the config is not an object', () => {
    expect(() => parseModelConfig(null, 'x/config.json')).toThrow('x/config.json: invalid config: (root):');
  });

  it('the ONNX runtime refuses unsupported dtypes and infer before load', async () => {
    const g = new GraphBuilder();
    g.addInput('flags', 'BOOL', ['batch', 2]);
    g.addNode('Identity', ['flags'], { outputs: ['out'] });
    g.addOutput('out', 'BOOL', ['batch', 2]);
    const path = join(scratch, 'bool.onnx');
    writeFileSync(path, g.toBytes());
    await expect(new OnnxModelRuntime(path).load()).rejects.toThrow(
      'flags is bool; this server handles FP32, INT32 and INT64',
    );
    await expect(new OnnxModelRuntime(path).infer([])).rejects.toThrow('infer before load');
    await new OnnxModelRuntime(path).release();
  });

  it('the TF.js runtime refuses infer before load and a missing input; savedNames reads functional models', async () => {
    const runtime = new TfjsModelRuntime(join(scratch, 'none.json'));
    await expect(runtime.infer([])).rejects.toThrow('infer before load');
    expect(
      savedNames({
        class_name: 'Model',
        config: {
          input_layers: [['a', 0, 0]],
          output_layers: [
            ['b', 0, 0],
            ['c', 0, 0],
          ],
        },
      }),
    ).toEqual({
      inputs: ['a'],
      outputs: ['b', 'c'],
    });
    expect(savedNames({ class_name: 'Sequential', config: { layers: [] } })).toEqual({
      inputs: [],
      outputs: [],
    });
    expect(savedNames(undefined)).toEqual({ inputs: [], outputs: [] });
  });
});

describe('TF.js runtime with a functional model', () => {
  it('two inputs and two outputs, by their saved names; a model without weights saves and loads too', async () => {
    await tfjsBackend();
    const a = tf.input({ shape: [2], name: 'left' });
    const b = tf.input({ shape: [2], name: 'right' });
    const sum = tf.layers.add({ name: 'sum' }).apply([a, b]) as tf.SymbolicTensor;
    const diff = tf.layers.multiply({ name: 'product' }).apply([a, b]) as tf.SymbolicTensor;
    const dir = join(scratch, 'functional');
    await saveLayersModel(tf.model({ inputs: [a, b], outputs: [sum, diff] }), dir);
    const runtime = new TfjsModelRuntime(join(dir, 'model.json'));
    const signature = await runtime.load();
    expect(signature.inputs.map((t) => t.name)).toEqual(['left', 'right']);
    expect(signature.outputs.map((t) => t.name)).toEqual(['sum', 'product']);
    const tensor = (name: string, values: number[]) => ({
      name,
      datatype: 'FP32' as const,
      shape: [1, 2],
      data: Float32Array.from(values),
    });
    const out = await runtime.infer([tensor('right', [1, 2]), tensor('left', [10, 20])]);
    expect(out.map((t) => [t.name, Array.from(t.data as Float32Array)])).toEqual([
      ['sum', [11, 22]],
      ['product', [10, 40]],
    ]);
    await expect(runtime.infer([tensor('left', [1, 2])])).rejects.toThrow('missing input right');
    await runtime.release();
    const weightless = join(scratch, 'weightless');
    await saveLayersModel(
      tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2], name: 'flat' })] }),
      weightless,
    );
    const flat = new TfjsModelRuntime(join(weightless, 'model.json'));
    expect((await flat.load()).outputs).toEqual([{ name: 'flat', datatype: 'FP32', shape: [-1, 4] }]);
    await flat.release();
  });
});

describe('batcher edges', () => {
  it('a ServingError from the runtime passes through unchanged; a queue of only expired requests runs nothing', async () => {
    const clock = new FakeClock();
    const refusing: ModelRuntime = {
      platform: 'fake',
      load: async () => ({ inputs: [], outputs: [] }),
      infer: async () => {
        throw new ServingError('INVALID_INPUT', 'bad row');
      },
      release: async () => {},
    };
    const batcher = new DynamicBatcher(refusing, {
      model: 'm',
      maxBatchSize: 4,
      maxQueueDelayMs: 1,
      maxQueueSize: 4,
      clock,
    });
    const refused = batcher.infer({ inputs: rowsOf(1, 1) });
    clock.advance(1);
    await expect(refused).rejects.toMatchObject({ code: 'INVALID_INPUT', message: 'bad row' });
    const runtime = new DoublingRuntime();
    const expiring = new DynamicBatcher(runtime, {
      model: 'm',
      maxBatchSize: 4,
      maxQueueDelayMs: 5,
      maxQueueSize: 4,
      clock,
    });
    const late = expiring.infer({ inputs: rowsOf(1, 1), deadline: clock.now() + 1 });
    clock.advance(5);
    await expect(late).rejects.toMatchObject({ code: 'DEADLINE_EXCEEDED' });
    await flush();
    expect(runtime.batches).toEqual([]);
  });
});

describe('repository edges', () => {
  const repo = (name: string, dims: number[], type = 'TYPE_FP32', inputName = 'input') => {
    const root = join(scratch, `${name}-repo`);
    mkdirSync(join(root, name, '1'), { recursive: true });
    writeFileSync(join(root, name, '1', 'model.onnx'), exportModule(new Linear(3, 2), T.zeros([1, 3])));
    writeFileSync(
      join(root, name, 'config.json'),
      JSON.stringify({
        name,
        platform: 'onnxruntime_onnx',
        max_batch_size: 4,
        input: [{ name: inputName, data_type: type, dims }],
        output: [{ name: 'output', data_type: 'TYPE_FP32', dims: [2] }],
      }),
    );
    return root;
  };

  it('checks the config against the real model: names and dtypes', async () => {
    const wrongName = new ModelRepository({
      root: repo('a', [3], 'TYPE_FP32', 'x'),
      pollMs: 0,
      runtimes: realRuntimes,
    });
    await wrongName.start();
    expect(wrongName.status()[0]!.reason).toBe(
      'version 1: a: config input "x" is not in the model (it has input)',
    );
    const wrongType = new ModelRepository({
      root: repo('b', [3], 'TYPE_INT32'),
      pollMs: 0,
      runtimes: realRuntimes,
    });
    await wrongType.start();
    expect(wrongType.status()[0]!.reason).toBe(
      'version 1: b: input "input" is FP32 in the model, TYPE_INT32 in the config',
    );
    await Promise.all([wrongName.close(), wrongType.close()]);
  });

  it('polls every 2 s by default, and close stops the polling', async () => {
    const clock = new FakeClock();
    const r = new ModelRepository({ root: repo('c', [3]), clock, runtimes: realRuntimes });
    await r.start();
    expect(r.get('c').version).toBe(1);
    mkdirSync(join(scratch, 'c-repo', 'c', '2'));
    writeFileSync(
      join(scratch, 'c-repo', 'c', '2', 'model.onnx'),
      exportModule(new Linear(3, 2), T.zeros([1, 3])),
    );
    clock.advance(1999);
    await r.poll();
    clock.advance(1);
    await r.poll();
    expect(r.get('c').version).toBe(2);
    await r.close();
    clock.advance(10_000);
  });

  it('a model that finishes loading after close is released, not served; logs say what happened', async () => {
    const events: string[] = [];
    let open!: () => void;
    const runtime = new DoublingRuntime(
      new Promise((r) => {
        open = r;
      }),
    );
    const root = join(scratch, 'slow-repo');
    mkdirSync(join(root, 'm', '1'), { recursive: true });
    writeFileSync(
      join(root, 'm', 'config.json'),
      JSON.stringify({
        name: 'm',
        platform: 'onnxruntime_onnx',
        max_batch_size: 2,
        input: [{ name: 'x', data_type: 'TYPE_FP32', dims: [2] }],
        output: [{ name: 'y', data_type: 'TYPE_FP32', dims: [2] }],
      }),
    );
    const r = new ModelRepository({
      root,
      pollMs: 0,
      runtimes: { onnxruntime_onnx: () => runtime },
      log: (e) => events.push(e),
    });
    const started = r.start();
    const closed = r.close();
    open();
    await started;
    await closed;
    expect(runtime.released).toBe(1);
    expect(() => r.get('m')).toThrow('no model named "m"');
    expect(events).toEqual([]);
  });
});
