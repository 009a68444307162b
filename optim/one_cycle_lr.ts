/**
 * `OneCycleLR`: the 1cycle policy (torch.optim.lr_scheduler.OneCycleLR 1.13): the learning rate rises
 * from `maxLr / divFactor` to `maxLr` over `pctStart` of the steps, then anneals (cosine or linear) to
 * `initial / finalDivFactor`, the momentum (or Adam's beta1) moving inversely; Python float arithmetic
 * and C's `cos`, so the sequence equals PyTorch's to the bit.
 *
 * @module
 */

import { cmath } from "../tensor/runtime.ts";
import { checkBoolean, checkNumber, checkOneOf, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { LRScheduler, perGroup, pyDiv, type SchedulerStateDict } from "./lr_scheduler.ts";
import { Optimizer } from "./optimizer.ts";
import { TORCH2 } from "./torch_release.ts";

/** Options of {@linkcode OneCycleLR}. */
export interface OneCycleLROptions {
  /** The peak learning rate (a number or one per group). */
  maxLr: number | number[];
  /** The number of steps of the cycle; or give `epochs` and `stepsPerEpoch`. */
  totalSteps?: number | null;
  /** The number of epochs (with `stepsPerEpoch`, when `totalSteps` is not given). */
  epochs?: number | null;
  /** Steps per epoch (with `epochs`). */
  stepsPerEpoch?: number | null;
  /** The fraction of the cycle spent increasing, in [0, 1] (default 0.3). */
  pctStart?: number;
  /** "cos" (default) or "linear" annealing. */
  annealStrategy?: "cos" | "linear";
  /** Cycle the momentum (or beta1) inversely (default true). */
  cycleMomentum?: boolean;
  /** The lower momentum (default 0.85). */
  baseMomentum?: number | number[];
  /** The upper momentum (default 0.95). */
  maxMomentum?: number | number[];
  /** The initial learning rate is `maxLr / divFactor` (default 25). */
  divFactor?: number;
  /** The final learning rate is `initial / finalDivFactor` (default 1e4). */
  finalDivFactor?: number;
  /** Three phases (up, down to the initial rate, annihilation) instead of two (default false). */
  threePhase?: boolean;
  /** The index of the last step when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

/** One phase of the schedule, as PyTorch's `_schedule_phases` entries. */
export interface Phase {
  /** The last step of the phase. */
  end_step: number;
  /** The group key the phase starts from (`initial_lr`, `max_lr`, `min_lr`). */
  start_lr: string;
  /** The group key the phase ends at. */
  end_lr: string;
  /** The group key of the momentum the phase starts from. */
  start_momentum: string;
  /** The group key of the momentum the phase ends at. */
  end_momentum: string;
}

const KEYS = [
  "maxLr",
  "totalSteps",
  "epochs",
  "stepsPerEpoch",
  "pctStart",
  "annealStrategy",
  "cycleMomentum",
  "baseMomentum",
  "maxMomentum",
  "divFactor",
  "finalDivFactor",
  "threePhase",
  "lastEpoch",
];

const CAMEL: Record<string, string> = {
  initial_lr: "initialLr",
  max_lr: "maxLr",
  min_lr: "minLr",
  max_momentum: "maxMomentum",
  base_momentum: "baseMomentum",
};

function positiveInt(owner: string, name: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v <= 0) {
    throw new RangeError(
      `${owner}: Expected positive integer ${name}, but got ${typeof v === "number" ? v : describe(v, "typed")}`,
    );
  }
  return v;
}

/**
 * The 1cycle learning-rate policy; call `step()` after every batch, `totalSteps` times at most.
 *
 * @example
 * ```ts
 * import { LeNet, OneCycleLR, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1, momentum: 0.9 });
 * const sched = new OneCycleLR(opt, { maxLr: 0.1, epochs: 10, stepsPerEpoch: 100 });
 * ```
 */
export class OneCycleLR extends LRScheduler {
  /** The number of steps of the cycle. */
  totalSteps: number;
  /** The phases of the schedule. */
  readonly schedulePhases: Phase[];
  /** The annealing strategy. */
  readonly annealStrategy: "cos" | "linear";
  /** Whether the momentum cycles. */
  readonly cycleMomentum: boolean;
  /** Whether the momentum is Adam's beta1. */
  readonly useBeta1: boolean;

  /** A scheduler of `optimizer`'s learning rates (and momenta). */
  constructor(optimizer: Optimizer<object>, options: OneCycleLROptions) {
    const owner = "OneCycleLR";
    if (!(optimizer instanceof Optimizer)) {
      throw new TypeError(`${owner}: expected an Optimizer, got ${describe(optimizer, "typed")}`);
    }
    const o = knownOptions(owner, options, KEYS);
    const lastEpoch = o.lastEpoch ?? -1;
    let totalSteps: number;
    if (o.totalSteps == null && o.epochs == null && o.stepsPerEpoch == null) {
      throw new TypeError(`${owner}: You must define either totalSteps OR (epochs AND stepsPerEpoch)`);
    } else if (o.totalSteps != null) totalSteps = positiveInt(owner, "totalSteps", o.totalSteps);
    else {
      totalSteps = positiveInt(owner, "epochs", o.epochs) * positiveInt(owner, "stepsPerEpoch", o.stepsPerEpoch);
    }
    const pctStart = checkNumber(owner, "pctStart", o.pctStart ?? 0.3, { min: 0, max: 1 });
    const phases: Phase[] = o.threePhase
      ? [
        phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
        phase(2 * pctStart * totalSteps - 2, "max_lr", "initial_lr", "base_momentum", "max_momentum"),
        phase(totalSteps - 1, "initial_lr", "min_lr", "max_momentum", "max_momentum"),
      ]
      : [
        phase(pctStart * totalSteps - 1, "initial_lr", "max_lr", "max_momentum", "base_momentum"),
        phase(totalSteps - 1, "max_lr", "min_lr", "base_momentum", "max_momentum"),
      ];
    checkBoolean(owner, "threePhase", o.threePhase ?? false);
    const annealStrategy = checkOneOf(owner, "annealStrategy", o.annealStrategy ?? "cos", ["cos", "linear"]);
    const n = optimizer.paramGroups.length;
    const maxLrs = perGroup(owner, "maxLr", o.maxLr, n);
    const divFactor = checkNumber(owner, "divFactor", o.divFactor ?? 25);
    const finalDivFactor = checkNumber(owner, "finalDivFactor", o.finalDivFactor ?? 1e4);
    const groups = optimizer.paramGroups as Record<string, unknown>[];
    if (lastEpoch === -1) {
      groups.forEach((g, i) => {
        g.initialLr = pyDiv(maxLrs[i], divFactor, owner);
        g.maxLr = maxLrs[i];
        g.minLr = pyDiv(g.initialLr as number, finalDivFactor, owner);
      });
    }
    const cycleMomentum = checkBoolean(owner, "cycleMomentum", o.cycleMomentum ?? true);
    let useBeta1 = false;
    if (cycleMomentum) {
      const d = optimizer.defaults as Record<string, unknown>;
      if (!("momentum" in d) && !("betas" in d)) {
        throw new TypeError(`${owner}: optimizer must support momentum with the cycleMomentum option enabled`);
      }
      useBeta1 = "betas" in d;
      const maxM = perGroup(owner, "maxMomentum", o.maxMomentum ?? 0.95, n);
      const baseM = perGroup(owner, "baseMomentum", o.baseMomentum ?? 0.85, n);
      if (lastEpoch === -1) {
        groups.forEach((g, i) => {
          if (useBeta1) g.betas = [maxM[i], ...(g.betas as number[]).slice(1)];
          else g.momentum = maxM[i];
          g.maxMomentum = maxM[i];
          g.baseMomentum = baseM[i];
        });
      }
    }
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.schedulePhases = phases;
    this.annealStrategy = annealStrategy;
    this.cycleMomentum = cycleMomentum;
    this.useBeta1 = useBeta1;
    this.initialStep();
  }

  /** The annealing function's value between `start` and `end` at fraction `pct` of the phase. */
  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "cos") {
      const cosOut = cmath.cos(Math.PI * pct) + 1;
      return end + (start - end) / 2 * cosOut;
    }
    return (end - start) * pct + start;
  }

  /** PyTorch's `get_lr` (it also sets the groups' momenta or beta1 when cycling). */
  protected computeLr(): number[] {
    const stepNum = this.lastEpoch;
    if (stepNum > this.totalSteps) {
      throw new RangeError(
        `OneCycleLR: Tried to step ${stepNum + 1} times. The specified number of total steps is ${this.totalSteps}`,
      );
    }
    const lrs: number[] = [];
    for (const g of this.optimizer.paramGroups as Record<string, unknown>[]) {
      let startStep = 0, lr = NaN, momentum = NaN;
      const last = this.schedulePhases.length - 1;
      for (const [i, p] of this.schedulePhases.entries()) {
        const endStep = p.end_step;
        if (stepNum <= endStep || i === last) {
          const pct = pyDiv(stepNum - startStep, endStep - startStep, "OneCycleLR");
          lr = this.anneal(g[CAMEL[p.start_lr]] as number, g[CAMEL[p.end_lr]] as number, pct);
          if (this.cycleMomentum) {
            momentum = this.anneal(g[CAMEL[p.start_momentum]] as number, g[CAMEL[p.end_momentum]] as number, pct);
          }
          break;
        }
        startStep = p.end_step;
      }
      lrs.push(lr);
      if (this.cycleMomentum) {
        if (this.useBeta1) g.betas = [momentum, ...(g.betas as number[]).slice(1)];
        else g.momentum = momentum;
      }
    }
    return lrs;
  }

  /**
   * PyTorch's attributes. `anneal_func` (a bound method in PyTorch, not storable) is saved as the
   * strategy's name; PyTorch 2 keeps that name itself, as `_anneal_func_type`.
   */
  protected ownState(): SchedulerStateDict {
    return {
      total_steps: this.totalSteps,
      _schedule_phases: this.schedulePhases.map((p) => ({ ...p })),
      [TORCH2 ? "_anneal_func_type" : "anneal_func"]: this.annealStrategy,
      cycle_momentum: this.cycleMomentum,
      // PyTorch sets use_beta1 only when the momentum cycles
      ...(this.cycleMomentum ? { use_beta1: this.useBeta1 } : {}),
    };
  }

  /** Loads `total_steps` (the phases and the strategy stay this scheduler's). */
  protected loadOwnState(sd: SchedulerStateDict): void {
    if ("total_steps" in sd) {
      this.totalSteps = positiveInt("OneCycleLR.loadStateDict", "total_steps", sd.total_steps);
    }
  }
}

function phase(end: number, startLr: string, endLr: string, startMomentum: string, endMomentum: string): Phase {
  return { end_step: end, start_lr: startLr, end_lr: endLr, start_momentum: startMomentum, end_momentum: endMomentum };
}
