/**
 * `MultiheadAttention`, torch.nn.MultiheadAttention as PyTorch 1.13 has it: packed or separate (kdim,
 * vdim) input projections, `addBiasKv`, `addZeroAttn`, dropout, `batchFirst`, key padding and attention
 * masks, and 1.13's fast path: in evaluation mode, for batched self-attention without autograd
 * (no grad mode, or nothing requiring grad), with batchFirst, an even number of heads and no attention
 * mask, it calls `aten::_native_multi_head_attention` exactly where PyTorch-Python does; otherwise
 * `multiHeadAttentionForward`, operator for operator.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { isGradEnabled } from "../tensor/autograd.ts";
import { callN, op } from "../tensor/call.ts";
import { empty } from "../tensor/creation.ts";
import { isFloatingPoint } from "../tensor/dtype.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor } from "../tensor/checks.ts";
import { multiHeadAttentionForward } from "./functional_attention.ts";
import { constant_, xavierNormal_, xavierUniform_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";

const NATIVE_MHA = op("aten::_native_multi_head_attention");

/**
 * The output projection of {@linkcode MultiheadAttention}: a `Linear` under PyTorch's name, so that
 * printouts match.
 */
export class NonDynamicallyQuantizableLinear extends Linear {}

/** Options of {@linkcode MultiheadAttention}. */
export interface MultiheadAttentionOptions extends FactoryOptions {
  /** Dropout on the attention weights in training (default 0). */
  dropout?: number;
  /** Biases in the input and output projections (default true). */
  bias?: boolean;
  /** Learned key and value biases appended to the sequence (default false). */
  addBiasKv?: boolean;
  /** Append a zero key and value (default false). */
  addZeroAttn?: boolean;
  /** The size of the keys (default embedDim). */
  kdim?: number | null;
  /** The size of the values (default embedDim). */
  vdim?: number | null;
  /** Inputs and outputs are [batch, seq, feature] (default false: [seq, batch, feature]). */
  batchFirst?: boolean;
}

/** Options of {@linkcode MultiheadAttention.forward}. */
export interface MultiheadAttentionForwardOptions {
  /** [N, S] (or [S]): true (or a float added) marks keys to ignore (default none). */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too (default true). */
  needWeights?: boolean;
  /** [L, S] or [N·heads, L, S] (bool: masked where true; float: added) (default none). */
  attnMask?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

/**
 * Multi-head attention (torch.nn.MultiheadAttention). `forward(query, key, value)` returns
 * [output, weights or null]; pass the same tensor three times for self-attention (as in PyTorch, the
 * fast path needs the very same tensor).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { MultiheadAttention } from "./attention.ts";
 * manualSeed(0);
 * const mha = new MultiheadAttention(8, 2);
 * const x = randn([5, 3, 8]);
 * const [y, w] = mha.forward(x, x, x); // [5, 3, 8], [3, 5, 5]
 * ```
 */
export class MultiheadAttention extends Module {
  /** The model size E. */
  readonly embedDim: number;
  /** The size of the keys. */
  readonly kdim: number;
  /** The size of the values. */
  readonly vdim: number;
  /** Whether keys and values have size E (one packed projection). */
  readonly qkvSameEmbedDim: boolean;
  /** The number of heads. */
  readonly numHeads: number;
  /** The dropout on the attention weights. */
  readonly dropout: number;
  /** Whether inputs are batch first. */
  readonly batchFirst: boolean;
  /** E / numHeads. */
  readonly headDim: number;
  /** Whether a zero key and value are appended. */
  readonly addZeroAttn: boolean;
  /** The packed projection [3E, E], or null with separate projections. */
  readonly inProjWeight: Tensor | null;
  /** The query projection [E, E] (separate projections), or null. */
  readonly qProjWeight: Tensor | null;
  /** The key projection [E, kdim] (separate projections), or null. */
  readonly kProjWeight: Tensor | null;
  /** The value projection [E, vdim] (separate projections), or null. */
  readonly vProjWeight: Tensor | null;
  /** The projection bias [3E], or null. */
  readonly inProjBias: Tensor | null;
  /** The output projection. */
  readonly outProj: NonDynamicallyQuantizableLinear;
  /** The learned key bias [1, 1, E], or null. */
  readonly biasK: Tensor | null;
  /** The learned value bias [1, 1, E], or null. */
  readonly biasV: Tensor | null;

  /** Attention over `embedDim` features with `numHeads` heads. */
  constructor(embedDim: number, numHeads: number, options?: MultiheadAttentionOptions);
  /** PyTorch's positional form `MultiheadAttention(embed_dim, num_heads, dropout, bias, add_bias_kv, add_zero_attn, kdim, vdim, batch_first, *, device, dtype)`. */
  constructor(
    embedDim: number,
    numHeads: number,
    dropout?: MultiheadAttentionOptions["dropout"],
    bias?: MultiheadAttentionOptions["bias"],
    addBiasKv?: MultiheadAttentionOptions["addBiasKv"],
    addZeroAttn?: MultiheadAttentionOptions["addZeroAttn"],
    kdim?: MultiheadAttentionOptions["kdim"],
    vdim?: MultiheadAttentionOptions["vdim"],
    batchFirst?: MultiheadAttentionOptions["batchFirst"],
    options?: MultiheadAttentionOptions,
  );
  constructor(embedDim: number, numHeads: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<MultiheadAttentionOptions>(
      "MultiheadAttention",
      args,
      ["dropout", "bias", "addBiasKv", "addZeroAttn", "kdim", "vdim", "batchFirst"],
      ["device", "dtype"],
      "new MultiheadAttention(embedDim, numHeads, { dropout: ... })",
    );
    const where = "MultiheadAttention";
    this.embedDim = checkInt(where, "embedDim", embedDim, 1);
    this.numHeads = checkInt(where, "numHeads", numHeads, 1);
    this.kdim = options.kdim === undefined || options.kdim === null
      ? embedDim
      : checkInt(where, "kdim", options.kdim, 1);
    this.vdim = options.vdim === undefined || options.vdim === null
      ? embedDim
      : checkInt(where, "vdim", options.vdim, 1);
    this.qkvSameEmbedDim = this.kdim === embedDim && this.vdim === embedDim;
    this.dropout = checkNumber(where, "dropout", options.dropout ?? 0, { min: 0, max: 1 });
    this.batchFirst = checkBoolean(where, "batchFirst", options.batchFirst ?? false);
    this.headDim = Math.floor(embedDim / numHeads);
    if (this.headDim * numHeads !== embedDim) {
      throw new RangeError(`${where}: embedDim must be divisible by numHeads, got ${embedDim} and ${numHeads}`);
    }
    const bias = checkBoolean(where, "bias", options.bias ?? true);
    const addBiasKv = checkBoolean(where, "addBiasKv", options.addBiasKv ?? false);
    this.addZeroAttn = checkBoolean(where, "addZeroAttn", options.addZeroAttn ?? false);
    const factory = { dtype: options.dtype, device: options.device };
    if (!this.qkvSameEmbedDim) {
      this.qProjWeight = this.registerParameter("q_proj_weight", empty([embedDim, embedDim], factory));
      this.kProjWeight = this.registerParameter("k_proj_weight", empty([embedDim, this.kdim], factory));
      this.vProjWeight = this.registerParameter("v_proj_weight", empty([embedDim, this.vdim], factory));
      this.inProjWeight = this.registerParameter("in_proj_weight", null);
    } else {
      this.inProjWeight = this.registerParameter("in_proj_weight", empty([3 * embedDim, embedDim], factory));
      this.qProjWeight = this.registerParameter("q_proj_weight", null);
      this.kProjWeight = this.registerParameter("k_proj_weight", null);
      this.vProjWeight = this.registerParameter("v_proj_weight", null);
    }
    this.inProjBias = this.registerParameter("in_proj_bias", bias ? empty([3 * embedDim], factory) : null);
    this.outProj = this.registerModule(
      "out_proj",
      new NonDynamicallyQuantizableLinear(embedDim, embedDim, { bias, ...factory }),
    );
    if (addBiasKv) {
      this.biasK = this.registerParameter("bias_k", empty([1, 1, embedDim], factory));
      this.biasV = this.registerParameter("bias_v", empty([1, 1, embedDim], factory));
    } else {
      this.biasK = this.biasV = null;
    }
    this.resetParameters();
  }

  /** Xavier-uniform projections, zero biases, Xavier-normal key/value biases, as PyTorch's `_reset_parameters`. */
  resetParameters(): void {
    if (this.qkvSameEmbedDim) xavierUniform_(this.inProjWeight!);
    else {
      xavierUniform_(this.qProjWeight!);
      xavierUniform_(this.kProjWeight!);
      xavierUniform_(this.vProjWeight!);
    }
    if (this.inProjBias !== null) {
      constant_(this.inProjBias, 0);
      constant_(this.outProj.bias!, 0);
    }
    if (this.biasK !== null) xavierNormal_(this.biasK);
    if (this.biasV !== null) xavierNormal_(this.biasV);
  }

  /**
   * Why PyTorch 1.13 would not take the fast path for these arguments (`""` when it would), in its
   * words.
   */
  whyNotFastPath(query: Tensor, key: Tensor, value: Tensor, options: MultiheadAttentionForwardOptions = {}): string {
    let why = "";
    if (query.ndim !== 3) why = `input not batched; expected query.dim() of 3 but got ${query.ndim}`;
    else if (query !== key || key !== value) {
      why = "non-self attention was used (query, key, and value are not the same Tensor)";
    } else if (this.inProjBias !== null && query.dtype !== this.inProjBias.dtype) {
      why = `dtypes of query (${query.dtype}) and self.in_proj_bias (${this.inProjBias.dtype}) don't match`;
    } else if (this.inProjWeight !== null && query.dtype !== this.inProjWeight.dtype) {
      why = `dtypes of query (${query.dtype}) and self.in_proj_weight (${this.inProjWeight.dtype}) don't match`;
    } else if (this.training) why = "training is enabled";
    else if (!this.batchFirst) why = "batch_first was not True";
    else if (this.biasK !== null) why = "self.bias_k was not None";
    else if (this.biasV !== null) why = "self.bias_v was not None";
    else if (this.dropout) why = `dropout was ${this.dropout}, required zero`;
    else if (this.addZeroAttn) why = "add_zero_attn was enabled";
    else if (!this.qkvSameEmbedDim) why = "_qkv_same_embed_dim was not True";
    else if ((options.attnMask ?? null) !== null) why = "attn_mask was not None";
    else if (this.numHeads % 2 === 1) why = "num_heads is odd";
    if (why) return why;
    const args = [query, key, value, this.inProjWeight, this.inProjBias, this.outProj.weight, this.outProj.bias];
    if (isGradEnabled() && args.some((x) => x !== null && x.requiresGrad)) {
      return "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad";
    }
    return "";
  }

  /**
   * Attention of `query` over `key` and `value`: [output, weights (averaged over heads unless
   * `averageAttnWeights` is false) or null without `needWeights`].
   */
  forward(
    query: Tensor,
    key: Tensor,
    value: Tensor,
    options: MultiheadAttentionForwardOptions = {},
  ): [Tensor, Tensor | null] {
    const where = "MultiheadAttention";
    checkTensor(where, "query", query);
    checkTensor(where, "key", key);
    checkTensor(where, "value", value);
    const kpm = checkTensor(where, "keyPaddingMask", options.keyPaddingMask ?? null, true);
    const attnMask = checkTensor(where, "attnMask", options.attnMask ?? null, true);
    const needWeights = checkBoolean(where, "needWeights", options.needWeights ?? true);
    const average = checkBoolean(where, "averageAttnWeights", options.averageAttnWeights ?? true);
    if (kpm !== null && kpm.dtype !== "bool" && !isFloatingPoint(kpm.dtype)) {
      throw new TypeError(`${where}: only bool and floating types of keyPaddingMask are supported`);
    }
    const isBatched = query.ndim === 3;
    if (this.whyNotFastPath(query, key, value, options) === "") {
      const maskType = kpm !== null ? 1 : attnMask !== null ? 0 : null;
      const [out, weights] = callN(NATIVE_MHA, [
        query,
        key,
        value,
        this.embedDim,
        this.numHeads,
        this.inProjWeight,
        this.inProjBias,
        this.outProj.weight,
        this.outProj.bias,
        kpm ?? attnMask,
        needWeights,
        average,
        maskType,
      ]) as [Tensor, Tensor | null];
      return [out, weights ?? null];
    }
    return tidy(() => {
      let q = query, k = key, v = value;
      if (this.batchFirst && isBatched) {
        // keep the identities that decide the projection path
        if (key === value) {
          if (query === key) q = k = v = query.transpose(1, 0);
          else {
            q = query.transpose(1, 0);
            k = v = key.transpose(1, 0);
          }
        } else {
          q = query.transpose(1, 0);
          k = key.transpose(1, 0);
          v = value.transpose(1, 0);
        }
      }
      const [out, weights] = multiHeadAttentionForward(q, k, v, this.embedDim, this.numHeads, {
        inProjWeight: this.inProjWeight,
        inProjBias: this.inProjBias,
        biasK: this.biasK,
        biasV: this.biasV,
        addZeroAttn: this.addZeroAttn,
        dropoutP: this.dropout,
        outProjWeight: this.outProj.weight,
        outProjBias: this.outProj.bias,
        training: this.training,
        keyPaddingMask: kpm,
        needWeights,
        attnMask,
        useSeparateProjWeight: !this.qkvSameEmbedDim,
        qProjWeight: this.qProjWeight,
        kProjWeight: this.kProjWeight,
        vProjWeight: this.vProjWeight,
        averageAttnWeights: average,
      });
      return [this.batchFirst && isBatched ? out.transpose(1, 0) : out, weights] as [Tensor, Tensor | null];
    });
  }
}
