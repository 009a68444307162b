/**
 * 1-D max and average pooling and 2-D adaptive max pooling (`F.max_pool1d`, `F.avg_pool1d`,
 * `F.adaptive_max_pool2d`), the ATen operators PyTorch-Python calls.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { adaptiveMaxPool2d, avgPool1d, maxPool1d } from "./functional_pooling.ts";
 * const a = maxPool1d(randn([2, 3, 8]), 2); // [2, 3, 4]
 * const b = avgPool1d(randn([2, 3, 8]), 4); // [2, 3, 2]
 * const c = adaptiveMaxPool2d(randn([1, 2, 7, 5]), [3, 2]); // [1, 2, 3, 2]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callN, callTA, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkSingle, checkTensor, describe } from "../tensor/checks.ts";

const OPS = {
  maxPool1d: op("aten::max_pool1d"),
  maxPool1dWithIndices: op("aten::max_pool1d_with_indices"),
  avgPool1d: op("aten::avg_pool1d"),
  adaptiveMaxPool2d: op("aten::adaptive_max_pool2d"),
  adaptiveAvgPool1d: op("aten::adaptive_avg_pool1d"),
  adaptiveMaxPool1d: op("aten::adaptive_max_pool1d"),
};

/** Options of {@linkcode maxPool1d}. */
export interface MaxPool1dOptions {
  /** The step of the window (default: the kernel size). */
  stride?: number | [number] | null;
  /** Implicit negative-infinity padding on both sides (default 0). */
  padding?: number | [number];
  /** The spacing between window elements (default 1). */
  dilation?: number | [number];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the indices of the maxima (default false). */
  returnIndices?: boolean;
}

/**
 * 1-D max pooling of [N, C, L] or [C, L] input (`F.max_pool1d`, `aten::max_pool1d`; with
 * `returnIndices` `aten::max_pool1d_with_indices`, returning [output, indices]).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { maxPool1d } from "./functional_pooling.ts";
 * const [y, indices] = maxPool1d(randn([1, 2, 6]), 2, { returnIndices: true });
 * ```
 */
export function maxPool1d(
  input: Tensor,
  kernelSize: number | [number],
  options: MaxPool1dOptions & { returnIndices: true },
): [Tensor, Tensor];
/** 1-D max pooling without the indices. */
export function maxPool1d(
  input: Tensor,
  kernelSize: number | [number],
  options?: MaxPool1dOptions & { returnIndices?: false },
): Tensor;
/** 1-D max pooling, with the indices when `options.returnIndices` is true. */
export function maxPool1d(
  input: Tensor,
  kernelSize: number | [number],
  options?: MaxPool1dOptions,
): Tensor | [Tensor, Tensor];
export function maxPool1d(
  input: Tensor,
  kernelSize: number | [number],
  options: MaxPool1dOptions = {},
): Tensor | [Tensor, Tensor] {
  checkOptions("maxPool1d", options, ["stride", "padding", "dilation", "ceilMode", "returnIndices"]);
  const where = "maxPool1d";
  checkTensor(where, "input", input);
  const args = [
    input,
    checkSingle(where, "kernelSize", kernelSize, 1),
    options.stride === undefined || options.stride === null ? [] : checkSingle(where, "stride", options.stride, 1),
    checkSingle(where, "padding", options.padding ?? 0, 0),
    checkSingle(where, "dilation", options.dilation ?? 1, 1),
    checkBoolean(where, "ceilMode", options.ceilMode ?? false),
  ];
  if (checkBoolean(where, "returnIndices", options.returnIndices ?? false)) {
    return callN(OPS.maxPool1dWithIndices, args) as [Tensor, Tensor];
  }
  return callTA(OPS.maxPool1d, args);
}

/** Options of {@linkcode avgPool1d}. */
export interface AvgPool1dOptions {
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
 * 1-D average pooling of [N, C, L] or [C, L] input (`F.avg_pool1d`, `aten::avg_pool1d`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { avgPool1d } from "./functional_pooling.ts";
 * avgPool1d(ones([1, 1, 4]), 2); // [[[1, 1]]]
 * ```
 */
export function avgPool1d(input: Tensor, kernelSize: number | [number], options: AvgPool1dOptions = {}): Tensor {
  checkOptions("avgPool1d", options, ["stride", "padding", "ceilMode", "countIncludePad"]);
  const where = "avgPool1d";
  checkTensor(where, "input", input);
  return callTA(OPS.avgPool1d, [
    input,
    checkSingle(where, "kernelSize", kernelSize, 1),
    options.stride === undefined || options.stride === null ? [] : checkSingle(where, "stride", options.stride, 1),
    checkSingle(where, "padding", options.padding ?? 0, 0),
    checkBoolean(where, "ceilMode", options.ceilMode ?? false),
    checkBoolean(where, "countIncludePad", options.countIncludePad ?? true),
  ]);
}

/** The output size of 2-D adaptive pooling: one number, or [height, width] with null keeping the input's. */
export type AdaptiveSize2 = number | readonly [number | null, number | null];

/** PyTorch's `_list_with_default` for 2-D adaptive pooling. */
export function adaptiveSize2(where: string, outputSize: unknown, input: Tensor): [number, number] {
  if (typeof outputSize === "number") {
    const n = checkInt(where, "outputSize", outputSize, 0);
    return [n, n];
  }
  const ok = Array.isArray(outputSize) && outputSize.length === 2 &&
    outputSize.every((v) => v === null || (Number.isInteger(v) && v >= 0));
  if (!ok) {
    throw new TypeError(
      `${where}: outputSize must be a non-negative integer or an array of 2 of them (or null), got ${
        describe(outputSize, "size")
      }`,
    );
  }
  const shape = input.shape;
  if (shape.length < 3) throw new RangeError(`${where}: Input dimension should be at least 3`);
  const [h, w] = outputSize as (number | null)[];
  return [h ?? shape[shape.length - 2], w ?? shape[shape.length - 1]];
}

/** Options of {@linkcode adaptiveMaxPool2d}. */
export interface AdaptiveMaxPool2dOptions {
  /** Also return the indices of the maxima (default false). */
  returnIndices?: boolean;
}

/**
 * 2-D adaptive max pooling of [N, C, H, W] or [C, H, W] input to `outputSize`
 * (`F.adaptive_max_pool2d`, `aten::adaptive_max_pool2d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { adaptiveMaxPool2d } from "./functional_pooling.ts";
 * adaptiveMaxPool2d(randn([1, 2, 5, 5]), 1); // [1, 2, 1, 1]
 * ```
 */
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: AdaptiveSize2,
  options: AdaptiveMaxPool2dOptions & { returnIndices: true },
): [Tensor, Tensor];
/** 2-D adaptive max pooling without the indices. */
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: AdaptiveSize2,
  options?: AdaptiveMaxPool2dOptions & { returnIndices?: false },
): Tensor;
/** 2-D adaptive max pooling, with the indices when `options.returnIndices` is true. */
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: AdaptiveSize2,
  options?: AdaptiveMaxPool2dOptions,
): Tensor | [Tensor, Tensor];
export function adaptiveMaxPool2d(
  input: Tensor,
  outputSize: AdaptiveSize2,
  options: AdaptiveMaxPool2dOptions = {},
): Tensor | [Tensor, Tensor] {
  checkOptions("adaptiveMaxPool2d", options, ["returnIndices"]);
  const where = "adaptiveMaxPool2d";
  checkTensor(where, "input", input);
  const size = adaptiveSize2(where, outputSize, input);
  const withIndices = checkBoolean(where, "returnIndices", options.returnIndices ?? false);
  const [out, indices] = callN(OPS.adaptiveMaxPool2d, [input, size]) as [Tensor, Tensor];
  if (withIndices) return [out, indices];
  indices.dispose();
  return out;
}

/**
 * 1-D adaptive average pooling of [N, C, L] or [C, L] input to `outputSize` (`F.adaptive_avg_pool1d`,
 * `aten::adaptive_avg_pool1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { adaptiveAvgPool1d } from "./functional_pooling.ts";
 * adaptiveAvgPool1d(randn([2, 3, 10]), 4); // [2, 3, 4]
 * ```
 */
export function adaptiveAvgPool1d(input: Tensor, outputSize: number | [number]): Tensor {
  checkTensor("adaptiveAvgPool1d", "input", input);
  return callTA(OPS.adaptiveAvgPool1d, [input, checkSingle("adaptiveAvgPool1d", "outputSize", outputSize, 0)]);
}

/** 1-D adaptive max pooling with the indices. */
export function adaptiveMaxPool1d(
  input: Tensor,
  outputSize: number | [number],
  options: AdaptiveMaxPool2dOptions & { returnIndices: true },
): [Tensor, Tensor];
/** 1-D adaptive max pooling without the indices. */
export function adaptiveMaxPool1d(
  input: Tensor,
  outputSize: number | [number],
  options?: AdaptiveMaxPool2dOptions & { returnIndices?: false },
): Tensor;
/** 1-D adaptive max pooling, with the indices when `options.returnIndices` is true. */
export function adaptiveMaxPool1d(
  input: Tensor,
  outputSize: number | [number],
  options?: AdaptiveMaxPool2dOptions,
): Tensor | [Tensor, Tensor];
/**
 * 1-D adaptive max pooling of [N, C, L] or [C, L] input to `outputSize` (`F.adaptive_max_pool1d`,
 * `aten::adaptive_max_pool1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { adaptiveMaxPool1d } from "./functional_pooling.ts";
 * const [y, indices] = adaptiveMaxPool1d(randn([2, 3, 10]), 4, { returnIndices: true }); // [2, 3, 4] each
 * ```
 */
export function adaptiveMaxPool1d(
  input: Tensor,
  outputSize: number | [number],
  options: AdaptiveMaxPool2dOptions = {},
): Tensor | [Tensor, Tensor] {
  checkOptions("adaptiveMaxPool1d", options, ["returnIndices"]);
  const where = "adaptiveMaxPool1d";
  checkTensor(where, "input", input);
  const size = checkSingle(where, "outputSize", outputSize, 0);
  const withIndices = checkBoolean(where, "returnIndices", options.returnIndices ?? false);
  const [out, indices] = callN(OPS.adaptiveMaxPool1d, [input, size]) as [Tensor, Tensor];
  if (withIndices) return [out, indices];
  indices.dispose();
  return out;
}
