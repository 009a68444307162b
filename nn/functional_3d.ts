/**
 * The volumetric functional forms (`F.conv3d`, `F.max_pool3d`, `F.avg_pool3d`, `F.adaptive_avg_pool3d`,
 * `F.dropout3d`), the ATen operators PyTorch-Python calls, over [N, C, D, H, W] (or unbatched
 * [C, D, H, W]) input.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { conv3d, maxPool3d } from "./functional_3d.ts";
 * const y = conv3d(randn([1, 2, 6, 6, 6]), randn([4, 2, 3, 3, 3]), null, { padding: 1 }); // [1, 4, 6, 6, 6]
 * const z = maxPool3d(y, 2); // [1, 4, 3, 3, 3]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callN, callT, callTA, floatArg, op } from "../tensor/call.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  checkBoolean,
  checkInt,
  checkNumber,
  checkOneOf,
  checkTensor,
  checkTriple,
  describe,
} from "../tensor/checks.ts";
import type { DropoutOptions } from "./functional.ts";

const OPS = {
  conv3d: op("aten::conv3d"),
  conv3dPadding: op("aten::conv3d", "padding"),
  maxPool3d: op("aten::max_pool3d"),
  maxPool3dWithIndices: op("aten::max_pool3d_with_indices"),
  avgPool3d: op("aten::avg_pool3d"),
  adaptiveAvgPool3d: op("aten::adaptive_avg_pool3d"),
  featureDropout: op("aten::feature_dropout"),
  featureDropout_: op("aten::feature_dropout_"),
};

/** One size per spatial dimension of a volume: [depth, height, width]. */
export type Size3 = number | [number, number, number];

/** A checked padding of a 3-D convolution. */
export function conv3dPadding(where: string, padding: unknown): [number, number, number] | "valid" | "same" {
  if (typeof padding === "string") return checkOneOf<"valid" | "same">(where, "padding", padding, ["valid", "same"]);
  return checkTriple(where, "padding", padding, 0);
}

/** Options of {@linkcode conv3d}. */
export interface Conv3dOptions {
  /** The step of the kernel (default 1). */
  stride?: Size3;
  /** Implicit zero padding on both sides, or `"valid"` / `"same"` (default 0). */
  padding?: Size3 | "valid" | "same";
  /** The spacing between kernel elements (default 1). */
  dilation?: Size3;
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/**
 * A 3-D convolution (`F.conv3d`, `aten::conv3d`; with a string padding `aten::conv3d.padding`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { conv3d } from "./functional_3d.ts";
 * conv3d(randn([1, 2, 5, 5, 5]), randn([3, 2, 3, 3, 3])); // [1, 3, 3, 3, 3]
 * ```
 */
export function conv3d(input: Tensor, weight: Tensor, bias: Tensor | null = null, options: Conv3dOptions = {}): Tensor {
  checkOptions("conv3d", options, ["stride", "padding", "dilation", "groups"]);
  const where = "conv3d";
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkTensor(where, "bias", bias, true);
  const stride = checkTriple(where, "stride", options.stride ?? 1, 1);
  const padding = conv3dPadding(where, options.padding ?? 0);
  const dilation = checkTriple(where, "dilation", options.dilation ?? 1, 1);
  const groups = checkInt(where, "groups", options.groups ?? 1, 1);
  const ref = typeof padding === "string" ? OPS.conv3dPadding : OPS.conv3d;
  return callTA(ref, [input, weight, bias, stride, padding, dilation, groups]);
}

/** Options of {@linkcode maxPool3d}. */
export interface MaxPool3dOptions {
  /** The step of the window (default: the kernel size). */
  stride?: Size3 | null;
  /** Implicit negative-infinity padding on both sides (default 0). */
  padding?: Size3;
  /** The spacing between window elements (default 1). */
  dilation?: Size3;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the indices of the maxima (default false). */
  returnIndices?: boolean;
}

/** 3-D max pooling with the indices. */
export function maxPool3d(
  input: Tensor,
  kernelSize: Size3,
  options: MaxPool3dOptions & { returnIndices: true },
): [Tensor, Tensor];
/** 3-D max pooling without the indices. */
export function maxPool3d(
  input: Tensor,
  kernelSize: Size3,
  options?: MaxPool3dOptions & { returnIndices?: false },
): Tensor;
/** 3-D max pooling, with the indices when `options.returnIndices` is true. */
export function maxPool3d(input: Tensor, kernelSize: Size3, options?: MaxPool3dOptions): Tensor | [Tensor, Tensor];
/**
 * 3-D max pooling (`F.max_pool3d`, `aten::max_pool3d`; with `returnIndices`
 * `aten::max_pool3d_with_indices`, returning [output, indices]).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { maxPool3d } from "./functional_3d.ts";
 * maxPool3d(randn([1, 2, 4, 4, 4]), 2); // [1, 2, 2, 2, 2]
 * ```
 */
export function maxPool3d(input: Tensor, kernelSize: Size3, options: MaxPool3dOptions = {}): Tensor | [Tensor, Tensor] {
  checkOptions("maxPool3d", options, ["stride", "padding", "dilation", "ceilMode", "returnIndices"]);
  const where = "maxPool3d";
  checkTensor(where, "input", input);
  const args = [
    input,
    checkTriple(where, "kernelSize", kernelSize, 1),
    options.stride === undefined || options.stride === null ? [] : checkTriple(where, "stride", options.stride, 1),
    checkTriple(where, "padding", options.padding ?? 0, 0),
    checkTriple(where, "dilation", options.dilation ?? 1, 1),
    checkBoolean(where, "ceilMode", options.ceilMode ?? false),
  ];
  if (checkBoolean(where, "returnIndices", options.returnIndices ?? false)) {
    return callN(OPS.maxPool3dWithIndices, args) as [Tensor, Tensor];
  }
  return callTA(OPS.maxPool3d, args);
}

/** Options of {@linkcode avgPool3d}. */
export interface AvgPool3dOptions {
  /** The step of the window (default: the kernel size). */
  stride?: Size3 | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: Size3;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (default none). */
  divisorOverride?: number | null;
}

/**
 * 3-D average pooling (`F.avg_pool3d`, `aten::avg_pool3d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { avgPool3d } from "./functional_3d.ts";
 * avgPool3d(randn([1, 2, 4, 4, 4]), 2); // [1, 2, 2, 2, 2]
 * ```
 */
export function avgPool3d(input: Tensor, kernelSize: Size3, options: AvgPool3dOptions = {}): Tensor {
  checkOptions("avgPool3d", options, ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"]);
  const where = "avgPool3d";
  checkTensor(where, "input", input);
  const divisor = options.divisorOverride === undefined || options.divisorOverride === null
    ? null
    : checkInt(where, "divisorOverride", options.divisorOverride, 1);
  return callTA(OPS.avgPool3d, [
    input,
    checkTriple(where, "kernelSize", kernelSize, 1),
    options.stride === undefined || options.stride === null ? [] : checkTriple(where, "stride", options.stride, 1),
    checkTriple(where, "padding", options.padding ?? 0, 0),
    checkBoolean(where, "ceilMode", options.ceilMode ?? false),
    checkBoolean(where, "countIncludePad", options.countIncludePad ?? true),
    divisor,
  ]);
}

/** The output size of 3-D adaptive pooling: one number, or three with null keeping the input's. */
export type AdaptiveSize3 = number | readonly [number | null, number | null, number | null];

/**
 * 3-D adaptive average pooling to `outputSize` (`F.adaptive_avg_pool3d`, `aten::adaptive_avg_pool3d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { adaptiveAvgPool3d } from "./functional_3d.ts";
 * adaptiveAvgPool3d(randn([1, 2, 5, 6, 7]), [1, null, 2]); // [1, 2, 1, 6, 2]
 * ```
 */
export function adaptiveAvgPool3d(input: Tensor, outputSize: AdaptiveSize3): Tensor {
  const where = "adaptiveAvgPool3d";
  checkTensor(where, "input", input);
  let size: number[];
  if (typeof outputSize === "number") size = new Array(3).fill(checkInt(where, "outputSize", outputSize, 0));
  else {
    const ok = Array.isArray(outputSize) && outputSize.length === 3 &&
      outputSize.every((v) => v === null || (Number.isInteger(v) && v >= 0));
    if (!ok) {
      throw new TypeError(
        `${where}: outputSize must be a non-negative integer or an array of 3 of them (or null), got ${
          describe(outputSize, "size")
        }`,
      );
    }
    const s = input.shape;
    if (s.length < 4) throw new RangeError(`${where}: Input dimension should be at least 4`);
    size = outputSize.map((v, i) => v ?? s[s.length - 3 + i]);
  }
  return callT(OPS.adaptiveAvgPool3d, input, size);
}

/**
 * Zeroes whole channels of [N, C, D, H, W] or [C, D, H, W] input (`F.dropout3d`, `aten::feature_dropout`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { dropout3d } from "./functional_3d.ts";
 * const y = dropout3d(ones([2, 3, 2, 2, 2]), 0.25);
 * ```
 */
export function dropout3d(input: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkOptions("dropout3d", options, ["training", "inplace"]);
  const where = "dropout3d";
  checkTensor(where, "input", input);
  checkNumber(where, "p (the dropout probability)", p, { min: 0, max: 1 });
  const training = checkBoolean(where, "training", options.training ?? true);
  const inplace = checkBoolean(where, "inplace", options.inplace ?? false);
  const batched = input.ndim === 5;
  return tidy(() => {
    const x = batched ? input : input.unsqueeze(0);
    if (inplace) {
      callT(OPS.featureDropout_, x, floatArg(p), training);
      return input;
    }
    const y = callT(OPS.featureDropout, x, floatArg(p), training);
    return batched ? y : y.squeeze(0);
  });
}
