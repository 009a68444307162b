/**
 * `AdamW`: Adam with decoupled weight decay, torch.optim.AdamW's single-tensor algorithm operator for
 * operator.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { ADAM_KEYS, type AdamHyperparameters, type AdamOptions, adamUpdate, checkAdamHyperparameters } from "./adam.ts";
import { optionsFrom } from "../tensor/options.ts";
import { TORCH2 } from "./torch_release.ts";
import { type Closure, Optimizer, type Params } from "./optimizer.ts";

/**
 * AdamW (torch.optim.AdamW): each step first shrinks the parameters, `p *= 1 - lr * weightDecay`
 * (default weightDecay 1e-2), then does Adam's update without an L2 term.
 *
 * @example
 * ```ts
 * import { AdamW, binaryCrossEntropyWithLogits, LeNet, randint, randn } from "../mod.ts";
 * const model = new LeNet();
 * const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.05 });
 * const loss = binaryCrossEntropyWithLogits(model.forward(randn([8, 3, 32, 32])), randint(2, [8, 1]).float());
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export class AdamW extends Optimizer<AdamHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<AdamHyperparameters>, options?: AdamOptions);
  /** PyTorch's positional form `AdamW(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0.01, amsgrad=False)`. */
  constructor(
    params: Params<AdamHyperparameters>,
    lr: number,
    betas?: [number, number],
    eps?: number,
    weightDecay?: number,
    amsgrad?: boolean,
  );
  constructor(params: Params<AdamHyperparameters>, ...args: unknown[]) {
    const o = optionsFrom<AdamOptions>("AdamW", args, ADAM_KEYS, 5);
    super(params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas === undefined ? [0.9, 0.999] : [...o.betas] as [number, number],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 1e-2,
      amsgrad: o.amsgrad ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does (and each group's too). */
  protected override checkHyperparameters(h: Partial<AdamHyperparameters>, owner: string): void {
    checkAdamHyperparameters(h, owner);
  }

  /** The group keys PyTorch's optimizer also keeps (exported for `load_state_dict` in Python). */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2
      ? { foreach: null, capturable: false, differentiable: false, fused: null }
      : { foreach: null, capturable: false };
  }

  /**
   * Updates every parameter that has a gradient. With a `closure`, it runs first (gradients enabled)
   * and its loss is returned. Throws if no parameter has a gradient.
   */
  step(closure?: Closure): Tensor | null {
    const loss = this.evaluateClosure(closure);
    const n = this.forEachParamWithGrad((p, g, state, group) => adamUpdate(p, g, state, group, true));
    if (n === 0) throw this.noGradientError();
    return loss;
  }
}
