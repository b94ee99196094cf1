import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Adam,
  accuracy,
  crossEntropy,
  DataLoader,
  type Linear,
  loadStateDict,
  manualSeed,
  noGrad,
  Sequential,
  Softmax,
  saveStateDict,
  Tensor,
} from '@mle/autograd';
import { mnistMlp } from '@mle/autograd/mnist';
import { loadMnist, MNIST_PIXELS } from '@mle/datasets';
import { exportModule } from '@mle/onnx';
import { OnnxSession } from '@mle/onnx-runtime';
import { fromTypedArray } from '@mle/tensor';
import { deployProduction } from './deploy.js';
import { type GateConfig, type GateReport, runGate, sessionClassifier } from './gate.js';
import type { Step, StepContext } from './pipeline.js';
import { ModelRegistry } from './registry.js';

export interface MnistPipelineOptions {
  seed?: number;
  hidden?: number;
  epochs?: number;
  lr?: number;
  /**
   * The registry's SQLite file: adds the register step (register the exported model, gate it against production,
   * promote it if it passes).
   */
  registry?: string;
  /** A model server's repository: adds the deploy step (production into it, pinned; needs `registry`). */
  repository?: string;
  /** The tracking run this pipeline run is recorded as (the registered version's lineage). */
  runId?: string;
  gate?: GateConfig;
}

/** The evaluate step's test accuracy, from its artifact's metrics.json. */
export function readTestAccuracy(evaluateDir: string): number {
  return (JSON.parse(readFileSync(join(evaluateDir, 'metrics.json'), 'utf8')) as { test_accuracy: number })
    .test_accuracy;
}

/** What the register step did, from its artifact's registered.json. */
export function readRegistration(registerDir: string): Registration {
  return JSON.parse(readFileSync(join(registerDir, 'registered.json'), 'utf8')) as Registration;
}

/** What the register step did, in its artifact's registered.json. */
export interface Registration {
  name: string;
  version: number;
  sha256: string;
  /** Its stage after the step: production if it passed the gate (or already was), else none. */
  stage: string;
  /** The gate's report, or null when the version was registered before (a rerun: it keeps its stage). */
  gate: GateReport | null;
}

const readSplit = (dir: string, name: string) => {
  const meta = JSON.parse(readFileSync(join(dir, `${name}.json`), 'utf8')) as { count: number };
  const images = new Float32Array(readFileSync(join(dir, `${name}.images.f32`)).buffer.slice(0));
  const labels = new Uint8Array(readFileSync(join(dir, `${name}.labels.u8`)));
  return { images, labels, count: meta.count };
};

/**
 * The MNIST pipeline's steps so far: ingest (the seeded split, as binary files) → validate (ranges, shapes, every
 * class present; a failing check stops the pipeline) → featurize (the pixels' mean and spread, from the training split
 * alone) → train (an MLP on the standardized pixels, seeded) → evaluate (test accuracy) → export (ONNX that takes
 * raw pixels, in the model server's repository layout). Every output is a pure function of the parameters and
 * inputs, so reruns are byte-identical.
 */
export function mnistPipeline(options: MnistPipelineOptions = {}): Step[] {
  const { seed = 0, hidden = 64, epochs = 2, lr = 1e-3 } = options;
  const steps: Step[] = [
    {
      name: 'ingest',
      version: '1',
      params: { seed, trainSize: 8000, testSize: 2000 },
      run({ out }) {
        const { train, test } = loadMnist({ seed });
        for (const [name, split] of [
          ['train', train],
          ['test', test],
        ] as const) {
          writeFileSync(
            join(out, `${name}.images.f32`),
            new Uint8Array(split.images.buffer, split.images.byteOffset, split.images.byteLength),
          );
          writeFileSync(join(out, `${name}.labels.u8`), split.labels);
          writeFileSync(
            join(out, `${name}.json`),
            `${JSON.stringify({ count: split.count, pixels: MNIST_PIXELS })}\n`,
          );
        }
      },
    },
    {
      name: 'validate',
      needs: ['ingest'],
      version: '1',
      run({ inputs, out }) {
        const report: Record<string, unknown> = {};
        for (const name of ['train', 'test']) {
          const { images, labels, count } = readSplit(inputs.ingest!.dir, name);
          const problems: string[] = [];
          if (images.length !== count * MNIST_PIXELS)
            problems.push(`${name}: ${images.length} pixels for ${count} images of ${MNIST_PIXELS}`);
          const bad = images.findIndex((v) => !(v >= 0 && v <= 1));
          if (bad >= 0) problems.push(`${name}: pixel ${bad} is ${images[bad]}, outside [0, 1]`);
          const perClass = Array.from({ length: 10 }, (_, c) => labels.filter((l) => l === c).length);
          if (perClass.some((n) => n === 0)) problems.push(`${name}: a digit class is missing (${perClass})`);
          if (problems.length > 0) throw new Error(`validation failed: ${problems.join('; ')}`);
          report[name] = { count, perClass };
        }
        writeFileSync(join(out, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
      },
    },
    {
      name: 'featurize',
      needs: ['ingest', 'validate'],
      version: '2',
      run({ inputs, out }) {
        // One mean and spread over every training pixel (per-pixel statistics would divide the always-blank border
        // pixels by a spread near zero, and the gate's noise check showed what that does to robustness).
        const { images } = readSplit(inputs.ingest!.dir, 'train');
        let sum = 0;
        let square = 0;
        for (const v of images) {
          sum += v;
          square += v * v;
        }
        const mean = sum / images.length;
        const scaler: Scaler = { mean, std: Math.sqrt(square / images.length - mean * mean) };
        writeFileSync(join(out, 'scaler.json'), `${JSON.stringify(scaler)}\n`);
      },
    },
    {
      name: 'train',
      needs: ['ingest', 'featurize'],
      version: '2',
      params: { seed, hidden, epochs, lr },
      run({ inputs, out }) {
        const scaler = JSON.parse(readFileSync(join(inputs.featurize!.dir, 'scaler.json'), 'utf8'));
        const { x, y } = standardized(inputs.ingest!.dir, 'train', scaler);
        manualSeed(seed);
        const model = mlp(hidden);
        const optimizer = new Adam(model.parameters(), { lr });
        const loader = new DataLoader(x, y, { batchSize: 64, seed });
        const history: { epoch: number; train_loss: number }[] = [];
        for (let epoch = 0; epoch < epochs; epoch++) {
          let total = 0;
          let batches = 0;
          for (const batch of loader) {
            optimizer.zeroGrad();
            const loss = crossEntropy(model.forward(new Tensor(batch.x)), batch.y);
            loss.backward();
            optimizer.step();
            total += loss.item();
            batches++;
          }
          history.push({ epoch: epoch + 1, train_loss: total / batches });
        }
        saveStateDict(model.stateDict(), join(out, 'model'));
        writeFileSync(join(out, 'history.json'), `${JSON.stringify(history)}\n`);
        writeFileSync(join(out, 'config.json'), `${JSON.stringify({ hidden })}\n`);
      },
    },
    {
      name: 'evaluate',
      needs: ['ingest', 'featurize', 'train'],
      version: '1',
      run({ inputs, out }) {
        const { scaler, model } = trained(inputs);
        model.eval();
        const { x, y } = standardized(inputs.ingest!.dir, 'test', scaler);
        const score = accuracy(noGrad(() => model.forward(new Tensor(x))).value, y);
        writeFileSync(join(out, 'metrics.json'), `${JSON.stringify({ test_accuracy: score }, null, 2)}\n`);
      },
    },
    {
      name: 'export',
      needs: ['featurize', 'train', 'evaluate'],
      version: '2',
      run({ inputs, out }) {
        const { scaler, model, hidden: width } = trained(inputs);
        const score = readTestAccuracy(inputs.evaluate!.dir);
        foldStandardization(model.layers[0] as Linear, scaler);
        // Raw pixels in, probabilities out: what the model server's MNIST route takes and answers.
        const served = new Sequential(...model.layers, new Softmax());
        const example = fromTypedArray(new Float32Array(MNIST_PIXELS), [1, MNIST_PIXELS]);
        const onnx = exportModule(served, example, {
          metadata: {
            docString: `MNIST MLP 784-${width}-10 from the mlops pipeline, test accuracy ${(100 * score).toFixed(2)}%`,
          },
        });
        writeFileSync(join(out, 'model.onnx'), onnx);
        writeFileSync(join(out, 'config.json'), `${JSON.stringify(servingConfig(), null, 2)}\n`);
      },
    },
  ];
  const codeVersion = steps.map((s) => `${s.name}@${s.version}`).join(' ');
  if (options.registry)
    steps.push({
      name: 'register',
      needs: ['ingest', 'evaluate', 'export'],
      version: '1',
      always: true,
      params: { registry: options.registry, runId: options.runId ?? null },
      async run({ inputs, out }) {
        const registry = new ModelRegistry(options.registry!);
        const sessions: OnnxSession[] = [];
        const classifier = async (dir: string) => {
          const session = await OnnxSession.create(readFileSync(join(dir, 'model.onnx')));
          sessions.push(session);
          return sessionClassifier(session);
        };
        try {
          const metrics = { test_accuracy: readTestAccuracy(inputs.evaluate!.dir) };
          const version = registry.register({
            name: 'mnist',
            artifactDir: inputs.export!.dir,
            runId: options.runId ?? null,
            dataHash: inputs.ingest!.hash,
            codeVersion,
            metrics,
          });
          const production = registry.production('mnist');
          let gate: GateReport | null = null;
          // Only a new candidate is gated: a version already in production stays, and one archived (replaced, or
          // rolled back by a person) is not promoted again by a rerun.
          if (version.stage === 'none') {
            if (production) registry.verify(production);
            gate = await runGate(
              await classifier(version.artifactDir),
              production ? await classifier(production.artifactDir) : null,
              readSplit(inputs.ingest!.dir, 'test'),
              options.gate,
            );
            if (gate.passed) registry.transition('mnist', version.version, 'production', gate);
          }
          const registration: Registration = {
            name: version.name,
            version: version.version,
            sha256: version.sha256,
            stage: registry.get('mnist', version.version).stage,
            gate,
          };
          writeFileSync(join(out, 'registered.json'), `${JSON.stringify(registration, null, 2)}\n`);
        } finally {
          for (const s of sessions) await s.release();
          registry.close();
        }
      },
    });
  if (options.repository) {
    if (!options.registry) throw new Error('mnistPipeline: the deploy step needs a registry to deploy from');
    steps.push({
      name: 'deploy',
      needs: ['register'],
      version: '1',
      always: true,
      params: { registry: options.registry, repository: options.repository },
      run({ out }) {
        const registry = new ModelRegistry(options.registry!);
        try {
          const deployment = deployProduction(registry, 'mnist', options.repository!);
          writeFileSync(join(out, 'deployed.json'), `${JSON.stringify(deployment, null, 2)}\n`);
        } finally {
          registry.close();
        }
      },
    });
  }
  return steps;
}

/** The model server's per-model config (its repository layout: <repo>/mnist/config.json, <repo>/mnist/<version>/model.onnx). */
export const servingConfig = () => ({
  name: 'mnist',
  platform: 'onnxruntime_onnx',
  max_batch_size: 32,
  input: [{ name: 'input', data_type: 'TYPE_FP32', dims: [MNIST_PIXELS] }],
  output: [{ name: 'output', data_type: 'TYPE_FP32', dims: [10] }],
  dynamic_batching: { max_queue_delay_us: 1000, max_queue_size: 256 },
  labels: Array.from({ length: 10 }, (_, i) => String(i)),
  // Pixels and probabilities are both in [0, 1]: 20 bins each, over the last ~2,000 rows, for the drift job.
  monitoring: { window_rows: 2000, segments: 10, bins: { min: 0, max: 1, count: 20 } },
});

/**
 * Folds x ↦ (x − μ)/σ into the first Linear: W′ = W/σ and b′ = b − W′μ (μ, σ repeated for every input), so the exported model
 * takes raw pixels and computes exactly what the trained model computes on standardized ones.
 */
export function foldStandardization(first: Linear, scaler: Scaler): void {
  const w = first.weight.value.data as Float32Array;
  const b = first.bias!.value.data as Float32Array;
  const inputs = first.inFeatures;
  for (let o = 0; o < first.outFeatures; o++) {
    let shift = 0;
    for (let i = 0; i < inputs; i++) {
      const folded = w[o * inputs + i]! / scaler.std;
      w[o * inputs + i] = folded;
      shift += folded * scaler.mean;
    }
    b[o] = b[o]! - shift;
  }
}

/** The standardization of every pixel: (x − mean) / std. */
export interface Scaler {
  mean: number;
  std: number;
}

/** The scaler and the trained model, from the featurize and train artifacts. */
function trained(inputs: StepContext['inputs']): { scaler: Scaler; model: Sequential; hidden: number } {
  const scaler = JSON.parse(readFileSync(join(inputs.featurize!.dir, 'scaler.json'), 'utf8')) as Scaler;
  const { hidden } = JSON.parse(readFileSync(join(inputs.train!.dir, 'config.json'), 'utf8')) as {
    hidden: number;
  };
  const model = mlp(hidden);
  model.loadStateDict(loadStateDict(join(inputs.train!.dir, 'model')));
  return { scaler, model, hidden };
}

/** The pipeline's model: @mle/autograd's MNIST MLP, 784 → hidden → 10 (no dropout). */
const mlp = (hidden: number) => mnistMlp({ hidden });

function standardized(dir: string, name: string, scaler: Scaler) {
  const { images, labels, count } = readSplit(dir, name);
  const x = Float32Array.from(images, (v) => (v - scaler.mean) / scaler.std);
  return { x: fromTypedArray(x, [count, MNIST_PIXELS]), y: fromTypedArray(Int32Array.from(labels), [count]) };
}
