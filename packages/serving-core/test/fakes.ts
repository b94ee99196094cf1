import type { ModelRuntime, ModelSignature, NamedTensor, RepositoryOptions } from '../src/index.js';
import { onnxRuntimeFactory } from '../src/onnx-runtime.js';
import { tfjsRuntimeFactory } from '../src/tfjs-runtime.js';

/** Both real runtimes, wired as an application wires them. */
export const realRuntimes: RepositoryOptions['runtimes'] = {
  onnxruntime_onnx: onnxRuntimeFactory,
  tfjs_layers: tfjsRuntimeFactory,
};

/**
 * A runtime that answers y = 2x for an FP32 input "x" [B, 2], records the batch sizes it saw, and fails any
 * batch that contains a NaN (so tests can put one bad request among good ones).
 */
export class DoublingRuntime implements ModelRuntime {
  readonly platform = 'fake';
  readonly batches: number[] = [];
  released = 0;
  /** Resolve to let infer return; tests that need a batch to stay in flight set this. */
  gate: Promise<void> | undefined;

  constructor(private readonly loadGate?: Promise<void>) {}

  async load(): Promise<ModelSignature> {
    await this.loadGate;
    return {
      inputs: [{ name: 'x', datatype: 'FP32', shape: [-1, 2] }],
      outputs: [{ name: 'y', datatype: 'FP32', shape: [-1, 2] }],
    };
  }

  async infer(inputs: NamedTensor[]): Promise<NamedTensor[]> {
    const x = inputs[0]!;
    this.batches.push(x.shape[0]!);
    await this.gate;
    const data = x.data as Float32Array;
    if (data.some(Number.isNaN)) throw new Error('NaN in input');
    return [{ name: 'y', datatype: 'FP32', shape: [...x.shape], data: data.map((v) => 2 * v) }];
  }

  async release(): Promise<void> {
    this.released++;
  }
}

/** One request of `rows` rows whose values are `value`. */
export const rowsOf = (rows: number, value: number): NamedTensor[] => [
  { name: 'x', datatype: 'FP32', shape: [rows, 2], data: new Float32Array(rows * 2).fill(value) },
];

/** Lets queued promise callbacks run. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));
