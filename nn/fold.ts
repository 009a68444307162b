/**
 * `Unfold` and `Fold`, as torch.nn's: sliding blocks to columns (`aten::im2col`) and back
 * (`aten::col2im`).
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkPair } from "../tensor/checks.ts";
import { fold, unfold } from "./functional_fold.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** A size of the fold layers: one number or a pair, kept as given for the printout. */
export type FoldSize = number | [number, number];

/** Options of {@linkcode Unfold} and {@linkcode Fold}. */
export interface FoldLayerOptions {
  /** The spacing between block elements (default 1). */
  dilation?: FoldSize;
  /** Implicit zero padding on both sides (default 0). */
  padding?: FoldSize;
  /** The step between blocks (default 1). */
  stride?: FoldSize;
}

/**
 * Extracts sliding blocks as columns (torch.nn.Unfold, `aten::im2col`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Unfold } from "./fold.ts";
 * const cols = new Unfold(3, { padding: 1 }).forward(randn([2, 3, 5, 5])); // [2, 27, 25]
 * ```
 */
export class Unfold extends Module {
  /** The block size, as given. */
  readonly kernelSize: FoldSize;
  /** The dilation, as given. */
  readonly dilation: FoldSize;
  /** The padding, as given. */
  readonly padding: FoldSize;
  /** The stride, as given. */
  readonly stride: FoldSize;

  /** An unfolding of `kernelSize` blocks. */
  constructor(kernelSize: FoldSize, options?: FoldLayerOptions);
  /** PyTorch's positional form `Unfold(kernel_size, dilation, padding, stride)`. */
  constructor(
    kernelSize: FoldSize,
    dilation?: FoldLayerOptions["dilation"],
    padding?: FoldLayerOptions["padding"],
    stride?: FoldLayerOptions["stride"],
  );
  constructor(kernelSize: FoldSize, ...args: unknown[]) {
    super();
    const options = positionalOptions<FoldLayerOptions>(
      "Unfold",
      args,
      ["dilation", "padding", "stride"],
      [],
      "new Unfold(kernelSize, { dilation: ... })",
    );
    checkPair("Unfold", "kernelSize", kernelSize, 1);
    this.kernelSize = kernelSize;
    this.dilation = options.dilation ?? 1;
    this.padding = options.padding ?? 0;
    this.stride = options.stride ?? 1;
    checkPair("Unfold", "dilation", this.dilation, 1);
    checkPair("Unfold", "padding", this.padding, 0);
    checkPair("Unfold", "stride", this.stride, 1);
  }

  /** The columns of `input`. */
  forward(input: Tensor): Tensor {
    return unfold(input, this.kernelSize, { dilation: this.dilation, padding: this.padding, stride: this.stride });
  }

  /** `kernel_size=3, dilation=1, padding=0, stride=1`. */
  override extraRepr(): string {
    return `kernel_size=${pyStr(this.kernelSize)}, dilation=${pyStr(this.dilation)}, padding=${
      pyStr(this.padding)
    }, stride=${pyStr(this.stride)}`;
  }
}

/**
 * Sums columns back into an image (torch.nn.Fold, `aten::col2im`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { Fold } from "./fold.ts";
 * const img = new Fold([4, 4], 2).forward(ones([1, 4, 9])); // [1, 1, 4, 4]
 * ```
 */
export class Fold extends Module {
  /** The output size, as given. */
  readonly outputSize: FoldSize;
  /** The block size, as given. */
  readonly kernelSize: FoldSize;
  /** The dilation, as given. */
  readonly dilation: FoldSize;
  /** The padding, as given. */
  readonly padding: FoldSize;
  /** The stride, as given. */
  readonly stride: FoldSize;

  /** A folding into `outputSize` of `kernelSize` blocks. */
  constructor(outputSize: FoldSize, kernelSize: FoldSize, options?: FoldLayerOptions);
  /** PyTorch's positional form `Fold(output_size, kernel_size, dilation, padding, stride)`. */
  constructor(
    outputSize: FoldSize,
    kernelSize: FoldSize,
    dilation?: FoldLayerOptions["dilation"],
    padding?: FoldLayerOptions["padding"],
    stride?: FoldLayerOptions["stride"],
  );
  constructor(outputSize: FoldSize, kernelSize: FoldSize, ...args: unknown[]) {
    super();
    const options = positionalOptions<FoldLayerOptions>(
      "Fold",
      args,
      ["dilation", "padding", "stride"],
      [],
      "new Fold(outputSize, kernelSize, { dilation: ... })",
    );
    checkPair("Fold", "outputSize", outputSize, 0);
    checkPair("Fold", "kernelSize", kernelSize, 1);
    this.outputSize = outputSize;
    this.kernelSize = kernelSize;
    this.dilation = options.dilation ?? 1;
    this.padding = options.padding ?? 0;
    this.stride = options.stride ?? 1;
    checkPair("Fold", "dilation", this.dilation, 1);
    checkPair("Fold", "padding", this.padding, 0);
    checkPair("Fold", "stride", this.stride, 1);
  }

  /** The image of the columns `input`. */
  forward(input: Tensor): Tensor {
    return fold(input, this.outputSize, this.kernelSize, {
      dilation: this.dilation,
      padding: this.padding,
      stride: this.stride,
    });
  }

  /** `output_size=(4, 5), kernel_size=2, dilation=1, padding=0, stride=1`. */
  override extraRepr(): string {
    return `output_size=${pyStr(this.outputSize)}, kernel_size=${pyStr(this.kernelSize)}, dilation=${
      pyStr(this.dilation)
    }, padding=${pyStr(this.padding)}, stride=${pyStr(this.stride)}`;
  }
}
