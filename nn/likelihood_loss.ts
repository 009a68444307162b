/**
 * The likelihood-based losses `KLDivLoss`, `PoissonNLLLoss` and `GaussianNLLLoss` and their functional
 * forms (`F.kl_div`, `F.poisson_nll_loss`, `F.gaussian_nll_loss`). The first two call ATen's `aten::kl_div`
 * and `aten::poisson_nll_loss`; the Gaussian one is PyTorch's Python composite, operator for operator.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { gaussianNllLoss, klDiv } from "./likelihood_loss.ts";
 * const logp = randn([2, 3]).logSoftmax(1), q = randn([2, 3]).softmax(1);
 * klDiv(logp, q, { reduction: "batchmean" });
 * gaussianNllLoss(randn([2, 3]), randn([2, 3]), tensor([0.5, 2], { dtype: "float32" }));
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callT, callTA, floatArg, op } from "../tensor/call.ts";
import { noGrad } from "../tensor/autograd.ts";
import { tidy } from "../tensor/memory.ts";
import { cmath } from "../tensor/runtime.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber, checkOneOf, checkTensor } from "../tensor/checks.ts";
import { type Reduction, reductionEnum } from "./reduction.ts";
import { Loss, type ReductionOptions } from "./loss.ts";
import { Module } from "./module.ts";

const OPS = {
  klDiv: op("aten::kl_div"),
  poissonNll: op("aten::poisson_nll_loss"),
};

/** The reductions of {@linkcode klDiv}: the three of the losses and `"batchmean"` (the sum over the batch size). */
export type KLDivReduction = Reduction | "batchmean";

/** Options of {@linkcode klDiv}. */
export interface KLDivOptions {
  /** `"mean"` (default; the mean over every element), `"batchmean"` (the KL divergence), `"sum"` or `"none"`. */
  reduction?: KLDivReduction;
  /** Whether `target` holds log-probabilities (default false: probabilities). */
  logTarget?: boolean;
}

let warnedMean = false;

/**
 * The Kullback-Leibler divergence of `target` from log-probabilities `input` (`F.kl_div`,
 * `aten::kl_div`; "batchmean" sums, then divides by the batch size as PyTorch does). A "mean" reduction
 * warns once, as PyTorch does, that it divides by the number of elements.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { klDiv } from "./likelihood_loss.ts";
 * klDiv(randn([4, 5]).logSoftmax(1), randn([4, 5]).logSoftmax(1), { reduction: "batchmean", logTarget: true });
 * ```
 */
export function klDiv(input: Tensor, target: Tensor, options: KLDivOptions = {}): Tensor {
  checkOptions("klDiv", options, ["reduction", "logTarget"]);
  const where = "klDiv";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const reduction = checkOneOf(where, "reduction", options.reduction ?? "mean", ["none", "mean", "sum", "batchmean"]);
  const logTarget = checkBoolean(where, "logTarget", options.logTarget ?? false);
  if (reduction === "mean" && !warnedMean) {
    warnedMean = true;
    console.warn(
      "klDiv: reduction: 'mean' divides the total loss by both the batch size and the support size." +
        "'batchmean' divides only by the batch size, and aligns with the KL div math definition." +
        "'mean' will be changed to behave the same as 'batchmean' in the next major release.",
    );
  }
  if (reduction !== "batchmean") return callT(OPS.klDiv, input, target, reductionEnum(where, reduction), logTarget);
  const summed = callT(OPS.klDiv, input, target, 2, logTarget);
  if (input.ndim === 0) return summed;
  try {
    return summed.div(input.shape[0]);
  } finally {
    summed.dispose();
  }
}

/** Options of {@linkcode poissonNllLoss}. */
export interface PoissonNLLOptions {
  /** Whether `input` is the log of the rate (default true): the loss is `exp(input) - target * input`. */
  logInput?: boolean;
  /** Add Stirling's approximation of `log(target!)` (default false). */
  full?: boolean;
  /** Added to the rate before the log when `logInput` is false (default 1e-8). */
  eps?: number;
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * The negative log likelihood of a Poisson target (`F.poisson_nll_loss`, `aten::poisson_nll_loss`).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { poissonNllLoss } from "./likelihood_loss.ts";
 * poissonNllLoss(randn([3]), tensor([0, 2, 5], { dtype: "float32" }), { full: true });
 * ```
 */
export function poissonNllLoss(input: Tensor, target: Tensor, options: PoissonNLLOptions = {}): Tensor {
  checkOptions("poissonNllLoss", options, ["logInput", "full", "eps", "reduction"]);
  const where = "poissonNllLoss";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const logInput = checkBoolean(where, "logInput", options.logInput ?? true);
  const full = checkBoolean(where, "full", options.full ?? false);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-8);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  return callTA(OPS.poissonNll, [input, target, logInput, full, floatArg(eps), reduction]);
}

/** Options of {@linkcode gaussianNllLoss}. */
export interface GaussianNLLOptions {
  /** Add the constant `0.5 log(2π)` (default false). */
  full?: boolean;
  /** The variance is clamped to at least this, for stability (default 1e-6). */
  eps?: number;
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The negative log likelihood of `target` under a Gaussian of mean `input` and variance `variance`
 * (`F.gaussian_nll_loss`): `0.5 (log(var) + (input - target)² / var)`, the variance clamped to `eps`
 * (without gradient through the clamp). `variance` has the input's shape, or lacks (or has 1 as) its
 * last dimension (one variance per row, broadcast). A negative variance is an error, as in PyTorch.
 *
 * @example
 * ```ts
 * import { randn, rand } from "../mod.ts";
 * import { gaussianNllLoss } from "./likelihood_loss.ts";
 * gaussianNllLoss(randn([4, 2]), randn([4, 2]), rand([4, 1]), { full: true, reduction: "sum" });
 * ```
 */
export function gaussianNllLoss(
  input: Tensor,
  target: Tensor,
  variance: Tensor,
  options: GaussianNLLOptions = {},
): Tensor {
  checkOptions("gaussianNllLoss", options, ["full", "eps", "reduction"]);
  const where = "gaussianNllLoss";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  checkTensor(where, "variance", variance);
  const full = checkBoolean(where, "full", options.full ?? false);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-6);
  const reduction = checkOneOf(where, "reduction", options.reduction ?? "mean", ["none", "mean", "sum"]);
  const is = input.shape, vs = variance.shape;
  return tidy(() => {
    let v = variance;
    if (!sameShape(vs, is)) {
      if (sameShape(is.slice(0, -1), vs)) v = variance.unsqueeze(-1);
      else if (!(sameShape(is.slice(0, -1), vs.slice(0, -1)) && vs[vs.length - 1] === 1)) {
        throw new RangeError(
          `${where}: var is of incorrect size: [${vs.join(", ")}] for an input of size [${is.join(", ")}]` +
            " (it must have the input's size, or lack its last dimension, or have 1 there)",
        );
      }
    }
    if (Number(v.lt(0).any().item()) !== 0) throw new RangeError(`${where}: var has negative entry/entries`);
    const clamped = v.clone();
    noGrad(() => clamped.clamp_(eps));
    v = clamped;
    const loss = v.log().add(input.sub(target).pow(2).div(v)).mul(0.5);
    if (full) loss.add_(0.5 * cmath.log(2 * Math.PI));
    if (reduction === "mean") return loss.mean();
    if (reduction === "sum") return loss.sum();
    return loss;
  });
}

/** Options of {@linkcode KLDivLoss}. */
export interface KLDivLossOptions {
  /** `"mean"` (default), `"batchmean"`, `"sum"` or `"none"`. */
  reduction?: KLDivReduction;
  /** Whether the target holds log-probabilities (default false). */
  logTarget?: boolean;
}

/**
 * The Kullback-Leibler divergence layer (torch.nn.KLDivLoss): `forward(input, target)` with log-probabilities
 * `input`.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { KLDivLoss } from "./likelihood_loss.ts";
 * new KLDivLoss({ reduction: "batchmean" }).forward(randn([4, 5]).logSoftmax(1), randn([4, 5]).softmax(1));
 * ```
 */
export class KLDivLoss extends Module {
  /** How the losses of the elements are combined. */
  readonly reduction: KLDivReduction;
  /** Whether the target holds log-probabilities. */
  readonly logTarget: boolean;

  /** A loss with `reduction` (default "mean") and `logTarget` (default false). */
  constructor(options: KLDivLossOptions = {}) {
    super();
    checkOptions("KLDivLoss", options, ["reduction", "logTarget"]);
    this.reduction = checkOneOf("KLDivLoss", "reduction", options.reduction ?? "mean", [
      "none",
      "mean",
      "sum",
      "batchmean",
    ]);
    this.logTarget = checkBoolean("KLDivLoss", "logTarget", options.logTarget ?? false);
  }

  /** The divergence of `target` from log-probabilities `input`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, { reduction: this.reduction, logTarget: this.logTarget });
  }
}

/** Options of {@linkcode PoissonNLLLoss}. */
export interface PoissonNLLLossOptions extends ReductionOptions {
  /** Whether the input is the log of the rate (default true). */
  logInput?: boolean;
  /** Add Stirling's approximation term (default false). */
  full?: boolean;
  /** Added to the rate before the log when `logInput` is false (default 1e-8). */
  eps?: number;
}

/**
 * The Poisson negative log likelihood layer (torch.nn.PoissonNLLLoss).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { PoissonNLLLoss } from "./likelihood_loss.ts";
 * new PoissonNLLLoss().forward(randn([3]), tensor([1, 0, 4], { dtype: "float32" }));
 * ```
 */
export class PoissonNLLLoss extends Loss {
  /** Whether the input is the log of the rate. */
  readonly logInput: boolean;
  /** Whether Stirling's term is added. */
  readonly full: boolean;
  /** The eps added to the rate. */
  readonly eps: number;

  /** A loss with `logInput`, `full`, `eps` and `reduction`. */
  constructor(options: PoissonNLLLossOptions = {}) {
    checkOptions("PoissonNLLLoss", options, ["logInput", "full", "eps", "reduction"]);
    super({ reduction: options.reduction });
    this.logInput = checkBoolean("PoissonNLLLoss", "logInput", options.logInput ?? true);
    this.full = checkBoolean("PoissonNLLLoss", "full", options.full ?? false);
    this.eps = checkNumber("PoissonNLLLoss", "eps", options.eps ?? 1e-8);
  }

  /** The loss of the (log) rate `input` against counts `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return poissonNllLoss(input, target, {
      logInput: this.logInput,
      full: this.full,
      eps: this.eps,
      reduction: this.reduction,
    });
  }
}

/** Options of {@linkcode GaussianNLLLoss}. */
export interface GaussianNLLLossOptions extends ReductionOptions {
  /** Add the constant term (default false). */
  full?: boolean;
  /** The lower clamp of the variance (default 1e-6). */
  eps?: number;
}

/**
 * The Gaussian negative log likelihood layer (torch.nn.GaussianNLLLoss): `forward(input, target, variance)`.
 *
 * @example
 * ```ts
 * import { rand, randn } from "../mod.ts";
 * import { GaussianNLLLoss } from "./likelihood_loss.ts";
 * new GaussianNLLLoss({ full: true }).forward(randn([4, 2]), randn([4, 2]), rand([4, 2]));
 * ```
 */
export class GaussianNLLLoss extends Module {
  /** How the losses of the elements are combined. */
  readonly reduction: Reduction;
  /** Whether the constant term is added. */
  readonly full: boolean;
  /** The lower clamp of the variance. */
  readonly eps: number;

  /** A loss with `full`, `eps` and `reduction`. */
  constructor(options: GaussianNLLLossOptions = {}) {
    super();
    checkOptions("GaussianNLLLoss", options, ["full", "eps", "reduction"]);
    this.reduction = checkOneOf("GaussianNLLLoss", "reduction", options.reduction ?? "mean", ["none", "mean", "sum"]);
    this.full = checkBoolean("GaussianNLLLoss", "full", options.full ?? false);
    this.eps = checkNumber("GaussianNLLLoss", "eps", options.eps ?? 1e-6);
  }

  /** The loss of mean `input` and variance `variance` against `target`. */
  forward(input: Tensor, target: Tensor, variance: Tensor): Tensor {
    return gaussianNllLoss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction });
  }
}
