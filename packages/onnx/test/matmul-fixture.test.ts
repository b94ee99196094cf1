// packages/tensor/bench/matmul.onnx is the one-node model tensor's bench runs in onnxruntime beside its own
// matmul. Tensor imports no package of ours, so it reads this committed file; this test proves the file is what
// the builder writes (rerun with UPDATE_FIXTURES=1 to rewrite it).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { readModel } from '@mle/onnx-runtime';
import { expect, it } from 'vitest';
import { GraphBuilder } from '../src/index.js';

const fixture = fileURLToPath(new URL('../../tensor/bench/matmul.onnx', import.meta.url));

it("tensor's bench model is Y = MatMul(A, B) with symbolic dims, exactly as GraphBuilder writes it", () => {
  const g = new GraphBuilder('matmul');
  g.addInput('A', 'FLOAT', ['m', 'k']);
  g.addInput('B', 'FLOAT', ['k', 'n']);
  g.addNode('MatMul', ['A', 'B'], { outputs: ['Y'] });
  g.addOutput('Y', 'FLOAT', ['m', 'n']);
  const bytes = g.toBytes({ producerName: 'mle-tensor-bench' });
  if (process.env.UPDATE_FIXTURES === '1') writeFileSync(fixture, bytes);
  expect(Buffer.from(bytes).equals(readFileSync(fixture))).toBe(true);
  const summary = readModel(fixture);
  expect(summary.inputs.map((i) => i.shape)).toEqual([
    ['m', 'k'],
    ['k', 'n'],
  ]);
  expect(summary.opCounts).toEqual([['MatMul', 1]]);
});
