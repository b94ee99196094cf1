import { type NDArray, Rng, type Shape } from '@mle/tensor';

let rng = new Rng(0);

/** Seeds the generator behind every initializer and dropout mask (torch.manual_seed). */
export function manualSeed(seed: number): void {
  rng = new Rng(seed);
}

/** The shared generator; modules built in the same order after the same seed get the same weights. */
export const globalRng = (): Rng => rng;

/** fan_in and fan_out of a weight: [out, in] for Linear, [out, in, kh, kw] for Conv2d. */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: (shape[1] ?? 1) * receptive, fanOut: (shape[0] ?? 1) * receptive };
}

/** Glorot & Bengio (2010): U(±√(6 / (fan_in + fan_out))), keeping activation variance through tanh layers. */
export function xavierUniform(shape: Shape, gain = 1): NDArray {
  const { fanIn, fanOut } = fans(shape);
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return rng.uniform(shape, -bound, bound);
}

/** He et al. (2015): N(0, 2 / fan_in), for ReLU layers. */
export function kaimingNormal(shape: Shape): NDArray {
  return rng.normal(shape, 0, Math.sqrt(2 / fans(shape).fanIn));
}

/** He uniform with ReLU gain: U(±√(6 / fan_in)). */
export function kaimingUniform(shape: Shape): NDArray {
  const bound = Math.sqrt(6 / fans(shape).fanIn);
  return rng.uniform(shape, -bound, bound);
}

/** PyTorch's default for Linear and Conv2d weights and biases, kaiming_uniform(a=√5): U(±1/√fan_in). */
export function torchDefaultUniform(shape: Shape, fanIn: number): NDArray {
  const bound = 1 / Math.sqrt(fanIn);
  return rng.uniform(shape, -bound, bound);
}
