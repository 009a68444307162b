/**
 * LibTorch's `_foreach_*` operators, as the optimizers' multi-tensor implementations call them: one call
 * through the binding for a whole list of tensors instead of one per tensor. On CPU, LibTorch runs each
 * of them as a loop over the per-tensor operator (`_foreach_add_(xs, ys, alpha)` is `xs[i].add_(ys[i],
 * alpha)` for each i, with the same kernels), so the results equal the single-tensor operations' to the
 * bit. Every list must be non-empty and the lists of one call equally long (LibTorch's rule).
 *
 * @module
 */

import { callN, callV } from "../tensor/call.ts";
import { op } from "../tensor/operator.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean } from "../tensor/checks.ts";

/**
 * Checks an optimizer's `foreach` option: true, false, or null/absent (the default).
 *
 * @example
 * ```ts
 * import { checkForeach } from "./foreach.ts";
 * checkForeach("Adam", false); // fine
 * checkForeach("Adam", "yes"); // TypeError: Adam: foreach must be a boolean, got "yes"
 * ```
 */
export function checkForeach(owner: string, foreach: unknown): void {
  if (foreach !== undefined && foreach !== null) checkBoolean(owner, "foreach", foreach);
}

/**
 * Whether a parameter group's step uses the multi-tensor (`_foreach_*`) implementation: unless its
 * `foreach` is false (the default, null or absent, means yes: on CPU both implementations give the same
 * bits, and the multi-tensor one makes a few calls per group instead of several per parameter).
 *
 * @example
 * ```ts
 * import { usesForeach } from "./foreach.ts";
 * usesForeach({ foreach: false }); // false
 * usesForeach({}); // true
 * ```
 */
export function usesForeach(group: { foreach?: boolean | null }): boolean {
  return group.foreach !== false;
}

const OPS = {
  addList: op("aten::_foreach_add", "List"),
  addList_: op("aten::_foreach_add_", "List"),
  addScalar_: op("aten::_foreach_add_", "Scalar"),
  mulScalar_: op("aten::_foreach_mul_", "Scalar"),
  divScalarList_: op("aten::_foreach_div_", "ScalarList"),
  addcmulScalar_: op("aten::_foreach_addcmul_", "Scalar"),
  addcdivScalarList_: op("aten::_foreach_addcdiv_", "ScalarList"),
  lerpScalar_: op("aten::_foreach_lerp_", "Scalar"),
  maximumList_: op("aten::_foreach_maximum_", "List"),
  sqrt: op("aten::_foreach_sqrt", ""),
  neg: op("aten::_foreach_neg", ""),
};

function tensors(values: unknown[], what: string): Tensor[] {
  const out = values[0];
  if (!Array.isArray(out)) throw new TypeError(`${what} did not return a list of tensors`);
  return out as Tensor[];
}

/**
 * `xs[i] + alpha * ys[i]` for each i (`_foreach_add.List`), new tensors.
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { foreachAdd } from "./foreach.ts";
 * const [a, b] = foreachAdd([ones([2]), ones([3])], [ones([2]), ones([3])], 0.5); // 1.5 everywhere
 * ```
 */
export function foreachAdd(xs: readonly Tensor[], ys: readonly Tensor[], alpha: number): Tensor[] {
  return tensors(callN(OPS.addList, [xs, ys, alpha]), "_foreach_add");
}

/** In place: `xs[i] += alpha * ys[i]` for each i (`_foreach_add_.List`). */
export function foreachAdd_(xs: readonly Tensor[], ys: readonly Tensor[], alpha: number): void {
  callV(OPS.addList_, xs, ys, alpha);
}

/** In place: `xs[i] += s` for each i (`_foreach_add_.Scalar`). */
export function foreachAddScalar_(xs: readonly Tensor[], s: number): void {
  callV(OPS.addScalar_, xs, s);
}

/** In place: `xs[i] *= s` for each i (`_foreach_mul_.Scalar`). */
export function foreachMul_(xs: readonly Tensor[], s: number): void {
  callV(OPS.mulScalar_, xs, s);
}

/** In place: `xs[i] /= s[i]` for each i (`_foreach_div_.ScalarList`). */
export function foreachDivScalars_(xs: readonly Tensor[], s: readonly number[]): void {
  callV(OPS.divScalarList_, xs, s);
}

/** In place: `xs[i] += value * as[i] * bs[i]` for each i (`_foreach_addcmul_.Scalar`). */
export function foreachAddcmul_(
  xs: readonly Tensor[],
  as: readonly Tensor[],
  bs: readonly Tensor[],
  value: number,
): void {
  callV(OPS.addcmulScalar_, xs, as, bs, value);
}

/** In place: `xs[i] += values[i] * as[i] / bs[i]` for each i (`_foreach_addcdiv_.ScalarList`). */
export function foreachAddcdivScalars_(
  xs: readonly Tensor[],
  as: readonly Tensor[],
  bs: readonly Tensor[],
  values: readonly number[],
): void {
  callV(OPS.addcdivScalarList_, xs, as, bs, values);
}

/** In place: `xs[i] += weight * (ends[i] - xs[i])` for each i (`_foreach_lerp_.Scalar`; LibTorch 2 only). */
export function foreachLerp_(xs: readonly Tensor[], ends: readonly Tensor[], weight: number): void {
  callV(OPS.lerpScalar_, xs, ends, weight);
}

/** In place: `xs[i] = maximum(xs[i], ys[i])` for each i (`_foreach_maximum_.List`). */
export function foreachMaximum_(xs: readonly Tensor[], ys: readonly Tensor[]): void {
  callV(OPS.maximumList_, xs, ys);
}

/** `sqrt(xs[i])` for each i (`_foreach_sqrt`), new tensors. */
export function foreachSqrt(xs: readonly Tensor[]): Tensor[] {
  return tensors(callN(OPS.sqrt, [xs]), "_foreach_sqrt");
}

/** `-xs[i]` for each i (`_foreach_neg`), new tensors. */
export function foreachNeg(xs: readonly Tensor[]): Tensor[] {
  return tensors(callN(OPS.neg, [xs]), "_foreach_neg");
}
