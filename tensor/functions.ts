/**
 * Free functions over several tensors (`cat`, `stack`, `where`, ...), PyTorch's `torch.*` forms.
 *
 * @module
 */

import { A } from "./aten_ops.ts";
import { callT } from "./call.ts";
import { checkTensor, checkTensorList } from "./checks.ts";
import type { Tensor } from "./tensor.ts";

function tensors(list: unknown, what: string): Tensor[] {
  return checkTensorList(what, "tensors", list);
}

/**
 * Concatenates tensors along an existing dimension.
 *
 * @example
 * ```ts
 * import { cat, ones, zeros } from "../mod.ts";
 * const x = cat([zeros([2, 3]), ones([1, 3])]); // shape [3, 3]
 * ```
 */
export function cat(list: readonly Tensor[], dim = 0): Tensor {
  return callT(A.cat, tensors(list, "cat"), dim);
}

/** Stacks same-shaped tensors along a new dimension. */
export function stack(list: readonly Tensor[], dim = 0): Tensor {
  return callT(A.stack, tensors(list, "stack"), dim);
}

/** `condition ? x : y`, elementwise with broadcasting. */
export function where(condition: Tensor, x: Tensor | number, y: Tensor | number): Tensor {
  return callT(A.where_self, condition, x, y);
}

/**
 * The index of the bucket of each value in sorted `boundaries`: with `right` false (default) bucket i
 * holds `boundaries[i-1] < x <= boundaries[i]`, with `right` true `boundaries[i-1] <= x < boundaries[i]`.
 */
export function bucketize(
  input: Tensor,
  boundaries: Tensor,
  options?: { right?: boolean; outInt32?: boolean },
): Tensor {
  return callT(A.bucketize, input, boundaries, options?.outInt32 ?? false, options?.right ?? false);
}

/** Matrix product with broadcasting. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  return checkTensor("matmul", "a", a).matmul(b);
}
