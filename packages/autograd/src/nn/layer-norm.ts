import * as T from '@mle/tensor';
import { Tensor } from '../tensor.js';

/**
 * Layer normalization (Ba et al., 2016) over the last axis as one op: y = (x − μ)/√(σ² + ε) · w + b per row, with
 * σ² the population variance. Composed from mean, sub, mul, sqrt and div it records seven nodes and as many
 * temporaries per call; fused, the forward pass keeps only x̂ and 1/σ per row, and the backward pass is the closed
 * form ∂L/∂x = (1/σ)·(ĝ − mean(ĝ) − x̂·mean(ĝ·x̂)) with ĝ = g·w. `weight` and `bias` are [D] or null (scale 1, shift 0).
 */
export function layerNorm(x: Tensor, weight: Tensor | null, bias: Tensor | null, eps = 1e-5): Tensor {
  const D = x.shape.at(-1);
  if (D === undefined) throw new RangeError('layerNorm: input must have at least one axis');
  for (const [name, p] of [
    ['weight', weight],
    ['bias', bias],
  ] as const) {
    if (p && (p.shape.length !== 1 || p.shape[0] !== D))
      throw new RangeError(
        `layerNorm: ${name} has shape [${p.shape}], expected [${D}] for input [${x.shape}]`,
      );
  }
  if (!(eps > 0)) throw new RangeError(`layerNorm: eps must be positive, got ${eps}`);
  const rows = x.size / D;
  const xv = x.value.toReadonlyTypedArray();
  const w = weight?.value.toReadonlyTypedArray();
  const b = bias?.value.toReadonlyTypedArray();
  const out = T.zeros(x.shape, x.dtype);
  const y = out.data;
  const xhat = x.dtype === 'float64' ? new Float64Array(x.size) : new Float32Array(x.size);
  const rstd = new Float64Array(rows);
  for (let r = 0, base = 0; r < rows; r++, base += D) {
    let mean = 0;
    for (let j = 0; j < D; j++) mean += xv[base + j]!;
    mean /= D;
    let variance = 0;
    for (let j = 0; j < D; j++) variance += (xv[base + j]! - mean) ** 2;
    const inv = 1 / Math.sqrt(variance / D + eps);
    rstd[r] = inv;
    for (let j = 0; j < D; j++) {
      const h = (xv[base + j]! - mean) * inv;
      xhat[base + j] = h;
      y[base + j] = h * (w ? w[j]! : 1) + (b ? b[j]! : 0);
    }
  }
  const inputs = [x, weight, bias].filter((t): t is Tensor => t !== null);
  return Tensor.fromOp('layerNorm', out, inputs, (grad) => {
    const g = grad.toReadonlyTypedArray();
    const gx = x.requiresGrad ? T.zeros(x.shape, x.dtype) : null;
    const gw = new Float64Array(D);
    const gb = new Float64Array(D);
    for (let r = 0, base = 0; r < rows; r++, base += D) {
      let meanG = 0;
      let meanGx = 0;
      for (let j = 0; j < D; j++) {
        const gj = g[base + j]!;
        const h = xhat[base + j]!;
        gw[j]! += gj * h;
        gb[j]! += gj;
        const gh = gj * (w ? w[j]! : 1);
        meanG += gh;
        meanGx += gh * h;
      }
      if (!gx) continue;
      meanG /= D;
      meanGx /= D;
      const inv = rstd[r]!;
      for (let j = 0; j < D; j++) {
        const gh = g[base + j]! * (w ? w[j]! : 1);
        gx.data[base + j] = inv * (gh - meanG - xhat[base + j]! * meanGx);
      }
    }
    const asParam = (values: Float64Array) => T.fromArray(values, [D], x.dtype);
    const grads: (T.NDArray | null)[] = [gx];
    if (weight) grads.push(weight.requiresGrad ? asParam(gw) : null);
    if (bias) grads.push(bias.requiresGrad ? asParam(gb) : null);
    return grads;
  });
}
