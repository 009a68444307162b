/**
 * The 1-D convolution and the transposed convolutions (`F.conv1d`, `F.conv_transpose1d`,
 * `F.conv_transpose2d`), the ATen operators PyTorch-Python calls.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { conv1d, convTranspose2d } from "./functional_conv.ts";
 * const a = conv1d(randn([2, 3, 10]), randn([4, 3, 3]), null, { padding: 1 }); // [2, 4, 10]
 * const b = convTranspose2d(randn([1, 2, 4, 4]), randn([2, 3, 3, 3]), null, { stride: 2 }); // [1, 3, 9, 9]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callTA, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkInt, checkOneOf, checkPair, checkSingle, checkTensor, describe } from "../tensor/checks.ts";

const OPS = {
  conv1d: op("aten::conv1d"),
  conv1dPadding: op("aten::conv1d", "padding"),
  convTranspose1d: op("aten::conv_transpose1d"),
  convTranspose2d: op("aten::conv_transpose2d", "input"),
};

/** Options of {@linkcode conv1d}. */
export interface Conv1dOptions {
  /** The step of the kernel (default 1). */
  stride?: number | [number];
  /** Implicit zero padding on both sides, or `"valid"` / `"same"` (default 0). */
  padding?: number | [number] | "valid" | "same";
  /** The spacing between kernel elements (default 1). */
  dilation?: number | [number];
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** A checked padding of a 1-D convolution. */
export function conv1dPadding(where: string, padding: unknown): [number] | "valid" | "same" {
  if (typeof padding === "string") return checkOneOf<"valid" | "same">(where, "padding", padding, ["valid", "same"]);
  return checkSingle(where, "padding", padding, 0);
}

/**
 * A 1-D convolution over [N, C, L] or [C, L] input (`F.conv1d`, `aten::conv1d`; with a string padding
 * `aten::conv1d.padding`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { conv1d } from "./functional_conv.ts";
 * conv1d(randn([1, 2, 8]), randn([3, 2, 3])); // [1, 3, 6]
 * ```
 */
export function conv1d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv1dOptions = {}): Tensor {
  checkOptions("conv1d", options, ["stride", "padding", "dilation", "groups"]);
  const where = "conv1d";
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkTensor(where, "bias", bias, true);
  const stride = checkSingle(where, "stride", options.stride ?? 1, 1);
  const padding = conv1dPadding(where, options.padding ?? 0);
  const dilation = checkSingle(where, "dilation", options.dilation ?? 1, 1);
  const groups = checkInt(where, "groups", options.groups ?? 1, 1);
  const ref = typeof padding === "string" ? OPS.conv1dPadding : OPS.conv1d;
  return callTA(ref, [input, weight, bias, stride, padding, dilation, groups]);
}

/** Options of {@linkcode convTranspose1d} (one number each) and {@linkcode convTranspose2d} (or pairs). */
export interface ConvTransposeOptions<S> {
  /** The step of the kernel (default 1). */
  stride?: number | S;
  /** dilation · (kernel - 1) - padding zeros are removed from both sides of the output (default 0). */
  padding?: number | S;
  /** Added to one side of the output size (default 0). */
  outputPadding?: number | S;
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** The spacing between kernel elements (default 1). */
  dilation?: number | S;
}

/**
 * The transposed 1-D convolution ("deconvolution") of [N, C, L] or [C, L] input; the weight is
 * [inChannels, outChannels / groups, k] (`F.conv_transpose1d`, `aten::conv_transpose1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { convTranspose1d } from "./functional_conv.ts";
 * convTranspose1d(randn([1, 2, 5]), randn([2, 3, 3]), null, { stride: 2 }); // [1, 3, 11]
 * ```
 */
export function convTranspose1d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTransposeOptions<[number]> = {},
): Tensor {
  checkOptions("convTranspose1d", options, ["stride", "padding", "outputPadding", "groups", "dilation"]);
  const where = "convTranspose1d";
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkTensor(where, "bias", bias, true);
  return callTA(OPS.convTranspose1d, [
    input,
    weight,
    bias,
    checkSingle(where, "stride", options.stride ?? 1, 1),
    checkSingle(where, "padding", options.padding ?? 0, 0),
    checkSingle(where, "outputPadding", options.outputPadding ?? 0, 0),
    checkInt(where, "groups", options.groups ?? 1, 1),
    checkSingle(where, "dilation", options.dilation ?? 1, 1),
  ]);
}

/**
 * The transposed 2-D convolution of [N, C, H, W] or [C, H, W] input; the weight is
 * [inChannels, outChannels / groups, kh, kw] (`F.conv_transpose2d`, `aten::conv_transpose2d.input`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { convTranspose2d } from "./functional_conv.ts";
 * convTranspose2d(randn([1, 2, 3, 3]), randn([2, 1, 2, 2])); // [1, 1, 4, 4]
 * ```
 */
export function convTranspose2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null = null,
  options: ConvTransposeOptions<[number, number]> = {},
): Tensor {
  checkOptions("convTranspose2d", options, ["stride", "padding", "outputPadding", "groups", "dilation"]);
  const where = "convTranspose2d";
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkTensor(where, "bias", bias, true);
  return callTA(OPS.convTranspose2d, [
    input,
    weight,
    bias,
    checkPair(where, "stride", options.stride ?? 1, 1),
    checkPair(where, "padding", options.padding ?? 0, 0),
    checkPair(where, "outputPadding", options.outputPadding ?? 0, 0),
    checkInt(where, "groups", options.groups ?? 1, 1),
    checkPair(where, "dilation", options.dilation ?? 1, 1),
  ]);
}
