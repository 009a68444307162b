/**
 * The embedding and ranking losses `CosineEmbeddingLoss`, `MarginRankingLoss` and `TripletMarginLoss`
 * and their functional forms (`F.cosine_embedding_loss`, `F.margin_ranking_loss`,
 * `F.triplet_margin_loss`), each ATen's operator of the same name with the reduction enum, so values and
 * gradients are PyTorch's to the bit. Their layers take three tensors, so they extend `Module`.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { cosineEmbeddingLoss, TripletMarginLoss } from "./embedding_loss.ts";
 * cosineEmbeddingLoss(randn([2, 4]), randn([2, 4]), tensor([1, -1], { dtype: "float32" }), { margin: 0.1 });
 * new TripletMarginLoss({ margin: 0.5 }).forward(randn([2, 4]), randn([2, 4]), randn([2, 4]));
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callTA, floatArg, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber, checkTensor, sizeText } from "../tensor/checks.ts";
import { type Reduction, reductionEnum } from "./reduction.ts";
import type { ReductionOptions } from "./loss.ts";
import { Module } from "./module.ts";

const OPS = {
  cosineEmbedding: op("aten::cosine_embedding_loss"),
  marginRanking: op("aten::margin_ranking_loss"),
  tripletMargin: op("aten::triplet_margin_loss"),
};

/** Options of {@linkcode cosineEmbeddingLoss} and {@linkcode marginRankingLoss}. */
export interface MarginOptions {
  /** The margin (default 0). */
  margin?: number;
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * The cosine embedding loss: `1 - cos(x1, x2)` where `target` is 1, `max(0, cos(x1, x2) - margin)` where
 * it is -1 (`F.cosine_embedding_loss`, `aten::cosine_embedding_loss`; inputs [N, D] or [D]).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { cosineEmbeddingLoss } from "./embedding_loss.ts";
 * cosineEmbeddingLoss(randn([3, 8]), randn([3, 8]), tensor([1, -1, 1], { dtype: "float32" }));
 * ```
 */
export function cosineEmbeddingLoss(
  input1: Tensor,
  input2: Tensor,
  target: Tensor,
  options: MarginOptions = {},
): Tensor {
  checkOptions("cosineEmbeddingLoss", options, ["margin", "reduction"]);
  const where = "cosineEmbeddingLoss";
  checkTensor(where, "input1", input1);
  checkTensor(where, "input2", input2);
  checkTensor(where, "target", target);
  const margin = checkNumber(where, "margin", options.margin ?? 0);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  return callTA(OPS.cosineEmbedding, [input1, input2, target, floatArg(margin), reduction]);
}

/**
 * The margin ranking loss `max(0, -target (x1 - x2) + margin)` (`F.margin_ranking_loss`,
 * `aten::margin_ranking_loss`); the three tensors must have the same number of dimensions.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { marginRankingLoss } from "./embedding_loss.ts";
 * marginRankingLoss(randn([3]), randn([3]), tensor([1, -1, 1], { dtype: "float32" }), { margin: 0.2 });
 * ```
 */
export function marginRankingLoss(input1: Tensor, input2: Tensor, target: Tensor, options: MarginOptions = {}): Tensor {
  checkOptions("marginRankingLoss", options, ["margin", "reduction"]);
  const where = "marginRankingLoss";
  checkTensor(where, "input1", input1);
  checkTensor(where, "input2", input2);
  checkTensor(where, "target", target);
  const margin = checkNumber(where, "margin", options.margin ?? 0);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  if (input1.ndim !== input2.ndim || input1.ndim !== target.ndim) {
    throw new RangeError(
      `${where}: All input tensors should have same dimension but got sizes: input1: ${sizeText(input1.shape)}, ` +
        `input2: ${sizeText(input2.shape)}, target: ${sizeText(target.shape)}`,
    );
  }
  return callTA(OPS.marginRanking, [input1, input2, target, floatArg(margin), reduction]);
}

/** Options of {@linkcode tripletMarginLoss}. */
export interface TripletMarginOptions {
  /** The margin (default 1). */
  margin?: number;
  /** The norm degree of the pairwise distance (default 2). */
  p?: number;
  /** A small constant added to the differences, for stability (default 1e-6). */
  eps?: number;
  /** Use the distance positive-negative when it is smaller than anchor-negative (default false). */
  swap?: boolean;
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * The triplet margin loss `max(d(a, p) - d(a, n) + margin, 0)` with the p-norm pairwise distance
 * (`F.triplet_margin_loss`, `aten::triplet_margin_loss`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { tripletMarginLoss } from "./embedding_loss.ts";
 * tripletMarginLoss(randn([3, 8]), randn([3, 8]), randn([3, 8]), { p: 1, swap: true });
 * ```
 */
export function tripletMarginLoss(
  anchor: Tensor,
  positive: Tensor,
  negative: Tensor,
  options: TripletMarginOptions = {},
): Tensor {
  checkOptions("tripletMarginLoss", options, ["margin", "p", "eps", "swap", "reduction"]);
  const where = "tripletMarginLoss";
  checkTensor(where, "anchor", anchor);
  checkTensor(where, "positive", positive);
  checkTensor(where, "negative", negative);
  const margin = checkNumber(where, "margin", options.margin ?? 1);
  const p = checkNumber(where, "p", options.p ?? 2, { min: 0 });
  const eps = checkNumber(where, "eps", options.eps ?? 1e-6);
  const swap = checkBoolean(where, "swap", options.swap ?? false);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const dims = [anchor.ndim, positive.ndim, negative.ndim];
  if (!dims.every((d) => d === dims[0])) {
    throw new RangeError(
      `${where}: The anchor, positive, and negative tensors are expected to have the same number of dimensions, ` +
        `but got: anchor ${dims[0]}D, positive ${dims[1]}D, and negative ${dims[2]}D inputs`,
    );
  }
  return callTA(OPS.tripletMargin, [
    anchor,
    positive,
    negative,
    floatArg(margin),
    floatArg(p),
    floatArg(eps),
    swap,
    reduction,
  ]);
}

/** Options of {@linkcode CosineEmbeddingLoss} and {@linkcode MarginRankingLoss}. */
export interface MarginLossOptions extends ReductionOptions {
  /** The margin (default 0). */
  margin?: number;
}

/** The base of the three-tensor losses: a checked `reduction`. */
export abstract class TripleInputLoss extends Module {
  /** How the losses of the elements are combined. */
  readonly reduction: Reduction;

  /** A loss with `reduction` (default "mean"), checked. */
  constructor(reduction: Reduction | undefined) {
    super();
    this.reduction = reduction ?? "mean";
    reductionEnum(this.typeName, this.reduction);
  }
}

/**
 * The cosine embedding loss layer (torch.nn.CosineEmbeddingLoss): `forward(input1, input2, target)`.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { CosineEmbeddingLoss } from "./embedding_loss.ts";
 * new CosineEmbeddingLoss({ margin: 0.2 }).forward(randn([2, 3]), randn([2, 3]), tensor([1, -1], { dtype: "float32" }));
 * ```
 */
export class CosineEmbeddingLoss extends TripleInputLoss {
  /** The margin. */
  readonly margin: number;

  /** A loss with `margin` (default 0) and `reduction`. */
  constructor(options: MarginLossOptions = {}) {
    checkOptions("CosineEmbeddingLoss", options, ["margin", "reduction"]);
    super(options.reduction);
    this.margin = checkNumber("CosineEmbeddingLoss", "margin", options.margin ?? 0);
  }

  /** The loss of the pairs (`input1`, `input2`) labelled 1 (similar) or -1 by `target`. */
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return cosineEmbeddingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/**
 * The margin ranking loss layer (torch.nn.MarginRankingLoss): `forward(input1, input2, target)`.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { MarginRankingLoss } from "./embedding_loss.ts";
 * new MarginRankingLoss({ margin: 0.1 }).forward(randn([2]), randn([2]), tensor([1, -1], { dtype: "float32" }));
 * ```
 */
export class MarginRankingLoss extends TripleInputLoss {
  /** The margin. */
  readonly margin: number;

  /** A loss with `margin` (default 0) and `reduction`. */
  constructor(options: MarginLossOptions = {}) {
    checkOptions("MarginRankingLoss", options, ["margin", "reduction"]);
    super(options.reduction);
    this.margin = checkNumber("MarginRankingLoss", "margin", options.margin ?? 0);
  }

  /** The loss of ranking `input1` above `input2` where `target` is 1 (below where -1). */
  forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return marginRankingLoss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

/** Options of {@linkcode TripletMarginLoss}. */
export interface TripletMarginLossOptions extends ReductionOptions {
  /** The margin (default 1). */
  margin?: number;
  /** The norm degree (default 2). */
  p?: number;
  /** The stability constant (default 1e-6). */
  eps?: number;
  /** Use the distance swap (default false). */
  swap?: boolean;
}

/**
 * The triplet margin loss layer (torch.nn.TripletMarginLoss): `forward(anchor, positive, negative)`.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { TripletMarginLoss } from "./embedding_loss.ts";
 * new TripletMarginLoss({ p: 1 }).forward(randn([2, 3]), randn([2, 3]), randn([2, 3]));
 * ```
 */
export class TripletMarginLoss extends TripleInputLoss {
  /** The margin. */
  readonly margin: number;
  /** The norm degree. */
  readonly p: number;
  /** The stability constant. */
  readonly eps: number;
  /** Whether the distance swap is used. */
  readonly swap: boolean;

  /** A loss with `margin`, `p`, `eps`, `swap` and `reduction`. */
  constructor(options: TripletMarginLossOptions = {}) {
    checkOptions("TripletMarginLoss", options, ["margin", "p", "eps", "swap", "reduction"]);
    super(options.reduction);
    this.margin = checkNumber("TripletMarginLoss", "margin", options.margin ?? 1);
    this.p = checkNumber("TripletMarginLoss", "p", options.p ?? 2, { min: 0 });
    this.eps = checkNumber("TripletMarginLoss", "eps", options.eps ?? 1e-6);
    this.swap = checkBoolean("TripletMarginLoss", "swap", options.swap ?? false);
  }

  /** The loss of the triplets. */
  forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return tripletMarginLoss(anchor, positive, negative, {
      margin: this.margin,
      p: this.p,
      eps: this.eps,
      swap: this.swap,
      reduction: this.reduction,
    });
  }
}
