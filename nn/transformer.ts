/**
 * `TransformerEncoderLayer`, `TransformerEncoder`, `TransformerDecoderLayer`, `TransformerDecoder` and
 * `Transformer`, as PyTorch 1.13 has them, with the paths 1.13 takes: in training (or with autograd) the composed path (self-attention,
 * feed-forward, LayerNorms, post- or pre-norm); in evaluation without autograd, batched, batch-first,
 * with ReLU or GELU, equal LayerNorm epsilons, no `srcMask` and an even number of heads, the fused
 * `aten::_transformer_encoder_layer_fwd`; and `TransformerEncoder`'s nested-tensor path for a
 * left-aligned `srcKeyPaddingMask` (`aten::_nested_tensor_from_mask`, the fused layers, then
 * `aten::to_padded_tensor`), exactly where 1.13 takes each.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { isGradEnabled } from "../tensor/autograd.ts";
import { callN, callT, floatArg, op } from "../tensor/call.ts";
import { isFloatingPoint } from "../tensor/dtype.ts";
import { tidy } from "../tensor/memory.ts";
import { full } from "../tensor/creation.ts";
import { getRngState, setRngState } from "../tensor/random.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { GELU, ReLU } from "./activation.ts";
import { MultiheadAttention } from "./attention.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor, describe } from "../tensor/checks.ts";
import { ModuleList } from "./container.ts";
import { Dropout } from "./dropout.ts";
import { relu } from "./functional.ts";
import { gelu } from "./functional_activation.ts";
import { xavierUniform_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Linear } from "./linear.ts";
import { Module } from "./module.ts";
import { LayerNorm } from "./normalization.ts";

const OPS = {
  encoderLayerFwd: op("aten::_transformer_encoder_layer_fwd"),
  nestedFromMask: op("aten::_nested_tensor_from_mask"),
  leftAligned: op("aten::_nested_tensor_from_mask_left_aligned"),
  toPadded: op("aten::to_padded_tensor"),
};

/** A transformer activation: `"relu"`, `"gelu"`, a function of a tensor, or a Module (as in PyTorch). */
export type TransformerActivation = "relu" | "gelu" | ((x: Tensor) => Tensor) | Module;

/** Options of {@linkcode TransformerEncoderLayer} and {@linkcode TransformerDecoderLayer}. */
export interface TransformerLayerOptions extends FactoryOptions {
  /** The hidden size of the feed-forward block (default 2048). */
  dimFeedforward?: number;
  /** Dropout in the attention and after each block (default 0.1). */
  dropout?: number;
  /** The feed-forward activation (default `"relu"`). */
  activation?: TransformerActivation;
  /** The LayerNorms' epsilon (default 1e-5). */
  layerNormEps?: number;
  /** Inputs and outputs are [batch, seq, feature] (default false). */
  batchFirst?: boolean;
  /** LayerNorm before each block (pre-norm) instead of after (default false). */
  normFirst?: boolean;
}

interface LayerConfig {
  dModel: number;
  nhead: number;
  dimFeedforward: number;
  dropout: number;
  layerNormEps: number;
  batchFirst: boolean;
  normFirst: boolean;
  factory: FactoryOptions;
}

function layerConfig(where: string, dModel: number, nhead: number, o: TransformerLayerOptions): LayerConfig {
  return {
    dModel: checkInt(where, "dModel", dModel, 1),
    nhead: checkInt(where, "nhead", nhead, 1),
    dimFeedforward: checkInt(where, "dimFeedforward", o.dimFeedforward ?? 2048, 1),
    dropout: checkNumber(where, "dropout", o.dropout ?? 0.1, { min: 0, max: 1 }),
    layerNormEps: checkNumber(where, "layerNormEps", o.layerNormEps ?? 1e-5),
    batchFirst: checkBoolean(where, "batchFirst", o.batchFirst ?? false),
    normFirst: checkBoolean(where, "normFirst", o.normFirst ?? false),
    factory: { dtype: o.dtype, device: o.device },
  };
}

/** The constructor options that rebuild a layer of configuration `c`. */
function layerOptionsOf(c: LayerConfig, activation: TransformerActivation | undefined): TransformerLayerOptions {
  return {
    dimFeedforward: c.dimFeedforward,
    dropout: c.dropout,
    activation,
    layerNormEps: c.layerNormEps,
    batchFirst: c.batchFirst,
    normFirst: c.normFirst,
    ...c.factory,
  };
}

/**
 * PyTorch's `copy.deepcopy` of a transformer layer: a new layer built with the global generator's state
 * restored afterwards, then the values, requires-grad flags and mode copied.
 */
function cloneLayer<M extends Module>(
  layer: M,
  activation: TransformerActivation | undefined,
  build: (activation: TransformerActivation | undefined) => M,
): M {
  if (activation instanceof Module && activation.parameters().length > 0) {
    throw new TypeError(`${layer.typeName}.clone: an activation Module with parameters cannot be shared`);
  }
  const state = getRngState();
  let copy: M;
  try {
    copy = build(activation);
  } finally {
    setRngState(state);
    state.dispose();
  }
  tidy(() => copy.loadStateDict(layer.stateDict()));
  const own = new Map(layer.namedParameters());
  for (const [k, p] of copy.namedParameters()) p.requiresGrad = own.get(k)!.requiresGrad;
  copy.train(layer.training);
  return copy;
}

/** PyTorch's `_get_activation_fn` and `activation_relu_or_gelu`: the function and 1 (ReLU), 2 (GELU) or 0. */
function activationOf(
  where: string,
  a: TransformerActivation | undefined,
): [(x: Tensor) => Tensor, Module | null, number] {
  const act = a ?? "relu";
  if (act === "relu") return [relu, null, 1];
  if (act === "gelu") return [gelu, null, 2];
  if (act instanceof Module) {
    const kind = act instanceof ReLU ? 1 : act instanceof GELU ? 2 : 0;
    return [(x) => act.forward(x) as Tensor, act, kind];
  }
  if (typeof act === "function") return [act, null, act === relu ? 1 : act === gelu ? 2 : 0];
  throw new TypeError(
    `${where}: activation should be "relu", "gelu", a function or a Module, got ${describe(act, "size")}`,
  );
}

function checkMask(where: string, name: string, mask: Tensor | null): void {
  if (mask !== null && mask.dtype !== "bool" && !isFloatingPoint(mask.dtype)) {
    throw new TypeError(`${where}: only bool and floating types of ${name} are supported`);
  }
}

/** Options of {@linkcode TransformerEncoderLayer.forward}. */
export interface TransformerEncoderLayerForwardOptions {
  /** The attention mask [S, S] or [N·heads, S, S] (default none). */
  srcMask?: Tensor | null;
  /** [N, S]: true marks padding positions (default none). */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * A transformer encoder layer: self-attention and a feed-forward block, each with dropout, a residual
 * connection and a LayerNorm (torch.nn.TransformerEncoderLayer).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { TransformerEncoderLayer } from "./transformer.ts";
 * manualSeed(0);
 * const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
 * const y = layer.forward(randn([3, 5, 8])); // [3, 5, 8]
 * ```
 */
export class TransformerEncoderLayer extends Module {
  /** The self-attention. */
  readonly selfAttn: MultiheadAttention;
  /** The first feed-forward projection. */
  readonly linear1: Linear;
  /** The dropout inside the feed-forward block. */
  readonly dropout: Dropout;
  /** The second feed-forward projection. */
  readonly linear2: Linear;
  /** Whether the LayerNorms come before the blocks. */
  readonly normFirst: boolean;
  /** The LayerNorm of the attention block. */
  readonly norm1: LayerNorm;
  /** The LayerNorm of the feed-forward block. */
  readonly norm2: LayerNorm;
  /** The dropout after the attention. */
  readonly dropout1: Dropout;
  /** The dropout after the feed-forward block. */
  readonly dropout2: Dropout;
  /** 1 for ReLU, 2 for GELU, 0 otherwise (PyTorch's `activation_relu_or_gelu`). */
  readonly activationReluOrGelu: number;
  /** The feed-forward activation. */
  readonly activation: (x: Tensor) => Tensor;
  readonly #config: LayerConfig;
  readonly #activationOption: TransformerActivation | undefined;

  /** An encoder layer of model size `dModel` with `nhead` heads. */
  constructor(dModel: number, nhead: number, options?: TransformerLayerOptions);
  /** PyTorch's positional form `TransformerEncoderLayer(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, *, device, dtype)`. */
  constructor(
    dModel: number,
    nhead: number,
    dimFeedforward?: TransformerLayerOptions["dimFeedforward"],
    dropout?: TransformerLayerOptions["dropout"],
    activation?: TransformerLayerOptions["activation"],
    layerNormEps?: TransformerLayerOptions["layerNormEps"],
    batchFirst?: TransformerLayerOptions["batchFirst"],
    normFirst?: TransformerLayerOptions["normFirst"],
    options?: TransformerLayerOptions,
  );
  constructor(dModel: number, nhead: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<TransformerLayerOptions>(
      "TransformerEncoderLayer",
      args,
      ["dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst"],
      ["device", "dtype"],
      "new TransformerEncoderLayer(dModel, nhead, { dimFeedforward: ... })",
    );
    const where = "TransformerEncoderLayer";
    const c = layerConfig(where, dModel, nhead, options);
    this.#config = c;
    this.#activationOption = options.activation;
    this.selfAttn = this.registerModule(
      "self_attn",
      new MultiheadAttention(c.dModel, c.nhead, { dropout: c.dropout, batchFirst: c.batchFirst, ...c.factory }),
    );
    this.linear1 = this.registerModule("linear1", new Linear(c.dModel, c.dimFeedforward, c.factory));
    this.dropout = this.registerModule("dropout", new Dropout(c.dropout));
    this.linear2 = this.registerModule("linear2", new Linear(c.dimFeedforward, c.dModel, c.factory));
    this.normFirst = c.normFirst;
    this.norm1 = this.registerModule("norm1", new LayerNorm(c.dModel, { eps: c.layerNormEps, ...c.factory }));
    this.norm2 = this.registerModule("norm2", new LayerNorm(c.dModel, { eps: c.layerNormEps, ...c.factory }));
    this.dropout1 = this.registerModule("dropout1", new Dropout(c.dropout));
    this.dropout2 = this.registerModule("dropout2", new Dropout(c.dropout));
    const [fn, module, kind] = activationOf(where, options.activation);
    this.activation = fn;
    this.activationReluOrGelu = kind;
    if (module !== null) this.registerModule("activation", module);
  }

  /**
   * A copy with the same configuration and values (PyTorch's `copy.deepcopy`, as `TransformerEncoder`
   * uses it); the global generator is left as it was. An activation Module is shared, not copied (it
   * must have no parameters).
   */
  clone(): TransformerEncoderLayer {
    return cloneLayer(this, this.#activationOption, (activation) => {
      const c = this.#config;
      return new TransformerEncoderLayer(c.dModel, c.nhead, layerOptionsOf(c, activation));
    });
  }

  /** Why PyTorch 1.13 would not take the fused path (`""` when it would), in its words. */
  whyNotFastPath(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}, nested = false): string {
    let why = "";
    if (!nested && src.ndim !== 3) why = `input not batched; expected src.dim() of 3 but got ${src.ndim}`;
    else if (this.training) why = "training is enabled";
    else if (!this.selfAttn.batchFirst) why = "self_attn.batch_first was not True";
    else if (!this.selfAttn.qkvSameEmbedDim) why = "self_attn._qkv_same_embed_dim was not True";
    else if (!this.activationReluOrGelu) why = "activation_relu_or_gelu was not True";
    else if (this.norm1.eps !== this.norm2.eps) why = "norm1.eps is not equal to norm2.eps";
    else if ((options.srcMask ?? null) !== null) why = "src_mask is not supported for fastpath";
    else if (nested && (options.srcKeyPaddingMask ?? null) !== null) {
      why = "src_key_padding_mask is not supported with NestedTensor input for fastpath";
    } else if (this.selfAttn.numHeads % 2 === 1) why = "num_head is odd";
    if (why) return why;
    if (isGradEnabled() && (src.requiresGrad || this.fusedArgs().some((x) => x.requiresGrad))) {
      return "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad";
    }
    return "";
  }

  /** The parameters of `aten::_transformer_encoder_layer_fwd`, in its order. */
  private fusedArgs(): Tensor[] {
    const a = this.selfAttn;
    return [
      a.inProjWeight!,
      a.inProjBias!,
      a.outProj.weight,
      a.outProj.bias!,
      this.norm1.weight!,
      this.norm1.bias!,
      this.norm2.weight!,
      this.norm2.bias!,
      this.linear1.weight,
      this.linear1.bias!,
      this.linear2.weight,
      this.linear2.bias!,
    ];
  }

  /** `aten::_transformer_encoder_layer_fwd` with PyTorch's arguments. */
  private fused(src: Tensor, mask: Tensor | null, maskType: number | null): Tensor {
    const [qkvW, qkvB, projW, projB, n1w, n1b, n2w, n2b, f1w, f1b, f2w, f2b] = this.fusedArgs();
    return callN(OPS.encoderLayerFwd, [
      src,
      this.selfAttn.embedDim,
      this.selfAttn.numHeads,
      qkvW,
      qkvB,
      projW,
      projB,
      this.activationReluOrGelu === 2,
      this.normFirst,
      floatArg(this.norm1.eps),
      n1w,
      n1b,
      n2w,
      n2b,
      f1w,
      f1b,
      f2w,
      f2b,
      mask,
      maskType,
    ])[0] as Tensor;
  }

  /**
   * Runs the layer on a nested tensor (from `TransformerEncoder`'s padding-mask path): only the fused
   * path can take one, as in PyTorch.
   */
  forwardNested(src: Tensor): Tensor {
    const why = this.whyNotFastPath(src, {}, true);
    if (why !== "") {
      throw new RangeError(
        `TransformerEncoderLayer: a nested tensor input needs the fast path, which is not taken because ${why}`,
      );
    }
    return this.fused(src, null, null);
  }

  /** The encoded `src` ([S, N, E], or [N, S, E] batch first, or unbatched [S, E]). */
  forward(src: Tensor, options: TransformerEncoderLayerForwardOptions = {}): Tensor {
    const where = "TransformerEncoderLayer";
    checkTensor(where, "src", src);
    const srcMask = checkTensor(where, "srcMask", options.srcMask ?? null, true);
    const kpm = checkTensor(where, "srcKeyPaddingMask", options.srcKeyPaddingMask ?? null, true);
    checkMask(where, "srcKeyPaddingMask", kpm);
    if (this.whyNotFastPath(src, options) === "") {
      return this.fused(src, srcMask ?? kpm, kpm !== null ? 1 : srcMask !== null ? 0 : null);
    }
    return tidy(() => {
      let x = src;
      if (this.normFirst) {
        x = x.add(this.saBlock(this.norm1.forward(x), srcMask, kpm));
        x = x.add(this.ffBlock(this.norm2.forward(x)));
      } else {
        x = this.norm1.forward(x.add(this.saBlock(x, srcMask, kpm)));
        x = this.norm2.forward(x.add(this.ffBlock(x)));
      }
      return x;
    });
  }

  /** The self-attention block (PyTorch's `_sa_block`). */
  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [y] = this.selfAttn.forward(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(y);
  }

  /** The feed-forward block (PyTorch's `_ff_block`). */
  private ffBlock(x: Tensor): Tensor {
    return this.dropout2.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

/** Options of {@linkcode TransformerEncoder}. */
export interface TransformerEncoderOptions {
  /** A final normalisation (default none). */
  norm?: Module | null;
  /** Take the nested-tensor path for padding masks where PyTorch 1.13 does (default true). */
  enableNestedTensor?: boolean;
  /** Check that the padding mask is left aligned before the nested path (default true). */
  maskCheck?: boolean;
}

/** Options of {@linkcode TransformerEncoder.forward}. */
export interface TransformerEncoderForwardOptions {
  /** The attention mask (default none). */
  mask?: Tensor | null;
  /** [N, S]: true marks padding positions (default none). */
  srcKeyPaddingMask?: Tensor | null;
}

/**
 * A stack of `numLayers` copies of an encoder layer, with an optional final norm
 * (torch.nn.TransformerEncoder). The given layer becomes `layers[0]` and the others are copies of it
 * (PyTorch deep-copies it `numLayers` times; the values are the same, and the global generator is not
 * touched).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LayerNorm } from "./normalization.ts";
 * import { TransformerEncoder, TransformerEncoderLayer } from "./transformer.ts";
 * const enc = new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2, {
 *   norm: new LayerNorm(8),
 * });
 * const y = enc.forward(randn([4, 2, 8])); // [4, 2, 8]
 * ```
 */
export class TransformerEncoder extends Module {
  /** The layers. */
  readonly layers: ModuleList;
  /** The number of layers. */
  readonly numLayers: number;
  /** The final norm, or null. */
  readonly norm: Module | null;
  /** Whether the nested-tensor path may be taken. */
  readonly enableNestedTensor: boolean;
  /** Whether the padding mask's alignment is checked. */
  readonly maskCheck: boolean;

  /** `numLayers` layers like `encoderLayer` (which becomes the first). */
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, options?: TransformerEncoderOptions);
  /** PyTorch's positional form `TransformerEncoder(encoder_layer, num_layers, norm, enable_nested_tensor, mask_check)`. */
  constructor(
    encoderLayer: TransformerEncoderLayer,
    numLayers: number,
    norm?: TransformerEncoderOptions["norm"],
    enableNestedTensor?: TransformerEncoderOptions["enableNestedTensor"],
    maskCheck?: TransformerEncoderOptions["maskCheck"],
  );
  constructor(encoderLayer: TransformerEncoderLayer, numLayers: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<TransformerEncoderOptions>(
      "TransformerEncoder",
      args,
      ["norm", "enableNestedTensor", "maskCheck"],
      [],
      "new TransformerEncoder(encoderLayer, numLayers, { norm: ... })",
    );
    const where = "TransformerEncoder";
    if (!(encoderLayer instanceof TransformerEncoderLayer)) {
      throw new TypeError(
        `${where}: encoderLayer must be a TransformerEncoderLayer, got ${describe(encoderLayer, "size")}`,
      );
    }
    this.numLayers = checkInt(where, "numLayers", numLayers, 1);
    const layers: Module[] = [encoderLayer];
    for (let i = 1; i < numLayers; i++) layers.push(encoderLayer.clone());
    this.layers = this.registerModule("layers", new ModuleList(layers));
    const norm = options.norm ?? null;
    if (norm !== null && !(norm instanceof Module)) {
      throw new TypeError(`${where}: norm must be a Module or null, got ${describe(norm, "size")}`);
    }
    this.norm = this.registerModule("norm", norm);
    this.enableNestedTensor = checkBoolean(where, "enableNestedTensor", options.enableNestedTensor ?? true);
    this.maskCheck = checkBoolean(where, "maskCheck", options.maskCheck ?? true);
  }

  /** The layers in order. */
  get layerList(): TransformerEncoderLayer[] {
    return this.layers.children() as TransformerEncoderLayer[];
  }

  /** Why PyTorch 1.13 would not take the nested-tensor path (`""` when it would). */
  whyNotSparsityFastPath(src: Tensor, options: TransformerEncoderForwardOptions = {}): string {
    const first = this.layerList[0];
    const kpm = options.srcKeyPaddingMask ?? null;
    const s = "self.layers[0]";
    let why = "";
    if (first.normFirst) why = `${s}.norm_first was True`;
    else if (first.training) why = `${s} was in training mode`;
    else if (!first.selfAttn.batchFirst) why = ` ${s}.self_attn.batch_first was not True`;
    else if (!first.selfAttn.qkvSameEmbedDim) why = `${s}.self_attn._qkv_same_embed_dim was not True`;
    else if (!first.activationReluOrGelu) why = ` ${s}.activation_relu_or_gelu was not True`;
    else if (first.norm1.eps !== first.norm2.eps) why = `${s}.norm1.eps was not equal to ${s}.norm2.eps`;
    else if (src.ndim !== 3) why = `input not batched; expected src.dim() of 3 but got ${src.ndim}`;
    else if (!this.enableNestedTensor) why = "enable_nested_tensor was not True";
    else if (kpm === null) why = "src_key_padding_mask was None";
    else if (this.maskCheck && !tidy(() => callN(OPS.leftAligned, [src, kpm.logicalNot()])[0] as boolean)) {
      why = "mask_check enabled, and src and src_key_padding_mask was not left aligned";
    } else if ((options.mask ?? null) !== null) why = "src_key_padding_mask and mask were both supplied";
    else if (first.selfAttn.numHeads % 2 === 1) why = "num_head is odd";
    if (why) return why;
    const a = first.selfAttn;
    const args = [
      src,
      a.inProjWeight,
      a.inProjBias,
      a.outProj.weight,
      a.outProj.bias,
      first.norm1.weight,
      first.norm1.bias,
      first.norm2.weight,
      first.norm2.bias,
      first.linear1.weight,
      first.linear1.bias,
      first.linear2.weight,
      first.linear2.bias,
    ];
    if (isGradEnabled() && args.some((x) => x !== null && x.requiresGrad)) {
      return "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad";
    }
    return "";
  }

  /** `src` through every layer (and the norm). */
  forward(src: Tensor, options: TransformerEncoderForwardOptions = {}): Tensor {
    const where = "TransformerEncoder";
    checkTensor(where, "src", src);
    const mask = checkTensor(where, "mask", options.mask ?? null, true);
    const kpm = checkTensor(where, "srcKeyPaddingMask", options.srcKeyPaddingMask ?? null, true);
    checkMask(where, "srcKeyPaddingMask", kpm);
    return tidy(() => {
      let output = src;
      if (this.whyNotSparsityFastPath(src, options) === "") {
        let nested = callT(OPS.nestedFromMask, output, kpm!.logicalNot(), false);
        for (const layer of this.layerList) nested = layer.forwardNested(nested);
        output = callT(OPS.toPadded, nested, floatArg(0), null);
      } else {
        for (const layer of this.layerList) output = layer.forward(output, { srcMask: mask, srcKeyPaddingMask: kpm });
      }
      if (this.norm !== null) output = this.norm.forward(output) as Tensor;
      return output;
    });
  }
}

/** Options of {@linkcode TransformerDecoderLayer.forward}. */
export interface TransformerDecoderLayerForwardOptions {
  /** The self-attention mask [T, T] (default none). */
  tgtMask?: Tensor | null;
  /** The cross-attention mask [T, S] (default none). */
  memoryMask?: Tensor | null;
  /** [N, T]: true marks target padding (default none). */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]: true marks memory padding (default none). */
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * A transformer decoder layer: self-attention, cross-attention over the encoder's memory and a
 * feed-forward block (torch.nn.TransformerDecoderLayer; 1.13 has no fused path for it).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { TransformerDecoderLayer } from "./transformer.ts";
 * const layer = new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 });
 * const y = layer.forward(randn([4, 2, 8]), randn([5, 2, 8])); // [4, 2, 8]
 * ```
 */
export class TransformerDecoderLayer extends Module {
  /** The self-attention. */
  readonly selfAttn: MultiheadAttention;
  /** The cross-attention over the memory. */
  readonly multiheadAttn: MultiheadAttention;
  /** The first feed-forward projection. */
  readonly linear1: Linear;
  /** The dropout inside the feed-forward block. */
  readonly dropout: Dropout;
  /** The second feed-forward projection. */
  readonly linear2: Linear;
  /** Whether the LayerNorms come before the blocks. */
  readonly normFirst: boolean;
  /** The LayerNorm of the self-attention block. */
  readonly norm1: LayerNorm;
  /** The LayerNorm of the cross-attention block. */
  readonly norm2: LayerNorm;
  /** The LayerNorm of the feed-forward block. */
  readonly norm3: LayerNorm;
  /** The dropout after the self-attention. */
  readonly dropout1: Dropout;
  /** The dropout after the cross-attention. */
  readonly dropout2: Dropout;
  /** The dropout after the feed-forward block. */
  readonly dropout3: Dropout;
  /** The feed-forward activation. */
  readonly activation: (x: Tensor) => Tensor;
  readonly #config: LayerConfig;
  readonly #activationOption: TransformerActivation | undefined;

  /** A decoder layer of model size `dModel` with `nhead` heads. */
  constructor(dModel: number, nhead: number, options?: TransformerLayerOptions);
  /** PyTorch's positional form `TransformerDecoderLayer(d_model, nhead, dim_feedforward, dropout, activation, layer_norm_eps, batch_first, norm_first, *, device, dtype)`. */
  constructor(
    dModel: number,
    nhead: number,
    dimFeedforward?: TransformerLayerOptions["dimFeedforward"],
    dropout?: TransformerLayerOptions["dropout"],
    activation?: TransformerLayerOptions["activation"],
    layerNormEps?: TransformerLayerOptions["layerNormEps"],
    batchFirst?: TransformerLayerOptions["batchFirst"],
    normFirst?: TransformerLayerOptions["normFirst"],
    options?: TransformerLayerOptions,
  );
  constructor(dModel: number, nhead: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<TransformerLayerOptions>(
      "TransformerDecoderLayer",
      args,
      ["dimFeedforward", "dropout", "activation", "layerNormEps", "batchFirst", "normFirst"],
      ["device", "dtype"],
      "new TransformerDecoderLayer(dModel, nhead, { dimFeedforward: ... })",
    );
    const where = "TransformerDecoderLayer";
    const c = layerConfig(where, dModel, nhead, options);
    this.#config = c;
    this.#activationOption = options.activation;
    const mha = () =>
      new MultiheadAttention(c.dModel, c.nhead, { dropout: c.dropout, batchFirst: c.batchFirst, ...c.factory });
    this.selfAttn = this.registerModule("self_attn", mha());
    this.multiheadAttn = this.registerModule("multihead_attn", mha());
    this.linear1 = this.registerModule("linear1", new Linear(c.dModel, c.dimFeedforward, c.factory));
    this.dropout = this.registerModule("dropout", new Dropout(c.dropout));
    this.linear2 = this.registerModule("linear2", new Linear(c.dimFeedforward, c.dModel, c.factory));
    this.normFirst = c.normFirst;
    const ln = () => new LayerNorm(c.dModel, { eps: c.layerNormEps, ...c.factory });
    this.norm1 = this.registerModule("norm1", ln());
    this.norm2 = this.registerModule("norm2", ln());
    this.norm3 = this.registerModule("norm3", ln());
    this.dropout1 = this.registerModule("dropout1", new Dropout(c.dropout));
    this.dropout2 = this.registerModule("dropout2", new Dropout(c.dropout));
    this.dropout3 = this.registerModule("dropout3", new Dropout(c.dropout));
    const [fn, module] = activationOf(where, options.activation);
    this.activation = fn;
    if (module !== null) this.registerModule("activation", module);
  }

  /**
   * A copy with the same configuration and values (PyTorch's `copy.deepcopy`, as `TransformerDecoder`
   * uses it); the global generator is left as it was. An activation Module is shared, not copied (it
   * must have no parameters).
   */
  clone(): TransformerDecoderLayer {
    return cloneLayer(this, this.#activationOption, (activation) => {
      const c = this.#config;
      return new TransformerDecoderLayer(c.dModel, c.nhead, layerOptionsOf(c, activation));
    });
  }

  /** The decoded `tgt` given the encoder's `memory`. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderLayerForwardOptions = {}): Tensor {
    const where = "TransformerDecoderLayer";
    checkTensor(where, "tgt", tgt);
    checkTensor(where, "memory", memory);
    const tgtMask = checkTensor(where, "tgtMask", options.tgtMask ?? null, true);
    const memoryMask = checkTensor(where, "memoryMask", options.memoryMask ?? null, true);
    const tgtKpm = checkTensor(where, "tgtKeyPaddingMask", options.tgtKeyPaddingMask ?? null, true);
    const memKpm = checkTensor(where, "memoryKeyPaddingMask", options.memoryKeyPaddingMask ?? null, true);
    return tidy(() => {
      let x = tgt;
      if (this.normFirst) {
        x = x.add(this.saBlock(this.norm1.forward(x), tgtMask, tgtKpm));
        x = x.add(this.mhaBlock(this.norm2.forward(x), memory, memoryMask, memKpm));
        x = x.add(this.ffBlock(this.norm3.forward(x)));
      } else {
        x = this.norm1.forward(x.add(this.saBlock(x, tgtMask, tgtKpm)));
        x = this.norm2.forward(x.add(this.mhaBlock(x, memory, memoryMask, memKpm)));
        x = this.norm3.forward(x.add(this.ffBlock(x)));
      }
      return x;
    });
  }

  /** The self-attention block (PyTorch's `_sa_block`). */
  private saBlock(x: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [y] = this.selfAttn.forward(x, x, x, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout1.forward(y);
  }

  /** The multi-head attention block over the memory (PyTorch's `_mha_block`). */
  private mhaBlock(x: Tensor, mem: Tensor, attnMask: Tensor | null, keyPaddingMask: Tensor | null): Tensor {
    const [y] = this.multiheadAttn.forward(x, mem, mem, { attnMask, keyPaddingMask, needWeights: false });
    return this.dropout2.forward(y);
  }

  /** The feed-forward block (PyTorch's `_ff_block`). */
  private ffBlock(x: Tensor): Tensor {
    return this.dropout3.forward(this.linear2.forward(this.dropout.forward(this.activation(this.linear1.forward(x)))));
  }
}

/** Options of {@linkcode TransformerDecoder}. */
export interface TransformerDecoderOptions {
  /** A final normalisation (default none). */
  norm?: Module | null;
}

/** Options of {@linkcode TransformerDecoder.forward}. */
export type TransformerDecoderForwardOptions = TransformerDecoderLayerForwardOptions;

/**
 * A stack of `numLayers` copies of a decoder layer, with an optional final norm
 * (torch.nn.TransformerDecoder). The given layer becomes `layers[0]` and the others are copies of it,
 * without drawing from the global generator (PyTorch deep-copies it).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { TransformerDecoder, TransformerDecoderLayer } from "./transformer.ts";
 * const dec = new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2);
 * const y = dec.forward(randn([4, 2, 8]), randn([5, 2, 8])); // [4, 2, 8]
 * ```
 */
export class TransformerDecoder extends Module {
  /** The layers. */
  readonly layers: ModuleList;
  /** The number of layers. */
  readonly numLayers: number;
  /** The final norm, or null. */
  readonly norm: Module | null;

  /** `numLayers` layers like `decoderLayer` (which becomes the first). */
  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, options?: TransformerDecoderOptions);
  /** PyTorch's positional form `TransformerDecoder(decoder_layer, num_layers, norm)`. */
  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, norm?: TransformerDecoderOptions["norm"]);
  constructor(decoderLayer: TransformerDecoderLayer, numLayers: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<TransformerDecoderOptions>(
      "TransformerDecoder",
      args,
      ["norm"],
      [],
      "new TransformerDecoder(decoderLayer, numLayers, { norm: ... })",
    );
    const where = "TransformerDecoder";
    if (!(decoderLayer instanceof TransformerDecoderLayer)) {
      throw new TypeError(
        `${where}: decoderLayer must be a TransformerDecoderLayer, got ${describe(decoderLayer, "size")}`,
      );
    }
    this.numLayers = checkInt(where, "numLayers", numLayers, 1);
    const layers: Module[] = [decoderLayer];
    for (let i = 1; i < numLayers; i++) layers.push(decoderLayer.clone());
    this.layers = this.registerModule("layers", new ModuleList(layers));
    const norm = options.norm ?? null;
    if (norm !== null && !(norm instanceof Module)) {
      throw new TypeError(`${where}: norm must be a Module or null, got ${describe(norm, "size")}`);
    }
    this.norm = this.registerModule("norm", norm);
  }

  /** The layers in order. */
  get layerList(): TransformerDecoderLayer[] {
    return this.layers.children() as TransformerDecoderLayer[];
  }

  /** `tgt` through every layer (each attending to `memory`), then the norm. */
  forward(tgt: Tensor, memory: Tensor, options: TransformerDecoderForwardOptions = {}): Tensor {
    checkTensor("TransformerDecoder", "tgt", tgt);
    checkTensor("TransformerDecoder", "memory", memory);
    return tidy(() => {
      let output = tgt;
      for (const layer of this.layerList) output = layer.forward(output, memory, options);
      if (this.norm !== null) output = this.norm.forward(output) as Tensor;
      return output;
    });
  }
}

/** Options of {@linkcode Transformer}. */
export interface TransformerOptions extends TransformerLayerOptions {
  /** The model size (default 512). */
  dModel?: number;
  /** The number of heads (default 8). */
  nhead?: number;
  /** The number of encoder layers (default 6). */
  numEncoderLayers?: number;
  /** The number of decoder layers (default 6). */
  numDecoderLayers?: number;
  /** An encoder to use instead of the standard one (default none). */
  customEncoder?: Module | null;
  /** A decoder to use instead of the standard one (default none). */
  customDecoder?: Module | null;
}

/** Options of {@linkcode Transformer.forward}. */
export interface TransformerForwardOptions {
  /** The encoder's attention mask (default none). */
  srcMask?: Tensor | null;
  /** The decoder's self-attention mask, e.g. {@linkcode Transformer.generateSquareSubsequentMask} (default none). */
  tgtMask?: Tensor | null;
  /** The decoder's cross-attention mask (default none). */
  memoryMask?: Tensor | null;
  /** [N, S]: true marks source padding (default none). */
  srcKeyPaddingMask?: Tensor | null;
  /** [N, T]: true marks target padding (default none). */
  tgtKeyPaddingMask?: Tensor | null;
  /** [N, S]: true marks memory padding (default none). */
  memoryKeyPaddingMask?: Tensor | null;
}

/**
 * The encoder-decoder transformer of "Attention Is All You Need" (torch.nn.Transformer): a
 * `TransformerEncoder` and a `TransformerDecoder`, each with a final LayerNorm, every parameter of rank
 * above one redrawn by Xavier-uniform in PyTorch's order.
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { Transformer } from "./transformer.ts";
 * manualSeed(0);
 * const model = new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 });
 * const mask = Transformer.generateSquareSubsequentMask(4);
 * const y = model.forward(randn([5, 2, 8]), randn([4, 2, 8]), { tgtMask: mask }); // [4, 2, 8]
 * ```
 */
export class Transformer extends Module {
  /** The encoder. */
  readonly encoder: Module;
  /** The decoder. */
  readonly decoder: Module;
  /** The model size. */
  readonly dModel: number;
  /** The number of heads. */
  readonly nhead: number;
  /** Whether inputs are batch first. */
  readonly batchFirst: boolean;

  /** A transformer (PyTorch's defaults: 512 features, 8 heads, 6 + 6 layers). */
  constructor(options?: TransformerOptions);
  /** PyTorch's positional form `Transformer(d_model, nhead, num_encoder_layers, num_decoder_layers, dim_feedforward, dropout, activation, custom_encoder, custom_decoder, layer_norm_eps, batch_first, norm_first, *, device, dtype)`. */
  constructor(
    dModel?: TransformerOptions["dModel"],
    nhead?: TransformerOptions["nhead"],
    numEncoderLayers?: TransformerOptions["numEncoderLayers"],
    numDecoderLayers?: TransformerOptions["numDecoderLayers"],
    dimFeedforward?: TransformerOptions["dimFeedforward"],
    dropout?: TransformerOptions["dropout"],
    activation?: TransformerOptions["activation"],
    customEncoder?: TransformerOptions["customEncoder"],
    customDecoder?: TransformerOptions["customDecoder"],
    layerNormEps?: TransformerOptions["layerNormEps"],
    batchFirst?: TransformerOptions["batchFirst"],
    normFirst?: TransformerOptions["normFirst"],
    options?: TransformerOptions,
  );
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<TransformerOptions>(
      "Transformer",
      args,
      [
        "dModel",
        "nhead",
        "numEncoderLayers",
        "numDecoderLayers",
        "dimFeedforward",
        "dropout",
        "activation",
        "customEncoder",
        "customDecoder",
        "layerNormEps",
        "batchFirst",
        "normFirst",
      ],
      ["device", "dtype"],
      "new Transformer({ dModel: ... })",
    );
    const where = "Transformer";
    const dModel = checkInt(where, "dModel", options.dModel ?? 512, 1);
    const nhead = checkInt(where, "nhead", options.nhead ?? 8, 1);
    const numEnc = checkInt(where, "numEncoderLayers", options.numEncoderLayers ?? 6, 1);
    const numDec = checkInt(where, "numDecoderLayers", options.numDecoderLayers ?? 6, 1);
    const c = layerConfig(where, dModel, nhead, options);
    const layerOptions = layerOptionsOf(c, options.activation);
    const norm = () => new LayerNorm(dModel, { eps: c.layerNormEps, ...c.factory });
    const customEncoder = options.customEncoder ?? null;
    const customDecoder = options.customDecoder ?? null;
    this.encoder = this.registerModule(
      "encoder",
      customEncoder ??
        new TransformerEncoder(new TransformerEncoderLayer(dModel, nhead, layerOptions), numEnc, { norm: norm() }),
    );
    this.decoder = this.registerModule(
      "decoder",
      customDecoder ??
        new TransformerDecoder(new TransformerDecoderLayer(dModel, nhead, layerOptions), numDec, { norm: norm() }),
    );
    for (const p of this.parameters()) if (p.ndim > 1) xavierUniform_(p);
    this.dModel = dModel;
    this.nhead = nhead;
    this.batchFirst = c.batchFirst;
  }

  /**
   * The causal mask [sz, sz]: -inf above the diagonal, 0 elsewhere
   * (Transformer.generate_square_subsequent_mask).
   */
  static generateSquareSubsequentMask(sz: number, options: FactoryOptions = {}): Tensor {
    checkInt("Transformer.generateSquareSubsequentMask", "sz", sz, 0);
    return tidy(() => full([sz, sz], -Infinity, { device: options.device, dtype: options.dtype }).triu(1));
  }

  /** The decoded `tgt` given the encoded `src`. */
  forward(src: Tensor, tgt: Tensor, options: TransformerForwardOptions = {}): Tensor {
    const where = "Transformer";
    checkTensor(where, "src", src);
    checkTensor(where, "tgt", tgt);
    const isBatched = src.ndim === 3;
    if (!this.batchFirst && isBatched && src.shape[1] !== tgt.shape[1]) {
      throw new RangeError(`${where}: the batch number of src and tgt must be equal`);
    } else if (this.batchFirst && isBatched && src.shape[0] !== tgt.shape[0]) {
      throw new RangeError(`${where}: the batch number of src and tgt must be equal`);
    }
    if (src.shape[src.ndim - 1] !== this.dModel || tgt.shape[tgt.ndim - 1] !== this.dModel) {
      throw new RangeError(`${where}: the feature number of src and tgt must be equal to d_model`);
    }
    return tidy(() => {
      const memory = this.encoder.forward(src, {
        mask: options.srcMask ?? null,
        srcKeyPaddingMask: options.srcKeyPaddingMask ?? null,
      }) as Tensor;
      return this.decoder.forward(tgt, memory, {
        tgtMask: options.tgtMask ?? null,
        memoryMask: options.memoryMask ?? null,
        tgtKeyPaddingMask: options.tgtKeyPaddingMask ?? null,
        memoryKeyPaddingMask: options.memoryKeyPaddingMask ?? null,
      }) as Tensor;
    });
  }
}
