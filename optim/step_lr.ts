/**
 * `StepLR`: multiplies the learning rates by `gamma` every `stepSize` epochs (torch.optim.lr_scheduler.StepLR).
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkNumber } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { groupLrs, LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode StepLR}. */
export interface StepLROptions {
  /** The period, in epochs, of the decay (a positive integer). */
  stepSize: number;
  /** The factor of each decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Decays each group's learning rate by `gamma` every `stepSize` epochs, from the current rate (PyTorch's
 * recursive form, so the sequence equals PyTorch's exactly).
 *
 * @example
 * ```ts
 * import { binaryCrossEntropyWithLogits, LeNet, randint, randn, SGD, StepLR, tidy } from "../mod.ts";
 * const model = new LeNet();
 * const [x, y] = [randn([8, 3, 32, 32]), randint(2, [8, 1]).float()];
 * const opt = new SGD(model.parameters(), { lr: 0.1 });
 * const sched = new StepLR(opt, { stepSize: 30, gamma: 0.1 }); // 0.1 for 30 epochs, then 0.01, ...
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   tidy(() => { // one epoch of training
 *     opt.zeroGrad();
 *     binaryCrossEntropyWithLogits(model.forward(x), y).backward();
 *     opt.step();
 *   });
 *   sched.step();
 * }
 * ```
 */
export class StepLR extends LRScheduler {
  /** The period of the decay, in epochs. */
  stepSize: number;
  /** The factor of each decay. */
  gamma: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: StepLROptions);
  /** PyTorch's positional form `StepLR(optimizer, step_size, gamma=0.1, last_epoch=-1)`. */
  constructor(optimizer: Optimizer<object>, stepSize: number, gamma?: number, lastEpoch?: number);
  constructor(optimizer: Optimizer<object>, ...args: unknown[]) {
    const o = optionsFrom<StepLROptions>("StepLR", args, ["stepSize", "gamma", "lastEpoch"], 3);
    const stepSize = checkNumber("StepLR", "stepSize", o.stepSize, { min: 1, integer: true });
    const gamma = checkNumber("StepLR", "gamma", o.gamma ?? 0.1);
    super(optimizer, o.lastEpoch ?? -1);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  /** The learning rates for the new `lastEpoch`, PyTorch's recursive `get_lr`. */
  protected computeLr(): number[] {
    const lrs = groupLrs(this.optimizer);
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return lrs;
    return lrs.map((lr) => lr * this.gamma);
  }

  /** PyTorch's closed form: `base_lr * gamma ** (last_epoch // step_size)`. */
  protected override closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * cmath.pow(this.gamma, Math.floor(this.lastEpoch / this.stepSize)));
  }

  /** This scheduler's options under PyTorch's attribute names. */
  protected ownState(): SchedulerStateDict {
    return { step_size: this.stepSize, gamma: this.gamma };
  }

  /** Loads this scheduler's options from a state dict (PyTorch's attribute names). */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "StepLR.loadStateDict";
    const stepSize = "step_size" in sd
      ? checkNumber(owner, "step_size", sd.step_size, { min: 1, integer: true })
      : this.stepSize;
    const gamma = "gamma" in sd ? checkNumber(owner, "gamma", sd.gamma) : this.gamma;
    this.stepSize = stepSize;
    this.gamma = gamma;
  }
}
