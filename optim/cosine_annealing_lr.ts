/**
 * `CosineAnnealingLR`: cosine annealing of the learning rates from their initial values to `etaMin` over
 * `tMax` epochs and back (torch.optim.lr_scheduler.CosineAnnealingLR), with PyTorch 1.13's recursive
 * formula and C's `cos`, so the sequence equals PyTorch's to the bit.
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkNumber } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { groupLrs, LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode CosineAnnealingLR}. */
export interface CosineAnnealingLROptions {
  /** Half the period, in epochs (PyTorch's `T_max`). */
  tMax: number;
  /** The minimal learning rate (default 0). */
  etaMin?: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial value down to `etaMin` in `tMax`
 * epochs, then back up, periodically. Computed recursively from the current rates as PyTorch 1.13 does,
 * so changes made to `lr` by others carry over.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropyWithLogits, CosineAnnealingLR, LeNet, randint, randn, SGD, tidy } from "../mod.ts";
 * const model = new LeNet();
 * const [x, y] = [randn([8, 3, 32, 32]), randint(2, [8, 1]).float()];
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new CosineAnnealingLR(opt, { tMax: 50, etaMin: 1e-4 });
 * for (let epoch = 0; epoch < 50; epoch++) {
 *   tidy(() => { // one epoch of training
 *     opt.zeroGrad();
 *     binaryCrossEntropyWithLogits(model.forward(x), y).backward();
 *     opt.step();
 *   });
 *   sched.step();
 * }
 * ```
 */
export class CosineAnnealingLR extends LRScheduler {
  /** Half the period, in epochs. */
  tMax: number;
  /** The minimal learning rate. */
  etaMin: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: CosineAnnealingLROptions);
  /** PyTorch's positional form `CosineAnnealingLR(optimizer, T_max, eta_min=0, last_epoch=-1)`. */
  constructor(optimizer: Optimizer<object>, tMax: number, etaMin?: number, lastEpoch?: number);
  constructor(optimizer: Optimizer<object>, ...args: unknown[]) {
    const o = optionsFrom<CosineAnnealingLROptions>("CosineAnnealingLR", args, ["tMax", "etaMin", "lastEpoch"], 3);
    const tMax = checkNumber("CosineAnnealingLR", "tMax", o.tMax, { min: 0, minExclusive: true });
    const etaMin = checkNumber("CosineAnnealingLR", "etaMin", o.etaMin ?? 0);
    super(optimizer, o.lastEpoch ?? -1);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  /** The learning rates for the new `lastEpoch`, PyTorch's recursive `get_lr`. */
  protected computeLr(): number[] {
    const e = this.lastEpoch, tMax = this.tMax, etaMin = this.etaMin;
    const lrs = groupLrs(this.optimizer);
    if (e === 0) return lrs;
    if (this.stepCount === 1 && e > 0) {
      return this.baseLrs.map((base) => etaMin + (base - etaMin) * (1 + cmath.cos(e * Math.PI / tMax)) / 2);
    }
    if ((e - 1 - tMax) % (2 * tMax) === 0) {
      return lrs.map((lr, i) => lr + (this.baseLrs[i] - etaMin) * (1 - cmath.cos(Math.PI / tMax)) / 2);
    }
    return lrs.map((lr) =>
      (1 + cmath.cos(Math.PI * e / tMax)) / (1 + cmath.cos(Math.PI * (e - 1) / tMax)) * (lr - etaMin) + etaMin
    );
  }

  /** PyTorch's closed form: `eta_min + (base_lr - eta_min) * (1 + cos(pi * last_epoch / T_max)) / 2`. */
  protected override closedFormLr(): number[] {
    const e = this.lastEpoch, tMax = this.tMax, etaMin = this.etaMin;
    return this.baseLrs.map((base) => etaMin + (base - etaMin) * (1 + cmath.cos(Math.PI * e / tMax)) / 2);
  }

  /** This scheduler's options under PyTorch's attribute names. */
  protected ownState(): SchedulerStateDict {
    return { T_max: this.tMax, eta_min: this.etaMin };
  }

  /** Loads this scheduler's options from a state dict (PyTorch's attribute names). */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "CosineAnnealingLR.loadStateDict";
    const tMax = "T_max" in sd ? checkNumber(owner, "T_max", sd.T_max, { min: 0, minExclusive: true }) : this.tMax;
    const etaMin = "eta_min" in sd ? checkNumber(owner, "eta_min", sd.eta_min) : this.etaMin;
    this.tMax = tMax;
    this.etaMin = etaMin;
  }
}
