/**
 * `PairwiseDistance` and `CosineSimilarity`, as torch.nn's (no printed options, as there).
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber } from "../tensor/checks.ts";
import { cosineSimilarity, pairwiseDistance } from "./functional_distance.ts";
import { Module } from "./module.ts";

/** Options of {@linkcode PairwiseDistance}. */
export interface PairwiseDistanceLayerOptions {
  /** The p of the p-norm (default 2). */
  p?: number;
  /** Added to the differences (default 1e-6). */
  eps?: number;
  /** Keep the reduced dimension (default false). */
  keepdim?: boolean;
}

/**
 * ‖x₁ - x₂ + eps‖ₚ over the last dimension (torch.nn.PairwiseDistance, `aten::pairwise_distance`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { PairwiseDistance } from "./distance.ts";
 * const d = new PairwiseDistance().forward(randn([4, 5]), randn([4, 5])); // [4]
 * ```
 */
export class PairwiseDistance extends Module {
  /** The p of the norm (PyTorch's `norm`). */
  readonly norm: number;
  /** Added to the differences. */
  readonly eps: number;
  /** Whether the reduced dimension is kept. */
  readonly keepdim: boolean;

  /** A distance layer. */
  constructor(options?: PairwiseDistanceLayerOptions);
  /** PyTorch's positional form `PairwiseDistance(p, eps, keepdim)`. */
  constructor(
    p?: PairwiseDistanceLayerOptions["p"],
    eps?: PairwiseDistanceLayerOptions["eps"],
    keepdim?: PairwiseDistanceLayerOptions["keepdim"],
  );
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<PairwiseDistanceLayerOptions>(
      "PairwiseDistance",
      args,
      ["p", "eps", "keepdim"],
      [],
      "new PairwiseDistance({ p: ... })",
    );
    this.norm = checkNumber("PairwiseDistance", "p", options.p ?? 2);
    this.eps = checkNumber("PairwiseDistance", "eps", options.eps ?? 1e-6);
    this.keepdim = checkBoolean("PairwiseDistance", "keepdim", options.keepdim ?? false);
  }

  /** The distances between the rows of `x1` and `x2`. */
  forward(x1: Tensor, x2: Tensor): Tensor {
    return pairwiseDistance(x1, x2, { p: this.norm, eps: this.eps, keepdim: this.keepdim });
  }
}

/** Options of {@linkcode CosineSimilarity}. */
export interface CosineSimilarityLayerOptions {
  /** The dimension of the vectors (default 1). */
  dim?: number;
  /** A lower bound of the norms (default 1e-8). */
  eps?: number;
}

/**
 * x₁·x₂ / max(‖x₁‖ ‖x₂‖, eps) along `dim` (torch.nn.CosineSimilarity, `aten::cosine_similarity`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { CosineSimilarity } from "./distance.ts";
 * const c = new CosineSimilarity().forward(randn([4, 5]), randn([4, 5])); // [4]
 * ```
 */
export class CosineSimilarity extends Module {
  /** The dimension of the vectors. */
  readonly dim: number;
  /** The lower bound of the norms. */
  readonly eps: number;

  /** A similarity layer. */
  constructor(options?: CosineSimilarityLayerOptions);
  /** PyTorch's positional form `CosineSimilarity(dim, eps)`. */
  constructor(dim?: CosineSimilarityLayerOptions["dim"], eps?: CosineSimilarityLayerOptions["eps"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<CosineSimilarityLayerOptions>(
      "CosineSimilarity",
      args,
      ["dim", "eps"],
      [],
      "new CosineSimilarity({ dim: ... })",
    );
    this.dim = checkInt("CosineSimilarity", "dim", options.dim ?? 1);
    this.eps = checkNumber("CosineSimilarity", "eps", options.eps ?? 1e-8);
  }

  /** The cosine similarities of `x1` and `x2`. */
  forward(x1: Tensor, x2: Tensor): Tensor {
    return cosineSimilarity(x1, x2, { dim: this.dim, eps: this.eps });
  }
}
