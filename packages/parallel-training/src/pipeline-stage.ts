/**
 * A stage of the two-stage pipeline (runPipeline): builds the whole MLP from the seed (so both halves start as the
 * unsplit model does), keeps its half, and runs its schedule. Stage 0 sends activations to stage 1; stage 1 sends
 * the gradients with respect to them back (the ring of two ranks is one link each way).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { crossEntropy, Linear, manualSeed, mul, Sequential, Tensor } from '@mle/autograd';
import { mnistArrays } from '@mle/autograd/mnist';
import { fromTypedArray, setMatmulThreads } from '@mle/tensor';
import { buildMlp } from './data-parallel.js';
import { type PipelineRunOptions, pipelineSchedule, type StageReport } from './pipeline.js';
import { type ThreadGroupData, threadLink } from './threads.js';

const { group, options } = workerData as { group: ThreadGroupData; options: PipelineRunOptions };
const { schedule, micro, layers, batch, seed } = options;
const stage = group.rank;
setMatmulThreads(1);
manualSeed(seed);
const full = buildMlp(layers);
// The first half of the Linear layers (with the ReLU after each) is stage 0: stage 1 starts at Linear number ⌈L/2⌉.
const linearAt = full.layers.flatMap((l, i) => (l instanceof Linear ? [i] : []));
const cut = linearAt[Math.ceil(linearAt.length / 2)] ?? full.layers.length;
const model = new Sequential(...(stage === 0 ? full.layers.slice(0, cut) : full.layers.slice(cut)));

const { train } = mnistArrays({ seed });
const rows = batch / micro;
const inputs = layers[0]!;
const microX = (i: number) =>
  fromTypedArray((train.x.data as Float32Array).slice(i * rows * inputs, (i + 1) * rows * inputs), [
    rows,
    inputs,
  ]);
const microY = (i: number) =>
  fromTypedArray((train.y.data as Int32Array).slice(i * rows, (i + 1) * rows), [rows]);

const link = threadLink(group);
const now = () => performance.timeOrigin + performance.now();
const intervals: [number, number][] = [];
const held = new Map<number, { input: Tensor | null; output: Tensor }>();
let peakInFlight = 0;
let loss = 0;
const buffer = new Float32Array(rows * Math.max(...layers));

for (const op of pipelineSchedule(schedule, stage, 2, micro)) {
  if (op.kind === 'F') {
    let input: Tensor | null = null;
    if (stage === 1) {
      const n = await link.receive(buffer);
      input = new Tensor(fromTypedArray(buffer.slice(0, n), [rows, n / rows]), { requiresGrad: true });
    }
    const start = now();
    const output =
      stage === 0
        ? model.forward(new Tensor(microX(op.micro)))
        : // Each micro-batch's mean loss, scaled by 1/m: their sum is the whole batch's mean loss.
          mul(crossEntropy(model.forward(input!), microY(op.micro)), 1 / micro);
    intervals.push([start, now()]);
    held.set(op.micro, { input, output });
    peakInFlight = Math.max(peakInFlight, held.size);
    if (stage === 0) await link.send(output.value.toTypedArray() as Float32Array);
    else loss += output.item();
  } else {
    const { input, output } = held.get(op.micro)!;
    let grad: Float32Array | null = null;
    if (stage === 0) {
      const n = await link.receive(buffer);
      grad = buffer.slice(0, n);
    }
    const start = now();
    if (stage === 0) output.backward(fromTypedArray(grad!, [...output.shape]));
    else output.backward();
    intervals.push([start, now()]);
    held.delete(op.micro);
    if (stage === 1) await link.send(input!.grad!.toTypedArray() as Float32Array);
  }
}
parentPort!.postMessage({
  stage,
  intervals,
  peakInFlight,
  gradients: model.parameters().flatMap((p) => Array.from(p.grad!.toTypedArray())),
  loss,
} satisfies StageReport);
