/**
 * `RMSprop` (with momentum, the centered variant, L2 weight decay and maximization), torch.optim.RMSprop
 * 1.13's (or, on LibTorch 2, 2.x's) single-tensor algorithm operator for operator. Its `step` count is a
 * plain integer, as PyTorch 1.13 keeps it (a float32 0-dim tensor on PyTorch 2).
 *
 * @module
 */

import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import {
  type Closure,
  Optimizer,
  type ParamGroup,
  type Params,
  type ParamState,
  type StateValue,
} from "./optimizer.ts";
import { eachParam, optimizerStep } from "./step.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of RMSprop (per parameter group). */
export interface RMSpropHyperparameters {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Momentum factor (default 0). */
  momentum: number;
  /** Smoothing constant of the running average of the squared gradient (default 0.99). */
  alpha: number;
  /** Term added to the denominator (default 1e-8). */
  eps: number;
  /** Normalize by an estimate of the gradient's variance (default false). */
  centered: boolean;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@linkcode RMSprop}. */
export type RMSpropOptions = Partial<RMSpropHyperparameters>;

const KEYS = ["lr", "momentum", "alpha", "eps", "centered", "weightDecay", "maximize"] as const;

/**
 * RMSprop (torch.optim.RMSprop): `v = α v + (1 - α) g²`, `p -= lr g / (sqrt(v) + eps)` (with `v - ḡ²`
 * under the root when centered, and a momentum buffer when `momentum > 0`).
 *
 * @example
 * ```ts
 * import { LeNet, RMSprop } from "../mod.ts";
 * const opt = new RMSprop(new LeNet().parameters(), { lr: 1e-3, momentum: 0.9, centered: true });
 * ```
 */
export class RMSprop extends Optimizer<RMSpropHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<RMSpropHyperparameters>, options?: RMSpropOptions) {
    const o = knownOptions("RMSprop", options, KEYS);
    super(params, {
      lr: o.lr ?? 1e-2,
      momentum: o.momentum ?? 0,
      alpha: o.alpha ?? 0.99,
      eps: o.eps ?? 1e-8,
      centered: o.centered ?? false,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does (all numbers >= 0). */
  protected override checkHyperparameters(h: Partial<RMSpropHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "eps", h.eps, { min: 0 });
    checkNumber(owner, "momentum", h.momentum, { min: 0 });
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
    checkNumber(owner, "alpha", h.alpha, { min: 0 });
    checkBoolean(owner, "centered", h.centered);
    checkBoolean(owner, "maximize", h.maximize);
  }

  /** The group keys PyTorch's optimizer also keeps. */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2
      ? { capturable: false, foreach: null, differentiable: false }
      : { foreach: null, differentiable: false };
  }

  /** `step` stays a Python int in PyTorch 1.13's RMSprop state (a float32 tensor on PyTorch 2). */
  protected override exportValue(key: string, v: unknown): StateValue {
    return key === "step" && typeof v === "number" && !TORCH2 ? v : super.exportValue(key, v);
  }

  /** `step` is loaded as an integer (PyTorch 1.13) or a float32 count (PyTorch 2). */
  protected override importValue(param: Tensor, key: string, v: unknown): unknown {
    if (key !== "step" || TORCH2) return super.importValue(param, key, v);
    return importIntStep(this.typeName, v);
  }

  /** Updates every parameter that has a gradient; with a `closure`, returns its loss. */
  step(closure?: Closure): Tensor | null {
    return optimizerStep(this, closure, eachParam((p, g, state, group) => rmspropUpdate(p, g, state, group)));
  }
}

/**
 * A `step` count stored as a Python int (RMSprop, Adadelta): a number or a 0-dim tensor, as an integer.
 *
 * @example
 * ```ts
 * importIntStep("RMSprop", 3); // 3
 * ```
 */
export function importIntStep(owner: string, v: unknown): number {
  const n = typeof v === "number" ? v : v !== null && typeof v === "object" && "item" in v ? (v as Tensor).item() : NaN;
  if (!Number.isInteger(n)) {
    throw new TypeError(`${owner}.loadStateDict: step must be an integer, got ${describe(v, "typed")}`);
  }
  return n;
}

function rmspropUpdate(p: Tensor, g: Tensor, state: ParamState, group: ParamGroup<RMSpropHyperparameters>): void {
  const { lr, alpha, eps, weightDecay, momentum, centered, maximize } = group;
  if (!("step" in state)) {
    state.step = 0;
    state.square_avg = keep(zerosLike(p));
    if (momentum > 0) state.momentum_buffer = keep(zerosLike(p));
    if (centered) state.grad_avg = keep(zerosLike(p));
  }
  if (momentum > 0 && state.momentum_buffer === undefined) state.momentum_buffer = keep(zerosLike(p));
  if (centered && state.grad_avg === undefined) state.grad_avg = keep(zerosLike(p));
  // PyTorch 2's step is a float32 tensor: `step += 1` rounds to float32
  state.step = TORCH2 ? Math.fround((state.step as number) + 1) : (state.step as number) + 1;
  let grad = maximize ? g.neg() : g;
  const squareAvg = state.square_avg as Tensor;
  if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
  squareAvg.mul_(alpha).addcmul_(grad, grad, { value: 1 - alpha });
  let avg: Tensor;
  if (centered) {
    const gradAvg = state.grad_avg as Tensor;
    if (TORCH2) gradAvg.lerp_(grad, 1 - alpha);
    else gradAvg.mul_(alpha).add_(grad, { alpha: 1 - alpha });
    avg = squareAvg.addcmul(gradAvg, gradAvg, { value: -1 }).sqrt_();
  } else avg = squareAvg.sqrt();
  avg = avg.add_(eps);
  if (momentum > 0) {
    const buf = state.momentum_buffer as Tensor;
    buf.mul_(momentum).addcdiv_(grad, avg);
    p.add_(buf, { alpha: -lr });
  } else p.addcdiv_(grad, avg, { value: -lr });
}
