/**
 * `MaxPool1d` and `AvgPool1d`, as torch.nn's, with PyTorch's printouts.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkSingle } from "../tensor/checks.ts";
import { avgPool1d, maxPool1d } from "./functional_pooling.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode MaxPool1d}. */
export interface MaxPool1dLayerOptions<R extends boolean = false> {
  /** The step of the window (default: the kernel size). */
  stride?: number | [number] | null;
  /** Implicit negative-infinity padding on both sides (default 0). */
  padding?: number | [number];
  /** The spacing between window elements (default 1). */
  dilation?: number | [number];
  /** Also return the indices of the maxima (default false). */
  returnIndices?: R;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

/**
 * 1-D max pooling of [N, C, L] or [C, L] input (torch.nn.MaxPool1d, `aten::max_pool1d`); with
 * `returnIndices` the forward returns [output, indices].
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { MaxPool1d } from "./pooling_1d.ts";
 * const y = new MaxPool1d(2).forward(randn([2, 3, 8])); // [2, 3, 4]
 * ```
 */
export class MaxPool1d<R extends boolean = false> extends Module {
  /** The window, as given. */
  readonly kernelSize: number | [number];
  /** The step, as given (the kernel size by default). */
  readonly stride: number | [number];
  /** The padding, as given. */
  readonly padding: number | [number];
  /** The dilation, as given. */
  readonly dilation: number | [number];
  /** Whether the indices are returned too. */
  readonly returnIndices: R;
  /** Whether the output size is rounded up. */
  readonly ceilMode: boolean;

  /** A pooling layer with a `kernelSize` window. */
  constructor(kernelSize: number | [number], options?: MaxPool1dLayerOptions<R>);
  /** PyTorch's positional form `MaxPool1d(kernel_size, stride, padding, dilation, return_indices, ceil_mode)`. */
  constructor(
    kernelSize: number | [number],
    stride?: MaxPool1dLayerOptions<R>["stride"],
    padding?: MaxPool1dLayerOptions<R>["padding"],
    dilation?: MaxPool1dLayerOptions<R>["dilation"],
    returnIndices?: MaxPool1dLayerOptions<R>["returnIndices"],
    ceilMode?: MaxPool1dLayerOptions<R>["ceilMode"],
  );
  constructor(kernelSize: number | [number], ...args: unknown[]) {
    super();
    const options = positionalOptions<MaxPool1dLayerOptions<R>>(
      "MaxPool1d",
      args,
      ["stride", "padding", "dilation", "returnIndices", "ceilMode"],
      [],
      "new MaxPool1d(kernelSize, { stride: ... })",
    );
    const where = "MaxPool1d";
    checkSingle(where, "kernelSize", kernelSize, 1);
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? kernelSize;
    checkSingle(where, "stride", this.stride, 1);
    this.padding = options.padding ?? 0;
    checkSingle(where, "padding", this.padding, 0);
    this.dilation = options.dilation ?? 1;
    checkSingle(where, "dilation", this.dilation, 1);
    this.returnIndices = checkBoolean(where, "returnIndices", options.returnIndices ?? false) as R;
    this.ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
  }

  /** The pooled `input` (and the indices with `returnIndices`). */
  forward(input: Tensor): R extends true ? [Tensor, Tensor] : Tensor {
    return maxPool1d(input, this.kernelSize, {
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

/** Options of {@linkcode AvgPool1d}. */
export interface AvgPool1dLayerOptions {
  /** The step of the window (default: the kernel size). */
  stride?: number | [number] | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: number | [number];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true). */
  countIncludePad?: boolean;
}

/**
 * 1-D average pooling of [N, C, L] or [C, L] input (torch.nn.AvgPool1d, `aten::avg_pool1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { AvgPool1d } from "./pooling_1d.ts";
 * const y = new AvgPool1d(2).forward(randn([2, 3, 8])); // [2, 3, 4]
 * ```
 */
export class AvgPool1d extends Module {
  /** The window, as [k]. */
  readonly kernelSize: [number];
  /** The step, as [s]. */
  readonly stride: [number];
  /** The padding, as [p]. */
  readonly padding: [number];
  /** Whether the output size is rounded up. */
  readonly ceilMode: boolean;
  /** Whether padding zeros count in the average. */
  readonly countIncludePad: boolean;

  /** A pooling layer with a `kernelSize` window. */
  constructor(kernelSize: number | [number], options?: AvgPool1dLayerOptions);
  /** PyTorch's positional form `AvgPool1d(kernel_size, stride, padding, ceil_mode, count_include_pad)`. */
  constructor(
    kernelSize: number | [number],
    stride?: AvgPool1dLayerOptions["stride"],
    padding?: AvgPool1dLayerOptions["padding"],
    ceilMode?: AvgPool1dLayerOptions["ceilMode"],
    countIncludePad?: AvgPool1dLayerOptions["countIncludePad"],
  );
  constructor(kernelSize: number | [number], ...args: unknown[]) {
    super();
    const options = positionalOptions<AvgPool1dLayerOptions>(
      "AvgPool1d",
      args,
      ["stride", "padding", "ceilMode", "countIncludePad"],
      [],
      "new AvgPool1d(kernelSize, { stride: ... })",
    );
    const where = "AvgPool1d";
    this.kernelSize = checkSingle(where, "kernelSize", kernelSize, 1);
    this.stride = checkSingle(where, "stride", options.stride ?? kernelSize, 1);
    this.padding = checkSingle(where, "padding", options.padding ?? 0, 0);
    this.ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
    this.countIncludePad = checkBoolean(where, "countIncludePad", options.countIncludePad ?? true);
  }

  /** The pooled `input`. */
  forward(input: Tensor): Tensor {
    return avgPool1d(input, this.kernelSize, {
      stride: this.stride,
      padding: this.padding,
      ceilMode: this.ceilMode,
      countIncludePad: this.countIncludePad,
    });
  }

  /** `kernel_size=(2,), stride=(2,), padding=(0,)`. */
  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, stride=${pyStr(this.stride)}, padding=${pyStr(this.padding)}`;
  }
}
