import type Long from 'long';
import { onnx } from './generated/onnx.js';

/**
 * ONNX's own schema: `proto/onnx-ml.proto` is the official file of ONNX 1.12.0 (IR version 8), unchanged, and
 * `src/generated/onnx.js` + `onnx.d.ts` are protobufjs-cli's static code for it (`pnpm --filter
 * @mle/onnx-runtime generate:proto` regenerates them). The reader, the builder and the quantizer all use these typed
 * messages. Fields a newer ONNX added are kept too: the decoder stores what it does not know in `$unknowns` and the
 * encoder writes it back, so a model decodes and re-encodes to the same bytes.
 */
export { onnx };
export const ModelProto = onnx.ModelProto;

/** An int64 field as a number: protobufjs reads int64 as Long; every size and version here fits in 2^53. */
export function toNumber(value: number | Long | null | undefined): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'number') return value;
  if (value.greaterThan(Number.MAX_SAFE_INTEGER) || value.lessThan(Number.MIN_SAFE_INTEGER))
    throw new RangeError(`ONNX: the int64 ${value.toString()} does not fit a JavaScript number`);
  return value.toNumber();
}

/** TensorProto.DataType: the element type codes (FLOAT = 1, UINT8 = 2, …), as the schema defines them. */
export const DataType = onnx.TensorProto.DataType;

export const DATA_TYPE_NAMES: Record<number, string> = {
  0: 'undefined',
  1: 'float32',
  2: 'uint8',
  3: 'int8',
  4: 'uint16',
  5: 'int16',
  6: 'int32',
  7: 'int64',
  8: 'string',
  9: 'bool',
  10: 'float16',
  11: 'float64',
  12: 'uint32',
  13: 'uint64',
  16: 'bfloat16',
};

export const BYTES_PER_ELEMENT: Record<number, number> = {
  1: 4,
  2: 1,
  3: 1,
  4: 2,
  5: 2,
  6: 4,
  7: 8,
  9: 1,
  10: 2,
  11: 8,
  12: 4,
  13: 8,
  16: 2,
};

/** The opset this package writes: 17, the first with LayerNormalization. */
export const OPSET = 17;
/** IR version 8 pairs with opsets up to 17 (onnx/docs/Versioning.md). */
export const IR_VERSION = 8;
