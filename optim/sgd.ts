/**
 * `SGD`: stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay
 * and maximization, torch.optim.SGD's single-tensor algorithm operator for operator.
 *
 * @module
 */

import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { type Closure, Optimizer, type Params } from "./optimizer.ts";
import { TORCH2 } from "./torch_release.ts";

/** The hyperparameters of SGD (per parameter group). */
export interface SGDHyperparameters {
  /** Learning rate (required: in the options or in every group). */
  lr: number;
  /** Momentum factor (default 0: none). */
  momentum: number;
  /** Dampening of the momentum (default 0). */
  dampening: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0; default false). */
  nesterov: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@linkcode SGD}. */
export type SGDOptions = Partial<SGDHyperparameters>;

const KEYS = ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize"] as const;

/**
 * Stochastic gradient descent (torch.optim.SGD). With momentum `μ` and dampening `τ`, each step does
 * `b = μ b + (1 - τ) g` (b = g at first), `g = nesterov ? g + μ b : b`, `p -= lr g`, where `g` has the
 * weight decay added. The same operations in the same order as PyTorch's, so trajectories match to the
 * bit.
 *
 * @example
 * ```ts
 * import { binaryCrossEntropyWithLogits, LeNet, randint, randn, SGD } from "../mod.ts";
 * const model = new LeNet();
 * const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 * const loss = binaryCrossEntropyWithLogits(model.forward(randn([8, 3, 32, 32])), randint(2, [8, 1]).float());
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export class SGD extends Optimizer<SGDHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<SGDHyperparameters>, options?: SGDOptions);
  /** PyTorch's positional form `SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=False)`. */
  constructor(
    params: Params<SGDHyperparameters>,
    lr: number,
    momentum?: number,
    dampening?: number,
    weightDecay?: number,
    nesterov?: boolean,
  );
  constructor(params: Params<SGDHyperparameters>, ...args: unknown[]) {
    const o = optionsFrom<SGDOptions>("SGD", args, KEYS, 5);
    super(params, {
      lr: o.lr as number,
      momentum: o.momentum ?? 0,
      dampening: o.dampening ?? 0,
      weightDecay: o.weightDecay ?? 0,
      nesterov: o.nesterov ?? false,
      maximize: o.maximize ?? false,
    });
  }

  /** Checks hyperparameters as PyTorch's constructor does (and each group's too). */
  protected override checkHyperparameters(h: Partial<SGDHyperparameters>, owner: string, isDefaults: boolean): void {
    if (h.lr === undefined) {
      if (!isDefaults) {
        throw new TypeError(`${owner}: lr is required (pass { lr } to SGD or give every parameter group an lr)`);
      }
    } else checkNumber(owner, "lr", h.lr, { min: 0 });
    const momentum = checkNumber(owner, "momentum", h.momentum, { min: 0 });
    const dampening = checkNumber(owner, "dampening", h.dampening);
    checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
    if (checkBoolean(owner, "nesterov", h.nesterov) && (momentum <= 0 || dampening !== 0)) {
      throw new RangeError(
        `${owner}: nesterov needs momentum > 0 and dampening 0, got momentum ${momentum} and dampening ${dampening}`,
      );
    }
    checkBoolean(owner, "maximize", h.maximize);
  }

  /** The group keys PyTorch's optimizer also keeps (exported for `load_state_dict` in Python). */
  protected override torchOnlyKeys(): Record<string, unknown> {
    return TORCH2 ? { foreach: null, differentiable: false, fused: null } : { foreach: null, differentiable: false };
  }

  /**
   * Updates every parameter that has a gradient. With a `closure`, it runs first (gradients enabled)
   * and its loss is returned. Throws if no parameter has a gradient.
   */
  step(closure?: Closure): Tensor | null {
    const loss = this.evaluateClosure(closure);
    const updated = this.forEachParamWithGrad((p, grad, state, group) => {
      const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
      let dp = maximize ? grad.neg() : grad;
      if (weightDecay !== 0) dp = dp.add(p, { alpha: weightDecay });
      if (momentum !== 0) {
        let buf = state.momentum_buffer as Tensor | null | undefined;
        if (buf === null || buf === undefined) {
          buf = keep(dp.clone());
          state.momentum_buffer = buf;
        } else {
          buf.mul_(momentum).add_(dp, { alpha: 1 - dampening });
        }
        dp = nesterov ? dp.add(buf, { alpha: momentum }) : buf;
      } else if (!TORCH2 && !("momentum_buffer" in state)) {
        state.momentum_buffer = null;
      }
      p.add_(dp, { alpha: -lr });
    });
    if (updated === 0) throw this.noGradientError();
    return loss;
  }
}
