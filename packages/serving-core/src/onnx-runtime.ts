// @mle/serving-core/onnxruntime: the onnxruntime-node runtime, for an application to wire into its repository.
import { join } from 'node:path';
import { CausalLm, CausalLmSlots, OnnxSession, type ValueSummary } from '@mle/onnx-runtime';
import type { LanguageModel } from './generation.js';
import type { LanguageModelFactory, RuntimeFactory } from './repository.js';
import type { Datatype, ModelRuntime, ModelSignature, NamedTensor, TensorSpec } from './runtime.js';

const DATATYPE: Record<string, Datatype> = { float32: 'FP32', int32: 'INT32', int64: 'INT64' };

/** A model in an .onnx file, run by onnxruntime-node through @mle/onnx-runtime's validated session. */
export class OnnxModelRuntime implements ModelRuntime {
  readonly platform = 'onnxruntime_onnx';
  private session: OnnxSession | undefined;

  constructor(
    private readonly path: string,
    private readonly options: { intraOpThreads?: number } = {},
  ) {}

  async load(): Promise<ModelSignature> {
    this.session = await OnnxSession.create(this.path, { intraOpThreads: this.options.intraOpThreads ?? 1 });
    const spec = (v: ValueSummary): TensorSpec => {
      const datatype = DATATYPE[v.dtype];
      if (!datatype)
        throw new Error(`${this.path}: ${v.name} is ${v.dtype}; this server handles FP32, INT32 and INT64`);
      return { name: v.name, datatype, shape: v.shape.map((d) => (typeof d === 'number' ? d : -1)) };
    };
    return { inputs: this.session.inputs.map(spec), outputs: this.session.outputs.map(spec) };
  }

  async infer(inputs: NamedTensor[]): Promise<NamedTensor[]> {
    if (!this.session) throw new Error(`${this.path}: infer before load`);
    const feeds = Object.fromEntries(inputs.map((t) => [t.name, { data: t.data, dims: t.shape }]));
    const out = await this.session.run(feeds);
    return Object.entries(out).map(([name, t]) => ({
      name,
      datatype: DATATYPE[t.type]!, // load() refused any other output type
      shape: [...t.dims],
      data: t.data as NamedTensor['data'],
    }));
  }

  async release(): Promise<void> {
    await this.session?.release();
    this.session = undefined;
  }
}

/** The repository's `onnxruntime_onnx` platform: `<version>/model.onnx`. */
export const onnxRuntimeFactory: RuntimeFactory = (versionDir) =>
  new OnnxModelRuntime(join(versionDir, 'model.onnx'));

/**
 * The repository's `onnxruntime_onnx` platform for a generative model: `<version>/model.onnx`, a decoder with past
 * keys and values, run a step at a time by @mle/onnx-runtime's CausalLmSlots with max_batch_size slots of the
 * context length each.
 */
export const onnxLanguageModelFactory: LanguageModelFactory = async (
  versionDir,
  config,
): Promise<LanguageModel> => {
  const lm = await CausalLm.create(join(versionDir, 'model.onnx'));
  try {
    const slots = new CausalLmSlots(lm, config.max_batch_size, config.generation!.context_length);
    return {
      vocabSize: lm.shape.vocabSize,
      step: (rows) => slots.step(rows),
      reset: (slot) => slots.reset(slot),
      release: () => lm.release(),
    };
  } catch (error) {
    await lm.release();
    throw error;
  }
};
