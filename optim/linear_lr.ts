/**
 * `LinearLR` and `ConstantLR`: warm-up schedules over `totalIters` epochs (torch.optim.lr_scheduler
 * 1.13): a linear ramp of the factor from `startFactor` to `endFactor`, or a constant `factor` until
 * `totalIters`; both with PyTorch's recursive forms (and closed forms for `step(epoch)`).
 *
 * @module
 */

import { checkNumber } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { groupLrs, LRScheduler, pyDiv, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode LinearLR}. */
export interface LinearLROptions {
  /** The factor at the first epoch, in [0, 1] (default 1/3). */
  startFactor?: number;
  /** The factor from `totalIters` on, in [0, 1] (default 1). */
  endFactor?: number;
  /** The number of epochs of the ramp (default 5). */
  totalIters?: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Ramps each group's learning rate linearly from `startFactor` to `endFactor` times its initial value in
 * `totalIters` epochs.
 *
 * @example
 * ```ts
 * import { LeNet, LinearLR, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const warmup = new LinearLR(opt, { startFactor: 0.25, totalIters: 4 }); // 0.025, 0.04375, ..., 0.1
 * ```
 */
export class LinearLR extends LRScheduler {
  /** The first factor. */
  startFactor: number;
  /** The last factor. */
  endFactor: number;
  /** The length of the ramp, in epochs. */
  totalIters: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: LinearLROptions = {}) {
    const o = knownOptions("LinearLR", options, ["startFactor", "endFactor", "totalIters", "lastEpoch"]);
    const startFactor = checkNumber("LinearLR", "startFactor", o.startFactor ?? 1 / 3, { min: 0, max: 1 });
    const endFactor = checkNumber("LinearLR", "endFactor", o.endFactor ?? 1, { min: 0, max: 1 });
    const totalIters = checkNumber("LinearLR", "totalIters", o.totalIters ?? 5, { integer: true });
    super(optimizer, o.lastEpoch ?? -1);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  /** PyTorch's recursive `get_lr`. */
  protected computeLr(): number[] {
    const lrs = groupLrs(this.optimizer), e = this.lastEpoch;
    const s = this.startFactor, f = this.endFactor, n = this.totalIters;
    if (e === 0) return lrs.map((lr) => lr * s);
    if (e > n) return lrs;
    return lrs.map((lr) => lr * (1 + pyDiv(f - s, n * s + (e - 1) * (f - s), "LinearLR")));
  }

  /** `base_lr * (start + (end - start) * min(total, epoch) / total)`. */
  protected override closedFormLr(): number[] {
    const s = this.startFactor, f = this.endFactor, n = this.totalIters;
    return this.baseLrs.map((base) => base * (s + pyDiv((f - s) * Math.min(n, this.lastEpoch), n, "LinearLR")));
  }

  /** `start_factor`, `end_factor`, `total_iters`. */
  protected ownState(): SchedulerStateDict {
    return { start_factor: this.startFactor, end_factor: this.endFactor, total_iters: this.totalIters };
  }

  /** Loads `start_factor`, `end_factor`, `total_iters`. */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "LinearLR.loadStateDict";
    if ("start_factor" in sd) this.startFactor = checkNumber(owner, "start_factor", sd.start_factor);
    if ("end_factor" in sd) this.endFactor = checkNumber(owner, "end_factor", sd.end_factor);
    if ("total_iters" in sd) this.totalIters = checkNumber(owner, "total_iters", sd.total_iters, { integer: true });
  }
}

/** Options of {@linkcode ConstantLR}. */
export interface ConstantLROptions {
  /** The factor until `totalIters`, in [0, 1] (default 1/3). */
  factor?: number;
  /** The number of epochs with the factor (default 5). */
  totalIters?: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Multiplies each group's learning rate by `factor` for the first `totalIters` epochs.
 *
 * @example
 * ```ts
 * import { ConstantLR, LeNet, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const sched = new ConstantLR(opt, { factor: 0.5, totalIters: 3 }); // 0.05 for 3 epochs, then 0.1
 * ```
 */
export class ConstantLR extends LRScheduler {
  /** The factor. */
  factor: number;
  /** The number of epochs with the factor. */
  totalIters: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: ConstantLROptions = {}) {
    const o = knownOptions("ConstantLR", options, ["factor", "totalIters", "lastEpoch"]);
    const factor = checkNumber("ConstantLR", "factor", o.factor ?? 1 / 3, { min: 0, max: 1 });
    const totalIters = checkNumber("ConstantLR", "totalIters", o.totalIters ?? 5, { integer: true });
    super(optimizer, o.lastEpoch ?? -1);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  /** PyTorch's recursive `get_lr`. */
  protected computeLr(): number[] {
    const lrs = groupLrs(this.optimizer), e = this.lastEpoch;
    if (e === 0) return lrs.map((lr) => lr * this.factor);
    if (e !== this.totalIters) return lrs;
    return lrs.map((lr) => lr * pyDiv(1, this.factor, "ConstantLR"));
  }

  /** `base_lr * (factor + (epoch >= total) * (1 - factor))`. */
  protected override closedFormLr(): number[] {
    const past = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + past * (1 - this.factor)));
  }

  /** `factor`, `total_iters`. */
  protected ownState(): SchedulerStateDict {
    return { factor: this.factor, total_iters: this.totalIters };
  }

  /** Loads `factor`, `total_iters`. */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "ConstantLR.loadStateDict";
    if ("factor" in sd) this.factor = checkNumber(owner, "factor", sd.factor);
    if ("total_iters" in sd) this.totalIters = checkNumber(owner, "total_iters", sd.total_iters, { integer: true });
  }
}
