/**
 * `Embedding` and `EmbeddingBag`, as torch.nn's: a [numEmbeddings, embeddingDim] table drawn from
 * N(0, 1) (the padding row zeroed) in PyTorch's order, `paddingIdx`, `maxNorm`, and bags reduced by sum,
 * mean or max.
 *
 * @module
 */

import { checkOptions, positionalOptions } from "../tensor/options.ts";
import { noGrad } from "../tensor/autograd.ts";
import { empty } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkOneOf, checkTensor, sizeText } from "../tensor/checks.ts";
import { embedding, embeddingBag, type EmbeddingBagMode, paddingIndexOf } from "./functional_sparse.ts";
import { normal_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyFloat } from "./python_repr.ts";
import { TORCH2 } from "../ffi/native.ts";

/** Options of {@linkcode Embedding}. */
export interface EmbeddingLayerOptions extends FactoryOptions {
  /** A row that is zero at first and gets no gradient (negative counts from the end) (default none). */
  paddingIdx?: number | null;
  /** Renormalise looked-up rows whose norm exceeds this, in place (default none). */
  maxNorm?: number | null;
  /** The p of the p-norm of `maxNorm` (default 2). */
  normType?: number;
  /** Scale gradients by the inverse frequency of the indices in the batch (default false). */
  scaleGradByFreq?: boolean;
  /** Sparse gradients; not supported by denotorch (default false). */
  sparse?: boolean;
  /** Use this [numEmbeddings, embeddingDim] tensor as the weight instead of drawing one (PyTorch's `_weight`). */
  weight?: Tensor;
}

function checkSparse(where: string, sparse: unknown): false {
  if (checkBoolean(where, "sparse", sparse ?? false)) {
    throw new RangeError(`${where}: sparse gradients are not supported by denotorch; use sparse: false`);
  }
  return false;
}

function tableOf(where: string, rows: number, dim: number, options: EmbeddingLayerOptions): Tensor | null {
  if (options.weight === undefined) return null;
  const w = checkTensor(where, "weight", options.weight);
  if (w.ndim !== 2 || w.shape[0] !== rows || w.shape[1] !== dim) {
    throw new RangeError(
      `${where}: Shape of weight does not match numEmbeddings and embeddingDim: ${sizeText(w.shape)} vs ${
        sizeText([rows, dim])
      }`,
    );
  }
  return w;
}

/**
 * A lookup table: the rows of `weight` at integer indices (torch.nn.Embedding, `aten::embedding`).
 *
 * @example
 * ```ts
 * import { manualSeed, tensor } from "../mod.ts";
 * import { Embedding } from "./embedding.ts";
 * manualSeed(0);
 * const emb = new Embedding(10, 3, { paddingIdx: 0 }); // the weight of torch.manual_seed(0); nn.Embedding(10, 3, padding_idx=0)
 * const y = emb.forward(tensor([[1, 2, 0]])); // [1, 3, 3]
 * ```
 */
export class Embedding extends Module {
  /** The number of rows. */
  readonly numEmbeddings: number;
  /** The size of a row. */
  readonly embeddingDim: number;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** The renormalisation bound, or null. */
  readonly maxNorm: number | null;
  /** The p of `maxNorm`'s norm. */
  readonly normType: number;
  /** Whether gradients are scaled by inverse index frequency. */
  readonly scaleGradByFreq: boolean;
  /** Always false: sparse gradients are not supported. */
  readonly sparse: false;
  /** The table [numEmbeddings, embeddingDim]. */
  readonly weight: Tensor;

  /** A table of `numEmbeddings` rows of `embeddingDim`. */
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingLayerOptions);
  /** PyTorch's positional form `Embedding(num_embeddings, embedding_dim, padding_idx, max_norm, norm_type, scale_grad_by_freq, sparse, weight, *, device, dtype)`. */
  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    paddingIdx?: EmbeddingLayerOptions["paddingIdx"],
    maxNorm?: EmbeddingLayerOptions["maxNorm"],
    normType?: EmbeddingLayerOptions["normType"],
    scaleGradByFreq?: EmbeddingLayerOptions["scaleGradByFreq"],
    sparse?: EmbeddingLayerOptions["sparse"],
    weight?: EmbeddingLayerOptions["weight"],
    options?: EmbeddingLayerOptions,
  );
  constructor(numEmbeddings: number, embeddingDim: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<EmbeddingLayerOptions>(
      "Embedding",
      args,
      ["paddingIdx", "maxNorm", "normType", "scaleGradByFreq", "sparse", "weight"],
      ["device", "dtype"],
      "new Embedding(numEmbeddings, embeddingDim, { paddingIdx: ... })",
    );
    const where = "Embedding";
    this.numEmbeddings = checkInt(where, "numEmbeddings", numEmbeddings, 0);
    this.embeddingDim = checkInt(where, "embeddingDim", embeddingDim, 0);
    this.paddingIdx = paddingIndexOf(where, options.paddingIdx, numEmbeddings);
    this.maxNorm = options.maxNorm === undefined || options.maxNorm === null
      ? null
      : checkNumber(where, "maxNorm", options.maxNorm);
    this.normType = checkNumber(where, "normType", options.normType ?? 2);
    this.scaleGradByFreq = checkBoolean(where, "scaleGradByFreq", options.scaleGradByFreq ?? false);
    this.sparse = checkSparse(where, options.sparse);
    const given = tableOf(where, numEmbeddings, embeddingDim, options);
    this.weight = this.registerParameter(
      "weight",
      given ?? empty([numEmbeddings, embeddingDim], { dtype: options.dtype, device: options.device }),
    );
    if (given === null) this.resetParameters();
  }

  /**
   * An embedding over a given table (torch.nn.Embedding.from_pretrained); frozen (no gradient) unless
   * `freeze` is false. The module takes ownership of `embeddings`.
   */
  static fromPretrained(
    embeddings: Tensor,
    options: Omit<EmbeddingLayerOptions, "weight" | "dtype" | "device"> & { freeze?: boolean } = {},
  ): Embedding {
    checkTensor("Embedding.fromPretrained", "embeddings", embeddings);
    if (embeddings.ndim !== 2) {
      throw new RangeError(`Embedding.fromPretrained: Embeddings parameter is expected to be 2-dimensional`);
    }
    const { freeze: freezeOption, ...rest } = checkOptions("Embedding.fromPretrained", options, [
      "freeze",
      "paddingIdx",
      "maxNorm",
      "normType",
      "scaleGradByFreq",
      "sparse",
    ]);
    const freeze = checkBoolean("Embedding.fromPretrained", "freeze", freezeOption ?? true);
    const e = new Embedding(embeddings.shape[0], embeddings.shape[1], { ...rest, weight: embeddings });
    e.weight.requiresGrad = !freeze;
    return e;
  }

  /** N(0, 1), then the padding row zeroed, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => {
        using r = this.weight.select(0, row);
        r.fill_(0);
      });
    }
  }

  /** The rows at the indices of `input` (int64): [...input.shape, embeddingDim]. */
  forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
    });
  }

  /** `10, 3`, then what differs from the defaults. */
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    return s;
  }
}

/** Options of {@linkcode EmbeddingBag}. */
export interface EmbeddingBagLayerOptions extends Omit<EmbeddingLayerOptions, "paddingIdx"> {
  /** How a bag is reduced (default `"mean"`). */
  mode?: EmbeddingBagMode;
  /** `offsets` has one more entry, the end of the last bag (default false). */
  includeLastOffset?: boolean;
  /** An index left out of every bag, its row zero at first (default none). */
  paddingIdx?: number | null;
}

/** Options of {@linkcode EmbeddingBag.forward}. */
export interface EmbeddingBagForwardOptions {
  /** Weights per index, of the input's shape (mode `"sum"` only). */
  perSampleWeights?: Tensor | null;
}

/**
 * Sums, means or maxima of bags of embeddings (torch.nn.EmbeddingBag, `aten::embedding_bag`), without
 * the intermediate [bags, length, dim] tensor.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { EmbeddingBag } from "./embedding.ts";
 * const bag = new EmbeddingBag(10, 3, { mode: "sum" });
 * const y = bag.forward(tensor([1, 2, 4, 5, 4]), tensor([0, 2])); // [2, 3]
 * ```
 */
export class EmbeddingBag extends Module {
  /** The number of rows. */
  readonly numEmbeddings: number;
  /** The size of a row. */
  readonly embeddingDim: number;
  /** The renormalisation bound, or null. */
  readonly maxNorm: number | null;
  /** The p of `maxNorm`'s norm. */
  readonly normType: number;
  /** Whether gradients are scaled by inverse index frequency. */
  readonly scaleGradByFreq: boolean;
  /** The reduction of a bag. */
  readonly mode: EmbeddingBagMode;
  /** Always false: sparse gradients are not supported. */
  readonly sparse: false;
  /** Whether offsets end with the end of the last bag. */
  readonly includeLastOffset: boolean;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** The table [numEmbeddings, embeddingDim]. */
  readonly weight: Tensor;

  /** A bag layer over `numEmbeddings` rows of `embeddingDim`. */
  constructor(numEmbeddings: number, embeddingDim: number, options?: EmbeddingBagLayerOptions);
  /** PyTorch's positional form `EmbeddingBag(num_embeddings, embedding_dim, max_norm, norm_type, scale_grad_by_freq, mode, sparse, weight, include_last_offset, padding_idx, *, device, dtype)`. */
  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    maxNorm?: EmbeddingBagLayerOptions["maxNorm"],
    normType?: EmbeddingBagLayerOptions["normType"],
    scaleGradByFreq?: EmbeddingBagLayerOptions["scaleGradByFreq"],
    mode?: EmbeddingBagLayerOptions["mode"],
    sparse?: EmbeddingBagLayerOptions["sparse"],
    weight?: EmbeddingBagLayerOptions["weight"],
    includeLastOffset?: EmbeddingBagLayerOptions["includeLastOffset"],
    paddingIdx?: EmbeddingBagLayerOptions["paddingIdx"],
    options?: EmbeddingBagLayerOptions,
  );
  constructor(numEmbeddings: number, embeddingDim: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<EmbeddingBagLayerOptions>(
      "EmbeddingBag",
      args,
      ["maxNorm", "normType", "scaleGradByFreq", "mode", "sparse", "weight", "includeLastOffset", "paddingIdx"],
      ["device", "dtype"],
      "new EmbeddingBag(numEmbeddings, embeddingDim, { maxNorm: ... })",
    );
    const where = "EmbeddingBag";
    this.numEmbeddings = checkInt(where, "numEmbeddings", numEmbeddings, 0);
    this.embeddingDim = checkInt(where, "embeddingDim", embeddingDim, 0);
    this.maxNorm = options.maxNorm === undefined || options.maxNorm === null
      ? null
      : checkNumber(where, "maxNorm", options.maxNorm);
    this.normType = checkNumber(where, "normType", options.normType ?? 2);
    this.scaleGradByFreq = checkBoolean(where, "scaleGradByFreq", options.scaleGradByFreq ?? false);
    this.paddingIdx = paddingIndexOf(where, options.paddingIdx, numEmbeddings);
    this.mode = checkOneOf(where, "mode", options.mode ?? "mean", ["sum", "mean", "max"]);
    this.sparse = checkSparse(where, options.sparse);
    this.includeLastOffset = checkBoolean(where, "includeLastOffset", options.includeLastOffset ?? false);
    const given = tableOf(where, numEmbeddings, embeddingDim, options);
    this.weight = this.registerParameter(
      "weight",
      given ?? empty([numEmbeddings, embeddingDim], { dtype: options.dtype, device: options.device }),
    );
    if (given === null) this.resetParameters();
  }

  /** N(0, 1), then the padding row zeroed, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    normal_(this.weight);
    if (this.paddingIdx !== null) {
      const row = this.paddingIdx;
      noGrad(() => {
        using r = this.weight.select(0, row);
        r.fill_(0);
      });
    }
  }

  /**
   * A bag layer over a given table (torch.nn.EmbeddingBag.from_pretrained); frozen (no gradient) unless
   * `freeze` is false. The module takes ownership of `embeddings`.
   */
  static fromPretrained(
    embeddings: Tensor,
    options: Omit<EmbeddingBagLayerOptions, "weight" | "dtype" | "device"> & { freeze?: boolean } = {},
  ): EmbeddingBag {
    checkTensor("EmbeddingBag.fromPretrained", "embeddings", embeddings);
    if (embeddings.ndim !== 2) {
      throw new RangeError(`EmbeddingBag.fromPretrained: Embeddings parameter is expected to be 2-dimensional`);
    }
    const { freeze: freezeOption, ...rest } = checkOptions("EmbeddingBag.fromPretrained", options, [
      "freeze",
      "maxNorm",
      "normType",
      "scaleGradByFreq",
      "mode",
      "sparse",
      "includeLastOffset",
      "paddingIdx",
    ]);
    const freeze = checkBoolean("EmbeddingBag.fromPretrained", "freeze", freezeOption ?? true);
    const e = new EmbeddingBag(embeddings.shape[0], embeddings.shape[1], { ...rest, weight: embeddings });
    e.weight.requiresGrad = !freeze;
    return e;
  }

  /**
   * The reduced bags: 2-D `input` [bags, length] without offsets, or 1-D `input` with `offsets` (where
   * each bag starts); [bags, embeddingDim].
   */
  forward(input: Tensor, offsets: Tensor | null = null, options: EmbeddingBagForwardOptions = {}): Tensor {
    checkOptions("EmbeddingBag.forward", options, ["perSampleWeights"]);
    return embeddingBag(input, this.weight, {
      offsets,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
      mode: this.mode,
      perSampleWeights: options.perSampleWeights ?? null,
      includeLastOffset: this.includeLastOffset,
      paddingIdx: this.paddingIdx,
    });
  }

  /** `10, 3, mode=mean` (PyTorch 2: `mode='mean'`), with what differs from the defaults. */
  override extraRepr(): string {
    let s = `${this.numEmbeddings}, ${this.embeddingDim}`;
    if (this.maxNorm !== null) s += `, max_norm=${pyFloat(this.maxNorm)}`;
    if (this.normType !== 2) s += `, norm_type=${pyFloat(this.normType)}`;
    if (this.scaleGradByFreq) s += ", scale_grad_by_freq=True";
    s += TORCH2 ? `, mode='${this.mode}'` : `, mode=${this.mode}`;
    if (this.paddingIdx !== null) s += `, padding_idx=${this.paddingIdx}`;
    return s;
  }
}
