/**
 * Embedding lookups (`F.embedding`, `F.embedding_bag`): rows of a weight table by index, with PyTorch's
 * `paddingIdx` (no gradient to that row), `maxNorm` (rows renormalised in place, without autograd, by
 * `aten::embedding_renorm_` before the lookup) and, for bags, sums, means or maxima over index groups.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { embedding, embeddingBag } from "./functional_sparse.ts";
 * const w = randn([10, 3]);
 * const rows = embedding(tensor([[1, 2], [4, 5]]), w); // [2, 2, 3]
 * const bags = embeddingBag(tensor([1, 2, 4, 5]), w, { offsets: tensor([0, 2]) }); // [2, 3], means
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { noGrad } from "../tensor/autograd.ts";
import { callN, callT, callV, floatArg, op } from "../tensor/call.ts";
import { arange } from "../tensor/creation.ts";
import { isFloatingPoint } from "../tensor/dtype.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkOneOf, checkTensor, sizeText } from "../tensor/checks.ts";

const OPS = {
  embedding: op("aten::embedding"),
  renorm: op("aten::embedding_renorm_"),
  embeddingBag: op("aten::embedding_bag", "padding_idx"),
};

/** Options of {@linkcode embedding}. */
export interface EmbeddingOptions {
  /** A row that gets no gradient (negative counts from the end) (default none). */
  paddingIdx?: number | null;
  /** Renormalise looked-up rows whose norm exceeds this, in place (default none). */
  maxNorm?: number | null;
  /** The p of the p-norm of `maxNorm` (default 2). */
  normType?: number;
  /** Scale gradients by the inverse frequency of the indices in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients; not supported by denotorch (default false). */
  sparse?: boolean;
}

/** PyTorch's padding index handling: in range, negative from the end; -1 for none. */
export function paddingIndexOf(where: string, paddingIdx: number | null | undefined, rows: number): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  checkInt(where, "paddingIdx", paddingIdx);
  if (paddingIdx >= rows || paddingIdx < -rows) {
    throw new RangeError(`${where}: paddingIdx must be within num_embeddings (${rows}), got ${paddingIdx}`);
  }
  return paddingIdx < 0 ? rows + paddingIdx : paddingIdx;
}

function checkNotSparse(where: string, sparse: unknown): void {
  if (checkBoolean(where, "sparse", sparse ?? false)) {
    throw new RangeError(`${where}: sparse gradients are not supported by denotorch; use sparse: false`);
  }
}

function checkIndices(where: string, input: Tensor): void {
  if (input.dtype !== "int64" && input.dtype !== "int32") {
    throw new TypeError(`${where}: input must hold int64 or int32 indices, got ${input.dtype}`);
  }
}

/** `torch.embedding_renorm_` under no_grad, as PyTorch's `_no_grad_embedding_renorm_`. */
function renorm(weight: Tensor, input: Tensor, maxNorm: number, normType: number): void {
  noGrad(() => callV(OPS.renorm, weight, input, floatArg(maxNorm), floatArg(normType)));
}

/**
 * The rows of `weight` ([numEmbeddings, dim]) at the indices of `input` (`F.embedding`,
 * `aten::embedding`); the output has shape [...input.shape, dim].
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { embedding } from "./functional_sparse.ts";
 * const y = embedding(tensor([0, 3]), randn([5, 2]), { paddingIdx: 0 }); // [2, 2]
 * ```
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  checkOptions("embedding", options, ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse"]);
  const where = "embedding";
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkIndices(where, input);
  if (weight.ndim !== 2) throw new RangeError(`${where}: weight must be 2-D, got shape ${sizeText(weight.shape)}`);
  const padding = paddingIndexOf(where, options.paddingIdx, weight.shape[0]) ?? -1;
  const maxNorm = options.maxNorm ?? null;
  const normType = checkNumber(where, "normType", options.normType ?? 2);
  const scale = checkBoolean(where, "scaleGradByFreq", options.scaleGradByFreq ?? false);
  checkNotSparse(where, options.sparse);
  if (maxNorm !== null) {
    checkNumber(where, "maxNorm", maxNorm);
    return tidy(() => {
      const contiguous = input.contiguous();
      renorm(weight, contiguous, maxNorm, normType);
      return callT(OPS.embedding, weight, contiguous, padding, scale, false);
    });
  }
  return callT(OPS.embedding, weight, input, padding, scale, false);
}

/** The reductions of {@linkcode embeddingBag}. */
export type EmbeddingBagMode = "sum" | "mean" | "max";

/** Options of {@linkcode embeddingBag}. */
export interface EmbeddingBagOptions {
  /** For 1-D input, where each bag starts (1-D int64); 2-D input is one bag per row and takes none. */
  offsets?: Tensor | null;
  /** Renormalise looked-up rows whose norm exceeds this, in place (default none). */
  maxNorm?: number | null;
  /** The p of the p-norm of `maxNorm` (default 2). */
  normType?: number;
  /** Scale gradients by the inverse frequency of the indices (default false). */
  scaleGradByFreq?: boolean;
  /** How a bag is reduced (default `"mean"`). */
  mode?: EmbeddingBagMode;
  /** Sparse gradients; not supported by denotorch (default false). */
  sparse?: boolean;
  /** A weight per index, of the input's shape (mode `"sum"` only) (default none). */
  perSampleWeights?: Tensor | null;
  /** `offsets` has one more entry, the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** An index left out of every bag (default none). */
  paddingIdx?: number | null;
}

/**
 * Sums, means or maxima of bags of `weight` rows (`F.embedding_bag`, `aten::embedding_bag.padding_idx`),
 * without building the intermediate embeddings; [bags, dim].
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { embeddingBag } from "./functional_sparse.ts";
 * const y = embeddingBag(tensor([[1, 2, 3], [0, 0, 4]]), randn([5, 2]), { mode: "sum" }); // [2, 2]
 * ```
 */
export function embeddingBag(input: Tensor, weight: Tensor, options: EmbeddingBagOptions = {}): Tensor {
  checkOptions("embeddingBag", options, [
    "offsets",
    "maxNorm",
    "normType",
    "scaleGradByFreq",
    "mode",
    "sparse",
    "perSampleWeights",
    "includeLastOffset",
    "paddingIdx",
  ]);
  const where = "embeddingBag";
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkIndices(where, input);
  if (weight.ndim !== 2) throw new RangeError(`${where}: weight must be 2-D, got shape ${sizeText(weight.shape)}`);
  let offsets = checkTensor(where, "offsets", options.offsets ?? null, true);
  let psw = checkTensor(where, "perSampleWeights", options.perSampleWeights ?? null, true);
  const maxNorm = options.maxNorm ?? null;
  if (maxNorm !== null) checkNumber(where, "maxNorm", maxNorm);
  const normType = checkNumber(where, "normType", options.normType ?? 2);
  const scale = checkBoolean(where, "scaleGradByFreq", options.scaleGradByFreq ?? false);
  const mode = checkOneOf(where, "mode", options.mode ?? "mean", ["sum", "mean", "max"]);
  checkNotSparse(where, options.sparse);
  const includeLast = checkBoolean(where, "includeLastOffset", options.includeLastOffset ?? false);
  const padding = paddingIndexOf(where, options.paddingIdx, weight.shape[0]);
  if (psw !== null && sizeText(psw.shape) !== sizeText(input.shape)) {
    throw new RangeError(
      `${where}: If perSampleWeights (${
        sizeText(psw.shape)
      }) is not null, then it must have the same shape as the input (${sizeText(input.shape)})`,
    );
  }
  if (psw !== null && !isFloatingPoint(psw.dtype)) {
    throw new TypeError(`${where}: perSampleWeights must be floating point, got ${psw.dtype}`);
  }
  if (mode === "max" && scale) {
    throw new RangeError(`${where}: max mode does not support scaling the gradient by the frequency`);
  }
  if (psw !== null && mode !== "sum") {
    throw new RangeError(`${where}: perSampleWeights is only supported for mode "sum" (got mode "${mode}")`);
  }
  return tidy(() => {
    let indices = input;
    if (input.ndim === 2) {
      if (offsets !== null) {
        throw new TypeError(
          `${where}: if input is 2D, then offsets has to be null, as input is treated is a mini-batch of fixed length sequences`,
        );
      }
      offsets = arange(0, input.numel(), input.shape[1], { dtype: input.dtype });
      indices = input.reshape(-1);
      if (psw !== null) psw = psw.reshape(-1);
    } else if (input.ndim === 1) {
      if (offsets === null) throw new TypeError(`${where}: offsets has to be a 1D Tensor but got null`);
      if (offsets.ndim !== 1) {
        throw new RangeError(`${where}: offsets has to be a 1D Tensor, got shape ${sizeText(offsets.shape)}`);
      }
    } else {
      throw new RangeError(`${where}: input has to be 1D or 2D Tensor, but got Tensor of dimension ${input.ndim}`);
    }
    if (maxNorm !== null) renorm(weight, indices, maxNorm, normType);
    const modeEnum = mode === "sum" ? 0 : mode === "mean" ? 1 : 2;
    const results = callN(OPS.embeddingBag, [
      weight,
      indices,
      offsets,
      scale,
      modeEnum,
      false,
      psw,
      includeLast,
      padding,
    ]) as Tensor[];
    return results[0];
  });
}
