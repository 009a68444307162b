/**
 * `ExponentialLR`: multiplies the learning rates by `gamma` every epoch (torch.optim.lr_scheduler
 * 1.13's recursive form, and its closed form `base_lr * gamma ** epoch` for `step(epoch)`).
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkNumber } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { groupLrs, LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode ExponentialLR}. */
export interface ExponentialLROptions {
  /** The factor of each epoch's decay. */
  gamma: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate by `gamma` every epoch.
 *
 * @example
 * ```ts
 * import { ExponentialLR, LeNet, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const sched = new ExponentialLR(opt, { gamma: 0.9 }); // 0.1, 0.09, 0.081, ...
 * ```
 */
export class ExponentialLR extends LRScheduler {
  /** The factor of each decay. */
  gamma: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: ExponentialLROptions) {
    const o = knownOptions("ExponentialLR", options, ["gamma", "lastEpoch"]);
    const gamma = checkNumber("ExponentialLR", "gamma", o.gamma);
    super(optimizer, o.lastEpoch ?? -1);
    this.gamma = gamma;
    this.initialStep();
  }

  /** `lr * gamma` after the first epoch. */
  protected computeLr(): number[] {
    const lrs = groupLrs(this.optimizer);
    return this.lastEpoch === 0 ? lrs : lrs.map((lr) => lr * this.gamma);
  }

  /** `base_lr * gamma ** last_epoch`. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * cmath.pow(this.gamma, this.lastEpoch));
  }

  /** `gamma`. */
  protected ownState(): SchedulerStateDict {
    return { gamma: this.gamma };
  }

  /** Loads `gamma`. */
  protected loadOwnState(sd: SchedulerStateDict): void {
    if ("gamma" in sd) this.gamma = checkNumber("ExponentialLR.loadStateDict", "gamma", sd.gamma);
  }
}
