/**
 * `LRScheduler`: the base of the epoch-based learning-rate schedulers (PyTorch 1.13's `_LRScheduler`):
 * base learning rates from the groups' `initialLr`, the epoch counter, `step()`, `getLastLr()`, and
 * state dicts with PyTorch's keys.
 *
 * @module
 */

import { checkNumber, describe } from "../tensor/checks.ts";
import { Optimizer } from "./optimizer.ts";

/** A scheduler's state dict: PyTorch's attribute names (`last_epoch`, `base_lrs`, `_step_count`, ...). */
export type SchedulerStateDict = Record<string, unknown>;

/**
 * The learning rates of an optimizer's groups.
 *
 * @example
 * ```ts
 * import { LeNet, SGD } from "../mod.ts";
 * import { groupLrs } from "./lr_scheduler.ts";
 * const model = new LeNet();
 * const opt = new SGD([{ params: model.features.parameters() }, { params: model.classifier.parameters(), lr: 0.01 }], {
 *   lr: 0.1,
 * });
 * groupLrs(opt); // [0.1, 0.01]: one per parameter group
 * ```
 */
export function groupLrs(optimizer: Optimizer<object>): number[] {
  return optimizer.paramGroups.map((g) => g.lr as number);
}

/**
 * Checks that `v` is an array of `n` numbers (`what` names it in the error).
 *
 * @example
 * ```ts
 * checkNumberList("ReduceLROnPlateau", "min_lrs", [0, 0.1], 2);
 * ```
 */
export function checkNumberList(owner: string, what: string, v: unknown, n?: number): number[] {
  if (!Array.isArray(v) || !v.every((x) => typeof x === "number") || (n !== undefined && v.length !== n)) {
    throw new TypeError(
      `${owner}: ${what} must be an array of ${n ?? "some"} numbers, got ${describe(v, "typed")}`,
    );
  }
  return [...v];
}

/**
 * The base class of epoch-based schedulers. A subclass sets its own fields, then calls `initialStep()`
 * at the end of its constructor (PyTorch's base constructor does that step; here the subclass's fields
 * must exist first), and implements `computeLr()`, `ownState()` and `loadOwnState()`.
 *
 * @example
 * ```ts
 * import { LRScheduler, type Optimizer } from "../mod.ts";
 * import type { SchedulerStateDict } from "./lr_scheduler.ts";
 * class HalveEachEpoch extends LRScheduler {
 *   constructor(opt: Optimizer<object>) {
 *     super(opt);
 *     this.initialStep();
 *   }
 *   protected computeLr(): number[] {
 *     return this.optimizer.paramGroups.map((g) => this.lastEpoch === 0 ? g.lr as number : (g.lr as number) / 2);
 *   }
 *   protected ownState(): SchedulerStateDict {
 *     return {}; // no options of its own
 *   }
 *   protected loadOwnState(_sd: SchedulerStateDict): void {}
 * }
 * ```
 */
export abstract class LRScheduler {
  /** The optimizer whose groups' `lr` this scheduler sets. */
  readonly optimizer: Optimizer<object>;
  /** The groups' initial learning rates. */
  baseLrs: number[];
  /** The index of the last epoch (-1 before the first step). */
  lastEpoch: number;
  /** The number of `step()` calls, the one of the constructor included (PyTorch's `_step_count`). */
  protected stepCount = 0;
  /** The learning rates set by the last step. */
  protected lastLr: number[] = [];

  /**
   * Attaches to `optimizer`. With `lastEpoch` -1 (a fresh start) each group's `initialLr` is set to its
   * `lr` unless present; resuming (`lastEpoch` >= 0) needs `initialLr` in every group.
   */
  protected constructor(optimizer: Optimizer<object>, lastEpoch = -1) {
    const name = this.constructor.name;
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${name}: expected an Optimizer, got ${describe(optimizer, "typed")}`);
    }
    checkNumber(name, "lastEpoch", lastEpoch, { min: -1, integer: true });
    this.optimizer = optimizer;
    optimizer.paramGroups.forEach((g, i) => {
      if (lastEpoch === -1) {
        if (!("initialLr" in g)) g.initialLr = g.lr;
      } else if (!("initialLr" in g)) {
        throw new TypeError(
          `${name}: param group ${i} has no initialLr, which resuming (lastEpoch ${lastEpoch}) needs`,
        );
      }
      checkNumber(`${name} (param group ${i})`, "initialLr", g.initialLr);
    });
    this.baseLrs = optimizer.paramGroups.map((g) => g.initialLr as number);
    this.lastEpoch = lastEpoch;
  }

  /**
   * The first step, done by PyTorch's constructor (`_initial_step`): subclasses call it at the end of
   * theirs; `SequentialLR` calls it to restart its first scheduler.
   */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** The learning rates for epoch `lastEpoch` (already advanced), from the groups' current ones. */
  protected abstract computeLr(): number[];

  /**
   * The learning rates for epoch `lastEpoch` from the base rates alone (PyTorch's `_get_closed_form_lr`),
   * used by `step(epoch)`; null where the scheduler has no closed form (then `computeLr` is used).
   */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /**
   * Advances one epoch and sets the groups' learning rates. Call it after `optimizer.step()`. With
   * `epoch` (PyTorch's deprecated form, which `SequentialLR` uses at its milestones), jumps to that
   * epoch and uses the closed form where the scheduler has one, as PyTorch does.
   */
  step(epoch?: number): void {
    if (epoch !== undefined) checkNumber(`${this.constructor.name}.step`, "epoch", epoch);
    this.stepCount += 1;
    let values: number[];
    if (epoch === undefined) {
      this.lastEpoch += 1;
      values = this.computeLr();
    } else {
      this.lastEpoch = epoch;
      values = this.closedFormLr() ?? this.computeLr();
    }
    this.optimizer.paramGroups.forEach((g, i) => {
      g.lr = values[i];
    });
    this.lastLr = groupLrs(this.optimizer);
  }

  /** The learning rates the last step set, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** This scheduler's own state (PyTorch attribute names), which comes first in its state dict. */
  protected abstract ownState(): SchedulerStateDict;

  /** Loads this scheduler's own state from `sd` (keys as `ownState()` gives them). */
  protected abstract loadOwnState(sd: SchedulerStateDict): void;

  /**
   * The state as PyTorch's `scheduler.state_dict()` holds it: the scheduler's options and `base_lrs`,
   * `last_epoch`, `verbose`, `_step_count`, `_get_lr_called_within_step`, `_last_lr`.
   *
   * @example
   * ```ts
   * import { LeNet, SGD, StepLR } from "../mod.ts";
   * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
   * const sched = new StepLR(opt, { stepSize: 10 });
   * sched.step();
   * const saved = sched.stateDict(); // { step_size: 10, gamma: 0.1, base_lrs: [0.1], last_epoch: 1, ... }
   * const resumed = new StepLR(opt, { stepSize: 10 });
   * resumed.loadStateDict(saved);
   * ```
   */
  stateDict(): SchedulerStateDict {
    return {
      ...this.ownState(),
      base_lrs: [...this.baseLrs],
      last_epoch: this.lastEpoch,
      verbose: false,
      _step_count: this.stepCount,
      _get_lr_called_within_step: false,
      _last_lr: [...this.lastLr],
    };
  }

  /** Loads a state dict from `stateDict()` (or PyTorch's); keys it lacks keep their values. */
  loadStateDict(sd: SchedulerStateDict | Map<string, unknown>): void {
    const name = `${this.constructor.name}.loadStateDict`;
    if (sd instanceof Map) sd = Object.fromEntries(sd);
    if (sd === null || typeof sd !== "object") {
      throw new TypeError(`${name}: expected an object, got ${describe(sd, "typed")}`);
    }
    const n = this.optimizer.paramGroups.length;
    const baseLrs = "base_lrs" in sd ? checkNumberList(name, "base_lrs", sd.base_lrs, n) : this.baseLrs;
    const lastLr = "_last_lr" in sd ? checkNumberList(name, "_last_lr", sd._last_lr, n) : this.lastLr;
    const lastEpoch = "last_epoch" in sd
      ? checkNumber(name, "last_epoch", sd.last_epoch, { integer: true })
      : this.lastEpoch;
    const stepCount = "_step_count" in sd
      ? checkNumber(name, "_step_count", sd._step_count, { integer: true })
      : this.stepCount;
    this.loadOwnState(sd);
    this.baseLrs = baseLrs;
    this.lastLr = lastLr;
    this.lastEpoch = lastEpoch;
    this.stepCount = stepCount;
  }
}

/**
 * PyTorch's `_format_param`: one value per parameter group, from a number (repeated) or an array of
 * one number per group.
 *
 * @example
 * ```ts
 * import { perGroup } from "./lr_scheduler.ts";
 * perGroup("CyclicLR", "maxLr", 0.1, 2); // [0.1, 0.1]
 * ```
 */
export function perGroup(owner: string, name: string, v: unknown, n: number): number[] {
  if (Array.isArray(v)) {
    if (v.length !== n) throw new RangeError(`${owner}: expected ${n} values for ${name}, got ${v.length}`);
    return v.map((x, i) => checkNumber(owner, `${name}[${i}]`, x));
  }
  return new Array<number>(n).fill(checkNumber(owner, name, v));
}

/**
 * Python's `a / b` for the schedulers' float arithmetic: a RangeError where Python raises
 * ZeroDivisionError (instead of JavaScript's Infinity or NaN).
 *
 * @example
 * ```ts
 * import { pyDiv } from "./lr_scheduler.ts";
 * pyDiv(1, 4); // 0.25
 * pyDiv(1, 0); // RangeError: float division by zero
 * ```
 */
export function pyDiv(a: number, b: number, where = "scheduler"): number {
  if (b === 0) throw new RangeError(`${where}: float division by zero`);
  return a / b;
}
