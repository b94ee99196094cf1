import { crossEntropy, evaluate, Linear, manualSeed } from '@mle/autograd';
import { fitMnist, mnistArrays, mnistMlp } from '@mle/autograd/mnist';
import { decodeModel, ModelProto, OnnxSession, type onnx, readModel } from '@mle/onnx-runtime';
import * as T from '@mle/tensor';
import { describe, expect, it } from 'vitest';
import { exportModule, quantizeColumns, quantizeDynamicInt8 } from '../src/index.js';

async function accuracy(bytes: Uint8Array, x: T.NDArray, y: T.NDArray): Promise<number> {
  const session = await OnnxSession.create(bytes);
  try {
    const logits = (await session.run({ input: x })).output!;
    const predicted = T.argmax(T.fromTypedArray(logits.data as Float32Array, [...logits.dims]), 1).data;
    const labels = y.toTypedArray();
    let correct = 0;
    for (let i = 0; i < labels.length; i++) if (predicted[i] === labels[i]) correct++;
    return correct / labels.length;
  } finally {
    await session.release();
  }
}

describe('quantizeDynamicInt8', () => {
  it('per-column symmetric scales: the largest weight of each column maps to ±127', () => {
    const w = Float32Array.from([1, -0.5, 0, -2, 0.25, 0]); // [3, 2]
    const { q, scales } = quantizeColumns(w, 3, 2);
    expect(Array.from(scales)).toEqual([Math.fround(1 / 127), Math.fround(2 / 127)]);
    expect(Array.from(q)).toEqual([127, -32, 0, -127, 32, 0]);
  });

  it('the MNIST MLP: onnxruntime float32 matches our accuracy exactly; int8 is within 0.5 points at ≤ 30% of the weight bytes', async () => {
    const data = mnistArrays({ image: 'flat' });
    manualSeed(0);
    const model = mnistMlp({ dropout: 0.2 });
    fitMnist(model, data.train, { epochs: 3 });
    const ours = evaluate(model, data.test.x, data.test.y, crossEntropy).metrics.accuracy!;
    const float32 = exportModule(model, data.test.x.slice({ stop: 2 }));
    const { bytes: int8, report } = quantizeDynamicInt8(float32);
    expect(await accuracy(float32, data.test.x, data.test.y)).toBe(ours);
    const quantized = await accuracy(int8, data.test.x, data.test.y);
    expect(Math.abs(quantized - ours)).toBeLessThanOrEqual(0.005);
    expect(report.quantized).toHaveLength(2);
    expect(report.int8WeightBytes / report.floatWeightBytes).toBeLessThanOrEqual(0.3);
    expect(readModel(int8).opCounts.map(([op]) => op)).toEqual(
      expect.arrayContaining(['DynamicQuantizeLinear', 'MatMulInteger']),
    );
    expect(readModel(int8).initializerBytes).toBeLessThan(0.3 * readModel(float32).initializerBytes);
  });

  it('keeps every field it does not rewrite: functions, training info, sparse initializers, metadata, value infos, unknown fields', () => {
    manualSeed(3);
    const model = decodeModel(exportModule(new Linear(6, 4), new T.Rng(0).normal([1, 6])));
    // Field 1000, length-delimited ("a later field"): a number onnx-ml.proto does not define.
    const text = new TextEncoder().encode('a later field');
    const unknown = Uint8Array.from([0xc2, 0x3e, text.length, ...text]);
    Object.assign(model, {
      domain: 'ai.example',
      modelVersion: 7,
      functions: [
        { name: 'f', domain: 'local', input: ['a'], output: ['b'], node: [{ opType: 'Identity' }] },
      ],
      trainingInfo: [{ algorithm: { name: 'step' } }],
      metadataProps: [...model.metadataProps, { key: 'labels', value: 'a,b,c,d' }],
      $unknowns: [unknown],
    });
    const graph = model.graph!;
    graph.sparseInitializer = [
      { dims: [3], values: { name: 'sparse', dataType: 1, dims: [1], floatData: [1] } },
    ];
    graph.valueInfo = [{ name: 'hidden', type: { tensorType: { elemType: 1 } } }];
    graph.docString = 'a graph with everything';
    const before = ModelProto.encode(model).finish();
    const { bytes, report } = quantizeDynamicInt8(before);
    expect(report.quantized).toHaveLength(1);
    // Everything but the rewritten nodes and initializers is byte for byte what it was.
    const strip = (m: onnx.ModelProto) => {
      m.graph!.node = [];
      m.graph!.initializer = [];
      return Buffer.from(ModelProto.encode(m).finish());
    };
    expect(strip(decodeModel(bytes)).equals(strip(decodeModel(before)))).toBe(true);
    const hex = (u: Uint8Array) => Buffer.from(u).toString('hex');
    expect(decodeModel(bytes).$unknowns?.map(hex)).toEqual([hex(unknown)]);
  });

  it('quantizes a lone Gemm and refuses bytes that are not ONNX', () => {
    const bytes = exportModule(new Linear(3, 2), new T.Rng(1).normal([1, 3]));
    expect(quantizeDynamicInt8(bytes).report.quantized).toHaveLength(1);
    expect(() => quantizeDynamicInt8(new Uint8Array([1, 2, 3]))).toThrow(/^not an ONNX model/);
  });
});
