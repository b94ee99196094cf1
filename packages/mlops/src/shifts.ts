import { Rng } from '@mle/tensor';

/** Shifted copies of MNIST images (rows of 28 × 28 pixels in [0, 1]), the drifts the drift job must catch. */

const SIDE = 28;
const PIXELS = SIDE * SIDE;

/** Every pixel scaled by `factor` (a fainter pen below 1), clipped to [0, 1]. */
export function brightness(images: Float32Array, factor: number): Float32Array {
  return images.map((v) => Math.min(1, Math.max(0, v * factor)));
}

/** Gaussian noise of standard deviation `sigma` on every pixel, clipped to [0, 1]; seeded. */
export function noise(images: Float32Array, sigma: number, seed = 0): Float32Array {
  const rng = new Rng(seed);
  return images.map((v) => Math.min(1, Math.max(0, v + sigma * rng.nextNormal())));
}

/** Each image rotated by `degrees` about its centre (clockwise as displayed, rows going down), bilinear, background 0 outside. */
export function rotate(images: Float32Array, degrees: number): Float32Array {
  const out = new Float32Array(images.length);
  const angle = (degrees * Math.PI) / 180;
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  const c = (SIDE - 1) / 2;
  const count = images.length / PIXELS;
  for (let n = 0; n < count; n++) {
    const base = n * PIXELS;
    const at = (x: number, y: number) =>
      x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : images[base + y * SIDE + x]!;
    for (let y = 0; y < SIDE; y++)
      for (let x = 0; x < SIDE; x++) {
        // The source of output pixel (x, y): rotate back by the angle.
        const sx = cos * (x - c) + sin * (y - c) + c;
        const sy = -sin * (x - c) + cos * (y - c) + c;
        const x0 = Math.floor(sx);
        const y0 = Math.floor(sy);
        const fx = sx - x0;
        const fy = sy - y0;
        out[base + y * SIDE + x] =
          (1 - fx) * (1 - fy) * at(x0, y0) +
          fx * (1 - fy) * at(x0 + 1, y0) +
          (1 - fx) * fy * at(x0, y0 + 1) +
          fx * fy * at(x0 + 1, y0 + 1);
      }
  }
  return out;
}
