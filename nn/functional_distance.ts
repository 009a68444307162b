/**
 * Similarities and distances between rows (`F.cosine_similarity`, `F.pairwise_distance`), the ATen
 * operators PyTorch-Python calls.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { cosineSimilarity, pairwiseDistance } from "./functional_distance.ts";
 * const a = randn([4, 5]), b = randn([4, 5]);
 * const c = cosineSimilarity(a, b); // [4]
 * const d = pairwiseDistance(a, b); // [4]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callT, floatArg, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor } from "../tensor/checks.ts";

const OPS = {
  cosineSimilarity: op("aten::cosine_similarity"),
  pairwiseDistance: op("aten::pairwise_distance"),
};

/** Options of {@linkcode cosineSimilarity}. */
export interface CosineSimilarityOptions {
  /** The dimension of the vectors (default 1). */
  dim?: number;
  /** A lower bound of the norms, against division by zero (default 1e-8). */
  eps?: number;
}

/**
 * x₁·x₂ / max(‖x₁‖ ‖x₂‖, eps) along `dim`, broadcasting (`F.cosine_similarity`, `aten::cosine_similarity`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { cosineSimilarity } from "./functional_distance.ts";
 * cosineSimilarity(ones([2, 3]), ones([2, 3])); // [1, 1]
 * ```
 */
export function cosineSimilarity(x1: Tensor, x2: Tensor, options: CosineSimilarityOptions = {}): Tensor {
  checkOptions("cosineSimilarity", options, ["dim", "eps"]);
  const where = "cosineSimilarity";
  checkTensor(where, "x1", x1);
  checkTensor(where, "x2", x2);
  const dim = checkInt(where, "dim", options.dim ?? 1);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-8);
  return callT(OPS.cosineSimilarity, x1, x2, dim, floatArg(eps));
}

/** Options of {@linkcode pairwiseDistance}. */
export interface PairwiseDistanceOptions {
  /** The p of the p-norm (default 2). */
  p?: number;
  /** Added to the differences, against a zero norm (default 1e-6). */
  eps?: number;
  /** Keep the reduced last dimension (default false). */
  keepdim?: boolean;
}

/**
 * ‖x₁ - x₂ + eps‖ₚ over the last dimension (`F.pairwise_distance`, `aten::pairwise_distance`).
 *
 * @example
 * ```ts
 * import { ones, zeros } from "../mod.ts";
 * import { pairwiseDistance } from "./functional_distance.ts";
 * pairwiseDistance(ones([2, 4]), zeros([2, 4]), { eps: 0 }); // [2, 2]
 * ```
 */
export function pairwiseDistance(x1: Tensor, x2: Tensor, options: PairwiseDistanceOptions = {}): Tensor {
  checkOptions("pairwiseDistance", options, ["p", "eps", "keepdim"]);
  const where = "pairwiseDistance";
  checkTensor(where, "x1", x1);
  checkTensor(where, "x2", x2);
  const p = checkNumber(where, "p", options.p ?? 2);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-6);
  const keepdim = checkBoolean(where, "keepdim", options.keepdim ?? false);
  return callT(OPS.pairwiseDistance, x1, x2, floatArg(p), floatArg(eps), keepdim);
}
