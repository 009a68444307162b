/**
 * `AdaptiveMaxPool2d`, torch.nn.AdaptiveMaxPool2d: max pooling to a fixed output size.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, describe } from "../tensor/checks.ts";
import { adaptiveMaxPool2d, type AdaptiveSize2 } from "./functional_pooling.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode AdaptiveMaxPool2d}. */
export interface AdaptiveMaxPool2dLayerOptions<R extends boolean = false> {
  /** Also return the indices of the maxima (default false). */
  returnIndices?: R;
}

/**
 * 2-D adaptive max pooling of [N, C, H, W] or [C, H, W] input to `outputSize` (null in it keeps that
 * input size) (torch.nn.AdaptiveMaxPool2d, `aten::adaptive_max_pool2d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AdaptiveMaxPool2d } from "./adaptive_max_pool.ts";
 * const y = new AdaptiveMaxPool2d([3, null]).forward(randn([1, 2, 7, 5])); // [1, 2, 3, 5]
 * ```
 */
export class AdaptiveMaxPool2d<R extends boolean = false> extends Module {
  /** The output size, as given. */
  readonly outputSize: AdaptiveSize2;
  /** Whether the indices are returned too. */
  readonly returnIndices: R;

  /** A pooling layer to `outputSize`. */
  constructor(outputSize: AdaptiveSize2, options?: AdaptiveMaxPool2dLayerOptions<R>);
  /** PyTorch's positional form `AdaptiveMaxPool2d(output_size, return_indices)`. */
  constructor(outputSize: AdaptiveSize2, returnIndices?: AdaptiveMaxPool2dLayerOptions<R>["returnIndices"]);
  constructor(outputSize: AdaptiveSize2, ...args: unknown[]) {
    super();
    const options = positionalOptions<AdaptiveMaxPool2dLayerOptions<R>>(
      "AdaptiveMaxPool2d",
      args,
      ["returnIndices"],
      [],
      "new AdaptiveMaxPool2d(outputSize, { returnIndices: ... })",
    );
    const where = "AdaptiveMaxPool2d";
    if (typeof outputSize === "number") checkInt(where, "outputSize", outputSize, 0);
    else if (
      !Array.isArray(outputSize) || outputSize.length !== 2 ||
      !outputSize.every((v) => v === null || (Number.isInteger(v) && v >= 0))
    ) {
      throw new TypeError(
        `${where}: outputSize must be a non-negative integer or an array of 2 of them (or null), got ${
          describe(outputSize, "size")
        }`,
      );
    }
    this.outputSize = outputSize;
    this.returnIndices = checkBoolean(where, "returnIndices", options.returnIndices ?? false) as R;
  }

  /** The pooled `input` (and the indices with `returnIndices`). */
  forward(input: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    return adaptiveMaxPool2d(input, this.outputSize, { returnIndices: this.returnIndices }) as R extends true
      ? [Tensor, Tensor]
      : Tensor;
  }

  /** `output_size=(3, 2)`. */
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize as number | (number | null)[])}`;
  }
}
