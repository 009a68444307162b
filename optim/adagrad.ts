/**
 * `Adagrad` (with learning-rate decay, an initial accumulator value, L2 weight decay and maximization),
 * torch.optim.Adagrad 1.13's single-tensor algorithm operator for operator. As in PyTorch, the state of
 * every parameter (`step` 0 and `sum` filled with `initialAccumulatorValue`) is created by the
 * constructor.
 *
 * @module
 */

import { fullLike } from "../tensor/creation.ts";
import { keep, tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber } from "../tensor/checks.ts";
import { knownOptions } from "../tensor/options.ts";
import { type Closure, Optimizer, type ParamGroup, type ParamGroupInput, type Params } from "./optimizer.ts";
import { eachParam, optimizerStep } from "./step.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of Adagrad (per parameter group). */
export interface AdagradHyperparameters {
  /** Learning rate (default 1e-2). */
  lr: number;
  /** Learning-rate decay: step t uses `lr / (1 + (t - 1) lrDecay)` (default 0). */
  lrDecay: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** The initial value of the sum of squared gradients (default 0). */
  initialAccumulatorValue: number;
  /** Term added to the denominator (default 1e-10). */
  eps: number;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@linkcode Adagrad}. */
export type AdagradOptions = Partial<AdagradHyperparameters>;

const KEYS = ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps", "maximize"] as const;

/**
 * Adagrad (torch.optim.Adagrad): `s += g²`, `p -= clr g / (sqrt(s) + eps)` with the decayed rate `clr`.
 *
 * @example
 * ```ts
 * import { Adagrad, LeNet } from "../mod.ts";
 * const opt = new Adagrad(new LeNet().parameters(), { lr: 0.01, lrDecay: 1e-4, initialAccumulatorValue: 0.1 });
 * ```
 */
export class Adagrad extends Optimizer<AdagradHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`); creates every state. */
  constructor(params: Params<AdagradHyperparameters>, options?: AdagradOptions) {
    const o = knownOptions("Adagrad", options, KEYS);
    super(params, {
      lr: o.lr ?? 1e-2,
      lrDecay: o.lrDecay ?? 0,
      weightDecay: o.weightDecay ?? 0,
      initialAccumulatorValue: o.initialAccumulatorValue ?? 0,
      eps: o.eps ?? 1e-10,
      maximize: o.maximize ?? false,
    });
  }

  /** Adds a group and creates its parameters' state (`step` 0, `sum` filled), as PyTorch's constructor does. */
  override addParamGroup(group: ParamGroupInput<AdagradHyperparameters>): void {
    super.addParamGroup(group);
    this.initState(this.paramGroups[this.paramGroups.length - 1]);
  }

  /** Creates the state (step and sum) of the group's parameters, as PyTorch's constructor does. */
  private initState(group: ParamGroup<AdagradHyperparameters>): void {
    tidy(() => {
      for (const p of group.params) {
        if (this.state.has(p)) continue;
        this.state.set(p, { step: 0, sum: keep(fullLike(p, group.initialAccumulatorValue)) });
      }
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does (all numbers >= 0). */
  protected override checkHyperparameters(h: Partial<AdagradHyperparameters>, owner: string): void {
    checkNumber(owner, "lr", h.lr, { min: 0 });
    checkNumber(owner, "lrDecay", h.lrDecay, { min: 0 });
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
    checkNumber(owner, "initialAccumulatorValue", h.initialAccumulatorValue, { min: 0 });
    checkNumber(owner, "eps", h.eps, { min: 0 });
    checkBoolean(owner, "maximize", h.maximize);
  }

  /** The group keys PyTorch's optimizer also keeps. */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2 ? { foreach: null, differentiable: false, fused: null } : { foreach: null };
  }

  /** Updates every parameter that has a gradient; with a `closure`, returns its loss. */
  step(closure?: Closure): Tensor | null {
    return optimizerStep(
      this,
      closure,
      eachParam((p, g, state, group) => {
        if (!("sum" in state)) {
          state.step = 0;
          state.sum = keep(fullLike(p, group.initialAccumulatorValue));
        }
        const { lr, weightDecay, lrDecay, eps, maximize } = group;
        // state['step'] is a float32 tensor: `step_t += 1`, then `step = step_t.item()`
        const step = Math.fround((state.step as number) + 1);
        state.step = step;
        let grad = maximize ? g.neg() : g;
        if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
        const clr = lr / (1 + (step - 1) * lrDecay);
        const sum = state.sum as Tensor;
        sum.addcmul_(grad, grad, { value: 1 });
        const std = sum.sqrt().add_(eps);
        p.addcdiv_(grad, std, { value: -clr });
      }),
    );
  }
}
