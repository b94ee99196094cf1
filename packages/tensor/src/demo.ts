/**
 * A tour of the NDArray, then the matmul ladder at n = 256.
 * Run: pnpm --filter @mle/tensor demo
 */
import { demoFlags, formatTable, measure } from '@mle/report';
import {
  add,
  arange,
  array,
  defaultKernel,
  exp,
  MATMUL_KERNELS,
  type MatmulKernelName,
  matmulPool,
  mean,
  type NDArray,
  Rng,
  softmax,
  sum,
} from './index.js';

// The whole demo takes seconds: --quick is accepted (CI passes it to every demo) and changes nothing.
demoFlags();

const layout = (name: string, a: NDArray) => [
  name,
  `[${a.shape}]`,
  `[${a.strides}]`,
  a.offset,
  a.isContiguous ? 'yes' : 'no',
  JSON.stringify(a.toArray()),
];

console.log('== Strides and views: one buffer of 12 floats, read six ways, nothing copied');
const a = arange(12).reshape(3, 4);
console.log(
  formatTable(
    ['view', 'shape', 'strides', 'offset', 'contiguous', 'values'],
    [
      layout('a = arange(12).reshape(3, 4)', a),
      layout('a.T', a.T),
      layout('a.slice(null, {step: 2})', a.slice(null, { step: 2 })),
      layout('a.slice(1)', a.slice(1)),
      layout('a.slice({step: -1}, 0)', a.slice({ step: -1 }, 0)),
      layout('a.slice(0).broadcastTo([2, 4])', a.slice(0).broadcastTo([2, 4])),
    ],
  ),
);
a.T.set([3, 2], -1);
console.log(`writing a.T[3, 2] = -1 changes a[2, 3]: ${a.get(2, 3)}`);

console.log('\n== Broadcasting: (3, 1) + (4,) → (3, 4)');
console.log(String(add(array([[0], [10], [20]]), array([1, 2, 3, 4]))));

console.log('\n== Reductions and a stable softmax');
const x = arange(24).reshape(2, 3, 4);
console.log(
  `sum over axes (0, 2), keepdims: ${JSON.stringify(sum(x, { axis: [0, 2], keepdims: true }).toArray())}`,
);
console.log(`mean over the last axis: ${JSON.stringify(mean(x, { axis: -1 }).toArray())}`);
const logits = array([[1000, 1001, 1002]]);
const naive = exp(logits);
console.log(
  `naive softmax of [1000, 1001, 1002]: exp overflows to ${naive.get(0, 0)}, so every entry is NaN`,
);
console.log(`softmax (max subtracted first): ${JSON.stringify(softmax(logits).toArray())}`);

console.log('\n== Seeded random: the same seed gives the same numbers on every run');
console.log(String(new Rng(0).normal([2, 3])));

const n = 256;
console.log(`\n== The matmul ladder, float32 ${n}×${n} (median of 5; the full comparison is \`pnpm bench\`)`);
const rng = new Rng(1);
const p = rng.normal([n, n]).data as Float32Array;
const q = rng.normal([n, n]).data as Float32Array;
const rows = (Object.keys(MATMUL_KERNELS) as MatmulKernelName[]).map((rung) => {
  const t = measure(() => MATMUL_KERNELS[rung](p, q, n, n, n), { warmup: 1, runs: 5 });
  return [rung, t.median, (2 * n ** 3) / t.median / 1e6];
});
const base = rows[0]![1] as number;
console.log(
  formatTable(
    ['rung', 'ms', 'GFLOP/s', 'speed-up over naive'],
    rows.map(([rung, ms, gflops]) => [rung, ms, gflops, `${(base / (ms as number)).toFixed(1)}×`]),
  ),
);
console.log(
  `matmul() picks "${defaultKernel(n, n, n)}" at this size (threshold constants in src/matmul/index.ts).`,
);
matmulPool().close();
