/**
 * The loss functions of `torch.nn.functional`, camelCased, each calling PyTorch's ATen operator
 * (`aten::binary_cross_entropy`, `aten::binary_cross_entropy_with_logits`, `aten::cross_entropy_loss`,
 * `aten::nll_loss_nd`, `aten::mse_loss`) with the reduction enum (none 0, mean 1, sum 2), so values and
 * gradients are PyTorch's to the bit. Re-exported by `functional.ts`; the layer forms are in `loss.ts`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { crossEntropy } from "./loss_functions.ts";
 * const logits = tensor([[2.5, 0.5, -1.5]]);
 * const loss = crossEntropy(logits, tensor([0]), { labelSmoothing: 0.1 });
 * ```
 *
 * @module
 */

import { callN, callT, callTA, floatArg, op } from "../tensor/call.ts";
import { tidy } from "../tensor/memory.ts";
import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkInt, checkNumber, checkTensor, sizeText } from "../tensor/checks.ts";
import { type Reduction, reductionEnum } from "./reduction.ts";

const OPS = {
  bce: op("aten::binary_cross_entropy"),
  bceWithLogits: op("aten::binary_cross_entropy_with_logits"),
  crossEntropy: op("aten::cross_entropy_loss"),
  nllLossNd: op("aten::nll_loss_nd"),
  mseLoss: op("aten::mse_loss"),
  broadcastTensors: op("aten::broadcast_tensors"),
};

const sameShape = (a: readonly number[], b: readonly number[]) =>
  a.length === b.length && a.every((d, i) => d === b[i]);

/**
 * The options of a loss function: PyTorch's third positional argument `weight` (a Tensor, or null) when
 * `weighted`, or an options object whose keys are checked against `keys`.
 */
function lossFnOptions<T extends object>(
  where: string,
  options: unknown,
  keys: readonly string[],
  weighted: boolean,
): T {
  if (options === undefined) return {} as T;
  const named = weighted ? keys.filter((k) => k !== "weight") : keys;
  const form = `${where}(input, target, { ${keys.map((k) => `${k}: ...`).join(", ")} })`;
  return positionalOptions<T>(where, [options], weighted ? ["weight"] : [], named, form);
}

/** The broadcast of two shapes (PyTorch's `_infer_size`), or a RangeError. */
export function broadcastShapes(where: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1, db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new RangeError(
        `${where}: The size of tensor a (${da}) must match the size of tensor b (${db}) at non-singleton dimension ${i}`,
      );
    }
    out[i] = da === 1 ? db : da;
  }
  return out;
}

/** Options of {@linkcode binaryCrossEntropy}. */
export interface BCEOptions {
  /** A rescaling weight of each element, broadcast to the target's shape (default none). */
  weight?: Tensor | null;
  /** `"mean"` (default), `"sum"` or `"none"` (the loss of each element). */
  reduction?: Reduction;
}

/**
 * Binary cross entropy between probabilities `input` and targets of the same shape
 * (`F.binary_cross_entropy`, `aten::binary_cross_entropy`; a `weight` is first expanded to the target's
 * shape, as PyTorch does).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { binaryCrossEntropy } from "./loss_functions.ts";
 * binaryCrossEntropy(tensor([0.8, 0.3]), tensor([1, 0], { dtype: "float32" })); // mean of -log 0.8 and -log 0.7
 * ```
 */
export function binaryCrossEntropy(
  input: Tensor,
  target: Tensor,
  weightOrOptions?: Tensor | null | BCEOptions,
): Tensor {
  const options = lossFnOptions<BCEOptions>("binaryCrossEntropy", weightOrOptions, ["weight", "reduction"], true);
  const where = "binaryCrossEntropy";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const ts = target.shape, is = input.shape;
  if (!sameShape(ts, is)) {
    throw new RangeError(
      `${where}: Using a target size (${sizeText(ts)}) that is different to the input size (${
        sizeText(is)
      }) is deprecated. Please ensure they have the same size.`,
    );
  }
  if (weight === null) return callT(OPS.bce, input, target, null, reduction);
  const expanded = broadcastShapes(where, ts, weight.shape);
  return tidy(() => callT(OPS.bce, input, target, weight.expand(expanded), reduction));
}

/** Options of {@linkcode binaryCrossEntropyWithLogits}. */
export interface BCEWithLogitsOptions extends BCEOptions {
  /** A weight of the positive examples, one per class, broadcast along the last dimension (default none). */
  posWeight?: Tensor | null;
}

/**
 * Binary cross entropy on logits, computed stably from `input` before the sigmoid
 * (`F.binary_cross_entropy_with_logits`, `aten::binary_cross_entropy_with_logits`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { binaryCrossEntropyWithLogits } from "./loss_functions.ts";
 * const f32 = { dtype: "float32" } as const;
 * const loss = binaryCrossEntropyWithLogits(tensor([1.5, -0.5]), tensor([1, 0], f32), { posWeight: tensor([2], f32) });
 * ```
 */
export function binaryCrossEntropyWithLogits(
  input: Tensor,
  target: Tensor,
  weightOrOptions?: Tensor | null | BCEWithLogitsOptions,
): Tensor {
  const options = lossFnOptions<BCEWithLogitsOptions>(
    "binaryCrossEntropyWithLogits",
    weightOrOptions,
    ["weight", "reduction", "posWeight"],
    true,
  );
  const where = "binaryCrossEntropyWithLogits";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const posWeight = checkTensor(where, "posWeight", options.posWeight ?? null, true);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const ts = target.shape, is = input.shape;
  if (!sameShape(ts, is)) {
    throw new RangeError(`${where}: Target size (${sizeText(ts)}) must be the same as input size (${sizeText(is)})`);
  }
  return callT(OPS.bceWithLogits, input, target, weight, posWeight, reduction);
}

/** Options of {@linkcode crossEntropy}. */
export interface CrossEntropyOptions {
  /** A weight of each class, of length C (default none). */
  weight?: Tensor | null;
  /** A target class index that is ignored and does not count in the mean (default -100). */
  ignoreIndex?: number;
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
  /** Mix this much of the uniform distribution into the targets, in [0, 1] (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy between logits `input` ([N, C] or [N, C, d1, ...], or [C]) and class indices (int64) or
 * class probabilities (`F.cross_entropy`, `aten::cross_entropy_loss`).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { crossEntropy } from "./loss_functions.ts";
 * const loss = crossEntropy(randn([4, 3]), tensor([0, 2, 1, 2]));
 * ```
 */
export function crossEntropy(
  input: Tensor,
  target: Tensor,
  weightOrOptions?: Tensor | null | CrossEntropyOptions,
): Tensor {
  const options = lossFnOptions<CrossEntropyOptions>(
    "crossEntropy",
    weightOrOptions,
    ["weight", "ignoreIndex", "reduction", "labelSmoothing"],
    true,
  );
  const where = "crossEntropy";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const ignoreIndex = checkInt(where, "ignoreIndex", options.ignoreIndex ?? -100);
  const labelSmoothing = checkNumber(where, "labelSmoothing", options.labelSmoothing ?? 0, { min: 0, max: 1 });
  return callTA(OPS.crossEntropy, [input, target, weight, reduction, ignoreIndex, floatArg(labelSmoothing)]);
}

/** Options of {@linkcode nllLoss}. */
export interface NLLOptions {
  /** A weight of each class, of length C (default none). */
  weight?: Tensor | null;
  /** A target class index that is ignored and does not count in the mean (default -100). */
  ignoreIndex?: number;
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * Negative log likelihood of log-probabilities `input` ([N, C] or [N, C, d1, ...], or [C]) at the target
 * class indices (`F.nll_loss`, `aten::nll_loss_nd`).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { logSoftmax } from "./functional.ts";
 * import { nllLoss } from "./loss_functions.ts";
 * const loss = nllLoss(logSoftmax(randn([4, 3]), 1), tensor([0, 2, 1, 2]));
 * ```
 */
export function nllLoss(input: Tensor, target: Tensor, weightOrOptions?: Tensor | null | NLLOptions): Tensor {
  const options = lossFnOptions<NLLOptions>("nllLoss", weightOrOptions, ["weight", "ignoreIndex", "reduction"], true);
  const where = "nllLoss";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const ignoreIndex = checkInt(where, "ignoreIndex", options.ignoreIndex ?? -100);
  return callTA(OPS.nllLossNd, [input, target, weight, reduction, ignoreIndex]);
}

/** Options of {@linkcode mseLoss}. */
export interface MSEOptions {
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

let warnedBroadcast = false;

/**
 * The mean squared error (`F.mse_loss`: `aten::broadcast_tensors`, then `aten::mse_loss`). Targets of
 * another shape are broadcast, with a warning (once), as in PyTorch.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { mseLoss } from "./loss_functions.ts";
 * const f32 = { dtype: "float32" } as const;
 * mseLoss(tensor([1, 2], f32), tensor([0, 0], f32), { reduction: "sum" }); // 5
 * ```
 */
export function mseLoss(input: Tensor, target: Tensor, options?: MSEOptions): Tensor {
  options = lossFnOptions<MSEOptions>("mseLoss", options, ["reduction"], false);
  const where = "mseLoss";
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const ts = target.shape, is = input.shape;
  if (!sameShape(ts, is) && !warnedBroadcast) {
    warnedBroadcast = true;
    console.warn(
      `${where}: Using a target size (${sizeText(ts)}) that is different to the input size (${
        sizeText(is)
      }). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
  }
  return tidy(() => {
    const [[a, b]] = callN(OPS.broadcastTensors, [[input, target]]) as [[Tensor, Tensor]];
    return callT(OPS.mseLoss, a, b, reduction);
  });
}
