import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so a CNN cannot train on it as shipped.
 * This registers one built from the forward convolution it does have, by the identity
 *   dW[kh, kw, ci, co] = Σ_{n, oh, ow} x[n, oh + kh, ow + kw, ci] · dy[n, oh, ow, co],
 * which is conv2d(xᵀ, dyᵀ) with the batch axis as the channel axis (stride 1, valid padding, NHWC: the
 * only case the bench's CNN needs; anything else is refused).
 */
export function registerWasmConvFilterGradient(): void {
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) return;
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const { x, dy } = inputs as { x: tf.Tensor4D; dy: tf.Tensor4D };
      const { strides, pad, dataFormat, dilations } = attrs as unknown as {
        strides: number | [number, number];
        pad: unknown;
        dataFormat: string;
        dilations: number | [number, number];
      };
      const one = (v: number | [number, number]) => (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);
      if (!one(strides) || pad !== 'valid' || dataFormat !== 'NHWC' || !one(dilations ?? 1)) {
        throw new Error('bench Conv2DBackpropFilter for wasm: only stride 1, valid padding, NHWC');
      }
      const xT = tf.transpose(x, [3, 1, 2, 0]); // [Ci, H, W, N]: channels become the batch
      const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [OH, OW, N, Co]: a filter over the batch axis
      const dw = tf.conv2d(xT, dyT as tf.Tensor4D, 1, 'valid'); // [Ci, kh, kw, Co]
      const out = tf.transpose(dw, [1, 2, 0, 3]); // [kh, kw, Ci, Co]
      xT.dispose();
      dyT.dispose();
      dw.dispose();
      return out;
    },
  });
}

export function tfjsMlp(seed: number, dropout: number): tf.Sequential {
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [784],
      units: 128,
      activation: 'relu',
      kernelInitializer: tf.initializers.glorotUniform({ seed }),
    }),
  );
  if (dropout > 0) model.add(tf.layers.dropout({ rate: dropout, seed }));
  model.add(
    tf.layers.dense({ units: 10, kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }) }),
  );
  return model;
}

export function tfjsCnn(seed: number): tf.Sequential {
  const init = (s: number) => tf.initializers.glorotUniform({ seed: seed + s });
  const model = tf.sequential();
  model.add(
    tf.layers.conv2d({
      inputShape: [28, 28, 1],
      filters: 8,
      kernelSize: 5,
      activation: 'relu',
      kernelInitializer: init(0),
    }),
  );
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.conv2d({ filters: 16, kernelSize: 5, activation: 'relu', kernelInitializer: init(1) }));
  model.add(tf.layers.maxPooling2d({ poolSize: 2 }));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(2) }));
  model.add(tf.layers.dense({ units: 10, kernelInitializer: init(3) }));
  return model;
}
