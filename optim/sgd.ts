/**
 * `SGD`: stochastic gradient descent with optional momentum, dampening, Nesterov momentum, weight decay
 * and maximization: torch.optim.SGD's single-tensor algorithm operator for operator (`foreach: false`), or by
 * default its multi-tensor one, the same per-tensor operations through LibTorch's `_foreach_*` operators
 * (a few calls per parameter group instead of several per parameter), with the same bits.
 *
 * @module
 */

import { keep } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { checkForeach, foreachAdd, foreachAdd_, foreachMul_, foreachNeg, usesForeach } from "./foreach.ts";
import { type Closure, Optimizer, type ParamGroup, type Params, type ParamState } from "./optimizer.ts";
import { eachParam, type GroupStep, optimizerStep } from "./step.ts";
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
  /**
   * The implementation: the multi-tensor one (`true`), the single-tensor one (`false`), or, as by default
   * (`null`, PyTorch's default), the multi-tensor one; both give the same bits.
   */
  foreach?: boolean | null;
}

/** Options of {@linkcode SGD}. */
export type SGDOptions = Partial<SGDHyperparameters>;

const KEYS = ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize", "foreach"] as const;

/** One SGD update of parameter `p` from its gradient: the operations of PyTorch's `_single_tensor_sgd`. */
function sgdUpdate(p: Tensor, grad: Tensor, state: ParamState, group: ParamGroup<SGDHyperparameters>): void {
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
}

/**
 * SGD's update of a group's parameters that have gradients through LibTorch's `_foreach_*` operators:
 * PyTorch's `_multi_tensor_sgd`, whose per-tensor operations are those of the single-tensor update, so
 * the bits are the same. (Unlike PyTorch's, it leaves the gradients as they are with Nesterov momentum.)
 */
function sgdForeachUpdate(step: GroupStep<ParamGroup<SGDHyperparameters>>): void {
  const { group, params, states } = step;
  const { lr, momentum, dampening, weightDecay, nesterov, maximize } = group;
  let grads = maximize ? foreachNeg(step.grads) : step.grads;
  if (weightDecay !== 0) grads = foreachAdd(grads, params, weightDecay);
  if (momentum !== 0) {
    const found = states.map((s) => s.momentum_buffer as Tensor | null | undefined);
    let bufs: Tensor[];
    if (found.every((b) => b !== null && b !== undefined)) {
      bufs = found as Tensor[];
      foreachMul_(bufs, momentum);
      foreachAdd_(bufs, grads, 1 - dampening);
    } else {
      bufs = found.map((buf, i) => {
        if (buf === null || buf === undefined) return states[i].momentum_buffer = keep(grads[i].clone());
        return buf.mul_(momentum).add_(grads[i], { alpha: 1 - dampening });
      }) as Tensor[];
    }
    grads = nesterov ? foreachAdd(grads, bufs, momentum) : bufs;
  } else if (!TORCH2) {
    for (const s of states) if (!("momentum_buffer" in s)) s.momentum_buffer = null;
  }
  foreachAdd_(params, grads, -lr);
}

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
      ...(o.foreach === undefined ? {} : { foreach: o.foreach }),
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
    checkForeach(owner, h.foreach);
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
    return optimizerStep(this, closure, (step) => {
      if (usesForeach(step.group)) sgdForeachUpdate(step);
      else eachParam(sgdUpdate)(step);
    });
  }
}
