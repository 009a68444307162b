/**
 * `BatchNorm3d`, torch.nn.BatchNorm3d: batch normalisation of [N, C, D, H, W] input, the same
 * bookkeeping as `BatchNorm1d` and `BatchNorm2d`.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { BatchNormBase } from "./batchnorm.ts";

/**
 * Batch normalisation of [N, C, D, H, W] input (torch.nn.BatchNorm3d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { BatchNorm3d } from "./batchnorm3d.ts";
 * const y = new BatchNorm3d(3).forward(randn([2, 3, 4, 4, 4]));
 * ```
 */
export class BatchNorm3d extends BatchNormBase {
  /** Throws a RangeError unless `input` is 5-D. */
  protected checkInputDim(input: Tensor): void {
    const d = input.ndim;
    if (d !== 5) throw new RangeError(`BatchNorm3d: expected 5D input (got ${d}D input)`);
  }
}
