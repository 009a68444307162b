/**
 * The pooling layers `MaxPool2d`, `AvgPool2d` and `AdaptiveAvgPool2d`, as torch.nn's (sizes are kept as
 * given, a number or a pair, and printed so).
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBoolean, checkInt, checkPair, describe } from "../tensor/checks.ts";
import { adaptiveAvgPool2d, type AdaptiveSize, avgPool2d, maxPool2d } from "./functional.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** A size of a 2-D window: one number for both dimensions, or [height, width]. */
export type Size2 = number | [number, number];

/** Options of {@linkcode MaxPool2d}. */
export interface MaxPool2dLayerOptions<R extends boolean = false> {
  /** The step of the window (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit negative-infinity padding on both sides (default 0). */
  padding?: Size2;
  /** The spacing between window elements (default 1). */
  dilation?: Size2;
  /** Also return the indices of the maxima (default false). */
  returnIndices?: R;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

const MAXPOOL_POSITIONAL = ["stride", "padding", "dilation", "returnIndices", "ceilMode"];
const MAXPOOL_FORM = "new MaxPool2d(3, { stride: 1, padding: 0, dilation: 1, returnIndices: false, ceilMode: false })";

/**
 * 2-D max pooling (torch.nn.MaxPool2d, `aten::max_pool2d`). With `returnIndices: true`, `forward`
 * returns [output, indices] (`aten::max_pool2d_with_indices`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { MaxPool2d } from "./pooling.ts";
 * const pool = new MaxPool2d(2);
 * pool.forward(randn([1, 6, 28, 28])).shape; // [1, 6, 14, 14]
 * String(pool); // MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)
 * ```
 */
export class MaxPool2d<R extends boolean = false> extends Module {
  /** The window size, as given. */
  readonly kernelSize: Size2;
  /** The step, as given (default: the kernel size). */
  readonly stride: Size2;
  /** The padding, as given. */
  readonly padding: Size2;
  /** The dilation, as given. */
  readonly dilation: Size2;
  /** Whether `forward` also returns the indices. */
  readonly returnIndices: R;
  /** Whether the output size is rounded up. */
  readonly ceilMode: boolean;

  /** A max pooling layer with a `kernelSize` window, options by name. */
  constructor(kernelSize: Size2, options?: MaxPool2dLayerOptions<R>);
  /**
   * PyTorch's positional form `MaxPool2d(kernel_size, stride=None, padding=0, dilation=1, return_indices=False,
   * ceil_mode=False)`.
   */
  constructor(
    kernelSize: Size2,
    stride: Size2 | null,
    padding?: Size2,
    dilation?: Size2,
    returnIndices?: R,
    ceilMode?: boolean,
  );
  constructor(kernelSize: Size2, ...args: unknown[]) {
    super();
    const where = "MaxPool2d";
    const options = positionalOptions<MaxPool2dLayerOptions<R>>(where, args, MAXPOOL_POSITIONAL, [], MAXPOOL_FORM);
    checkPair(where, "kernelSize", kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    checkPair(where, "stride", this.stride, 1);
    this.padding = options.padding ?? 0;
    checkPair(where, "padding", this.padding, 0);
    this.dilation = options.dilation ?? 1;
    checkPair(where, "dilation", this.dilation, 1);
    this.returnIndices = checkBoolean(where, "returnIndices", options.returnIndices ?? false) as R;
    this.ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
  }

  /** The pooled `input` ([N, C, H, W] or [C, H, W]), with the indices when `returnIndices`. */
  forward(input: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    return maxPool2d(input, this.kernelSize, {
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

/** Options of {@linkcode AvgPool2d}. */
export interface AvgPool2dLayerOptions {
  /** The step of the window (default: the kernel size). */
  stride?: Size2 | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: Size2;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (default none). */
  divisorOverride?: number | null;
}

const AVGPOOL_POSITIONAL = ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"];
const AVGPOOL_FORM =
  "new AvgPool2d(3, { stride: 2, padding: 1, ceilMode: false, countIncludePad: true, divisorOverride: null })";

/**
 * 2-D average pooling (torch.nn.AvgPool2d, `aten::avg_pool2d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AvgPool2d } from "./pooling.ts";
 * const pool = new AvgPool2d(3, { stride: 2, padding: 1, countIncludePad: false });
 * pool.forward(randn([1, 6, 28, 28])).shape; // [1, 6, 14, 14]
 * ```
 */
export class AvgPool2d extends Module {
  /** The window size, as given. */
  readonly kernelSize: Size2;
  /** The step, as given (default: the kernel size). */
  readonly stride: Size2;
  /** The padding, as given. */
  readonly padding: Size2;
  /** Whether the output size is rounded up. */
  readonly ceilMode: boolean;
  /** Whether padding zeros count in the average. */
  readonly countIncludePad: boolean;
  /** The divisor used instead of the window size, or null. */
  readonly divisorOverride: number | null;

  /** An average pooling layer with a `kernelSize` window, options by name. */
  constructor(kernelSize: Size2, options?: AvgPool2dLayerOptions);
  /**
   * PyTorch's positional form `AvgPool2d(kernel_size, stride=None, padding=0, ceil_mode=False,
   * count_include_pad=True, divisor_override=None)`.
   */
  constructor(
    kernelSize: Size2,
    stride: Size2 | null,
    padding?: Size2,
    ceilMode?: boolean,
    countIncludePad?: boolean,
    divisorOverride?: number | null,
  );
  constructor(kernelSize: Size2, ...args: unknown[]) {
    super();
    const where = "AvgPool2d";
    const options = positionalOptions<AvgPool2dLayerOptions>(where, args, AVGPOOL_POSITIONAL, [], AVGPOOL_FORM);
    checkPair(where, "kernelSize", kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    checkPair(where, "stride", this.stride, 1);
    this.padding = options.padding ?? 0;
    checkPair(where, "padding", this.padding, 0);
    this.ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
    this.countIncludePad = checkBoolean(where, "countIncludePad", options.countIncludePad ?? true);
    const d = options.divisorOverride ?? null;
    this.divisorOverride = d === null ? null : checkInt(where, "divisorOverride", d, 1);
  }

  /** The pooled `input` ([N, C, H, W] or [C, H, W]). */
  forward(input: Tensor): Tensor {
    return avgPool2d(input, this.kernelSize, {
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
 * 2-D adaptive average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d,
 * `aten::adaptive_avg_pool2d`); null in the size keeps that input dimension.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AdaptiveAvgPool2d } from "./pooling.ts";
 * new AdaptiveAvgPool2d([5, 7]).forward(randn([1, 64, 8, 9])).shape; // [1, 64, 5, 7]
 * new AdaptiveAvgPool2d(1).forward(randn([1, 64, 8, 9])).shape;      // [1, 64, 1, 1]
 * ```
 */
export class AdaptiveAvgPool2d extends Module {
  /** The output size, as given. */
  readonly outputSize: AdaptiveSize;

  /** A layer pooling to `outputSize`: a number, or [height, width] with null keeping the input's. */
  constructor(outputSize: AdaptiveSize) {
    super();
    const ok = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
    if (
      !(ok(outputSize) ||
        (Array.isArray(outputSize) && outputSize.length === 2 && outputSize.every((v) => v === null || ok(v))))
    ) {
      throw new TypeError(
        `AdaptiveAvgPool2d: outputSize must be a non-negative integer or a pair of them (or null), got ${
          describe(outputSize, "size")
        }`,
      );
    }
    this.outputSize = Array.isArray(outputSize) ? [...outputSize] : outputSize;
  }

  /** The pooled `input` ([N, C, H, W] or [C, H, W]). */
  forward(input: Tensor): Tensor {
    return adaptiveAvgPool2d(input, this.outputSize);
  }

  /** `output_size=(5, 7)`. */
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize as number | (number | null)[])}`;
  }
}
