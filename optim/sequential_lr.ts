/**
 * `SequentialLR` and `ChainedScheduler`: compositions of schedulers of one optimizer
 * (torch.optim.lr_scheduler 1.13): one scheduler after another at milestone epochs (the next one jumps to
 * its epoch 0 through `step(0)`, PyTorch's closed form), or all stepped together every epoch. Their
 * state dicts hold their schedulers' under `_schedulers`, as PyTorch's.
 *
 * @module
 */

import { checkNumber, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { checkNumberList, groupLrs, LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import { Optimizer } from "./optimizer.ts";

function checkSchedulers(owner: string, v: unknown): LRScheduler[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new TypeError(`${owner}: schedulers must be a non-empty array of schedulers, got ${describe(v, "typed")}`);
  }
  v.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) {
      throw new TypeError(`${owner}: schedulers[${i}] must be a scheduler, got ${describe(s, "typed")}`);
    }
  });
  return [...v];
}

function loadChildren(owner: string, schedulers: LRScheduler[], v: unknown): void {
  if (!Array.isArray(v) || v.length !== schedulers.length) {
    throw new TypeError(`${owner}: _schedulers must be an array of ${schedulers.length} state dicts`);
  }
  schedulers.forEach((s, i) => s.loadStateDict(v[i] as SchedulerStateDict));
}

/** Options of {@linkcode SequentialLR}. */
export interface SequentialLROptions {
  /** The schedulers, in order (all of `optimizer`). */
  schedulers: LRScheduler[];
  /** The epochs at which the next scheduler takes over (one fewer than the schedulers, increasing). */
  milestones: number[];
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Runs `schedulers[0]` until `milestones[0]`, then `schedulers[1]` from its epoch 0, and so on.
 *
 * @example
 * ```ts
 * import { ExponentialLR, LeNet, LinearLR, SequentialLR, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const warmup = new LinearLR(opt, { startFactor: 0.1, totalIters: 5 });
 * const decay = new ExponentialLR(opt, { gamma: 0.95 });
 * const sched = new SequentialLR(opt, { schedulers: [warmup, decay], milestones: [5] });
 * ```
 */
export class SequentialLR extends LRScheduler {
  /** The schedulers. */
  readonly schedulers: LRScheduler[];
  /** The milestone epochs. */
  milestones: number[];

  /** A composition of `schedulers` of `optimizer`. */
  constructor(optimizer: Optimizer<object>, options: SequentialLROptions) {
    const owner = "SequentialLR";
    knownOptions(owner, options, ["schedulers", "milestones", "lastEpoch"]);
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${owner}: expected an Optimizer, got ${describe(optimizer, "typed")}`);
    }
    const schedulers = checkSchedulers(owner, options?.schedulers);
    schedulers.forEach((s, i) => {
      if (s.optimizer !== optimizer) {
        throw new RangeError(
          `${owner}: Sequential Schedulers expects all schedulers to belong to the same optimizer, but got ` +
            `schedulers at index ${i} to be different than the optimizer passed in.`,
        );
      }
    });
    const milestones = checkNumberList(owner, "milestones", options.milestones);
    if (milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        `${owner}: Sequential Schedulers expects number of schedulers provided to be one more than the number of ` +
          `milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be ` +
          `equal to ${milestones.length}`,
      );
    }
    const lastEpoch = checkNumber(owner, "lastEpoch", options.lastEpoch ?? -1, { min: -1, integer: true });
    super(optimizer, -1);
    this.schedulers = schedulers;
    this.milestones = milestones;
    this.lastEpoch = lastEpoch + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr;
    for (const s of schedulers) s.lastEpoch -= 1;
    schedulers[0].initialStep();
    this.lastLr = schedulers[0].getLastLr();
  }

  /** Not used: the schedulers compute the rates. */
  protected computeLr(): number[] {
    return groupLrs(this.optimizer);
  }

  /** Advances one epoch: the scheduler of this epoch steps (from its epoch 0 at a milestone). */
  override step(): void {
    this.lastEpoch += 1;
    const idx = bisectRight(this.milestones, this.lastEpoch);
    const s = this.schedulers[idx];
    if (idx > 0 && this.milestones[idx - 1] === this.lastEpoch) s.step(0);
    else s.step();
    this.lastLr = s.getLastLr();
  }

  /** Unused (the state dict is PyTorch's SequentialLR's, see `stateDict`). */
  protected ownState(): SchedulerStateDict {
    return {};
  }

  /** Unused. */
  protected loadOwnState(_sd: SchedulerStateDict): void {}

  /** `_milestones`, `last_epoch`, `_last_lr` and `_schedulers` (each scheduler's state dict), as PyTorch's. */
  override stateDict(): SchedulerStateDict {
    return {
      _milestones: [...this.milestones],
      last_epoch: this.lastEpoch,
      _last_lr: [...this.lastLr],
      _schedulers: this.schedulers.map((s) => s.stateDict()),
    };
  }

  /** Loads a state dict of `stateDict()` (or PyTorch's), the schedulers' included. */
  override loadStateDict(sd: SchedulerStateDict | Map<string, unknown>): void {
    const owner = "SequentialLR.loadStateDict";
    if (sd instanceof Map) sd = Object.fromEntries(sd);
    if (sd === null || typeof sd !== "object") {
      throw new TypeError(`${owner}: expected an object, got ${describe(sd, "typed")}`);
    }
    if ("_schedulers" in sd) loadChildren(owner, this.schedulers, sd._schedulers);
    if ("_milestones" in sd) this.milestones = checkNumberList(owner, "_milestones", sd._milestones);
    if ("last_epoch" in sd) this.lastEpoch = checkNumber(owner, "last_epoch", sd.last_epoch, { integer: true });
    if ("_last_lr" in sd) this.lastLr = checkNumberList(owner, "_last_lr", sd._last_lr);
  }
}

/**
 * Steps all its schedulers, in order, every epoch (their effects compose).
 *
 * @example
 * ```ts
 * import { ChainedScheduler, ConstantLR, ExponentialLR, LeNet, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 1 });
 * const sched = new ChainedScheduler([new ConstantLR(opt, { factor: 0.1, totalIters: 2 }),
 *   new ExponentialLR(opt, { gamma: 0.9 })]);
 * ```
 */
export class ChainedScheduler extends LRScheduler {
  /** The schedulers. */
  readonly schedulers: LRScheduler[];

  /** A chain of `schedulers` (all of one optimizer). */
  constructor(schedulers: LRScheduler[]) {
    const owner = "ChainedScheduler";
    const list = checkSchedulers(owner, schedulers);
    list.forEach((s, i) => {
      if (s.optimizer !== list[0].optimizer) {
        throw new RangeError(
          `${owner}: ChainedScheduler expects all schedulers to belong to the same optimizer, but got schedulers ` +
            `at index 0 and ${i} to be different`,
        );
      }
    });
    super(list[0].optimizer, -1);
    this.schedulers = list;
    this.lastLr = groupLrs(this.optimizer);
  }

  /** Not used: the schedulers compute the rates. */
  protected computeLr(): number[] {
    return groupLrs(this.optimizer);
  }

  /** Steps every scheduler once, in order. */
  override step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = groupLrs(this.optimizer);
  }

  /** Unused (see `stateDict`). */
  protected ownState(): SchedulerStateDict {
    return {};
  }

  /** Unused. */
  protected loadOwnState(_sd: SchedulerStateDict): void {}

  /** `_last_lr` and `_schedulers` (each scheduler's state dict), as PyTorch's. */
  override stateDict(): SchedulerStateDict {
    return { _last_lr: [...this.lastLr], _schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Loads a state dict of `stateDict()` (or PyTorch's), the schedulers' included. */
  override loadStateDict(sd: SchedulerStateDict | Map<string, unknown>): void {
    const owner = "ChainedScheduler.loadStateDict";
    if (sd instanceof Map) sd = Object.fromEntries(sd);
    if (sd === null || typeof sd !== "object") {
      throw new TypeError(`${owner}: expected an object, got ${describe(sd, "typed")}`);
    }
    if ("_schedulers" in sd) loadChildren(owner, this.schedulers, sd._schedulers);
    if ("_last_lr" in sd) this.lastLr = checkNumberList(owner, "_last_lr", sd._last_lr);
  }
}

/** Python's `bisect.bisect_right`. */
function bisectRight(a: readonly number[], x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}
