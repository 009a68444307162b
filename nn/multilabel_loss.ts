/**
 * `MultiLabelSoftMarginLoss` and `F.multilabel_soft_margin_loss`: the one-versus-all logistic loss of
 * multi-label targets, PyTorch's Python composite operator for operator (log-sigmoids, the optional class
 * weight, the sum over classes divided by their number, then the reduction).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { multilabelSoftMarginLoss } from "./multilabel_loss.ts";
 * multilabelSoftMarginLoss(randn([2, 3]), tensor([[1, 0, 1], [0, 0, 1]], { dtype: "float32" }));
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callT, op } from "../tensor/call.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkOneOf, checkTensor } from "../tensor/checks.ts";
import type { Reduction } from "./reduction.ts";
import { lossOptions, type ReductionOptions, WeightedLoss, type WeightedLossOptions } from "./loss.ts";

const logSigmoid = op("aten::log_sigmoid");

/** Options of {@linkcode multilabelSoftMarginLoss}. */
export interface MultiLabelSoftMarginOptions {
  /** A weight of each class (default none). */
  weight?: Tensor | null;
  /** `"mean"` (default), `"sum"` or `"none"` (one loss per sample). */
  reduction?: Reduction;
}

/**
 * The multi-label one-versus-all loss of logits `input` ([N, C] or [C]) against 0/1 targets of the same
 * shape: `-(y log σ(x) + (1 - y) log σ(-x))`, weighted, averaged over the C classes, then reduced over the
 * samples (`F.multilabel_soft_margin_loss`).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { multilabelSoftMarginLoss } from "./multilabel_loss.ts";
 * const y = tensor([[1, 0, 1]], { dtype: "float32" });
 * multilabelSoftMarginLoss(randn([1, 3]), y, { weight: tensor([1, 2, 1], { dtype: "float32" }) });
 * ```
 */
export function multilabelSoftMarginLoss(
  input: Tensor,
  target: Tensor,
  options: MultiLabelSoftMarginOptions = {},
): Tensor {
  checkOptions("multilabelSoftMarginLoss", options, ["weight", "reduction"]);
  const where = "multilabelSoftMarginLoss";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const reduction = checkOneOf(where, "reduction", options.reduction ?? "mean", ["none", "mean", "sum"]);
  if (input.ndim === 0) throw new RangeError(`${where}: input must have at least one dimension (the classes)`);
  return tidy(() => {
    const pos = target.mul(callT(logSigmoid, input));
    const neg = target.rsub(1).mul(callT(logSigmoid, input.neg()));
    let loss = pos.add(neg).neg();
    if (weight !== null) loss = loss.mul(weight);
    const classDim = input.ndim - 1;
    loss = loss.sum(classDim).div(input.shape[classDim]);
    if (reduction === "mean") return loss.mean();
    if (reduction === "sum") return loss.sum();
    return loss;
  });
}

/**
 * The multi-label soft margin loss layer (torch.nn.MultiLabelSoftMarginLoss); the class `weight` is the
 * buffer `weight`.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { MultiLabelSoftMarginLoss } from "./multilabel_loss.ts";
 * new MultiLabelSoftMarginLoss().forward(randn([2, 3]), tensor([[1, 0, 1], [0, 1, 1]], { dtype: "float32" }));
 * ```
 */
export class MultiLabelSoftMarginLoss extends WeightedLoss {
  /** A loss with an optional class `weight` and a `reduction`. */
  constructor(options?: WeightedLossOptions);
  /** PyTorch's positional form `MultiLabelSoftMarginLoss(weight)`, optionally followed by options by name. */
  constructor(weight: Tensor | null, options?: ReductionOptions);
  constructor(...args: unknown[]) {
    super(lossOptions("MultiLabelSoftMarginLoss", args, ["weight", "reduction"]));
  }

  /** The loss of logits `input` against 0/1 `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return multilabelSoftMarginLoss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}
