/**
 * `RAdam` (rectified Adam), torch.optim.RAdam 1.13's (2.x's on LibTorch 2) single-tensor algorithm, the
 * rectification term in Python float arithmetic (C's `pow`, IEEE `sqrt`).
 *
 * @module
 */

import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBetas, checkNumber } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { type Closure, Optimizer, type Params } from "./optimizer.ts";
import { eachParam, optimizerStep, StepPowers } from "./step.ts";
import { cmath } from "../tensor/runtime.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of RAdam (per parameter group). */
export interface RAdamHyperparameters {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
}

/** Options of {@linkcode RAdam}. */
export type RAdamOptions = Partial<RAdamHyperparameters>;

const KEYS = ["lr", "betas", "eps", "weightDecay"] as const;

/**
 * RAdam (torch.optim.RAdam): Adam whose adaptive term is switched on, and rectified, once the
 * approximated length of the simple moving average `ρ_t` exceeds 5; before that, momentum SGD with the
 * bias-corrected first moment.
 *
 * @example
 * ```ts
 * import { LeNet, RAdam } from "../mod.ts";
 * const opt = new RAdam(new LeNet().parameters(), { lr: 1e-3 });
 * ```
 */
export class RAdam extends Optimizer<RAdamHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<RAdamHyperparameters>, options?: RAdamOptions) {
    const o = knownOptions("RAdam", options, KEYS);
    super(params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas === undefined ? [0.9, 0.999] : [...o.betas] as [number, number],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does. */
  protected override checkHyperparameters(h: Partial<RAdamHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "eps", h.eps, { min: 0 });
    checkBetas(owner, h.betas);
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
  }

  /** The group keys PyTorch's optimizer also keeps. */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2
      ? { maximize: false, foreach: null, capturable: false, decoupled_weight_decay: false, differentiable: false }
      : { foreach: null };
  }

  /** Updates every parameter that has a gradient; with a `closure`, returns its loss. */
  step(closure?: Closure): Tensor | null {
    const powers = new StepPowers();
    return optimizerStep(
      this,
      closure,
      eachParam((p, g, state, group) => {
        const { lr, eps, weightDecay } = group;
        const [beta1, beta2] = group.betas;
        if (!("step" in state)) {
          state.step = 0;
          state.exp_avg = keep(zerosLike(p));
          state.exp_avg_sq = keep(zerosLike(p));
        }
        const step = Math.fround((state.step as number) + 1);
        state.step = step;
        const biasCorrection1 = 1 - powers.get(beta1, step);
        const biasCorrection2 = 1 - powers.get(beta2, step);
        let grad = g;
        if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
        const expAvg = state.exp_avg as Tensor, expAvgSq = state.exp_avg_sq as Tensor;
        if (TORCH2) expAvg.lerp_(grad, 1 - beta1);
        else expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
        expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
        const biasCorrectedExpAvg = expAvg.div(biasCorrection1);
        const rhoInf = 2 / (1 - beta2) - 1;
        const rhoT = rhoInf - 2 * step * powers.get(beta2, step) / biasCorrection2;
        if (rhoT > 5) {
          // PyTorch 2 takes `x ** 0.5` (C's pow), 1.13 `math.sqrt(x)`
          const root = TORCH2 ? (x: number) => cmath.pow(x, 0.5) : Math.sqrt;
          const rect = root((rhoT - 4) * (rhoT - 2) * rhoInf / ((rhoInf - 4) * (rhoInf - 2) * rhoT));
          // sqrt(bc2) / tensor is Tensor.__rtruediv__: tensor.reciprocal() * number
          const adaptiveLr = expAvgSq.sqrt().add_(eps).reciprocal().mul(root(biasCorrection2));
          p.add_(biasCorrectedExpAvg.mul(lr).mul(adaptiveLr).mul(rect), { alpha: -1 });
        } else {
          p.add_(biasCorrectedExpAvg.mul(lr), { alpha: -1 });
        }
      }),
    );
  }
}
