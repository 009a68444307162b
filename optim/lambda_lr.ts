/**
 * `LambdaLR` and `MultiplicativeLR`: learning rates from a function of the epoch, one per group or one
 * for all (torch.optim.lr_scheduler 1.13): `base_lr * λ(epoch)`, and `lr * λ(epoch)` each epoch after
 * the first. The functions are JavaScript's; their results enter PyTorch's arithmetic unchanged.
 *
 * @module
 */

import { describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { groupLrs, LRScheduler, type SchedulerStateDict } from "./lr_scheduler.ts";
import type { Optimizer } from "./optimizer.ts";

/** A function of the epoch index giving a factor. */
export type LrLambda = (epoch: number) => number;

/** Options of {@linkcode LambdaLR} and {@linkcode MultiplicativeLR}. */
export interface LambdaLROptions {
  /** The factor function, or one per parameter group. */
  lrLambda: LrLambda | LrLambda[];
  /** The index of the last epoch when resuming (default -1: a fresh start). */
  lastEpoch?: number;
}

function lambdas(owner: string, optimizer: Optimizer<object>, v: unknown): LrLambda[] {
  if (optimizer === null || typeof optimizer !== "object" || !Array.isArray(optimizer.paramGroups)) {
    throw new TypeError(`${owner}: expected an optimizer as the first argument (new ${owner}(opt, { lrLambda }))`);
  }
  const n = optimizer.paramGroups.length;
  if (typeof v === "function") return new Array<LrLambda>(n).fill(v as LrLambda);
  if (Array.isArray(v)) {
    if (v.length !== n) throw new RangeError(`${owner}: Expected ${n} lr_lambdas, but got ${v.length}`);
    v.forEach((f, i) => {
      if (typeof f !== "function") {
        throw new TypeError(`${owner}: lrLambda[${i}] must be a function, got ${describe(f, "typed")}`);
      }
    });
    return [...v];
  }
  throw new TypeError(`${owner}: lrLambda must be a function or an array of functions, got ${describe(v, "typed")}`);
}

function factor(owner: string, f: LrLambda, epoch: number): number {
  const v = f(epoch);
  if (typeof v !== "number") {
    throw new TypeError(`${owner}: lrLambda(${epoch}) must return a number, got ${describe(v, "typed")}`);
  }
  return v;
}

/**
 * Sets each group's learning rate to its initial one times `lrLambda(epoch)` (torch.optim.lr_scheduler.LambdaLR).
 *
 * @example
 * ```ts
 * import { LambdaLR, LeNet, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const sched = new LambdaLR(opt, { lrLambda: (epoch) => 1 / (epoch + 1) }); // 0.1, 0.05, 0.0333...
 * ```
 */
export class LambdaLR extends LRScheduler {
  /** The factor functions, one per group. */
  readonly lrLambdas: LrLambda[];

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: LambdaLROptions) {
    const o = knownOptions("LambdaLR", options, ["lrLambda", "lastEpoch"]);
    const fs = lambdas("LambdaLR", optimizer, o.lrLambda);
    super(optimizer, o.lastEpoch ?? -1);
    this.lrLambdas = fs;
    this.initialStep();
  }

  /** `base_lr * lambda(last_epoch)`. */
  protected computeLr(): number[] {
    return this.baseLrs.map((base, i) => base * factor("LambdaLR", this.lrLambdas[i], this.lastEpoch));
  }

  /** `lr_lambdas`: null for each function (PyTorch saves only callable objects' attributes). */
  protected ownState(): SchedulerStateDict {
    return { lr_lambdas: this.lrLambdas.map(() => null) };
  }

  /** Nothing of its own to load (the functions are code). */
  protected loadOwnState(_sd: SchedulerStateDict): void {}
}

/**
 * Multiplies each group's learning rate by `lrLambda(epoch)` every epoch after the first
 * (torch.optim.lr_scheduler.MultiplicativeLR).
 *
 * @example
 * ```ts
 * import { LeNet, MultiplicativeLR, SGD } from "../mod.ts";
 * const opt = new SGD(new LeNet().parameters(), { lr: 0.1 });
 * const sched = new MultiplicativeLR(opt, { lrLambda: () => 0.95 }); // 0.1, 0.095, 0.09025, ...
 * ```
 */
export class MultiplicativeLR extends LRScheduler {
  /** The factor functions, one per group. */
  readonly lrLambdas: LrLambda[];

  /** A scheduler of `optimizer`'s learning rates. */
  constructor(optimizer: Optimizer<object>, options: LambdaLROptions) {
    const o = knownOptions("MultiplicativeLR", options, ["lrLambda", "lastEpoch"]);
    const fs = lambdas("MultiplicativeLR", optimizer, o.lrLambda);
    super(optimizer, o.lastEpoch ?? -1);
    this.lrLambdas = fs;
    this.initialStep();
  }

  /** `lr * lambda(last_epoch)` after the first epoch. */
  protected computeLr(): number[] {
    const lrs = groupLrs(this.optimizer);
    if (this.lastEpoch <= 0) return lrs;
    return lrs.map((lr, i) => lr * factor("MultiplicativeLR", this.lrLambdas[i], this.lastEpoch));
  }

  /** `lr_lambdas`: null for each function. */
  protected ownState(): SchedulerStateDict {
    return { lr_lambdas: this.lrLambdas.map(() => null) };
  }

  /** Nothing of its own to load. */
  protected loadOwnState(_sd: SchedulerStateDict): void {}
}
