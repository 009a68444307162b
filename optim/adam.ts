/**
 * `Adam` (with AMSGrad, L2 weight decay and maximization), torch.optim.Adam's single-tensor algorithm
 * operator for operator, with the bias corrections computed in Python float arithmetic (`beta ** step`
 * through the C library), so that trajectories match PyTorch's to the bit.
 *
 * @module
 */

import { callV, op } from "../tensor/call.ts";
import { TORCH2 } from "./torch_release.ts";
import { zerosLike } from "../tensor/creation.ts";
import { keep } from "../tensor/memory.ts";
import { cmath } from "../tensor/runtime.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBetas, checkBoolean, checkNumber } from "../tensor/checks.ts";
import { optionsFrom } from "../tensor/options.ts";
import { type Closure, Optimizer, type ParamGroup, type Params, type ParamState } from "./optimizer.ts";

/** The hyperparameters of Adam and AdamW (per parameter group). */
export interface AdamHyperparameters {
  /** Learning rate (default 1e-3). */
  lr: number;
  /** Decay rates of the running averages of the gradient and its square (default [0.9, 0.999]). */
  betas: [number, number];
  /** Term added to the denominator (default 1e-8). */
  eps: number;
  /** Weight decay: an L2 penalty for Adam (default 0), decoupled for AdamW (default 1e-2). */
  weightDecay: number;
  /** Use the AMSGrad variant (default false). */
  amsgrad: boolean;
  /** Maximize the objective instead of minimizing it (default false). */
  maximize: boolean;
}

/** Options of {@linkcode Adam} and `AdamW`. */
export type AdamOptions = Partial<AdamHyperparameters>;

/**
 * The option names of Adam and AdamW.
 *
 * @example
 * ```ts
 * import { knownOptions } from "../tensor/options.ts";
 * import { ADAM_KEYS, type AdamOptions } from "./adam.ts";
 * const options: AdamOptions = { lr: 1e-3, weightDecay: 0.01 };
 * knownOptions("AdamW", options, ADAM_KEYS); // a TypeError for any other key
 * ```
 */
export const ADAM_KEYS = ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize"] as const;

/**
 * Checks Adam/AdamW hyperparameters as PyTorch does (lr, eps, weightDecay >= 0; betas in [0, 1)).
 *
 * @example
 * ```ts
 * checkAdamHyperparameters({ lr: 1e-3, betas: [0.9, 1], eps: 1e-8, weightDecay: 0 }, "Adam"); // RangeError: betas[1]
 * ```
 */
export function checkAdamHyperparameters(h: Partial<AdamHyperparameters>, owner: string): void {
  checkNumber(owner, "lr", h.lr, { min: 0 });
  checkBetas(owner, h.betas);
  checkNumber(owner, "eps", h.eps, { min: 0 });
  checkNumber(owner, "weightDecay", h.weightDecay, { min: 0 });
  checkBoolean(owner, "amsgrad", h.amsgrad);
  checkBoolean(owner, "maximize", h.maximize);
}

const maximumOut = op("aten::maximum", "out");

/**
 * One Adam (or, with `decoupled`, AdamW) update of parameter `p` from its gradient `g`, creating the
 * state on first use: the operations of PyTorch's `_single_tensor_adam(w)` in the same order.
 *
 * @example
 * ```ts
 * import { ones, tensor } from "../mod.ts";
 * import { adamUpdate } from "./adam.ts";
 * import type { ParamState } from "./optimizer.ts";
 * // what an Optimizer subclass's step() does for each parameter with a gradient:
 * const p = ones([2]), state: ParamState = {};
 * const group = { params: [p], lr: 0.1, betas: [0.9, 0.999] as [number, number], eps: 1e-8, weightDecay: 0,
 *   amsgrad: false, maximize: false };
 * adamUpdate(p, tensor([0.5, -0.5], { dtype: "float32" }), state, group, false); // p = [0.9, 1.1], state.step = 1
 * ```
 */
export function adamUpdate(
  p: Tensor,
  g: Tensor,
  state: ParamState,
  group: ParamGroup<AdamHyperparameters>,
  decoupled: boolean,
): void {
  const { lr, eps, weightDecay, amsgrad, maximize } = group;
  const [beta1, beta2] = group.betas;
  if (!("step" in state)) {
    state.step = 0;
    state.exp_avg = keep(zerosLike(p));
    state.exp_avg_sq = keep(zerosLike(p));
    if (amsgrad) state.max_exp_avg_sq = keep(zerosLike(p));
  }
  if (amsgrad && state.max_exp_avg_sq === undefined) state.max_exp_avg_sq = keep(zerosLike(p));
  const expAvg = state.exp_avg as Tensor, expAvgSq = state.exp_avg_sq as Tensor;
  let grad = maximize ? g.neg() : g;
  // state['step'] is a float32 tensor in PyTorch: `step_t += 1` rounds to float32
  const step = Math.fround((state.step as number) + 1);
  state.step = step;
  if (decoupled) p.mul_(1 - lr * weightDecay);
  else if (weightDecay !== 0) grad = grad.add(p, { alpha: weightDecay });
  if (TORCH2) expAvg.lerp_(grad, 1 - beta1);
  else expAvg.mul_(beta1).add_(grad, { alpha: 1 - beta1 });
  expAvgSq.mul_(beta2).addcmul_(grad, grad, { value: 1 - beta2 });
  const biasCorrection1 = 1 - cmath.pow(beta1, step);
  const biasCorrection2 = 1 - cmath.pow(beta2, step);
  const stepSize = lr / biasCorrection1;
  const biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
  let denom: Tensor;
  if (amsgrad) {
    const maxExpAvgSq = state.max_exp_avg_sq as Tensor;
    callV(maximumOut, maxExpAvgSq, expAvgSq, maxExpAvgSq);
    denom = maxExpAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
  } else {
    denom = expAvgSq.sqrt().div(biasCorrection2Sqrt).add_(eps);
  }
  p.addcdiv_(expAvg, denom, { value: -stepSize });
}

/**
 * Adam (torch.optim.Adam): running averages `m`, `v` of the gradient and its square, bias-corrected,
 * `p -= lr m̂ / (sqrt(v̂) + eps)`; `weightDecay` adds `weightDecay * p` to the gradient (L2).
 *
 * @example
 * ```ts
 * import { Adam, binaryCrossEntropyWithLogits, LeNet, randint, randn } from "../mod.ts";
 * const model = new LeNet();
 * const opt = new Adam(model.parameters(), { lr: 1e-3, betas: [0.9, 0.999] });
 * const loss = binaryCrossEntropyWithLogits(model.forward(randn([8, 3, 32, 32])), randint(2, [8, 1]).float());
 * opt.zeroGrad();
 * loss.backward();
 * opt.step();
 * ```
 */
export class Adam extends Optimizer<AdamHyperparameters> {
  /** An optimizer of `params` (tensors, or groups `{ params, ...overrides }`). */
  constructor(params: Params<AdamHyperparameters>, options?: AdamOptions);
  /** PyTorch's positional form `Adam(params, lr=0.001, betas=(0.9, 0.999), eps=1e-08, weight_decay=0, amsgrad=False)`. */
  constructor(
    params: Params<AdamHyperparameters>,
    lr: number,
    betas?: [number, number],
    eps?: number,
    weightDecay?: number,
    amsgrad?: boolean,
  );
  constructor(params: Params<AdamHyperparameters>, ...args: unknown[]) {
    const o = optionsFrom<AdamOptions>("Adam", args, ADAM_KEYS, 5);
    super(params, {
      lr: o.lr ?? 1e-3,
      betas: o.betas === undefined ? [0.9, 0.999] : [...o.betas] as [number, number],
      eps: o.eps ?? 1e-8,
      weightDecay: o.weightDecay ?? 0,
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
    return { foreach: null, capturable: false, differentiable: false, fused: TORCH2 ? null : false };
  }

  /**
   * Updates every parameter that has a gradient. With a `closure`, it runs first (gradients enabled)
   * and its loss is returned. Throws if no parameter has a gradient.
   */
  step(closure?: Closure): Tensor | null {
    const loss = this.evaluateClosure(closure);
    const n = this.forEachParamWithGrad((p, g, state, group) => adamUpdate(p, g, state, group, false));
    if (n === 0) throw this.noGradientError();
    return loss;
  }
}
