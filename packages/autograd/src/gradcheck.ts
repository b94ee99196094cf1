import { noGrad, type Tensor } from './tensor.js';

export interface GradcheckResult {
  /** Per input: ‖analytic − numeric‖ / (‖analytic‖ + ‖numeric‖), the deep-learning course's measure. */
  relativeErrors: number[];
  maxRelativeError: number;
  ok: boolean;
}

/**
 * Compares backward() with central finite differences, (f(θ+ε) − f(θ−ε)) / 2ε, for every element of every
 * input. `fn` must return a scalar; inputs must be float64 tensors that require a gradient (float32 has
 * too few digits for ε = 1e-6).
 */
export function gradcheck(
  fn: (...inputs: Tensor[]) => Tensor,
  inputs: readonly Tensor[],
  options: { eps?: number; tolerance?: number } = {},
): GradcheckResult {
  const { eps = 1e-6, tolerance = 1e-6 } = options;
  for (const [i, t] of inputs.entries()) {
    if (t.dtype !== 'float64')
      throw new TypeError(`gradcheck: input ${i} is ${t.dtype}; use float64 for finite differences`);
    if (!t.requiresGrad) throw new TypeError(`gradcheck: input ${i} does not require a gradient`);
    if (!t.value.isContiguous || t.value.offset !== 0)
      throw new TypeError(`gradcheck: input ${i} must be contiguous`);
  }
  for (const t of inputs) t.grad = null;
  const out = fn(...inputs);
  if (out.size !== 1) throw new RangeError(`gradcheck: fn must return a scalar, got shape [${out.shape}]`);
  out.backward();
  const relativeErrors = inputs.map((t) => {
    const analytic = t.grad ? t.grad.toTypedArray() : new Float64Array(t.size);
    const data = t.value.data as Float64Array;
    let diff = 0;
    let na = 0;
    let nn = 0;
    for (let k = 0; k < data.length; k++) {
      const saved = data[k]!;
      data[k] = saved + eps;
      const plus = noGrad(() => fn(...inputs).item());
      data[k] = saved - eps;
      const minus = noGrad(() => fn(...inputs).item());
      data[k] = saved;
      const numeric = (plus - minus) / (2 * eps);
      diff += (analytic[k]! - numeric) ** 2;
      na += analytic[k]! ** 2;
      nn += numeric ** 2;
    }
    const denominator = Math.sqrt(na) + Math.sqrt(nn);
    return denominator === 0 ? 0 : Math.sqrt(diff) / denominator;
  });
  const maxRelativeError = Math.max(0, ...relativeErrors);
  return { relativeErrors, maxRelativeError, ok: maxRelativeError < tolerance };
}
