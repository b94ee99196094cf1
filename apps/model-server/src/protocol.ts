import {
  ARRAY_OF,
  type Datatype,
  elementCount,
  type NamedTensor,
  type TensorValues,
} from '@mle/serving-core';
import { z } from 'zod';

/** Open Inference Protocol v2 datatypes; this server computes with the first three. */
const SUPPORTED: readonly Datatype[] = ['FP32', 'INT32', 'INT64'];

const InputTensor = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  datatype: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  /**
   * Row-major values, flat or nested. Checked as an array only: every value is checked once, below, while
   * it is copied into a typed array (a per-element schema would walk the 784 numbers twice).
   */
  data: z.custom<unknown[]>((v) => Array.isArray(v), 'expected an array').optional(),
});

export const InferRequestSchema = z.object({
  id: z.string().optional(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  inputs: z.array(InputTensor).min(1),
  outputs: z
    .array(z.object({ name: z.string(), parameters: z.record(z.string(), z.unknown()).optional() }))
    .optional(),
});

export type InferRequestBody = z.infer<typeof InferRequestSchema>;

export class RequestError extends Error {
  override name = 'RequestError';
}

export interface DecodedRequest {
  id?: string;
  inputs: NamedTensor[];
  outputs?: string[];
  /** The client asked for outputs as raw bytes (binary tensor data extension). */
  binaryOutput: boolean;
}

const BYTES: Record<Datatype, number> = { FP32: 4, INT32: 4, INT64: 8 };

/**
 * The binary tensor data extension (as Triton's): the body is the JSON header, `Inference-Header-Content-Length`
 * bytes long, followed by each input's raw little-endian values in order; such inputs carry
 * `parameters.binary_data_size` instead of `data`.
 */
export function decodeBinaryRequest(body: Buffer, headerLength: number): DecodedRequest {
  if (!Number.isInteger(headerLength) || headerLength < 2 || headerLength > body.length) {
    throw new RequestError(
      `Inference-Header-Content-Length: ${headerLength} does not fit a body of ${body.length} bytes`,
    );
  }
  let header: unknown;
  try {
    header = JSON.parse(body.subarray(0, headerLength).toString('utf8'));
  } catch (error) {
    throw new RequestError(`malformed JSON header: ${(error as Error).message}`);
  }
  let offset = headerLength;
  const blobs = new Map<number, TensorValues>();
  const inputs = (header as { inputs?: unknown })?.inputs;
  if (Array.isArray(inputs)) {
    for (const [i, input] of inputs.entries()) {
      const size = (input as { parameters?: { binary_data_size?: unknown } })?.parameters?.binary_data_size;
      if (size === undefined) continue;
      const datatype = (input as { datatype?: string }).datatype as Datatype;
      if (!Number.isInteger(size) || (size as number) < 0 || offset + (size as number) > body.length) {
        throw new RequestError(`inputs[${i}].parameters.binary_data_size: ${size} bytes do not fit the body`);
      }
      if (!(datatype in BYTES) || (size as number) % BYTES[datatype] !== 0) {
        throw new RequestError(
          `inputs[${i}]: ${size} binary bytes are not a whole number of ${datatype} values`,
        );
      }
      const bytes = new Uint8Array(body.subarray(offset, offset + (size as number)));
      blobs.set(
        i,
        datatype === 'FP32'
          ? new Float32Array(bytes.buffer)
          : datatype === 'INT32'
            ? new Int32Array(bytes.buffer)
            : new BigInt64Array(bytes.buffer),
      );
      offset += size as number;
    }
  }
  if (offset !== body.length)
    throw new RequestError(`the body has ${body.length - offset} bytes after the last binary input`);
  return decodeInputs(header, blobs);
}

/** The request's tensors as typed arrays, each checked: datatype, finite values, shape product = data length. */
export function decodeInputs(body: unknown, binary?: ReadonlyMap<number, TensorValues>): DecodedRequest {
  const parsed = InferRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RequestError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  firstRepeat(
    parsed.data.inputs.map((t) => t.name),
    'inputs',
  );
  firstRepeat(
    (parsed.data.outputs ?? []).map((t) => t.name),
    'outputs',
  );
  const inputs = parsed.data.inputs.map((input, i): NamedTensor => {
    const where = `inputs[${i}] (${input.name})`;
    if (!SUPPORTED.includes(input.datatype as Datatype)) {
      throw new RequestError(
        `${where}.datatype: ${JSON.stringify(input.datatype)} is not supported; expected one of ${SUPPORTED.join(', ')}`,
      );
    }
    const datatype = input.datatype as Datatype;
    const given = binary?.get(i);
    if (given) {
      if (given.length !== elementCount(input.shape)) {
        throw new RequestError(
          `${where}: ${given.length} binary values for shape [${input.shape}] (expected ${elementCount(input.shape)})`,
        );
      }
      if (datatype === 'FP32') {
        for (let k = 0; k < given.length; k++) {
          if (!Number.isFinite((given as Float32Array)[k]!))
            throw new RequestError(
              `${where}.data[${k}]: ${(given as Float32Array)[k]} is not a finite number`,
            );
        }
      }
      return { name: input.name, datatype, shape: input.shape, data: given };
    }
    if (!input.data)
      throw new RequestError(`${where}.data: missing (or use the binary tensor data extension)`);
    const flat = flattenData(input.data, input.shape, where);
    const expected = elementCount(input.shape);
    if (flat.length !== expected) {
      throw new RequestError(
        `${where}.data: ${flat.length} values for shape [${input.shape}] (expected ${expected})`,
      );
    }
    const data = new ARRAY_OF[datatype](flat.length);
    for (let k = 0; k < flat.length; k++) {
      const v = flat[k];
      if (typeof v !== 'number' || !Number.isFinite(v) || (datatype !== 'FP32' && !Number.isInteger(v))) {
        throw new RequestError(
          `${where}.data[${k}]: ${JSON.stringify(v) ?? String(v)} is not a finite ${datatype === 'FP32' ? 'number' : 'integer'}`,
        );
      }
      if (datatype === 'INT64') (data as BigInt64Array)[k] = BigInt(v);
      else (data as Float32Array | Int32Array)[k] = v;
    }
    return { name: input.name, datatype, shape: input.shape, data };
  });
  const binaryOutput =
    parsed.data.parameters?.binary_data_output === true ||
    (parsed.data.outputs ?? []).some((o) => o.parameters?.binary_data === true);
  return {
    ...(parsed.data.id ? { id: parsed.data.id } : {}),
    inputs,
    ...(parsed.data.outputs ? { outputs: parsed.data.outputs.map((o) => o.name) } : {}),
    binaryOutput,
  };
}

/** A name given twice in `field` (inputs or outputs) is an error naming both places. */
function firstRepeat(names: readonly string[], field: string): void {
  const seen = new Map<string, number>();
  names.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined)
      throw new RequestError(`${field}[${i}].name: "${name}" is given twice (also ${field}[${first}])`);
    seen.set(name, i);
  });
}

/**
 * The values of `data` in row-major order. Flat data is taken as it is (its length is checked against the shape by
 * the caller); nested data must nest exactly as `shape` does. Walked with an explicit stack, so no body, however
 * deeply nested, can exhaust the call stack: nesting deeper than the shape's rank is refused at that depth.
 */
function flattenData(data: readonly unknown[], shape: readonly number[], where: string): readonly unknown[] {
  if (!data.some(Array.isArray)) return data;
  const out: unknown[] = [];
  const stack: { array: readonly unknown[]; next: number }[] = [];
  const path = () => stack.map((level) => `[${level.next - 1}]`).join('');
  const enter = (array: readonly unknown[]) => {
    const depth = stack.length;
    if (depth >= shape.length)
      throw new RequestError(
        `${where}.data${path()}: nested deeper than the ${shape.length} dimensions of shape [${shape}]`,
      );
    if (array.length !== shape[depth])
      throw new RequestError(
        `${where}.data${path()}: ${array.length} value${array.length === 1 ? '' : 's'} where dimension ${depth} of shape [${shape}] has ${shape[depth]}`,
      );
    stack.push({ array, next: 0 });
  };
  enter(data);
  while (stack.length > 0) {
    const top = stack.at(-1)!;
    if (top.next === top.array.length) {
      stack.pop();
      continue;
    }
    const value = top.array[top.next++];
    const leafLevel = stack.length === shape.length;
    if (Array.isArray(value) === leafLevel)
      throw new RequestError(
        `${where}.data${path()}: ${leafLevel ? 'an array where shape' : 'a value where shape'} [${shape}] puts ${leafLevel ? 'a value' : 'an array'}`,
      );
    if (Array.isArray(value)) enter(value);
    else out.push(value);
  }
  return out;
}

export function encodeOutput(t: NamedTensor) {
  return {
    name: t.name,
    datatype: t.datatype,
    shape: t.shape,
    data:
      t.datatype === 'INT64'
        ? Array.from(t.data as BigInt64Array, Number)
        : Array.from(t.data as Float32Array | Int32Array),
  };
}
