import { ARRAY_OF, type Datatype, elementCount, type NamedTensor } from '@mle/serving-core';
import { z } from 'zod';

/** Open Inference Protocol v2 datatypes; this server computes with the first three. */
const SUPPORTED: readonly Datatype[] = ['FP32', 'INT32', 'INT64'];

const InputTensor = z.object({
  name: z.string().min(1),
  shape: z.array(z.number().int().min(0)),
  datatype: z.string(),
  parameters: z.record(z.string(), z.unknown()).optional(),
  /** Row-major values, flat or nested. */
  data: z.array(z.unknown()),
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

/** The request's tensors as typed arrays, each checked: datatype, finite values, shape product = data length. */
export function decodeInputs(body: unknown): { id?: string; inputs: NamedTensor[]; outputs?: string[] } {
  const parsed = InferRequestSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new RequestError(`${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  const inputs = parsed.data.inputs.map((input, i): NamedTensor => {
    const where = `inputs[${i}] (${input.name})`;
    if (!SUPPORTED.includes(input.datatype as Datatype)) {
      throw new RequestError(
        `${where}.datatype: ${JSON.stringify(input.datatype)} is not supported; expected one of ${SUPPORTED.join(', ')}`,
      );
    }
    const datatype = input.datatype as Datatype;
    const flat = input.data.flat(Number.POSITIVE_INFINITY);
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
  return {
    ...(parsed.data.id ? { id: parsed.data.id } : {}),
    inputs,
    ...(parsed.data.outputs ? { outputs: parsed.data.outputs.map((o) => o.name) } : {}),
  };
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
