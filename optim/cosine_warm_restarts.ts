/**
 * `CosineAnnealingWarmRestarts`: cosine annealing with warm restarts (SGDR), the period growing by
 * `tMult` after each restart (torch.optim.lr_scheduler.CosineAnnealingWarmRestarts 1.13, with its own
 * `step(epoch)` that accepts fractional epochs).
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkNumber, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** Options of {@linkcode CosineAnnealingWarmRestarts}. */
export interface CosineAnnealingWarmRestartsOptions {
  /** The length of the first period, in epochs (a positive integer; PyTorch's `T_0`). */
  t0: number;
  /** The factor of each period's growth (an integer >= 1, default 1). */
  tMult?: number;
  /** The minimal learning rate (default 0). */
  etaMin?: number;
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Anneals each group's learning rate along a cosine from its initial value to `etaMin` over a period,
 * then restarts; periods are `t0`, `t0 tMult`, `t0 tMult²`, ...
 *
 * @example
 * ```ts
 * import { CosineAnnealingWarmRestarts, LeNet, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const sched = new CosineAnnealingWarmRestarts(opt, { t0: 10, tMult: 2, etaMin: 1e-4 });
 * sched.step(2.5); // a fractional epoch, as PyTorch allows here
 * ```
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  /** The first period (PyTorch's `T_0`). */
  t0: number;
  /** The current period (`T_i`). */
  tI: number;
  /** The period growth (`T_mult`). */
  tMult: number;
  /** The minimal learning rate. */
  etaMin: number;
  /** Epochs since the last restart (`T_cur`). */
  tCur: number;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: CosineAnnealingWarmRestartsOptions) {
    const owner = "CosineAnnealingWarmRestarts";
    const o = knownOptions(owner, options, ["t0", "tMult", "etaMin", "lastEpoch"]);
    if (typeof o.t0 !== "number" || !Number.isInteger(o.t0) || o.t0 <= 0) {
      throw new RangeError(
        `${owner}: Expected positive integer t0, but got ${typeof o.t0 === "number" ? o.t0 : describe(o.t0, "typed")}`,
      );
    }
    const tMult = o.tMult ?? 1;
    if (typeof tMult !== "number" || !Number.isInteger(tMult) || tMult < 1) {
      throw new RangeError(
        `${owner}: Expected integer tMult >= 1, but got ${
          typeof tMult === "number" ? tMult : describe(tMult, "typed")
        }`,
      );
    }
    const etaMin = checkNumber(owner, "etaMin", o.etaMin ?? 0);
    const lastEpoch = o.lastEpoch ?? -1;
    super(optimizer, lastEpoch);
    this.t0 = o.t0;
    this.tI = o.t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    this.initialStep();
  }

  /** `eta_min + (base_lr - eta_min) * (1 + cos(pi * T_cur / T_i)) / 2`. */
  protected computeLr(): number[] {
    const c = cmath.cos(Math.PI * this.tCur / this.tI);
    return this.baseLrs.map((base) => this.etaMin + (base - this.etaMin) * (1 + c) / 2);
  }

  /**
   * Advances one epoch, or jumps to `epoch` (fractional allowed), restarting the cosine at the ends of
   * the periods; sets the groups' learning rates.
   */
  override step(epoch?: number): void {
    const owner = "CosineAnnealingWarmRestarts.step";
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    if (epoch === undefined) {
      epoch = this.lastEpoch + 1;
      this.tCur = this.tCur + 1;
      if (this.tCur >= this.tI) {
        this.tCur = this.tCur - this.tI;
        this.tI = this.tI * this.tMult;
      }
    } else {
      checkNumber(owner, "epoch", epoch);
      if (epoch < 0) throw new RangeError(`${owner}: Expected non-negative epoch, but got ${epoch}`);
      if (epoch >= this.t0) {
        if (this.tMult === 1) this.tCur = pyMod(epoch, this.t0);
        else {
          const n = Math.trunc(cmath.log(epoch / this.t0 * (this.tMult - 1) + 1) / cmath.log(this.tMult));
          this.tCur = epoch - this.t0 * (this.tMult ** n - 1) / (this.tMult - 1);
          this.tI = this.t0 * this.tMult ** n;
        }
      } else {
        this.tI = this.t0;
        this.tCur = epoch;
      }
    }
    this.lastEpoch = Math.floor(epoch);
    const values = this.computeLr();
    this.optimizer.paramGroups.forEach((g, i) => g.lr = values[i]);
    // PyTorch's override does not count its steps: `_step_count` stays 0 from `_initial_step`
    this.lastLr = values.slice();
  }

  /** PyTorch's attributes `T_0`, `T_i`, `T_mult`, `eta_min`, `T_cur`. */
  protected ownState(): SchedulerStateDict {
    return { T_0: this.t0, T_i: this.tI, T_mult: this.tMult, eta_min: this.etaMin, T_cur: this.tCur };
  }

  /** Loads `T_0`, `T_i`, `T_mult`, `eta_min`, `T_cur`. */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "CosineAnnealingWarmRestarts.loadStateDict";
    if ("T_0" in sd) this.t0 = checkNumber(owner, "T_0", sd.T_0, { min: 1, integer: true });
    if ("T_i" in sd) this.tI = checkNumber(owner, "T_i", sd.T_i);
    if ("T_mult" in sd) this.tMult = checkNumber(owner, "T_mult", sd.T_mult, { min: 1, integer: true });
    if ("eta_min" in sd) this.etaMin = checkNumber(owner, "eta_min", sd.eta_min);
    if ("T_cur" in sd) this.tCur = checkNumber(owner, "T_cur", sd.T_cur);
  }
}

/** Python's `%` (the sign of the divisor). */
function pyMod(a: number, b: number): number {
  const r = a % b;
  return r !== 0 && (r < 0) !== (b < 0) ? r + b : r;
}
