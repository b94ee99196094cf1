import type { NDArray, TypedArray } from '@mle/tensor';
import * as T from '@mle/tensor';
import * as ops from '../ops.js';
import { Tensor } from '../tensor.js';

const shapeText = (shape: readonly number[]) => `[${shape.join(',')}]`;

export interface Conv2dOptions {
  stride?: number;
  padding?: number;
}

/**
 * 2-D convolution (cross-correlation, as every framework computes it) of x [N, C, H, W] with weight
 * [O, C, kh, kw]: im2col unrolls each receptive field into a row, so the convolution is one matmul on
 * the tensor package's SIMD kernel, [N·OH·OW, C·kh·kw] · [C·kh·kw, O]. The backward pass is two more
 * matmuls and col2im, which scatters the column gradients back onto the overlapping windows.
 */
export function conv2d(x: Tensor, weight: Tensor, bias: Tensor | null, options: Conv2dOptions = {}): Tensor {
  ops.checkOptions('conv2d', options, ['stride', 'padding']);
  const { stride = 1, padding = 0 } = options;
  if (x.shape.length !== 4)
    throw new RangeError(`conv2d: input must be [N, C, H, W], got ${shapeText(x.shape)}`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const [O, Cw, kh, kw] = weight.shape as [number, number, number, number];
  if (Cw !== C)
    throw new RangeError(`conv2d: input has ${C} channels, weight ${shapeText(weight.shape)} expects ${Cw}`);
  const OH = Math.floor((H + 2 * padding - kh) / stride) + 1;
  const OW = Math.floor((W + 2 * padding - kw) / stride) + 1;
  if (OH < 1 || OW < 1)
    throw new RangeError(
      `conv2d: a ${kh}×${kw} kernel does not fit input ${shapeText(x.shape)} with padding ${padding}`,
    );
  const K = C * kh * kw;
  const P = OH * OW;
  const geometry = { N, C, H, W, kh, kw, stride, padding, OH, OW };
  const cols = T.zeros([N * P, K], x.dtype);
  im2col(x.value.contiguous(), cols.data, geometry);
  const w2d = weight.value.reshape(O, K);
  // The product comes out as [N·P, O] (pixel-major); one pass adds the bias and lays it out as NCHW.
  const y = T.matmul(cols, w2d.T).data;
  const b = bias?.value.toReadonlyTypedArray();
  const out = T.zeros([N, O, OH, OW], x.dtype);
  const o4 = out.data;
  for (let n = 0, r = 0; n < N; n++) {
    for (let p = 0; p < P; p++) {
      for (let o = 0; o < O; o++, r++) o4[(n * O + o) * P + p] = y[r]! + (b ? b[o]! : 0);
    }
  }
  const inputs = bias ? [x, weight, bias] : [x, weight];
  return Tensor.fromOp('conv2d', out, inputs, (g) => {
    // One pass over ∂L/∂out gives it pixel-major (for ∂L/∂x), channel-major (for ∂L/∂W) and its channel
    // sums (∂L/∂b), instead of two transposing copies and a reduction.
    const gv = g.toReadonlyTypedArray();
    const g2d = T.zeros([N * P, O], x.dtype);
    const g2dT = T.zeros([O, N * P], x.dtype);
    const gb = T.zeros([O], x.dtype);
    for (let n = 0, i = 0; n < N; n++) {
      for (let o = 0; o < O; o++) {
        let total = 0;
        for (let p = 0; p < P; p++, i++) {
          const v = gv[i]!;
          g2d.data[(n * P + p) * O + o] = v;
          g2dT.data[o * N * P + n * P + p] = v;
          total += v;
        }
        gb.data[o]! += total;
      }
    }
    const gx = x.requiresGrad ? T.zeros(x.shape, x.dtype) : null;
    if (gx) col2im(T.matmul(g2d, w2d).data, gx.data, geometry);
    const gw = weight.requiresGrad ? T.matmul(g2dT, cols).reshape(O, C, kh, kw) : null;
    return bias ? [gx, gw, bias.requiresGrad ? gb : null] : [gx, gw];
  });
}

interface Geometry {
  N: number;
  C: number;
  H: number;
  W: number;
  kh: number;
  kw: number;
  stride: number;
  padding: number;
  OH: number;
  OW: number;
}

function im2col(x: NDArray, cols: TypedArray, g: Geometry): void {
  const src = x.data;
  const base = x.offset;
  const K = g.C * g.kh * g.kw;
  let row = 0;
  for (let n = 0; n < g.N; n++) {
    for (let oh = 0; oh < g.OH; oh++) {
      for (let ow = 0; ow < g.OW; ow++, row += K) {
        let col = row;
        const top = oh * g.stride - g.padding;
        const left = ow * g.stride - g.padding;
        if (top >= 0 && left >= 0 && top + g.kh <= g.H && left + g.kw <= g.W) {
          // The whole window lies in the image: no bounds checks in the hot loop.
          for (let c = 0; c < g.C; c++) {
            let at = base + ((n * g.C + c) * g.H + top) * g.W + left;
            for (let i = 0; i < g.kh; i++, at += g.W) {
              for (let j = 0; j < g.kw; j++) cols[col++] = src[at + j]!;
            }
          }
          continue;
        }
        for (let c = 0; c < g.C; c++) {
          const plane = base + (n * g.C + c) * g.H * g.W;
          for (let i = 0; i < g.kh; i++) {
            const ih = top + i;
            for (let j = 0; j < g.kw; j++, col++) {
              const iw = left + j;
              cols[col] = ih >= 0 && ih < g.H && iw >= 0 && iw < g.W ? src[plane + ih * g.W + iw]! : 0;
            }
          }
        }
      }
    }
  }
}

function col2im(cols: TypedArray, dx: TypedArray, g: Geometry): void {
  const K = g.C * g.kh * g.kw;
  let row = 0;
  for (let n = 0; n < g.N; n++) {
    for (let oh = 0; oh < g.OH; oh++) {
      for (let ow = 0; ow < g.OW; ow++, row += K) {
        let col = row;
        const top = oh * g.stride - g.padding;
        const left = ow * g.stride - g.padding;
        if (top >= 0 && left >= 0 && top + g.kh <= g.H && left + g.kw <= g.W) {
          for (let c = 0; c < g.C; c++) {
            let at = ((n * g.C + c) * g.H + top) * g.W + left;
            for (let i = 0; i < g.kh; i++, at += g.W) {
              for (let j = 0; j < g.kw; j++) dx[at + j]! += cols[col++]!;
            }
          }
          continue;
        }
        for (let c = 0; c < g.C; c++) {
          const plane = (n * g.C + c) * g.H * g.W;
          for (let i = 0; i < g.kh; i++) {
            const ih = top + i;
            for (let j = 0; j < g.kw; j++, col++) {
              const iw = left + j;
              if (ih >= 0 && ih < g.H && iw >= 0 && iw < g.W) dx[plane + ih * g.W + iw]! += cols[col]!;
            }
          }
        }
      }
    }
  }
}

/** Max over k×k windows of x [N, C, H, W] (stride defaults to k); the gradient goes to each window's maximum. */
export function maxPool2d(x: Tensor, kernel: number, stride = kernel): Tensor {
  if (x.shape.length !== 4)
    throw new RangeError(`maxPool2d: input must be [N, C, H, W], got ${shapeText(x.shape)}`);
  const [N, C, H, W] = x.shape as [number, number, number, number];
  const OH = Math.floor((H - kernel) / stride) + 1;
  const OW = Math.floor((W - kernel) / stride) + 1;
  if (OH < 1 || OW < 1)
    throw new RangeError(`maxPool2d: a ${kernel}×${kernel} window does not fit input ${shapeText(x.shape)}`);
  const input = x.value.contiguous();
  const src = input.data;
  const out = T.zeros([N, C, OH, OW], x.dtype);
  const argmax = new Int32Array(out.size);
  let o = 0;
  for (let plane = 0; plane < N * C; plane++) {
    const base = input.offset + plane * H * W;
    for (let oh = 0; oh < OH; oh++) {
      for (let ow = 0; ow < OW; ow++, o++) {
        let best = Number.NEGATIVE_INFINITY;
        let at = base + oh * stride * W + ow * stride;
        for (let i = 0; i < kernel; i++) {
          const rowStart = base + (oh * stride + i) * W + ow * stride;
          for (let j = 0; j < kernel; j++) {
            const v = src[rowStart + j]!;
            if (v > best || Number.isNaN(v)) {
              best = v;
              at = rowStart + j;
            }
          }
        }
        out.data[o] = best;
        argmax[o] = at - input.offset;
      }
    }
  }
  return Tensor.fromOp('maxPool2d', out, [x], (g) => {
    const gx = T.zeros(x.shape, x.dtype);
    const gv = g.toTypedArray();
    for (let i = 0; i < gv.length; i++) gx.data[argmax[i]!]! += gv[i]!;
    return [gx];
  });
}

/** Integer class labels as an int32 NDArray, checked against the number of classes. */
function labelsOf(
  op: string,
  targets: NDArray | readonly number[],
  count: number,
  classes: number,
): Int32Array {
  const values = targets instanceof T.NDArray ? targets.toTypedArray() : Float64Array.from(targets);
  const rank = targets instanceof T.NDArray ? targets.rank : 1;
  if (rank !== 1 || values.length !== count) {
    const shape = targets instanceof T.NDArray ? shapeText(targets.shape) : `[${targets.length}]`;
    throw new RangeError(
      `${op}: targets have shape ${shape}, expected [${count}] (one class index per row of logits)`,
    );
  }
  const labels = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = values[i]!;
    if (!Number.isInteger(v) || v < 0 || v >= classes) {
      throw new RangeError(`${op}: target ${i} is ${v}, expected a class index in [0, ${classes - 1}]`);
    }
    labels[i] = v;
  }
  return labels;
}

/**
 * Mean cross-entropy of logits [N, C] against class indices [N], from the logits directly:
 * loss_i = logsumexp(z_i) − z_i[y_i], so no probability is ever rounded to 0 and logged. The gradient
 * is (softmax(z) − onehot(y)) / N.
 */
export function crossEntropy(logits: Tensor, targets: NDArray | readonly number[]): Tensor {
  if (logits.shape.length !== 2)
    throw new RangeError(`crossEntropy: logits must be [N, C], got ${shapeText(logits.shape)}`);
  const [N, C] = logits.shape as [number, number];
  const labels = labelsOf('crossEntropy', targets, N, C);
  // Row by row: the log-sum-exp (shifted by the row's max), kept for the backward pass, where the softmax is
  // exp(z − lse) — one pass of exponentials each way.
  const z = logits.value.contiguous();
  const data = z.data;
  const lse = new Float64Array(N);
  let total = 0;
  for (let i = 0; i < N; i++) {
    const row = z.offset + i * C;
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < C; c++) if (data[row + c]! > max) max = data[row + c]!;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(data[row + c]! - max);
    lse[i] = max + Math.log(sum);
    total += lse[i]! - data[row + labels[i]!]!;
  }
  const out = T.full([], total / N, logits.dtype);
  return Tensor.fromOp('crossEntropy', out, [logits], (g) => {
    const scale = g.item() / N;
    const grad = T.zeros([N, C], logits.dtype);
    const into = grad.data;
    for (let i = 0; i < N; i++) {
      const row = z.offset + i * C;
      for (let c = 0; c < C; c++) into[i * C + c] = Math.exp(data[row + c]! - lse[i]!) * scale;
      into[i * C + labels[i]!]! -= scale;
    }
    return [grad];
  });
}

/**
 * PyTorch's EmbeddingBag with per-sample weights: out[b] = Σₕ weights[b, h] · table[indices[b, h]], one weighted
 * sum of table rows per bag ([B, H] indices → [B, D]), without forming the [B, H, D] lookup a take and a sum would.
 * Weights of 1/count give the bag's mean, and a weight of 0 pads a short bag. The gradient flows to the table
 * (scattered back to the picked rows); the weights are constants.
 */
export function embeddingBag(table: Tensor, indices: NDArray, weights: NDArray): Tensor {
  if (table.shape.length !== 2)
    throw new RangeError(`embeddingBag: table must be [N, D], got ${shapeText(table.shape)}`);
  if (indices.rank !== 2 || weights.shape.join() !== indices.shape.join())
    throw new RangeError(
      `embeddingBag: indices must be [B, H] and weights the same shape, got ${shapeText(indices.shape)} and ${shapeText(weights.shape)}`,
    );
  if (indices.dtype !== 'int32')
    throw new TypeError(`embeddingBag: indices must be int32, got ${indices.dtype}`);
  const [N, D] = table.shape as [number, number];
  const [B, H] = indices.shape as [number, number];
  const idx = indices.toTypedArray();
  const w = weights.toTypedArray();
  for (let k = 0; k < idx.length; k++)
    if (idx[k]! < 0 || idx[k]! >= N)
      throw new RangeError(
        `embeddingBag: index ${idx[k]} at bag ${Math.floor(k / H)} is outside the table's ${N} rows`,
      );
  const rows = table.value.contiguous();
  const data = rows.data;
  const out = T.zeros([B, D], table.dtype);
  for (let b = 0; b < B; b++)
    for (let h = 0; h < H; h++) {
      const weight = w[b * H + h]!;
      if (weight === 0) continue;
      const from = rows.offset + idx[b * H + h]! * D;
      for (let d = 0; d < D; d++) out.data[b * D + d]! += weight * data[from + d]!;
    }
  return Tensor.fromOp('embeddingBag', out, [table], (g) => {
    const grad = T.zeros([N, D], table.dtype);
    const gv = g.toTypedArray();
    for (let b = 0; b < B; b++)
      for (let h = 0; h < H; h++) {
        const weight = w[b * H + h]!;
        if (weight === 0) continue;
        const to = idx[b * H + h]! * D;
        for (let d = 0; d < D; d++) grad.data[to + d]! += weight * gv[b * D + d]!;
      }
    return [grad];
  });
}

/** Mean squared error; prediction and target must have the same shape (no silent broadcasting). */
export function mseLoss(prediction: Tensor, target: Tensor): Tensor {
  if (prediction.shape.join() !== target.shape.join()) {
    throw new RangeError(
      `mseLoss: prediction ${shapeText(prediction.shape)} and target ${shapeText(target.shape)} differ in shape`,
    );
  }
  const d = ops.sub(prediction, target);
  return ops.mean(ops.mul(d, d));
}

/**
 * Mean binary cross-entropy on logits, in the stable form max(z, 0) − z·y + log(1 + e^−|z|);
 * the gradient is (σ(z) − y) / n.
 */
export function bceWithLogits(logits: Tensor, targets: NDArray): Tensor {
  if (logits.shape.join() !== targets.shape.join()) {
    throw new RangeError(
      `bceWithLogits: logits ${shapeText(logits.shape)} and targets ${shapeText(targets.shape)} differ in shape`,
    );
  }
  const z = logits.value.toTypedArray();
  const y = targets.toTypedArray();
  let total = 0;
  for (let i = 0; i < z.length; i++) {
    if (!(y[i]! >= 0 && y[i]! <= 1))
      throw new RangeError(`bceWithLogits: target ${i} is ${y[i]}, expected a probability in [0, 1]`);
    const v = z[i]!;
    total += Math.max(v, 0) - v * y[i]! + Math.log1p(Math.exp(-Math.abs(v)));
  }
  const n = z.length;
  const out = T.full([], total / n, logits.dtype);
  return Tensor.fromOp('bceWithLogits', out, [logits], (g) => [
    T.mul(T.sub(T.sigmoid(logits.value), targets.astype(logits.dtype)), g.item() / n),
  ]);
}
