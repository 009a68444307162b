/**
 * The reductions of the losses (`reduction: "none" | "mean" | "sum"`) and ATen's enum for them.
 *
 * @module
 */

import { checkOneOf } from "../tensor/checks.ts";

/** The reductions of the losses. */
export type Reduction = "none" | "mean" | "sum";

const REDUCTION_ENUM: Record<Reduction, number> = { none: 0, mean: 1, sum: 2 };

/**
 * ATen's reduction enum of `reduction` (none 0, mean 1, sum 2), checked.
 *
 * @example
 * ```ts
 * import { reductionEnum } from "./reduction.ts";
 * reductionEnum("l1Loss", "sum"); // 2
 * ```
 */
export function reductionEnum(where: string, reduction: unknown): number {
  return REDUCTION_ENUM[checkOneOf(where, "reduction", reduction, ["none", "mean", "sum"])];
}
