/** Open Inference Protocol datatypes this server handles. */
export type Datatype = 'FP32' | 'INT32' | 'INT64';

export type TensorValues = Float32Array | Int32Array | BigInt64Array;

/** A named tensor: row-major values with the batch as the first dimension. */
export interface NamedTensor {
  name: string;
  datatype: Datatype;
  shape: number[];
  data: TensorValues;
}

/** An input or output of a model; -1 marks a variable dimension (the batch, always the first). */
export interface TensorSpec {
  name: string;
  datatype: Datatype;
  shape: number[];
}

export interface ModelSignature {
  inputs: TensorSpec[];
  outputs: TensorSpec[];
}

/**
 * What the serving domain needs from an inference engine, and nothing more (interface segregation):
 * onnxruntime-node and TensorFlow.js each implement it, and the batcher and repository only see this.
 */
export interface ModelRuntime {
  /** A name for logs and the model's metadata, e.g. "onnxruntime_onnx". */
  readonly platform: string;
  /** Loads the model; resolves with its signature once it can serve. */
  load(): Promise<ModelSignature>;
  /** Runs one batch: every input has the same first dimension, and so does every output. */
  infer(inputs: NamedTensor[]): Promise<NamedTensor[]>;
  /** Frees native memory; the runtime is unusable afterwards. */
  release(): Promise<void>;
}

export const ARRAY_OF: Record<Datatype, new (length: number) => TensorValues> = {
  FP32: Float32Array,
  INT32: Int32Array,
  INT64: BigInt64Array,
};

/** Number of elements a shape holds. */
export const elementCount = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);
