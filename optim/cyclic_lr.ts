/**
 * `CyclicLR`: cyclical learning rates between `baseLr` and `maxLr` (triangular, triangular2, exp_range
 * or a custom scale function), cycling the momentum inversely, torch.optim.lr_scheduler.CyclicLR 1.13's
 * arithmetic (Python floats, C's `pow`).
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkBoolean, checkNumber, checkOneOf, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { LRScheduler, perGroup, pyDiv, type SchedulerStateDict } from "./lr_scheduler.ts";
import { Optimizer } from "./optimizer.ts";
import { TORCH2 } from "./torch_release.ts";

/** The built-in policies of {@linkcode CyclicLR}. */
export type CyclicMode = "triangular" | "triangular2" | "exp_range";

/** Options of {@linkcode CyclicLR}. */
export interface CyclicLROptions {
  /** The lower learning rate of the cycle (a number or one per group). */
  baseLr: number | number[];
  /** The upper learning rate of the cycle (a number or one per group). */
  maxLr: number | number[];
  /** Steps (iterations) in the increasing half of a cycle (default 2000). */
  stepSizeUp?: number;
  /** Steps in the decreasing half (default `stepSizeUp`). */
  stepSizeDown?: number | null;
  /** The policy (default "triangular"); ignored when `scaleFn` is given. */
  mode?: CyclicMode;
  /** The base of "exp_range"'s `gamma ** iterations` (default 1). */
  gamma?: number;
  /** A custom scale policy of the cycle number or the iteration (see `scaleMode`); values in [0, 1]. */
  scaleFn?: ((x: number) => number) | null;
  /** What `scaleFn` is evaluated at: "cycle" (default) or "iterations". */
  scaleMode?: "cycle" | "iterations";
  /** Cycle the momentum inversely to the learning rate (default true; needs an optimizer with `momentum`). */
  cycleMomentum?: boolean;
  /** The lower momentum (default 0.8). */
  baseMomentum?: number | number[];
  /** The upper momentum (default 0.9). */
  maxMomentum?: number | number[];
  /** The index of the last step when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

const KEYS = [
  "baseLr",
  "maxLr",
  "stepSizeUp",
  "stepSizeDown",
  "mode",
  "gamma",
  "scaleFn",
  "scaleMode",
  "cycleMomentum",
  "baseMomentum",
  "maxMomentum",
  "lastEpoch",
];

/**
 * Cycles each group's learning rate between `baseLr` and `maxLr`; call `step()` after every batch.
 *
 * @example
 * ```ts
 * import { CyclicLR, LeNet, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, mode: "triangular2" });
 * ```
 */
export class CyclicLR extends LRScheduler {
  /** The upper learning rates, one per group. */
  maxLrs: number[];
  /** Steps in a whole cycle. */
  totalSize: number;
  /** The fraction of the cycle that increases. */
  stepRatio: number;
  /** The policy. */
  mode: CyclicMode;
  /** The base of "exp_range". */
  gamma: number;
  /** The custom scale function, or null. */
  readonly scaleFnCustom: ((x: number) => number) | null;
  /** Whether the scale is a function of the cycle or of the iteration. */
  scaleMode: "cycle" | "iterations";
  /** Whether the momentum cycles. */
  readonly cycleMomentum: boolean;
  /** The lower momenta, one per group (when cycling). */
  baseMomentums: number[] = [];
  /** The upper momenta, one per group (when cycling). */
  maxMomentums: number[] = [];

  /** A scheduler of `optimizer`'s learning rates (and momenta). */
  constructor(optimizer: Optimizer<object>, options: CyclicLROptions) {
    const owner = "CyclicLR";
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${owner}: expected an Optimizer, got ${describe(optimizer, "typed")}`);
    }
    const o = knownOptions(owner, options, KEYS);
    const n = optimizer.paramGroups.length;
    const lastEpoch = o.lastEpoch ?? -1;
    const baseLrs = perGroup(owner, "baseLr", o.baseLr, n);
    const maxLrs = perGroup(owner, "maxLr", o.maxLr, n);
    const up = checkNumber(owner, "stepSizeUp", o.stepSizeUp ?? 2000);
    const down = o.stepSizeDown === undefined || o.stepSizeDown === null
      ? up
      : checkNumber(owner, "stepSizeDown", o.stepSizeDown);
    const scaleFn = o.scaleFn ?? null;
    if (scaleFn !== null && typeof scaleFn !== "function") {
      throw new TypeError(`${owner}: scaleFn must be a function or null, got ${describe(scaleFn, "typed")}`);
    }
    const mode = scaleFn === null
      ? checkOneOf(owner, "mode", o.mode ?? "triangular", ["triangular", "triangular2", "exp_range"])
      : (o.mode ?? "triangular");
    const gamma = checkNumber(owner, "gamma", o.gamma ?? 1);
    const cycleMomentum = checkBoolean(owner, "cycleMomentum", o.cycleMomentum ?? true);
    if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => g.lr = baseLrs[i]);
    let baseMomentums: number[] = [], maxMomentums: number[] = [];
    if (cycleMomentum) {
      if (!("momentum" in optimizer.defaults)) {
        throw new TypeError(`${owner}: optimizer must support momentum with the cycleMomentum option enabled`);
      }
      const bm = perGroup(owner, "baseMomentum", o.baseMomentum ?? 0.8, n);
      if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g as Record<string, unknown>).momentum = bm[i]);
      baseMomentums = optimizer.paramGroups.map((g) => (g as Record<string, unknown>).momentum as number);
      maxMomentums = perGroup(owner, "maxMomentum", o.maxMomentum ?? 0.9, n);
    }
    super(optimizer, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = up + down;
    this.stepRatio = pyDiv(up, this.totalSize, owner);
    this.mode = mode;
    this.gamma = gamma;
    this.scaleFnCustom = scaleFn;
    this.scaleMode = scaleFn === null ? (mode === "exp_range" ? "iterations" : "cycle") : (o.scaleMode ?? "cycle");
    this.cycleMomentum = cycleMomentum;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  /** The scale of the amplitude at `x` (a cycle number or an iteration). */
  scaleFn(x: number): number {
    if (this.scaleFnCustom !== null) return this.scaleFnCustom(x);
    if (this.mode === "triangular") return 1;
    if (this.mode === "triangular2") return 1 / cmath.pow(2, x - 1);
    return cmath.pow(this.gamma, x);
  }

  /** PyTorch's `get_lr` (it also sets the groups' momenta when cycling). */
  protected computeLr(): number[] {
    const e = this.lastEpoch;
    const cycle = Math.floor(1 + pyDiv(e, this.totalSize, "CyclicLR"));
    const x = 1 + e / this.totalSize - cycle;
    const scaleFactor = x <= this.stepRatio
      ? pyDiv(x, this.stepRatio, "CyclicLR")
      : pyDiv(x - 1, this.stepRatio - 1, "CyclicLR");
    const at = this.scaleMode === "cycle" ? cycle : e;
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i] - base) * scaleFactor * this.scaleFn(at));
    if (this.cycleMomentum) {
      const momenta = this.baseMomentums.map((bm, i) => {
        const height = (this.maxMomentums[i] - bm) * scaleFactor;
        return this.maxMomentums[i] - height * this.scaleFn(at);
      });
      this.optimizer.paramGroups.forEach((g, i) => (g as Record<string, unknown>).momentum = momenta[i]);
    }
    return lrs;
  }

  /**
   * PyTorch's attributes. `_scale_fn_ref` (a weak reference to a method in PyTorch, not storable) is
   * saved as the name of the built-in policy, or null with a custom function. PyTorch 2 drops it and keeps
   * `use_beta1` (false: the momentum cycled here is always `momentum`) when the momentum cycles.
   */
  protected ownState(): SchedulerStateDict {
    const sd: SchedulerStateDict = {
      max_lrs: [...this.maxLrs],
      total_size: this.totalSize,
      step_ratio: this.stepRatio,
      mode: this.mode,
      gamma: this.gamma,
      _scale_fn_custom: null,
      ...(TORCH2 ? {} : { _scale_fn_ref: this.scaleFnCustom === null ? this.mode : null }),
      scale_mode: this.scaleMode,
      cycle_momentum: this.cycleMomentum,
    };
    if (this.cycleMomentum) {
      if (TORCH2) sd.use_beta1 = false;
      sd.base_momentums = [...this.baseMomentums];
      sd.max_momentums = [...this.maxMomentums];
    }
    return sd;
  }

  /** Loads the numeric attributes (the policy's functions stay this scheduler's). */
  protected loadOwnState(sd: SchedulerStateDict): void {
    const owner = "CyclicLR.loadStateDict";
    const n = this.optimizer.paramGroups.length;
    if ("max_lrs" in sd) this.maxLrs = perGroup(owner, "max_lrs", sd.max_lrs, n);
    if ("total_size" in sd) this.totalSize = checkNumber(owner, "total_size", sd.total_size);
    if ("step_ratio" in sd) this.stepRatio = checkNumber(owner, "step_ratio", sd.step_ratio);
    if ("mode" in sd) this.mode = checkOneOf(owner, "mode", sd.mode, ["triangular", "triangular2", "exp_range"]);
    if ("gamma" in sd) this.gamma = checkNumber(owner, "gamma", sd.gamma);
    if ("scale_mode" in sd) this.scaleMode = checkOneOf(owner, "scale_mode", sd.scale_mode, ["cycle", "iterations"]);
    if ("base_momentums" in sd) this.baseMomentums = perGroup(owner, "base_momentums", sd.base_momentums, n);
    if ("max_momentums" in sd) this.maxMomentums = perGroup(owner, "max_momentums", sd.max_momentums, n);
  }
}
