import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { Matrix } from 'ml-matrix';
import ort from 'onnxruntime-node';

/**
 * Y = MatMul(A, B), A [m, k] and B [k, n] symbolic: written by @mle/onnx's GraphBuilder and committed (tensor
 * imports no package of ours); @mle/onnx's test/matmul-fixture.test.ts proves the file is the builder's output.
 */
const MATMUL_MODEL = new URL('./matmul.onnx', import.meta.url);

/** A peer multiplies two n×n float32 matrices prepared once; `run` returns C's checksum (forcing the result). */
export interface Peer {
  name: string;
  prepare(
    a: Float32Array,
    b: Float32Array,
    n: number,
  ): Promise<{ run: () => Promise<number> | number; release: () => Promise<void> | void }>;
}

const checksum = (c: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < c.length; i++) s += c[i]!;
  return s;
};

function tfjs(backend: 'cpu' | 'wasm'): Peer {
  return {
    name: `tfjs-${backend}`,
    async prepare(a, b, n) {
      await tf.setBackend(backend);
      await tf.ready();
      const x = tf.tensor2d(a, [n, n]);
      const y = tf.tensor2d(b, [n, n]);
      return {
        run: () => {
          const c = tf.matMul(x, y);
          const sum = checksum(c.dataSync());
          c.dispose();
          return sum;
        },
        release: () => {
          x.dispose();
          y.dispose();
        },
      };
    },
  };
}

const mlMatrix: Peer = {
  name: 'ml-matrix',
  async prepare(a, b, n) {
    const x = Matrix.from1DArray(n, n, Array.from(a));
    const y = Matrix.from1DArray(n, n, Array.from(b));
    return { run: () => checksum(x.mmul(y).to1DArray()), release: () => {} };
  },
};

function onnxruntime(threads: number): Peer {
  return {
    name: `onnxruntime-${threads}t`,
    async prepare(a, b, n) {
      const session = await ort.InferenceSession.create(readFileSync(MATMUL_MODEL), {
        intraOpNumThreads: threads,
        interOpNumThreads: 1,
        graphOptimizationLevel: 'all',
      });
      return {
        run: async () => {
          const out = await session.run({
            A: new ort.Tensor('float32', a, [n, n]),
            B: new ort.Tensor('float32', b, [n, n]),
          });
          return checksum(out.Y!.data as Float32Array);
        },
        release: () => session.release(),
      };
    },
  };
}

export const PEERS: Peer[] = [tfjs('cpu'), mlMatrix, tfjs('wasm'), onnxruntime(1), onnxruntime(2)];

/** tfjs prints a suggestion to install tfjs-node on first use; the bench output stays a table. */
export function quietTfjs(): void {
  tf.env().set('IS_TEST', true);
  tf.env().set('PROD', true);
}
