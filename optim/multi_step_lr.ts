/**
 * `MultiStepLR`: multiplies the learning rates by `gamma` at each milestone epoch (a milestone given
 * twice multiplies twice), torch.optim.lr_scheduler.MultiStepLR 1.13 with its recursive and closed forms.
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkNumber, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { groupLrs, LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode MultiStepLR}. */
export interface MultiStepLROptions {
  /** The epochs at which the rate decays (integers). */
  milestones: number[];
  /** The factor of each decay (default 0.1). */
  gamma?: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

function counts(owner: string, v: unknown): Map<number, number> {
  if (!Array.isArray(v) || !v.every((x) => Number.isInteger(x))) {
    throw new TypeError(`${owner}: milestones must be an array of integers, got ${describe(v, "typed")}`);
  }
  const m = new Map<number, number>();
  for (const x of v) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}

/**
 * Decays each group's learning rate by `gamma` at every milestone.
 *
 * @example
 * ```ts
 * import { LeNet, MultiStepLR, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const sched = new MultiStepLR(opt, { milestones: [30, 80], gamma: 0.1 }); // 0.1, then 0.01 at 30, 0.001 at 80
 * ```
 */
export class MultiStepLR extends LRScheduler {
  /** How many times each milestone epoch was given (PyTorch's `Counter`). */
  milestones: Map<number, number>;
  /** The factor of each decay. */
  gamma: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: MultiStepLROptions) {
    const o = knownOptions("MultiStepLR", options, ["milestones", "gamma", "lastEpoch"]);
    const milestones = counts("MultiStepLR", o.milestones);
    const gamma = checkNumber("MultiStepLR", "gamma", o.gamma ?? 0.1);
    super(optimizer, o.lastEpoch ?? -1);
    this.milestones = milestones;
    this.gamma = gamma;
    this.initialStep();
  }

  /** PyTorch's recursive `get_lr`: `lr * gamma ** count` at a milestone. */
  protected computeLr(): number[] {
    const lrs = groupLrs(this.optimizer);
    const k = this.milestones.get(this.lastEpoch);
    if (k === undefined) return lrs;
    return lrs.map((lr) => lr * cmath.pow(this.gamma, k));
  }

  /** `base_lr * gamma ** (milestones passed)`. */
  protected override closedFormLr(): number[] {
    let passed = 0;
    for (const [m, k] of this.milestones) if (m <= this.lastEpoch) passed += k;
    return this.baseLrs.map((base) => base * cmath.pow(this.gamma, passed));
  }

  /** `milestones` (a milestone → count object, as PyTorch's Counter) and `gamma`. */
  protected ownState(): SchedulerStateDict {
    return { milestones: Object.fromEntries(this.milestones), gamma: this.gamma };
  }

  /** Loads `milestones` (an object or Map of epoch → count) and `gamma`. */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "MultiStepLR.loadStateDict";
    if ("milestones" in sd) {
      const raw = sd.milestones instanceof Map ? [...sd.milestones] : Object.entries(sd.milestones as object);
      const m = new Map<number, number>();
      for (const [k, v] of raw) {
        const e = Number(k);
        if (!Number.isInteger(e) || !Number.isInteger(v)) {
          throw new TypeError(
            `${owner}: milestones must map integer epochs to counts, got ${describe(sd.milestones, "typed")}`,
          );
        }
        m.set(e, v as number);
      }
      this.milestones = m;
    }
    if ("gamma" in sd) this.gamma = checkNumber(owner, "gamma", sd.gamma);
  }
}
