/**
 * The functional forms of layer, group and instance normalisation (`F.layer_norm`, `F.group_norm`,
 * `F.instance_norm`), each the ATen operator PyTorch-Python calls, with `cudnn_enabled` true as there.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { groupNorm, layerNorm } from "./functional_normalization.ts";
 * const x = randn([2, 4, 5]);
 * const a = layerNorm(x, [5]);
 * const b = groupNorm(x, 2);
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callTA, floatArg, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor, describe, sizeText } from "../tensor/checks.ts";

const OPS = {
  layerNorm: op("aten::layer_norm"),
  groupNorm: op("aten::group_norm"),
  instanceNorm: op("aten::instance_norm"),
};

/** Options of {@linkcode layerNorm}. */
export interface LayerNormOptions {
  /** The scale, of shape `normalizedShape` (default none). */
  weight?: Tensor | null;
  /** The shift, of shape `normalizedShape` (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** A checked normalized shape: one size or an array of them. */
export function normalizedShapeOf(where: string, v: unknown): number[] {
  if (typeof v === "number") return [checkInt(where, "normalizedShape", v, 0)];
  if (!Array.isArray(v) || !v.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(
      `${where}: normalizedShape must be a non-negative integer or an array of them, got ${describe(v, "size")}`,
    );
  }
  return [...v];
}

/**
 * Normalises over the last dimensions, `normalizedShape` (`F.layer_norm`, `aten::layer_norm`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { layerNorm } from "./functional_normalization.ts";
 * const y = layerNorm(randn([3, 4]), [4]); // each row: mean 0, variance 1
 * ```
 */
export function layerNorm(
  input: Tensor,
  normalizedShape: number | readonly number[],
  options: LayerNormOptions = {},
): Tensor {
  checkOptions("layerNorm", options, ["weight", "bias", "eps"]);
  const where = "layerNorm";
  checkTensor(where, "input", input);
  const shape = normalizedShapeOf(where, normalizedShape);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const bias = checkTensor(where, "bias", options.bias ?? null, true);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-5);
  return callTA(OPS.layerNorm, [input, shape, weight, bias, floatArg(eps), true]);
}

/** Options of {@linkcode groupNorm}. */
export interface GroupNormOptions {
  /** The scale, one per channel (default none). */
  weight?: Tensor | null;
  /** The shift, one per channel (default none). */
  bias?: Tensor | null;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/** PyTorch's `_verify_batch_size`: more than one value per normalised group. */
function verifyBatchSize(where: string, size: number[]): void {
  let prod = size[0];
  for (let i = 0; i < size.length - 2; i++) prod *= size[i + 2];
  if (prod === 1) {
    throw new RangeError(
      `${where}: Expected more than 1 value per channel when training, got input size ${sizeText(size)}`,
    );
  }
}

/**
 * Normalises [N, C, ...] input over groups of `numGroups` channels (`F.group_norm`, `aten::group_norm`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { groupNorm } from "./functional_normalization.ts";
 * const y = groupNorm(randn([2, 6, 5]), 3);
 * ```
 */
export function groupNorm(input: Tensor, numGroups: number, options: GroupNormOptions = {}): Tensor {
  checkOptions("groupNorm", options, ["weight", "bias", "eps"]);
  const where = "groupNorm";
  checkTensor(where, "input", input);
  checkInt(where, "numGroups", numGroups, 1);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const bias = checkTensor(where, "bias", options.bias ?? null, true);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-5);
  const s = input.shape;
  if (s.length < 2) {
    throw new RangeError(`${where}: input must have at least 2 dimensions [N, C, ...], got ${sizeText(s)}`);
  }
  verifyBatchSize(where, [Math.floor((s[0] * s[1]) / numGroups), numGroups, ...s.slice(2)]);
  return callTA(OPS.groupNorm, [input, numGroups, weight, bias, floatArg(eps), true]);
}

/** Options of {@linkcode instanceNorm}. */
export interface InstanceNormOptions {
  /** The running mean per channel, updated in place when the input statistics are used (default none). */
  runningMean?: Tensor | null;
  /** The running variance per channel, updated likewise (default none). */
  runningVar?: Tensor | null;
  /** The scale, one per channel (default none). */
  weight?: Tensor | null;
  /** The shift, one per channel (default none). */
  bias?: Tensor | null;
  /** Normalise with each instance's statistics (default true); false uses the running ones. */
  useInputStats?: boolean;
  /** The weight of the new statistics in the running ones (default 0.1). */
  momentum?: number;
  /** Added to the variance (default 1e-5). */
  eps?: number;
}

/**
 * Normalises each channel of each sample of [N, C, ...] input on its own (`F.instance_norm`,
 * `aten::instance_norm`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { instanceNorm } from "./functional_normalization.ts";
 * const y = instanceNorm(randn([2, 3, 8]));
 * ```
 */
export function instanceNorm(input: Tensor, options: InstanceNormOptions = {}): Tensor {
  checkOptions("instanceNorm", options, [
    "runningMean",
    "runningVar",
    "weight",
    "bias",
    "useInputStats",
    "momentum",
    "eps",
  ]);
  const where = "instanceNorm";
  checkTensor(where, "input", input);
  const runningMean = checkTensor(where, "runningMean", options.runningMean ?? null, true);
  const runningVar = checkTensor(where, "runningVar", options.runningVar ?? null, true);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const bias = checkTensor(where, "bias", options.bias ?? null, true);
  const useInputStats = checkBoolean(where, "useInputStats", options.useInputStats ?? true);
  const momentum = checkNumber(where, "momentum", options.momentum ?? 0.1);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-5);
  if (useInputStats) {
    const s = input.shape;
    let prod = 1;
    for (let i = 2; i < s.length; i++) prod *= s[i];
    if (prod === 1) {
      throw new RangeError(
        `${where}: Expected more than 1 spatial element when training, got input size ${sizeText(s)}`,
      );
    }
  }
  return callTA(OPS.instanceNorm, [
    input,
    weight,
    bias,
    runningMean,
    runningVar,
    useInputStats,
    floatArg(momentum),
    floatArg(eps),
    true,
  ]);
}
