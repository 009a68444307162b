/**
 * `Adamax` (Adam with the infinity norm; L2 weight decay and maximization), torch.optim.Adamax 1.13's
 * (2.x's on LibTorch 2) single-tensor algorithm operator for operator, the bias correction in Python float
 * arithmetic.
 *
 * @module
 */

import { callV, op } from "../tensor/call.ts";
import { zerosLike } from "../tensor/creation.ts";
import { cat } from "../tensor/functions.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBetas, checkBoolean, checkNumber } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { type Closure, Optimizer, type Params } from "./optimizer.ts";
import { eachParam, optimizerStep, StepPowers } from "./step.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of Adamax (per parameter group). */
export interface AdamaxHyperparameters {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the first moment and of the infinity norm (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@linkcode Adamax}. */
export type AdamaxOptions = Partial<AdamaxHyperparameters>;

const KEYS = ["lr", "betas", "eps", "weightDecay", "maximize"] as const;
const amaxOut = op("aten::amax", "out");
const maximumOut = op("aten::maximum", "out");

/**
 * Adamax (torch.optim.Adamax): `m = β1 m + (1 - β1) g`, `u = max(β2 u, |g| + eps)`,
 * `p -= lr / (1 - β1^t) m / u`.
 *
 * @example
 * ```ts
 * import { Adamax, LeNet } from "../mod.ts";
 * const opt = new Adamax(new LeNet().parameters(), { lr: 2e-3 });
 * ```
 */
export class Adamax extends Optimizer<AdamaxHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<AdamaxHyperparameters>, options?: AdamaxOptions) {
    const o = knownOptions("Adamax", options, KEYS);
    super(params, {
      lr: o.lr ?? 2e-3,
      betas: o.betas === undefined ? [0.9, 0.999] : [...o.betas] as [number, number],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does. */
  protected override checkHyperparameters(h: Partial<AdamaxHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "eps", h.eps, { min: 0 });
    checkBetas(owner, h.betas);
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
    checkBoolean(owner, "maximize", h.maximize);
  }

  /** The group keys PyTorch's optimizer also keeps. */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2 ? { foreach: null, differentiable: false, capturable: false } : { foreach: null };
  }

  /** Updates every parameter that has a gradient; with a `closure`, returns its loss. */
  step(closure?: Closure): Tensor | null {
    const powers = new StepPowers();
    return optimizerStep(
      this,
      closure,
      eachParam((p, g, state, group) => {
        const { lr, eps, weightDecay, maximize } = group;
        const [beta1, beta2] = group.betas;
        if (!("step" in state)) {
          state.step = 0;
          state.exp_avg = keep(zerosLike(p));
          state.exp_inf = keep(zerosLike(p));
        }
        let grad = maximize ? g.neg() : g;
        const step = Math.fround((state.step as number) + 1);
        state.step = step;
        if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
        const expAvg = state.exp_avg as Tensor, expInf = state.exp_inf as Tensor;
        if (TORCH2) {
          // PyTorch 2: exp_avg.lerp_(grad, 1 - beta1); torch.maximum(exp_inf.mul_(beta2), |grad| + eps, out=exp_inf)
          expAvg.lerp_(grad, 1 - beta1);
          callV(maximumOut, expInf.mul_(beta2), grad.abs().add_(eps), expInf);
        } else {
          expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
          const normBuf = cat([expInf.mul_(beta2).unsqueeze(0), grad.abs().add_(eps).unsqueeze(0)], 0);
          callV(amaxOut, normBuf, [0], false, expInf);
        }
        const biasCorrection = 1 - powers.get(beta1, step);
        const clr = lr / biasCorrection;
        p.addcdiv_(expAvg, expInf, { value: -clr });
      }),
    );
  }
}
