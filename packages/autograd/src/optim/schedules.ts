import type { Optimizer } from './optimizer.js';

/** A learning-rate schedule: call `step()` once per epoch (or per step, as you define `t`). */
export abstract class LRScheduler {
  protected t = 0;
  private readonly baseLr: number;

  constructor(protected readonly optimizer: Optimizer) {
    this.baseLr = optimizer.lr;
  }

  /** The factor applied to the base rate after t steps. */
  protected abstract factor(t: number): number;

  step(): void {
    this.t++;
    this.optimizer.lr = this.baseLr * this.factor(this.t);
  }

  get lr(): number {
    return this.optimizer.lr;
  }
}

/** lr · γ^⌊t / stepSize⌋ (torch.optim.lr_scheduler.StepLR). */
export class StepLR extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    private readonly options: { stepSize: number; gamma?: number },
  ) {
    super(optimizer);
  }

  protected factor(t: number): number {
    return (this.options.gamma ?? 0.1) ** Math.floor(t / this.options.stepSize);
  }
}

/** Half a cosine from lr down to minLr over tMax steps (Loshchilov & Hutter, 2017, without restarts). */
export class CosineAnnealingLR extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    private readonly options: { tMax: number; minFactor?: number },
  ) {
    super(optimizer);
  }

  protected factor(t: number): number {
    const min = this.options.minFactor ?? 0;
    return (
      min + ((1 - min) * (1 + Math.cos((Math.PI * Math.min(t, this.options.tMax)) / this.options.tMax))) / 2
    );
  }
}

/** Linear warm-up from lr/warmup to lr over `warmup` steps, then constant (or another schedule's factor). */
export class LinearWarmup extends LRScheduler {
  constructor(
    optimizer: Optimizer,
    private readonly options: { warmup: number; then?: (t: number) => number },
  ) {
    super(optimizer);
    this.optimizer.lr = this.lr / options.warmup;
  }

  protected factor(t: number): number {
    if (t < this.options.warmup) return (t + 1) / this.options.warmup;
    return this.options.then ? this.options.then(t - this.options.warmup) : 1;
  }
}
