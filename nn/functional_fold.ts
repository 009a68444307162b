/**
 * Sliding blocks: `unfold` extracts them from [N, C, H, W] input as columns (`F.unfold`,
 * `aten::im2col`), `fold` sums columns back into an image (`F.fold`, `aten::col2im`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { fold, unfold } from "./functional_fold.ts";
 * const cols = unfold(randn([1, 3, 4, 4]), 2, { stride: 2 }); // [1, 12, 4]
 * const back = fold(cols, [4, 4], 2, { stride: 2 }); // [1, 3, 4, 4]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callTA, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkPair, checkTensor } from "../tensor/checks.ts";

const OPS = { im2col: op("aten::im2col"), col2im: op("aten::col2im") };

/** Options of {@linkcode unfold} and {@linkcode fold}. */
export interface FoldOptions {
  /** The spacing between block elements (default 1). */
  dilation?: number | [number, number];
  /** Implicit zero padding on both sides (default 0). */
  padding?: number | [number, number];
  /** The step between blocks (default 1). */
  stride?: number | [number, number];
}

function foldArgs(where: string, options: FoldOptions): [number, number][] {
  return [
    checkPair(where, "dilation", options.dilation ?? 1, 1),
    checkPair(where, "padding", options.padding ?? 0, 0),
    checkPair(where, "stride", options.stride ?? 1, 1),
  ];
}

/**
 * The sliding `kernelSize` blocks of [N, C, H, W] (or [C, H, W]) input as columns:
 * [N, C·kh·kw, blocks] (`F.unfold`, `aten::im2col`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { unfold } from "./functional_fold.ts";
 * unfold(randn([2, 3, 5, 5]), 3); // [2, 27, 9]
 * ```
 */
export function unfold(input: Tensor, kernelSize: number | [number, number], options: FoldOptions = {}): Tensor {
  checkOptions("unfold", options, ["dilation", "padding", "stride"]);
  checkTensor("unfold", "input", input);
  const kernel = checkPair("unfold", "kernelSize", kernelSize, 1);
  return callTA(OPS.im2col, [input, kernel, ...foldArgs("unfold", options)]);
}

/**
 * Sums columns [N, C·kh·kw, blocks] back into [N, C, ...outputSize] (`F.fold`, `aten::col2im`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { fold } from "./functional_fold.ts";
 * fold(ones([1, 4, 9]), [4, 4], 2, { stride: 1 }); // [1, 1, 4, 4]: overlap counts
 * ```
 */
export function fold(
  input: Tensor,
  outputSize: number | [number, number],
  kernelSize: number | [number, number],
  options: FoldOptions = {},
): Tensor {
  checkOptions("fold", options, ["dilation", "padding", "stride"]);
  checkTensor("fold", "input", input);
  const size = checkPair("fold", "outputSize", outputSize, 0);
  const kernel = checkPair("fold", "kernelSize", kernelSize, 1);
  return callTA(OPS.col2im, [input, size, kernel, ...foldArgs("fold", options)]);
}
