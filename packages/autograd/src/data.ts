import { type NDArray, Rng, take } from '@mle/tensor';

export interface Batch {
  x: NDArray;
  y: NDArray;
}

/**
 * Batches of (x, y) rows, reshuffled every epoch by a seeded generator (torch.utils.data.DataLoader with a
 * seeded sampler): the same seed gives the same batches in the same order.
 */
export class DataLoader implements Iterable<Batch> {
  private readonly rng: Rng;

  constructor(
    readonly x: NDArray,
    readonly y: NDArray,
    readonly options: { batchSize: number; shuffle?: boolean; seed?: number; dropLast?: boolean },
  ) {
    if (x.shape[0] !== y.shape[0]) {
      throw new RangeError(`DataLoader: x has ${x.shape[0]} rows, y has ${y.shape[0]}`);
    }
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.rng = new Rng(options.seed ?? 0);
  }

  get length(): number {
    const n = this.x.shape[0]!;
    return this.options.dropLast
      ? Math.floor(n / this.options.batchSize)
      : Math.ceil(n / this.options.batchSize);
  }

  *[Symbol.iterator](): Iterator<Batch> {
    const n = this.x.shape[0]!;
    const order = this.options.shuffle === false ? null : this.rng.permutation(n).data;
    for (let b = 0; b < this.length; b++) {
      const start = b * this.options.batchSize;
      const stop = Math.min(start + this.options.batchSize, n);
      if (!order) {
        yield { x: this.x.slice({ start, stop }), y: this.y.slice({ start, stop }) };
        continue;
      }
      const rows = Array.from(order.subarray(start, stop));
      yield { x: take(this.x, rows, 0), y: take(this.y, rows, 0) };
    }
  }
}
