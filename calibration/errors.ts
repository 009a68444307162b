/**
 * The binned calibration errors as tensor formulas over per-bin sums (see `binSums`), batched over any
 * leading dimensions (the bootstrap and the temperature sweep evaluate many at once).
 *
 * With n_b samples in bin b, S_b the sum of their confidences, A_b the sum of their targets, and N samples:
 * - ECE (L1) = sum_b (n_b / N) |S_b / n_b - A_b / n_b| = sum_b |S_b - A_b| / N (Guo et al. 2017; Naeini
 *   et al. 2015).
 * - MCE (max) = max over non-empty bins of |S_b - A_b| / n_b (Naeini et al. 2015).
 * - RMSCE (L2) = sqrt(sum_b (n_b / N) (S_b / n_b - A_b / n_b)^2). Debiased (Kumar et al. 2019, as
 *   torchmetrics' `debias=True`): each bin adds (n_b / N) acc_b (acc_b - 1) / (n_b - 1) (bins with
 *   n_b <= 1 add 0) to the square; a square <= 0 gives 0, as torchmetrics.
 *
 * Empty bins contribute 0 to every error; no division by zero reaches the result.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";

/** The calibration errors of each leading index, as float64 tensors of the leading shape. */
export interface BinnedErrors {
  /** Expected calibration error (L1). */
  ece: Tensor;
  /** Maximum calibration error. */
  mce: Tensor;
  /** RMS calibration error (L2). */
  rmsce: Tensor;
  /** RMS calibration error with Kumar et al.'s debiasing. */
  rmsceDebiased: Tensor;
}

/**
 * The binned errors from sums [..., 3, nBins] (counts, confidence sums, target sums) of `n` samples each.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { binnedErrors } from "./errors.ts";
 * const ece = tidy(() => binnedErrors(tensor([[1, 1], [0.2, 0.8], [0, 1]], { dtype: "float64" }), 2).ece.item());
 * // (|0.2 - 0| + |0.8 - 1|) / 2 = 0.2
 * ```
 */
export function binnedErrors(sums: Tensor, n: number): BinnedErrors {
  const count = sums.select(-2, 0), sc = sums.select(-2, 1), st = sums.select(-2, 2);
  const diff = sc.sub(st);
  const safe = count.clamp({ min: 1 });
  const ece = diff.abs().sum(-1).div(n);
  const mce = diff.abs().div(safe).max(-1).values;
  const sq = diff.square().div(safe).sum(-1).div(n);
  const acc = st.div(safe);
  const debiasTerm = acc.mul(acc.sub(1)).mul(count).div(n).div(count.sub(1).clamp({ min: 1 }));
  const debias = debiasTerm.where(count.gt(1), 0).sum(-1);
  const sqDebiased = sq.add(debias);
  return {
    ece,
    mce,
    rmsce: sq.clamp({ min: 0 }).sqrt(),
    rmsceDebiased: sqDebiased.clamp({ min: 0 }).sqrt(),
  };
}
