import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
// @mle/serving-core/tfjs: the TensorFlow.js runtime, for an application to wire into its repository, and the
// layers-model file helpers.
// TensorFlow.js's core, its layers API and the wasm backend, not the @tensorflow/tfjs bundle: that one also loads
// the WebGL and CPU backends, the converter and tfjs-data, none of which a server on the wasm backend runs.
import * as tf from '@tensorflow/tfjs-core';
import { type LayersModel, loadLayersModel } from '@tensorflow/tfjs-layers';
import '@tensorflow/tfjs-backend-wasm';
import type { RuntimeFactory } from './repository.js';
import type { ModelRuntime, ModelSignature, NamedTensor } from './runtime.js';

let backend: Promise<string> | undefined;

/**
 * Picks the TensorFlow.js backend once per process: tfjs-node when its native addon loads, else wasm.
 * (tfjs-node cannot be installed offline on this machine, so the wasm backend is what runs here.)
 */
export function tfjsBackend(log: (line: string) => void = () => {}): Promise<string> {
  backend ??= (async () => {
    let name = 'wasm';
    try {
      await import(/* @vite-ignore */ ['@tensorflow', 'tfjs-node'].join('/'));
      /* v8 ignore next -- tfjs-node's install script needs the internet; it is never present here */
      name = 'tensorflow';
    } catch {
      // not installed or its native binary does not load: stay on wasm
    }
    await tf.setBackend(name);
    await tf.ready();
    log(`tfjs backend: ${tf.getBackend()}`);
    return tf.getBackend();
  })();
  return backend;
}

/** An IOHandler that reads a layers model (model.json + weight shards) from disk, with no native addon. */
export function fileSystemHandler(modelJsonPath: string): tf.io.IOHandler {
  return {
    load: async () => {
      const json = JSON.parse(readFileSync(modelJsonPath, 'utf8'));
      const specs: tf.io.WeightsManifestEntry[] = [];
      const buffers: Uint8Array[] = [];
      for (const group of json.weightsManifest) {
        specs.push(...group.weights);
        for (const path of group.paths) buffers.push(readFileSync(join(dirname(modelJsonPath), path)));
      }
      const weightData = Buffer.concat(buffers);
      return {
        modelTopology: json.modelTopology,
        weightSpecs: specs,
        weightData: weightData.buffer.slice(
          weightData.byteOffset,
          weightData.byteOffset + weightData.byteLength,
        ),
        format: json.format,
        generatedBy: json.generatedBy,
        convertedBy: json.convertedBy,
      };
    },
  };
}

/**
 * Saves a layers model as `<dir>/model.json` + `<dir>/weights.bin` (the tfjs "layers" format) through a
 * save handler, so no native addon (tfjs-node's file:// handler) is needed.
 */
export async function saveLayersModel(model: LayersModel, dir: string): Promise<void> {
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData;
      const weights = Array.isArray(data)
        ? tf.io.concatenateArrayBuffers(data)
        : (data ?? new ArrayBuffer(0));
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'weights.bin'), Buffer.from(weights));
      const json = {
        modelTopology: artifacts.modelTopology,
        format: artifacts.format,
        generatedBy: artifacts.generatedBy,
        convertedBy: artifacts.convertedBy,
        weightsManifest: [{ paths: ['weights.bin'], weights: artifacts.weightSpecs }],
      };
      writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
}

/** A TensorFlow.js layers model saved as model.json + weights.bin, run on tfjs's wasm (or node) backend. */
export class TfjsModelRuntime implements ModelRuntime {
  readonly platform = 'tfjs_layers';
  private model: LayersModel | undefined;
  /** Input and output names as saved in model.json (tfjs renames layers in memory when names repeat in a process). */
  private names: { inputs: string[]; outputs: string[] } = { inputs: [], outputs: [] };

  constructor(private readonly modelJsonPath: string) {}

  async load(): Promise<ModelSignature> {
    await tfjsBackend();
    this.model = await loadLayersModel(fileSystemHandler(this.modelJsonPath));
    this.names = savedNames(JSON.parse(readFileSync(this.modelJsonPath, 'utf8')).modelTopology);
    const spec = (name: string, shape: (number | null)[]) => ({
      name,
      datatype: 'FP32' as const,
      shape: shape.map((d) => d ?? -1),
    });
    return {
      inputs: this.model.inputs.map((t, i) => spec(this.names.inputs[i]!, t.shape)),
      outputs: this.model.outputs.map((t, i) => spec(this.names.outputs[i]!, t.shape)),
    };
  }

  async infer(inputs: NamedTensor[]): Promise<NamedTensor[]> {
    const model = this.model;
    if (!model) throw new Error(`${this.modelJsonPath}: infer before load`);
    const byName = new Map(inputs.map((t) => [t.name, t]));
    // tidy frees every input tensor (and predict's intermediates) on every path, a throw included: a failed
    // inference must not leave native memory behind. Only the returned outputs outlive it.
    const outs = tf.tidy(() => {
      const xs = this.names.inputs.map((name) => {
        const t = byName.get(name);
        if (!t) throw new Error(`missing input ${name}`);
        return tf.tensor(t.data as Float32Array, t.shape, 'float32');
      });
      const ys = model.predict(xs.length === 1 ? xs[0]! : xs) as tf.Tensor | tf.Tensor[];
      return Array.isArray(ys) ? ys : [ys];
    });
    try {
      return await Promise.all(
        outs.map(async (y, i) => ({
          name: model.outputNames[i]!,
          datatype: 'FP32' as const,
          shape: y.shape,
          data: (await y.data()) as Float32Array,
        })),
      );
    } finally {
      tf.dispose(outs);
    }
  }

  async release(): Promise<void> {
    this.model?.dispose();
    this.model = undefined;
  }
}

/** The repository's `tfjs_layers` platform: `<version>/model.json` and its weights. */
export const tfjsRuntimeFactory: RuntimeFactory = (versionDir) =>
  new TfjsModelRuntime(join(versionDir, 'model.json'));

/**
 * The names a layers model was saved with: a Sequential's input is "<first layer>_input" and its output the
 * last layer's name; a functional Model lists them in input_layers / output_layers.
 */
export function savedNames(topology: { class_name?: string; config?: Record<string, unknown> } | undefined): {
  inputs: string[];
  outputs: string[];
} {
  const config = topology?.config ?? {};
  if (topology?.class_name === 'Sequential') {
    const layers = (config.layers as { config: { name: string } }[] | undefined) ?? [];
    if (layers.length === 0) return { inputs: [], outputs: [] };
    return { inputs: [`${layers[0]!.config.name}_input`], outputs: [layers.at(-1)!.config.name] };
  }
  const first = (entries: unknown) => ((entries as [string][] | undefined) ?? []).map((e) => e[0]);
  return { inputs: first(config.input_layers), outputs: first(config.output_layers) };
}
