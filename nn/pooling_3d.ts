/**
 * `MaxPool3d`, `AvgPool3d` and `AdaptiveAvgPool3d`, as torch.nn's, with PyTorch's printouts.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkTriple } from "../tensor/checks.ts";
import { adaptiveAvgPool3d, type AdaptiveSize3, avgPool3d, maxPool3d, type Size3 } from "./functional_3d.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode MaxPool3d}. */
export interface MaxPool3dLayerOptions<R extends boolean = false> {
  /** The step of the window (default: the kernel size). */
  stride?: Size3 | null;
  /** Implicit negative-infinity padding (default 0). */
  padding?: Size3;
  /** The spacing between window elements (default 1). */
  dilation?: Size3;
  /** Also return the indices of the maxima (default false). */
  returnIndices?: R;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/**
 * 3-D max pooling (torch.nn.MaxPool3d, `aten::max_pool3d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { MaxPool3d } from "./pooling_3d.ts";
 * const y = new MaxPool3d(2).forward(randn([1, 2, 4, 4, 4])); // [1, 2, 2, 2, 2]
 * ```
 */
export class MaxPool3d<R extends boolean = false> extends Module {
  /** The window, as given. */
  readonly kernelSize: Size3;
  /** The step, as given (the kernel size by default). */
  readonly stride: Size3;
  /** The padding, as given. */
  readonly padding: Size3;
  /** The dilation, as given. */
  readonly dilation: Size3;
  /** Whether the indices are returned too. */
  readonly returnIndices: R;
  /** Whether the output size is rounded up. */
  readonly ceilMode: boolean;

  /** A pooling layer with a `kernelSize` window. */
  constructor(kernelSize: Size3, options?: MaxPool3dLayerOptions<R>);
  /** PyTorch's positional form `MaxPool3d(kernel_size, stride, padding, dilation, return_indices, ceil_mode)`. */
  constructor(
    kernelSize: Size3,
    stride?: MaxPool3dLayerOptions<R>["stride"],
    padding?: MaxPool3dLayerOptions<R>["padding"],
    dilation?: MaxPool3dLayerOptions<R>["dilation"],
    returnIndices?: MaxPool3dLayerOptions<R>["returnIndices"],
    ceilMode?: MaxPool3dLayerOptions<R>["ceilMode"],
  );
  constructor(kernelSize: Size3, ...args: unknown[]) {
    super();
    const options = positionalOptions<MaxPool3dLayerOptions<R>>(
      "MaxPool3d",
      args,
      ["stride", "padding", "dilation", "returnIndices", "ceilMode"],
      [],
      "new MaxPool3d(kernelSize, { stride: ... })",
    );
    const where = "MaxPool3d";
    checkTriple(where, "kernelSize", kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    checkTriple(where, "stride", this.stride, 1);
    this.padding = options.padding ?? 0;
    checkTriple(where, "padding", this.padding, 0);
    this.dilation = options.dilation ?? 1;
    checkTriple(where, "dilation", this.dilation, 1);
    this.returnIndices = checkBoolean(where, "returnIndices", options.returnIndices ?? false) as R;
    this.ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
  }

  /** The pooled `input` (and the indices with `returnIndices`). */
  forward(input: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    return maxPool3d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      dilation: this.dilation,
      ceilMode: this.ceilMode,
      returnIndices: this.returnIndices,
    }) as R extends true ? [Tensor, Tensor] : Tensor;
  }

  /** `kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False`. */
  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${
      pyStr(this.padding)
    }, dilation=${pyStr(this.dilation)}, ceil_mode=${pyStr(this.ceilMode)}`;
  }
}

/** Options of {@linkcode AvgPool3d}. */
export interface AvgPool3dLayerOptions {
  /** The step of the window (default: the kernel size). */
  stride?: Size3 | null;
  /** Implicit zero padding (default 0). */
  padding?: Size3;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (default none). */
  divisorOverride?: number | null;
}

/**
 * 3-D average pooling (torch.nn.AvgPool3d, `aten::avg_pool3d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AvgPool3d } from "./pooling_3d.ts";
 * const y = new AvgPool3d(2).forward(randn([1, 2, 4, 4, 4])); // [1, 2, 2, 2, 2]
 * ```
 */
export class AvgPool3d extends Module {
  /** The window, as given. */
  readonly kernelSize: Size3;
  /** The step, as given (the kernel size by default). */
  readonly stride: Size3;
  /** The padding, as given. */
  readonly padding: Size3;
  /** Whether the output size is rounded up. */
  readonly ceilMode: boolean;
  /** Whether padding zeros count in the average. */
  readonly countIncludePad: boolean;
  /** The divisor instead of the window size, or null. */
  readonly divisorOverride: number | null;

  /** A pooling layer with a `kernelSize` window. */
  constructor(kernelSize: Size3, options?: AvgPool3dLayerOptions);
  /** PyTorch's positional form `AvgPool3d(kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override)`. */
  constructor(
    kernelSize: Size3,
    stride?: AvgPool3dLayerOptions["stride"],
    padding?: AvgPool3dLayerOptions["padding"],
    ceilMode?: AvgPool3dLayerOptions["ceilMode"],
    countIncludePad?: AvgPool3dLayerOptions["countIncludePad"],
    divisorOverride?: AvgPool3dLayerOptions["divisorOverride"],
  );
  constructor(kernelSize: Size3, ...args: unknown[]) {
    super();
    const options = positionalOptions<AvgPool3dLayerOptions>(
      "AvgPool3d",
      args,
      ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"],
      [],
      "new AvgPool3d(kernelSize, { stride: ... })",
    );
    const where = "AvgPool3d";
    checkTriple(where, "kernelSize", kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    checkTriple(where, "stride", this.stride, 1);
    this.padding = options.padding ?? 0;
    checkTriple(where, "padding", this.padding, 0);
    this.ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
    this.countIncludePad = checkBoolean(where, "countIncludePad", options.countIncludePad ?? true);
    this.divisorOverride = options.divisorOverride === undefined || options.divisorOverride === null
      ? null
      : checkInt(where, "divisorOverride", options.divisorOverride, 1);
  }

  /** The pooled `input`. */
  forward(input: Tensor): Tensor {
    return avgPool3d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
      divisorOverride: this.divisorOverride,
    });
  }

  /** `kernel_size=2, stride=2, padding=0`. */
  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}

/**
 * 3-D adaptive average pooling to `outputSize` (null keeps that input size) (torch.nn.AdaptiveAvgPool3d,
 * `aten::adaptive_avg_pool3d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AdaptiveAvgPool3d } from "./pooling_3d.ts";
 * const y = new AdaptiveAvgPool3d(1).forward(randn([2, 3, 4, 4, 4])); // [2, 3, 1, 1, 1]
 * ```
 */
export class AdaptiveAvgPool3d extends Module {
  /** The output size, as given. */
  readonly outputSize: AdaptiveSize3;

  /** A pooling layer to `outputSize`. */
  constructor(outputSize: AdaptiveSize3) {
    super();
    if (typeof outputSize === "number") checkInt("AdaptiveAvgPool3d", "outputSize", outputSize, 0);
    this.outputSize = outputSize;
  }

  /** The pooled `input`. */
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool3d(input, this.outputSize);
  }

  /** `output_size=1`. */
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize as number | (number | null)[])}`;
  }
}
