import { readFileSync } from 'node:fs';
import { type Feed, OnnxSession, type OutputTensor, toNDArray } from '@mle/onnx-runtime';

/**
 * Feeds from a JSON file: `{ "<input>": { "dims": [...], "data": [...], "dtype": "float32" | "int64" | "int32" } }`,
 * or, for a single-input model, a bare nested array of numbers.
 */
export function readFeeds(path: string, inputNames: readonly string[]): Record<string, Feed> {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`run: cannot read feeds from ${path}: ${(error as Error).message}`);
  }
  if (Array.isArray(json)) {
    if (inputNames.length !== 1)
      throw new Error(
        `run: a bare array feeds one input, but the model has ${inputNames.length}: ${inputNames.join(', ')}`,
      );
    return { [inputNames[0]!]: nested(json) };
  }
  const feeds: Record<string, Feed> = {};
  for (const [name, value] of Object.entries(
    json as Record<string, { dims?: number[]; data?: number[]; dtype?: string }>,
  )) {
    if (!Array.isArray(value.data) || !Array.isArray(value.dims))
      throw new Error(`run: feed "${name}" needs "dims" and "data" arrays`);
    const dtype = value.dtype ?? 'float32';
    const data =
      dtype === 'int64'
        ? BigInt64Array.from(value.data.map((v) => BigInt(v)))
        : dtype === 'int32'
          ? Int32Array.from(value.data)
          : dtype === 'float32'
            ? Float32Array.from(value.data)
            : undefined;
    if (!data) throw new Error(`run: feed "${name}" has dtype ${dtype}; use float32, int32 or int64`);
    feeds[name] = { data, dims: value.dims };
  }
  return feeds;
}

function nested(values: unknown[]): Feed {
  const dims: number[] = [];
  for (let level: unknown = values; Array.isArray(level); level = level[0]) dims.push(level.length);
  const flat = (values as unknown[]).flat(Number.POSITIVE_INFINITY) as number[];
  if (flat.length !== dims.reduce((a, b) => a * b, 1) || flat.some((v) => typeof v !== 'number')) {
    throw new Error('run: the input array is ragged or holds non-numbers');
  }
  return { data: Float32Array.from(flat), dims };
}

export async function runModel(
  path: string,
  inputPath: string,
  threads: number,
): Promise<Record<string, OutputTensor>> {
  const session = await OnnxSession.create(path, { intraOpThreads: threads });
  try {
    return await session.run(
      readFeeds(
        inputPath,
        session.inputs.map((i) => i.name),
      ),
    );
  } finally {
    await session.release();
  }
}

export function formatOutputs(outputs: Record<string, OutputTensor>): string {
  return Object.entries(outputs)
    .map(([name, t]) => {
      const body =
        t.type === 'float32'
          ? toNDArray(t).toString()
          : `${t.type} [${t.dims}] ${Array.from(t.data as ArrayLike<number>)
              .slice(0, 20)
              .join(', ')}`;
      return `${name}:\n${body}`;
    })
    .join('\n\n');
}
