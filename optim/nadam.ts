/**
 * `NAdam` (Adam with Nesterov momentum and the momentum-decay schedule of Dozat), torch.optim.NAdam
 * 1.13's (2.x's on LibTorch 2) single-tensor algorithm operator for operator: the momentum cache in Python float arithmetic,
 * the running product `mu_product` as PyTorch's float32 0-dim tensor (emulated exactly).
 *
 * @module
 */

import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkBetas, checkNumber, describe } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { type Closure, Optimizer, type Params } from "./optimizer.ts";
import { eachParam, optimizerStep, StepPowers } from "./step.ts";
import { Dim0, mul, num } from "./python_scalar.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of NAdam (per parameter group). */
export interface NAdamHyperparameters {
  /** Learning rate (default 2e-3). */
  lr: number;
  /** Decay rates of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the denominator (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** The momentum decay ψ (default 4e-3). */
  momentumDecay: number;
}

/** Options of {@linkcode NAdam}. */
export type NAdamOptions = Partial<NAdamHyperparameters>;

const KEYS = ["lr", "betas", "eps", "weightDecay", "momentumDecay"] as const;

/**
 * NAdam (torch.optim.NAdam): Adam whose first-moment term looks one step ahead, with
 * `μ_t = β1 (1 - 0.5 · 0.96^(t ψ))`.
 *
 * @example
 * ```ts
 * import { LeNet, NAdam } from "../mod.ts";
 * const opt = new NAdam(new LeNet().parameters(), { lr: 2e-3, momentumDecay: 4e-3 });
 * ```
 */
export class NAdam extends Optimizer<NAdamHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<NAdamHyperparameters>, options?: NAdamOptions) {
    const o = knownOptions("NAdam", options, KEYS);
    super(params, {
      lr: o.lr ?? 2e-3,
      betas: o.betas === undefined ? [0.9, 0.999] : [...o.betas] as [number, number],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
      momentumDecay: o.momentumDecay ?? 4e-3,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does. */
  protected override checkHyperparameters(h: Partial<NAdamHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "eps", h.eps, { min: 0 });
    checkBetas(owner, h.betas);
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
    checkNumber(owner, "momentumDecay", h.momentumDecay, { min: 0 });
  }

  /** The group keys PyTorch's optimizer also keeps. */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2
      ? { decoupled_weight_decay: false, maximize: false, foreach: null, capturable: false, differentiable: false }
      : { foreach: null };
  }

  /** `mu_product` is loaded as the float32 0-dim value it is in PyTorch. */
  protected override importValue(param: Tensor, key: string, v: unknown): unknown {
    if (key !== "mu_product") return super.importValue(param, key, v);
    if (v instanceof Tensor && v.numel() === 1) return new Dim0(Math.fround(v.item()), "float32");
    if (typeof v === "number") return new Dim0(Math.fround(v), "float32");
    throw new TypeError(`NAdam.loadStateDict: mu_product must be a 0-dim Tensor, got ${describe(v, "typed")}`);
  }

  /** Updates every parameter that has a gradient; with a `closure`, returns its loss. */
  step(closure?: Closure): Tensor | null {
    const powers = new StepPowers();
    return optimizerStep(
      this,
      closure,
      eachParam((p, g, state, group) => {
        const { lr, eps, weightDecay, momentumDecay } = group;
        const [beta1, beta2] = group.betas;
        if (!("step" in state)) {
          state.step = 0;
          state.mu_product = new Dim0(1, "float32");
          state.exp_avg = keep(zerosLike(p));
          state.exp_avg_sq = keep(zerosLike(p));
        }
        const step = Math.fround((state.step as number) + 1);
        state.step = step;
        const biasCorrection2 = 1 - powers.get(beta2, step);
        let grad = g;
        if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
        const mu = beta1 * (1 - 0.5 * powers.get(0.96, step * momentumDecay));
        const muNext = beta1 * (1 - 0.5 * powers.get(0.96, (step + 1) * momentumDecay));
        const muProduct = mul(state.mu_product as Dim0, mu);
        state.mu_product = muProduct;
        // PyTorch 2: `_get_value(mu_product) * mu_next` in Python floats; 1.13: `mu_product * mu * mu_next` in float32
        const muProductNext = TORCH2 ? num(muProduct) * muNext : mul(mul(muProduct, mu), muNext);
        const expAvg = state.exp_avg as Tensor, expAvgSq = state.exp_avg_sq as Tensor;
        if (TORCH2) expAvg.lerp_(grad, 1 - beta1);
        else expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
        expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
        const denom = expAvgSq.div(biasCorrection2).sqrt().add_(eps);
        p.addcdiv_(grad, denom, { value: -lr * (1 - mu) / (1 - num(muProduct)) });
        p.addcdiv_(expAvg, denom, { value: -lr * muNext / (1 - num(muProductNext)) });
      }),
    );
  }
}
