/**
 * `AdaptiveAvgPool1d` and `AdaptiveMaxPool1d`, as torch.nn's: pooling [N, C, L] input to a fixed length.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkSingle } from "../tensor/checks.ts";
import { adaptiveAvgPool1d, adaptiveMaxPool1d } from "./functional_pooling.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/**
 * 1-D adaptive average pooling to `outputSize` (torch.nn.AdaptiveAvgPool1d, `aten::adaptive_avg_pool1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AdaptiveAvgPool1d } from "./adaptive_pool_1d.ts";
 * const y = new AdaptiveAvgPool1d(4).forward(randn([2, 3, 10])); // [2, 3, 4]
 * ```
 */
export class AdaptiveAvgPool1d extends Module {
  /** The output length, as given. */
  readonly outputSize: number | [number];

  /** A pooling layer to `outputSize`. */
  constructor(outputSize: number | [number]) {
    super();
    checkSingle("AdaptiveAvgPool1d", "outputSize", outputSize, 0);
    this.outputSize = outputSize;
  }

  /** The pooled `input`. */
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool1d(input, this.outputSize);
  }

  /** `output_size=4`. */
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}

/** Options of {@linkcode AdaptiveMaxPool1d}. */
export interface AdaptiveMaxPool1dLayerOptions<R extends boolean = false> {
  /** Also return the indices of the maxima (default false). */
  returnIndices?: R;
}

/**
 * 1-D adaptive max pooling to `outputSize` (torch.nn.AdaptiveMaxPool1d, `aten::adaptive_max_pool1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AdaptiveMaxPool1d } from "./adaptive_pool_1d.ts";
 * const y = new AdaptiveMaxPool1d(4).forward(randn([2, 3, 10])); // [2, 3, 4]
 * ```
 */
export class AdaptiveMaxPool1d<R extends boolean = false> extends Module {
  /** The output length, as given. */
  readonly outputSize: number | [number];
  /** Whether the indices are returned too. */
  readonly returnIndices: R;

  /** A pooling layer to `outputSize`. */
  constructor(outputSize: number | [number], options?: AdaptiveMaxPool1dLayerOptions<R>);
  /** PyTorch's positional form `AdaptiveMaxPool1d(output_size, return_indices)`. */
  constructor(outputSize: number | [number], returnIndices?: AdaptiveMaxPool1dLayerOptions<R>["returnIndices"]);
  constructor(outputSize: number | [number], ...args: unknown[]) {
    super();
    const options = positionalOptions<AdaptiveMaxPool1dLayerOptions<R>>(
      "AdaptiveMaxPool1d",
      args,
      ["returnIndices"],
      [],
      "new AdaptiveMaxPool1d(outputSize, { returnIndices: ... })",
    );
    checkSingle("AdaptiveMaxPool1d", "outputSize", outputSize, 0);
    this.outputSize = outputSize;
    this.returnIndices = checkBoolean("AdaptiveMaxPool1d", "returnIndices", options.returnIndices ?? false) as R;
  }

  /** The pooled `input` (and the indices with `returnIndices`). */
  forward(input: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    return adaptiveMaxPool1d(input, this.outputSize, { returnIndices: this.returnIndices }) as R extends true
      ? [Tensor, Tensor]
      : Tensor;
  }

  /** `output_size=4`. */
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}`;
  }
}
