/**
 * `ReduceLROnPlateau`: reduces the learning rates when a metric stops improving
 * (torch.optim.lr_scheduler.ReduceLROnPlateau, PyTorch 1.13's semantics).
 *
 * @module
 */

import { Tensor } from "../tensor/tensor.ts";
import { checkNumber, checkOneOf, describe } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { checkNumberList, groupLrs, type SchedulerStateDict } from "./lr_scheduler.ts";
import { Optimizer } from "./optimizer.ts";
import { TORCH2 } from "./torch_release.ts";

/** Options of {@linkcode ReduceLROnPlateau}. */
export interface ReduceLROnPlateauOptions {
  /** `"min"` (default): the metric should decrease (a loss); `"max"`: increase (an accuracy). */
  mode?: "min" | "max";
  /** The factor of each reduction, in [0, 1) (default 0.1). */
  factor?: number;
  /** Epochs without improvement tolerated before reducing (default 10). */
  patience?: number;
  /** How much better counts as an improvement (default 1e-4). */
  threshold?: number;
  /** `"rel"` (default): better than `best * (1 ∓ threshold)`; `"abs"`: than `best ∓ threshold`. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after a reduction before counting bad epochs again (default 0). */
  cooldown?: number;
  /** A lower bound of the learning rates: one for all groups, or one per group (default 0). */
  minLr?: number | number[];
  /** Reductions smaller than this are skipped (default 1e-8). */
  eps?: number;
}

const KEYS = ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"] as const;

/**
 * Multiplies the learning rates by `factor` when the metric passed to `step(metric)` has not improved
 * for more than `patience` epochs.
 *
 * @example
 * ```ts
 * import { Adam, binaryCrossEntropyWithLogits as bce, LeNet, noGrad, randint, randn, ReduceLROnPlateau, tidy } from
 *   "../mod.ts";
 * const model = new LeNet();
 * const [x, y] = [randn([8, 3, 32, 32]), randint(2, [8, 1]).float()];
 * const [xVal, yVal] = [randn([8, 3, 32, 32]), randint(2, [8, 1]).float()];
 * const opt = new Adam(model.parameters());
 * const sched = new ReduceLROnPlateau(opt, { mode: "min", factor: 0.5, patience: 3 });
 * for (let epoch = 0; epoch < 100; epoch++) {
 *   tidy(() => { // one epoch of training
 *     opt.zeroGrad();
 *     bce(model.train().forward(x), y).backward();
 *     opt.step();
 *   });
 *   const validationLoss = tidy(() => noGrad(() => bce(model.eval().forward(xVal), yVal).item()));
 *   sched.step(validationLoss);
 * }
 * ```
 */
export class ReduceLROnPlateau {
  /** The optimizer whose groups' `lr` this scheduler reduces. */
  readonly optimizer: Optimizer<object>;
  /** `"min"` or `"max"`. */
  mode: "min" | "max";
  /** The factor of each reduction. */
  factor: number;
  /** Epochs without improvement tolerated. */
  patience: number;
  /** How much better counts as an improvement. */
  threshold: number;
  /** `"rel"` or `"abs"`. */
  thresholdMode: "rel" | "abs";
  /** Epochs to wait after a reduction. */
  cooldown: number;
  /** The lower bound of each group's learning rate. */
  minLrs: number[];
  /** The smallest reduction applied. */
  eps: number;
  /** Epochs left in the cooldown. */
  cooldownCounter = 0;
  /** The best metric so far. */
  best: number;
  /** Epochs without improvement so far. */
  numBadEpochs = 0;
  /** The worst value of the mode (Infinity for min, -Infinity for max). */
  modeWorse: number;
  /** The number of `step` calls. */
  lastEpoch = 0;
  #lastLr: number[] | null = null;
  /** PyTorch 2's `default_min_lr`: the scalar `minLr` given (null when one per group was given). */
  #defaultMinLr: number | null = null;

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options?: ReduceLROnPlateauOptions);
  /**
   * PyTorch's positional form `ReduceLROnPlateau(optimizer, mode='min', factor=0.1, patience=10,
   * threshold=1e-4, threshold_mode='rel', cooldown=0, min_lr=0, eps=1e-8)`.
   */
  constructor(
    optimizer: Optimizer<object>,
    mode: "min" | "max",
    factor?: number,
    patience?: number,
    threshold?: number,
    thresholdMode?: "rel" | "abs",
    cooldown?: number,
    minLr?: number | number[],
    eps?: number,
  );
  constructor(optimizer: Optimizer<object>, ...args: unknown[]) {
    const name = "ReduceLROnPlateau";
    const o = optionsFrom<ReduceLROnPlateauOptions>(name, args, KEYS, 8);
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${name}: expected an Optimizer, got ${describe(optimizer, "typed")}`);
    }
    this.optimizer = optimizer;
    this.factor = checkNumber(name, "factor", o.factor ?? 0.1, { min: 0, max: 1, maxExclusive: true });
    const n = optimizer.paramGroups.length;
    const minLr = o.minLr ?? 0;
    if (Array.isArray(minLr)) {
      if (minLr.length !== n) {
        throw new RangeError(`${name}: minLr has ${minLr.length} values, expected one per param group (${n})`);
      }
      this.minLrs = minLr.map((v, i) => checkNumber(name, `minLr[${i}]`, v, { min: 0 }));
    } else {
      this.minLrs = new Array(n).fill(checkNumber(name, "minLr", minLr, { min: 0 }));
      this.#defaultMinLr = minLr;
    }
    this.patience = checkNumber(name, "patience", o.patience ?? 10, { min: 0, integer: true });
    this.cooldown = checkNumber(name, "cooldown", o.cooldown ?? 0, { min: 0, integer: true });
    this.mode = checkOneOf(name, "mode", o.mode ?? "min", ["min", "max"]);
    this.threshold = checkNumber(name, "threshold", o.threshold ?? 1e-4);
    this.thresholdMode = checkOneOf(name, "thresholdMode", o.thresholdMode ?? "rel", ["rel", "abs"]);
    this.eps = checkNumber(name, "eps", o.eps ?? 1e-8, { min: 0 });
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
    this.best = this.modeWorse;
  }

  /** Records the epoch's `metric` (a number or a one-element tensor) and reduces the rates if it is time. */
  step(metric: number | Tensor): void {
    let current: number;
    if (metric instanceof Tensor) current = metric.item();
    else if (typeof metric === "number") current = metric;
    else {throw new TypeError(
        `ReduceLROnPlateau.step: metric must be a number or a Tensor, got ${describe(metric, "typed")}`,
      );}
    this.lastEpoch += 1;
    if (this.isBetter(current, this.best)) {
      this.best = current;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.inCooldown) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0; // ignore any bad epochs in cooldown
    }
    if (this.numBadEpochs > this.patience) {
      this.#reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.#lastLr = groupLrs(this.optimizer);
  }

  #reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const oldLr = g.lr as number;
      const scaled = oldLr * this.factor;
      const newLr = this.minLrs[i] > scaled ? this.minLrs[i] : scaled; // Python's max(scaled, min_lr)
      if (oldLr - newLr > this.eps) g.lr = newLr;
    });
  }

  /** Whether a cooldown is running. */
  get inCooldown(): boolean {
    return this.cooldownCounter > 0;
  }

  /** Whether metric `a` improves on `best` by the threshold. */
  isBetter(a: number, best: number): boolean {
    if (this.mode === "min" && this.thresholdMode === "rel") return a < best * (1 - this.threshold);
    if (this.mode === "min" && this.thresholdMode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.thresholdMode === "rel") return a > best * (this.threshold + 1);
    return a > best + this.threshold;
  }

  /** The learning rates after the last step (the current ones before any step), one per group. */
  getLastLr(): number[] {
    return this.#lastLr === null ? groupLrs(this.optimizer) : [...this.#lastLr];
  }

  /**
   * The state as PyTorch's `state_dict()` holds it (`factor`, `min_lrs`, `patience`, `best`,
   * `num_bad_epochs`, `mode_worse`, `last_epoch`, ...; `_last_lr` after the first step).
   *
   * @example
   * ```ts
   * import { Adam, LeNet, ReduceLROnPlateau } from "../mod.ts";
   * const opt = new Adam(new LeNet().parameters());
   * const sched = new ReduceLROnPlateau(opt, { patience: 3 });
   * sched.step(0.7);
   * const resumed = new ReduceLROnPlateau(opt);
   * resumed.loadStateDict(sched.stateDict()); // patience 3, best 0.7, ...
   * ```
   */
  stateDict(): SchedulerStateDict {
    const sd: SchedulerStateDict = {
      factor: this.factor,
      min_lrs: [...this.minLrs],
      patience: this.patience,
      verbose: false,
      cooldown: this.cooldown,
      cooldown_counter: this.cooldownCounter,
      mode: this.mode,
      threshold: this.threshold,
      threshold_mode: this.thresholdMode,
      best: this.best,
      num_bad_epochs: this.numBadEpochs,
      mode_worse: this.modeWorse,
      eps: this.eps,
      last_epoch: this.lastEpoch,
    };
    if (TORCH2) {
      // PyTorch 2: default_min_lr, and _last_lr from the start, in its attribute order
      const { factor, min_lrs, mode_worse, best, num_bad_epochs, ...rest } = sd;
      return {
        factor,
        default_min_lr: this.#defaultMinLr,
        min_lrs,
        ...rest,
        _last_lr: this.#lastLr === null ? groupLrs(this.optimizer) : [...this.#lastLr],
        mode_worse,
        best,
        num_bad_epochs,
      };
    }
    if (this.#lastLr !== null) sd._last_lr = [...this.#lastLr];
    return sd;
  }

  /** Loads a state dict from `stateDict()` (or PyTorch's); keys it lacks keep their values. */
  loadStateDict(sd: SchedulerStateDict | Map<string, unknown>): void {
    const name = "ReduceLROnPlateau.loadStateDict";
    if (sd instanceof Map) sd = Object.fromEntries(sd);
    if (sd === null || typeof sd !== "object") {
      throw new TypeError(`${name}: expected an object, got ${describe(sd, "typed")}`);
    }
    const n = this.optimizer.paramGroups.length;
    const num = (key: string, current: number, range = {}) =>
      key in sd ? checkNumber(name, key, sd[key], range) : current;
    const next = {
      factor: num("factor", this.factor, { min: 0, max: 1, maxExclusive: true }),
      minLrs: "min_lrs" in sd ? checkNumberList(name, "min_lrs", sd.min_lrs, n) : this.minLrs,
      patience: num("patience", this.patience, { min: 0, integer: true }),
      cooldown: num("cooldown", this.cooldown, { min: 0, integer: true }),
      cooldownCounter: num("cooldown_counter", this.cooldownCounter, { integer: true }),
      mode: "mode" in sd ? checkOneOf(name, "mode", sd.mode, ["min", "max"] as const) : this.mode,
      threshold: num("threshold", this.threshold),
      thresholdMode: "threshold_mode" in sd
        ? checkOneOf(name, "threshold_mode", sd.threshold_mode, ["rel", "abs"] as const)
        : this.thresholdMode,
      best: num("best", this.best),
      numBadEpochs: num("num_bad_epochs", this.numBadEpochs, { integer: true }),
      eps: num("eps", this.eps, { min: 0 }),
      lastEpoch: num("last_epoch", this.lastEpoch, { integer: true }),
    };
    const lastLr = "_last_lr" in sd ? checkNumberList(name, "_last_lr", sd._last_lr, n) : this.#lastLr;
    Object.assign(this, next);
    this.#lastLr = lastLr;
    if ("default_min_lr" in sd) {
      this.#defaultMinLr = sd.default_min_lr === null ? null : checkNumber(name, "default_min_lr", sd.default_min_lr);
    }
    this.modeWorse = this.mode === "min" ? Infinity : -Infinity;
  }
}
