import { fromTypedArray, NDArray } from '@mle/tensor';
import ort from 'onnxruntime-node';
import { decodeModel, type ModelSummary, summarize, type ValueSummary } from './reader.js';

export interface SessionOptions {
  /** Threads inside one op (matmul, conv). Default 1: predictable latency; raise it for throughput. */
  intraOpThreads?: number;
  interOpThreads?: number;
}

/** An output of `run`: onnxruntime's tensor (type, dims, data). */
export type OutputTensor = ort.Tensor;

/** What a feed may be: our NDArray, an onnxruntime Tensor, or raw data (BigInt64Array → int64) with dims. */
export type Feed = NDArray | ort.Tensor | { data: ort.Tensor.DataType; dims: readonly number[] };

type OrtType = ort.Tensor.Type;

const ORT_TYPE_OF_DTYPE: Record<string, OrtType> = {
  float32: 'float32',
  float64: 'float64',
  int32: 'int32',
  uint8: 'uint8',
  bool: 'bool',
};

/**
 * An onnxruntime-node session with the model's signature read from its own bytes: feeds are checked
 * against it before running (a wrong name, dtype, rank or dimension gives an error that lists the expected
 * signature, instead of onnxruntime's message), and `release()` frees the native session.
 */
export class OnnxSession {
  private released = false;

  private constructor(
    private readonly session: ort.InferenceSession,
    readonly summary: ModelSummary,
  ) {}

  static async create(source: Uint8Array | string, options: SessionOptions = {}): Promise<OnnxSession> {
    const model = decodeModel(source);
    const bytes = typeof source === 'string' ? undefined : source;
    const sessionOptions: ort.InferenceSession.SessionOptions = {
      intraOpNumThreads: options.intraOpThreads ?? 1,
      interOpNumThreads: options.interOpThreads ?? 1,
      graphOptimizationLevel: 'all',
    };
    const session = bytes
      ? await ort.InferenceSession.create(bytes, sessionOptions)
      : await ort.InferenceSession.create(source as string, sessionOptions);
    return new OnnxSession(session, summarize(model));
  }

  get inputs(): ValueSummary[] {
    return this.summary.inputs;
  }

  get outputs(): ValueSummary[] {
    return this.summary.outputs;
  }

  /** The signature as one line per input and output, e.g. `input x: float32 [batch, 784]`. */
  describe(): string {
    const line = (kind: string, v: ValueSummary) =>
      `${kind} ${v.name}: ${v.dtype} [${v.shape.map((d) => d ?? '?').join(', ')}]`;
    return [...this.inputs.map((v) => line('input', v)), ...this.outputs.map((v) => line('output', v))].join(
      '\n',
    );
  }

  /** Checks names, dtypes, ranks and fixed dimensions of the feeds against the model's inputs. */
  validate(feeds: Record<string, Feed>): Record<string, ort.Tensor> {
    const problems: string[] = [];
    const names = Object.keys(feeds);
    for (const name of names)
      if (!this.inputs.some((i) => i.name === name)) problems.push(`unknown input "${name}"`);
    const tensors: Record<string, ort.Tensor> = {};
    for (const input of this.inputs) {
      const feed = feeds[input.name];
      if (feed === undefined) {
        problems.push(`missing input "${input.name}"`);
        continue;
      }
      const tensor = toOrt(feed);
      if (tensor.type !== input.dtype)
        problems.push(`input "${input.name}" is ${tensor.type}, expected ${input.dtype}`);
      if (tensor.dims.length !== input.shape.length) {
        problems.push(
          `input "${input.name}" has rank ${tensor.dims.length} [${tensor.dims}], expected rank ${input.shape.length}`,
        );
      } else {
        input.shape.forEach((d, axis) => {
          if (typeof d === 'number' && tensor.dims[axis] !== d) {
            problems.push(`input "${input.name}" has ${tensor.dims[axis]} on axis ${axis}, expected ${d}`);
          }
        });
      }
      tensors[input.name] = tensor;
    }
    if (problems.length > 0)
      throw new TypeError(`run: ${problems.join('; ')}\nthe model expects:\n${this.describe()}`);
    return tensors;
  }

  /**
   * Validates, runs, and returns the outputs as onnxruntime Tensors (float outputs convert with toNDArray): every
   * output, or those named in `outputs` (onnxruntime then copies only those out).
   */
  async run(feeds: Record<string, Feed>, outputs?: readonly string[]): Promise<Record<string, ort.Tensor>> {
    if (this.released) throw new Error('run: the session has been released');
    const tensors = this.validate(feeds);
    const result = outputs ? this.session.run(tensors, [...outputs]) : this.session.run(tensors);
    return (await result) as Record<string, ort.Tensor>;
  }

  async release(): Promise<void> {
    if (this.released) return;
    this.released = true;
    await this.session.release();
  }
}

function toOrt(feed: Feed): ort.Tensor {
  if (feed instanceof ort.Tensor) return feed;
  if (feed instanceof NDArray) {
    const type = ORT_TYPE_OF_DTYPE[feed.dtype]!;
    return new ort.Tensor(type, feed.toTypedArray() as ort.Tensor.DataType, [...feed.shape]);
  }
  const type: OrtType =
    feed.data instanceof BigInt64Array
      ? 'int64'
      : feed.data instanceof Float32Array
        ? 'float32'
        : feed.data instanceof Int32Array
          ? 'int32'
          : feed.data instanceof Float64Array
            ? 'float64'
            : 'uint8';
  return new ort.Tensor(type, feed.data, [...feed.dims]);
}

/** A float32 output as an NDArray (a copy, so the native buffer can go). */
export function toNDArray(tensor: ort.Tensor): NDArray {
  if (tensor.type !== 'float32')
    throw new TypeError(`toNDArray: output is ${tensor.type}; only float32 converts`);
  return fromTypedArray(Float32Array.from(tensor.data as Float32Array), [...tensor.dims]);
}
