/**
 * `Adadelta` (with L2 weight decay and maximization), torch.optim.Adadelta 1.13's single-tensor
 * algorithm operator for operator (2.x's on LibTorch 2). Its `step` count is a plain integer, as PyTorch 1.13
 * keeps it (a float32 0-dim tensor on PyTorch 2).
 *
 * @module
 */

import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { type Closure, Optimizer, type Params, type StateValue } from "./optimizer.ts";
import { eachParam, optimizerStep } from "./step.ts";
import { importIntStep } from "./rmsprop.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of Adadelta (per parameter group). */
export interface AdadeltaHyperparameters {
  /** The factor applied to the update (default 1). */
  lr: number;
  /** Decay rate of the running averages, in [0, 1] (default 0.9). */
  rho: number;
  /** Term added inside the square roots (default 1e-6). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@linkcode Adadelta}. */
export type AdadeltaOptions = Partial<AdadeltaHyperparameters>;

const KEYS = ["lr", "rho", "eps", "weightDecay", "maximize"] as const;

/**
 * Adadelta (torch.optim.Adadelta): `v = ρ v + (1 - ρ) g²`, `Δ = sqrt(u + eps) / sqrt(v + eps) g`,
 * `u = ρ u + (1 - ρ) Δ²`, `p -= lr Δ`.
 *
 * @example
 * ```ts
 * import { Adadelta, LeNet } from "../mod.ts";
 * const opt = new Adadelta(new LeNet().parameters(), { rho: 0.95 });
 * ```
 */
export class Adadelta extends Optimizer<AdadeltaHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<AdadeltaHyperparameters>, options?: AdadeltaOptions) {
    const o = knownOptions("Adadelta", options, KEYS);
    super(params, {
      lr: o.lr ?? 1,
      rho: o.rho ?? 0.9,
      eps: o.eps ?? 1e-6,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does. */
  protected override checkHyperparameters(h: Partial<AdadeltaHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "rho", h.rho, { min: 0, max: 1 });
    checkNumber(owner, "eps", h.eps, { min: 0 });
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
    checkBoolean(owner, "maximize", h.maximize);
  }

  /** The group keys PyTorch's optimizer also keeps. */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2 ? { capturable: false, foreach: null, differentiable: false } : { foreach: null };
  }

  /** `step` stays a Python int in PyTorch 1.13's Adadelta state (a float32 tensor on PyTorch 2). */
  protected override exportValue(key: string, v: unknown): StateValue {
    return key === "step" && typeof v === "number" && !TORCH2 ? v : super.exportValue(key, v);
  }

  /** `step` is loaded as an integer (PyTorch 1.13) or a float32 count (PyTorch 2). */
  protected override importValue(param: Tensor, key: string, v: unknown): unknown {
    return key === "step" && !TORCH2 ? importIntStep(this.typeName, v) : super.importValue(param, key, v);
  }

  /** Updates every parameter that has a gradient; with a `closure`, returns its loss. */
  step(closure?: Closure): Tensor | null {
    return optimizerStep(
      this,
      closure,
      eachParam((p, g, state, group) => {
        const { lr, rho, eps, weightDecay, maximize } = group;
        if (!("step" in state)) {
          state.step = 0;
          state.square_avg = keep(zerosLike(p));
          state.acc_delta = keep(zerosLike(p));
        }
        // PyTorch 2's step is a float32 tensor: `step += 1` rounds to float32
        state.step = TORCH2 ? Math.fround((state.step as number) + 1) : (state.step as number) + 1;
        let grad = maximize ? g.neg() : g;
        if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
        const squareAvg = state.square_avg as Tensor, accDelta = state.acc_delta as Tensor;
        squareAvg.mul_(rho).addcmul_(grad, grad, { value: 1 - rho });
        const std = squareAvg.add(eps).sqrt_();
        const delta = accDelta.add(eps).sqrt_().div_(std).mul_(grad);
        accDelta.mul_(rho).addcmul_(delta, delta, { value: 1 - rho });
        p.add_(delta, { alpha: -lr });
      }),
    );
  }
}
