/**
 * Attention: `scaledDotProductAttention` (this LibTorch 1.13's `aten::_scaled_dot_product_attention`,
 * PyTorch 1.13's private `F._scaled_dot_product_attention`; the public `F.scaled_dot_product_attention`
 * only came in PyTorch 2.0) and `multiHeadAttentionForward`, the same ATen calls in the same order as
 * 1.13's `F.multi_head_attention_forward`, so outputs and gradients are PyTorch's to the bit.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { scaledDotProductAttention } from "./functional_attention.ts";
 * const q = randn([2, 4, 8]), k = randn([2, 5, 8]), v = randn([2, 5, 8]);
 * const [out, weights] = scaledDotProductAttention(q, k, v, { needAttnWeights: true }); // [2, 4, 8], [2, 4, 5]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callN, callT, floatArg, op } from "../tensor/call.ts";
import { cat } from "../tensor/functions.ts";
import { zeros } from "../tensor/creation.ts";
import { isFloatingPoint } from "../tensor/dtype.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor, sizeText } from "../tensor/checks.ts";
import { dropout, linear, pad, softmax } from "./functional.ts";
import { TORCH2 } from "../ffi/native.ts";

const OPS = {
  sdpa: op("aten::_scaled_dot_product_attention"),
  // what 1.13's private operator became in LibTorch 2: the math kernel, always returning the weights
  sdpaMath: op("aten::_scaled_dot_product_attention_math"),
  baddbmm: op("aten::baddbmm"),
};

/** Options of {@linkcode scaledDotProductAttention}. */
export interface ScaledDotProductAttentionOptions {
  /** Added to the scores (float) or masking them out where true (bool) (default none). */
  attnMask?: Tensor | null;
  /** Dropout on the attention weights (default 0). */
  dropoutP?: number;
  /** Also return the attention weights (default false; else the second result is empty). */
  needAttnWeights?: boolean;
  /** Mask out the future (an upper triangular mask) (default false). */
  isCausal?: boolean;
}

/**
 * softmax(q kᵀ / √d + mask) v over [..., L, d] queries and [..., S, d] keys and values, returning
 * [output, attention weights] (`aten::_scaled_dot_product_attention`, PyTorch 1.13's
 * `F._scaled_dot_product_attention`; on LibTorch 2, where it is gone, `aten::_scaled_dot_product_attention_math`,
 * with an empty second result unless `needAttnWeights`, as 1.13's).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { scaledDotProductAttention } from "./functional_attention.ts";
 * const x = randn([1, 3, 4]);
 * const [y] = scaledDotProductAttention(x, x, x, { isCausal: true }); // [1, 3, 4]
 * ```
 */
export function scaledDotProductAttention(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  options: ScaledDotProductAttentionOptions = {},
): [Tensor, Tensor] {
  checkOptions("scaledDotProductAttention", options, ["attnMask", "dropoutP", "needAttnWeights", "isCausal"]);
  const where = "scaledDotProductAttention";
  checkTensor(where, "query", query);
  checkTensor(where, "key", key);
  checkTensor(where, "value", value);
  const mask = checkTensor(where, "attnMask", options.attnMask ?? null, true);
  const p = checkNumber(where, "dropoutP", options.dropoutP ?? 0, { min: 0, max: 1 });
  const need = checkBoolean(where, "needAttnWeights", options.needAttnWeights ?? false);
  const causal = checkBoolean(where, "isCausal", options.isCausal ?? false);
  if (!TORCH2) return callN(OPS.sdpa, [query, key, value, mask, floatArg(p), need, causal]) as [Tensor, Tensor];
  const [out, weights] = callN(OPS.sdpaMath, [query, key, value, mask, floatArg(p), causal]) as [Tensor, Tensor];
  if (need) return [out, weights];
  weights.dispose();
  return [out, zeros([0], { dtype: query.dtype, device: query.device })];
}

/** The tensors and options of {@linkcode multiHeadAttentionForward}, PyTorch's keyword arguments. */
export interface MultiHeadAttentionForwardOptions {
  /** The packed [3E, E] projection of query, key and value (null with `useSeparateProjWeight`). */
  inProjWeight: Tensor | null;
  /** The packed [3E] projection bias, or null. */
  inProjBias: Tensor | null;
  /** A learned key appended to the keys, [1, 1, E] (with `biasV`), or null. */
  biasK: Tensor | null;
  /** A learned value appended to the values, [1, 1, E], or null. */
  biasV: Tensor | null;
  /** Append a zero key and value. */
  addZeroAttn: boolean;
  /** Dropout on the attention weights (in training). */
  dropoutP: number;
  /** The output projection weight [E, E]. */
  outProjWeight: Tensor;
  /** The output projection bias, or null. */
  outProjBias: Tensor | null;
  /** Apply dropout (default true). */
  training?: boolean;
  /** [N, S] (or [S]): true (or -inf) marks keys to ignore (default none). */
  keyPaddingMask?: Tensor | null;
  /** Return the attention weights too (default true). */
  needWeights?: boolean;
  /** [L, S] or [N·heads, L, S]: added to the scores (float) or masking (bool) (default none). */
  attnMask?: Tensor | null;
  /** Use `qProjWeight`, `kProjWeight`, `vProjWeight` instead of the packed weight (default false). */
  useSeparateProjWeight?: boolean;
  /** The query projection [E, E] with separate weights. */
  qProjWeight?: Tensor | null;
  /** The key projection [E, kdim] with separate weights. */
  kProjWeight?: Tensor | null;
  /** The value projection [E, vdim] with separate weights. */
  vProjWeight?: Tensor | null;
  /** Average the returned weights over the heads (default true). */
  averageAttnWeights?: boolean;
}

function assert(cond: boolean, message: string): void {
  if (!cond) throw new RangeError(`multiHeadAttentionForward: ${message}`);
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** PyTorch's `_in_projection_packed`: one linear for self-attention, two for encoder-decoder, else three. */
function inProjectionPacked(q: Tensor, k: Tensor, v: Tensor, w: Tensor, b: Tensor | null): Tensor[] {
  const e = q.shape[q.ndim - 1];
  if (k === v) {
    if (q === k) return linear(q, w, b).chunk(3, -1);
    const [wq, wkv] = w.split([e, e * 2]);
    const [bq, bkv] = b === null ? [null, null] : b.split([e, e * 2]);
    return [linear(q, wq, bq), ...linear(k, wkv, bkv).chunk(2, -1)];
  }
  const [wq, wk, wv] = w.chunk(3);
  const [bq, bk, bv] = b === null ? [null, null, null] : b.chunk(3);
  return [linear(q, wq, bq), linear(k, wk, bk), linear(v, wv, bv)];
}

/**
 * Multi-head attention over [L, N, E] query and [S, N, E] key and value (unbatched: [L, E], [S, E]):
 * PyTorch 1.13's `F.multi_head_attention_forward`, operator for operator. Returns [output [L, N, E],
 * weights [N, L, S] (or [N, heads, L, S] without averaging), or null without `needWeights`].
 *
 * @example
 * ```ts
 * import { randn, zeros } from "../mod.ts";
 * import { multiHeadAttentionForward } from "./functional_attention.ts";
 * const x = randn([5, 2, 8]);
 * const [y, w] = multiHeadAttentionForward(x, x, x, 8, 2, {
 *   inProjWeight: randn([24, 8]), inProjBias: zeros([24]), biasK: null, biasV: null, addZeroAttn: false,
 *   dropoutP: 0, outProjWeight: randn([8, 8]), outProjBias: zeros([8]),
 * });
 * ```
 */
export function multiHeadAttentionForward(
  query: Tensor,
  key: Tensor,
  value: Tensor,
  embedDimToCheck: number,
  numHeads: number,
  options: MultiHeadAttentionForwardOptions,
): [Tensor, Tensor | null] {
  checkOptions("multiHeadAttentionForward", options, [
    "inProjWeight",
    "inProjBias",
    "biasK",
    "biasV",
    "addZeroAttn",
    "dropoutP",
    "outProjWeight",
    "outProjBias",
    "training",
    "keyPaddingMask",
    "needWeights",
    "attnMask",
    "useSeparateProjWeight",
    "qProjWeight",
    "kProjWeight",
    "vProjWeight",
    "averageAttnWeights",
  ]);
  const where = "multiHeadAttentionForward";
  checkTensor(where, "query", query);
  checkTensor(where, "key", key);
  checkTensor(where, "value", value);
  checkInt(where, "embedDimToCheck", embedDimToCheck, 1);
  checkInt(where, "numHeads", numHeads, 1);
  const o = options;
  const inProjWeight = checkTensor(where, "inProjWeight", o.inProjWeight ?? null, true);
  const inProjBias = checkTensor(where, "inProjBias", o.inProjBias ?? null, true);
  const biasK = checkTensor(where, "biasK", o.biasK ?? null, true);
  const biasV = checkTensor(where, "biasV", o.biasV ?? null, true);
  const addZeroAttn = checkBoolean(where, "addZeroAttn", o.addZeroAttn ?? false);
  let dropoutP = checkNumber(where, "dropoutP", o.dropoutP ?? 0, { min: 0, max: 1 });
  const outProjWeight = checkTensor(where, "outProjWeight", o.outProjWeight);
  const outProjBias = checkTensor(where, "outProjBias", o.outProjBias ?? null, true);
  const training = checkBoolean(where, "training", o.training ?? true);
  let keyPaddingMask = checkTensor(where, "keyPaddingMask", o.keyPaddingMask ?? null, true);
  const needWeights = checkBoolean(where, "needWeights", o.needWeights ?? true);
  let attnMask = checkTensor(where, "attnMask", o.attnMask ?? null, true);
  const separate = checkBoolean(where, "useSeparateProjWeight", o.useSeparateProjWeight ?? false);
  const average = checkBoolean(where, "averageAttnWeights", o.averageAttnWeights ?? true);

  // _mha_shape_check
  let isBatched: boolean;
  if (query.ndim === 3) {
    isBatched = true;
    assert(
      key.ndim === 3 && value.ndim === 3,
      `For batched (3-D) query, expected key and value to be 3-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`,
    );
    if (keyPaddingMask !== null) {
      assert(
        keyPaddingMask.ndim === 2,
        `For batched (3-D) query, expected keyPaddingMask to be null or 2-D but found ${keyPaddingMask.ndim}-D tensor instead`,
      );
    }
    if (attnMask !== null) {
      assert(
        attnMask.ndim === 2 || attnMask.ndim === 3,
        `For batched (3-D) query, expected attnMask to be null, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`,
      );
    }
  } else if (query.ndim === 2) {
    isBatched = false;
    assert(
      key.ndim === 2 && value.ndim === 2,
      `For unbatched (2-D) query, expected key and value to be 2-D but found ${key.ndim}-D and ${value.ndim}-D tensors respectively`,
    );
    if (keyPaddingMask !== null) {
      assert(
        keyPaddingMask.ndim === 1,
        `For unbatched (2-D) query, expected keyPaddingMask to be null or 1-D but found ${keyPaddingMask.ndim}-D tensor instead`,
      );
    }
    if (attnMask !== null) {
      assert(
        attnMask.ndim === 2 || attnMask.ndim === 3,
        `For unbatched (2-D) query, expected attnMask to be null, 2-D or 3-D but found ${attnMask.ndim}-D tensor instead`,
      );
      if (attnMask.ndim === 3) {
        const expected = [numHeads, query.shape[0], key.shape[0]];
        assert(
          sameShape(attnMask.shape, expected),
          `Expected attnMask shape to be ${sizeText(expected)} but got ${sizeText(attnMask.shape)}`,
        );
      }
    }
  } else {
    throw new RangeError(
      `${where}: query should be unbatched 2D or batched 3D tensor but received ${query.ndim}-D query tensor`,
    );
  }
  if (keyPaddingMask !== null && keyPaddingMask.dtype !== "bool" && !isFloatingPoint(keyPaddingMask.dtype)) {
    throw new TypeError(`${where}: only bool and floating types of keyPaddingMask are supported`);
  }

  return tidy(() => {
    let q0 = query, k0 = key, v0 = value;
    if (!isBatched) {
      // three new tensors, as in PyTorch: self-attention on unbatched input projects with three linears
      q0 = query.unsqueeze(1);
      k0 = key.unsqueeze(1);
      v0 = value.unsqueeze(1);
      if (keyPaddingMask !== null) keyPaddingMask = keyPaddingMask.unsqueeze(0);
    }
    const [tgtLen, bsz, embedDim] = q0.shape;
    let srcLen = k0.shape[0];
    assert(
      embedDim === embedDimToCheck,
      `was expecting embedding dimension of ${embedDimToCheck}, but got ${embedDim}`,
    );
    const headDim = Math.floor(embedDim / numHeads);
    assert(headDim * numHeads === embedDim, `embed_dim ${embedDim} not divisible by num_heads ${numHeads}`);
    if (separate) {
      assert(
        sameShape(k0.shape.slice(0, 2), v0.shape.slice(0, 2)),
        `key's sequence and batch dims ${sizeText(k0.shape.slice(0, 2))} do not match value's ${
          sizeText(v0.shape.slice(0, 2))
        }`,
      );
    } else {
      assert(
        sameShape(k0.shape, v0.shape),
        `key shape ${sizeText(k0.shape)} does not match value shape ${sizeText(v0.shape)}`,
      );
    }

    // in-projection
    let q: Tensor, k: Tensor, v: Tensor;
    if (!separate) {
      assert(inProjWeight !== null, "useSeparateProjWeight is false but inProjWeight is null");
      [q, k, v] = inProjectionPacked(q0, k0, v0, inProjWeight!, inProjBias);
    } else {
      const wq = checkTensor(where, "qProjWeight", o.qProjWeight ?? null, true);
      const wk = checkTensor(where, "kProjWeight", o.kProjWeight ?? null, true);
      const wv = checkTensor(where, "vProjWeight", o.vProjWeight ?? null, true);
      assert(wq !== null, "useSeparateProjWeight is true but qProjWeight is null");
      assert(wk !== null, "useSeparateProjWeight is true but kProjWeight is null");
      assert(wv !== null, "useSeparateProjWeight is true but vProjWeight is null");
      const [bq, bk, bv] = inProjBias === null ? [null, null, null] : inProjBias.chunk(3);
      const eq = q0.shape[2], ek = k0.shape[2], ev = v0.shape[2];
      assert(
        sameShape(wq!.shape, [eq, eq]),
        `expecting query weights shape of ${sizeText([eq, eq])}, but got ${sizeText(wq!.shape)}`,
      );
      assert(
        sameShape(wk!.shape, [eq, ek]),
        `expecting key weights shape of ${sizeText([eq, ek])}, but got ${sizeText(wk!.shape)}`,
      );
      assert(
        sameShape(wv!.shape, [eq, ev]),
        `expecting value weights shape of ${sizeText([eq, ev])}, but got ${sizeText(wv!.shape)}`,
      );
      q = linear(q0, wq!, bq);
      k = linear(k0, wk!, bk);
      v = linear(v0, wv!, bv);
    }

    // the attention mask
    if (attnMask !== null) {
      if (attnMask.dtype === "uint8") attnMask = attnMask.to({ dtype: "bool" });
      else if (!isFloatingPoint(attnMask.dtype) && attnMask.dtype !== "bool") {
        throw new TypeError(
          `${where}: Only float, byte, and bool types are supported for attnMask, not ${attnMask.dtype}`,
        );
      }
      if (attnMask.ndim === 2) {
        const correct = [tgtLen, srcLen];
        if (!sameShape(attnMask.shape, correct)) {
          throw new RangeError(
            `${where}: The shape of the 2D attnMask is ${sizeText(attnMask.shape)}, but should be ${
              sizeText(correct)
            }.`,
          );
        }
        attnMask = attnMask.unsqueeze(0);
      } else if (attnMask.ndim === 3) {
        const correct = [bsz * numHeads, tgtLen, srcLen];
        if (!sameShape(attnMask.shape, correct)) {
          throw new RangeError(
            `${where}: The shape of the 3D attnMask is ${sizeText(attnMask.shape)}, but should be ${
              sizeText(correct)
            }.`,
          );
        }
      } else {
        throw new RangeError(`${where}: attnMask's dimension ${attnMask.ndim} is not supported`);
      }
    }

    // bias along the batch dimension
    if (biasK !== null && biasV !== null) {
      k = cat([k, biasK.repeat(1, bsz, 1)]);
      v = cat([v, biasV.repeat(1, bsz, 1)]);
      if (attnMask !== null) attnMask = pad(attnMask, [0, 1]);
      if (keyPaddingMask !== null) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
    } else {
      assert(biasK === null, "biasK is given without biasV");
      assert(biasV === null, "biasV is given without biasK");
    }

    // heads into the batch
    q = q.contiguous().view(tgtLen, bsz * numHeads, headDim).transpose(0, 1);
    k = k.contiguous().view(k.shape[0], bsz * numHeads, headDim).transpose(0, 1);
    v = v.contiguous().view(v.shape[0], bsz * numHeads, headDim).transpose(0, 1);

    if (addZeroAttn) {
      const zeroShape = [bsz * numHeads, 1, headDim];
      k = cat([k, zeros(zeroShape, { dtype: k.dtype, device: k.device })], 1);
      v = cat([v, zeros(zeroShape, { dtype: v.dtype, device: v.device })], 1);
      if (attnMask !== null) attnMask = pad(attnMask, [0, 1]);
      if (keyPaddingMask !== null) keyPaddingMask = pad(keyPaddingMask, [0, 1]);
    }
    srcLen = k.shape[1];

    // merge the key padding and attention masks
    if (keyPaddingMask !== null) {
      assert(
        sameShape(keyPaddingMask.shape, [bsz, srcLen]),
        `expecting keyPaddingMask shape of ${sizeText([bsz, srcLen])}, but got ${sizeText(keyPaddingMask.shape)}`,
      );
      keyPaddingMask = keyPaddingMask.view(bsz, 1, 1, srcLen).expand(-1, numHeads, -1, -1).reshape(
        bsz * numHeads,
        1,
        srcLen,
      );
      if (attnMask === null) attnMask = keyPaddingMask;
      else if (attnMask.dtype === "bool") attnMask = attnMask.logicalOr(keyPaddingMask);
      else attnMask = attnMask.maskedFill(keyPaddingMask, -Infinity);
    }
    if (attnMask !== null && attnMask.dtype === "bool") {
      const mask = zeros(attnMask.shape, { dtype: q.dtype, device: q.device });
      mask.maskedFill_(attnMask, -Infinity);
      attnMask = mask;
    }
    if (!training) dropoutP = 0.0;

    // attention and the out-projection
    const e = q.shape[2];
    const qScaled = q.div(Math.sqrt(e));
    let weights = attnMask !== null
      ? callT(OPS.baddbmm, attnMask, qScaled, k.transpose(-2, -1))
      : qScaled.bmm(k.transpose(-2, -1));
    weights = softmax(weights, -1);
    if (dropoutP > 0.0) weights = dropout(weights, dropoutP);
    let out = weights.bmm(v);
    out = out.transpose(0, 1).contiguous().view(tgtLen * bsz, embedDim);
    out = linear(out, outProjWeight, outProjBias);
    out = out.view(tgtLen, bsz, out.shape[1]);
    if (needWeights) {
      weights = weights.view(bsz, numHeads, tgtLen, srcLen);
      if (average) weights = weights.sum(1).div(numHeads);
      if (!isBatched) {
        out = out.squeeze(1);
        weights = weights.squeeze(0);
      }
      return [out, weights] as [Tensor, Tensor | null];
    }
    if (!isBatched) out = out.squeeze(1);
    return [out, null] as [Tensor, Tensor | null];
  });
}
