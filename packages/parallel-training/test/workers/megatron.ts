/** A rank of the tensor-parallel test: the Megatron-split MLP block's forward and backward over the ring. */
import { parentPort, workerData } from 'node:worker_threads';
import { MegatronMlp, ringAllReduce, type ThreadGroupData, threadLink } from '../../src/index.js';
import { blockInputs } from '../fixtures/megatron-inputs.js';

const { group, seed } = workerData as { group: ThreadGroupData; seed: number };
const link = threadLink(group);
const allReduce = (buffer: Float32Array) => ringAllReduce(link, buffer, 'sum');
const { weights, x, dy } = blockInputs(seed);
const block = new MegatronMlp(weights, group.rank, group.size);
const y = await block.forward(x, allReduce);
const dx = await block.backward(dy, allReduce);
const values = (t: { grad: { toTypedArray(): ArrayLike<number> } | null }) =>
  Array.from(t.grad!.toTypedArray());
parentPort!.postMessage({
  hidden: [block.hiddenStart, block.hiddenEnd],
  y: Array.from(y.toTypedArray()),
  dx: Array.from(dx.toTypedArray()),
  w1: values(block.w1),
  b1: values(block.b1),
  w2: values(block.w2),
  b2: values(block.b2),
});
