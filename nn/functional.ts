/**
 * The functional forms of the layers, PyTorch's `torch.nn.functional` camelCased. Each calls the very
 * ATen operator that PyTorch-Python's function calls (`F.dropout` -> `aten::dropout`, `F.batch_norm` ->
 * `aten::batch_norm` with `cudnn_enabled` true, `F.max_pool2d` -> `aten::max_pool2d`, ...) with the same
 * arguments, so results and gradients are PyTorch's to the bit. The loss functions live in
 * `loss_functions.ts` and are re-exported here, as `torch.nn.functional` has them too.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import * as F from "./functional.ts";
 * const x = randn([2, 3, 8, 8]);
 * const y = F.maxPool2d(F.relu(x), 2); // shape [2, 3, 4, 4]
 * ```
 *
 * @module
 */

import { type Arg, callN, callT, callTA, callV, dtypeArg, floatArg, op } from "../tensor/call.ts";
import type { DType } from "../tensor/dtype.ts";
import { checkOptions, positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  checkBoolean,
  checkInt,
  checkNumber,
  checkOneOf,
  checkPair,
  checkTensor,
  describe,
  sizeText,
} from "../tensor/checks.ts";

export {
  type BCEOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  crossEntropy,
  type CrossEntropyOptions,
  mseLoss,
  type MSEOptions,
  nllLoss,
  type NLLOptions,
} from "./loss_functions.ts";
export type { Reduction } from "./reduction.ts";

const OPS = {
  relu: op("aten::relu"),
  relu_: op("aten::relu_"),
  sigmoid: op("aten::sigmoid"),
  softmax: op("aten::softmax", "int"),
  logSoftmax: op("aten::log_softmax", "int"),
  dropout: op("aten::dropout"),
  dropout_: op("aten::dropout_"),
  linear: op("aten::linear"),
  conv2d: op("aten::conv2d"),
  conv2dPadding: op("aten::conv2d", "padding"),
  batchNorm: op("aten::batch_norm"),
  maxPool2d: op("aten::max_pool2d"),
  maxPool2dWithIndices: op("aten::max_pool2d_with_indices"),
  avgPool2d: op("aten::avg_pool2d"),
  adaptiveAvgPool1d: op("aten::adaptive_avg_pool1d"),
  adaptiveAvgPool2d: op("aten::adaptive_avg_pool2d"),
  adaptiveAvgPool3d: op("aten::adaptive_avg_pool3d"),
  pad: op("aten::pad"),
  oneHot: op("aten::one_hot"),
  flatten: op("aten::flatten", "using_ints"),
};

// ------------------------------------------------------------------ activations

/** Options of {@linkcode relu}. */
export interface InplaceOptions {
  /** Overwrite the input (default false). */
  inplace?: boolean;
}

/**
 * max(0, x) elementwise (`F.relu`, `aten::relu`; `aten::relu_` with `inplace`, which returns `input`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { relu } from "./functional.ts";
 * relu(tensor([-1, 2], { dtype: "float32" })); // [0, 2]
 * ```
 */
export function relu(input: Tensor, inplace?: boolean | InplaceOptions): Tensor {
  const options = positionalOptions<InplaceOptions>("relu", [inplace], ["inplace"], [], "relu(x, { inplace: true })");
  checkTensor("relu", "input", input);
  if (checkBoolean("relu", "inplace", options.inplace ?? false)) {
    callV(OPS.relu_, input);
    return input;
  }
  return callT(OPS.relu, input);
}

/**
 * 1 / (1 + e^-x) elementwise (`torch.sigmoid`, `aten::sigmoid`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { sigmoid } from "./functional.ts";
 * sigmoid(zeros([2])); // [0.5, 0.5]
 * ```
 */
export function sigmoid(input: Tensor): Tensor {
  checkTensor("sigmoid", "input", input);
  return callT(OPS.sigmoid, input);
}

/** PyTorch's implicit softmax dimension (deprecated there): 0 for 0-, 1- and 3-D input, else 1. */
function implicitDim(ndim: number): number {
  return ndim === 0 || ndim === 1 || ndim === 3 ? 0 : 1;
}

/** Options of {@linkcode softmax} and {@linkcode logSoftmax}. */
export interface SoftmaxOptions {
  /** Convert the input to this dtype before the operation. */
  dtype?: DType;
}

/**
 * Softmax along `dim` (`F.softmax`, `aten::softmax.int`). Without `dim`, PyTorch's deprecated implicit
 * choice (0 for 0-, 1- and 3-D input, else 1).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { softmax } from "./functional.ts";
 * softmax(zeros([2, 4]), 1); // every entry 0.25
 * ```
 */
export function softmax(input: Tensor, dim?: number | null, options?: SoftmaxOptions): Tensor {
  checkTensor("softmax", "input", input);
  // PyTorch's third positional argument is the internal _stacklevel: dtype is by name only
  options = checkOptions("softmax", options, ["dtype"], 'softmax(x, 1, { dtype: "float64" })');
  const d = dim === undefined || dim === null ? implicitDim(input.ndim) : checkInt("softmax", "dim", dim);
  return callT(OPS.softmax, input, d, options.dtype === undefined ? null : dtypeArg(options.dtype));
}

/**
 * Log-softmax along `dim` (`F.log_softmax`, `aten::log_softmax.int`). Without `dim`, PyTorch's
 * deprecated implicit choice, as {@linkcode softmax}.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { logSoftmax } from "./functional.ts";
 * const logp = logSoftmax(randn([2, 4]), 1);
 * ```
 */
export function logSoftmax(input: Tensor, dim?: number | null, options?: SoftmaxOptions): Tensor {
  checkTensor("logSoftmax", "input", input);
  options = checkOptions("logSoftmax", options, ["dtype"], 'logSoftmax(x, 1, { dtype: "float64" })');
  const d = dim === undefined || dim === null ? implicitDim(input.ndim) : checkInt("logSoftmax", "dim", dim);
  return callT(OPS.logSoftmax, input, d, options.dtype === undefined ? null : dtypeArg(options.dtype));
}

// ------------------------------------------------------------------ dropout

/** Options of {@linkcode dropout}. */
export interface DropoutOptions {
  /** Drop (training, default true) or pass the input through unchanged. */
  training?: boolean;
  /** Overwrite the input (default false). */
  inplace?: boolean;
}

/**
 * Zeroes each element with probability `p` and scales the others by 1 / (1 - p), drawing the mask from
 * the global generator as PyTorch does (`F.dropout`, `aten::dropout`; `aten::dropout_` with `inplace`).
 * With `training` false the input is returned as the operator returns it.
 *
 * @example
 * ```ts
 * import { manualSeed, ones } from "../mod.ts";
 * import { dropout } from "./functional.ts";
 * manualSeed(0);
 * const y = dropout(ones([8]), 0.5); // zeros and twos, as torch.manual_seed(0); F.dropout(torch.ones(8), 0.5)
 * ```
 */
export function dropout(
  input: Tensor,
  p?: number | (DropoutOptions & { p?: number }),
  options?: DropoutOptions,
): Tensor;
/** PyTorch's positional form `F.dropout(input, p=0.5, training=True, inplace=False)`. */
export function dropout(input: Tensor, p: number, training: boolean, inplace?: boolean): Tensor;
export function dropout(input: Tensor, ...args: unknown[]): Tensor {
  checkTensor("dropout", "input", input);
  const options = positionalOptions<DropoutOptions & { p?: number }>(
    "dropout",
    args,
    ["p", "training", "inplace"],
    [],
    "dropout(x, 0.5, { training: true, inplace: false })",
  );
  const p = options.p ?? 0.5;
  checkNumber("dropout", "p (the dropout probability)", p, { min: 0, max: 1 });
  const training = checkBoolean("dropout", "training", options.training ?? true);
  if (checkBoolean("dropout", "inplace", options.inplace ?? false)) {
    callV(OPS.dropout_, input, floatArg(p), training);
    return input;
  }
  return callT(OPS.dropout, input, floatArg(p), training);
}

// ------------------------------------------------------------------ linear and convolution

/**
 * x Wᵀ + b (`F.linear`, `aten::linear`).
 *
 * @example
 * ```ts
 * import { ones, zeros } from "../mod.ts";
 * import { linear } from "./functional.ts";
 * linear(ones([2, 3]), ones([4, 3]), zeros([4])); // shape [2, 4], every entry 3
 * ```
 */
export function linear(input: Tensor, weight: Tensor, bias: Tensor | null = null): Tensor {
  checkTensor("linear", "input", input);
  checkTensor("linear", "weight", weight);
  checkTensor("linear", "bias", bias, true);
  return callT(OPS.linear, input, weight, bias);
}

/** Options of {@linkcode conv2d}. */
export interface Conv2dOptions {
  /** The step of the kernel, one number or [height, width] (default 1). */
  stride?: number | [number, number];
  /** Implicit zero padding on both sides, or `"valid"` (none) or `"same"` (keep the size; stride 1). */
  padding?: number | [number, number] | "valid" | "same";
  /** The spacing between kernel elements (default 1). */
  dilation?: number | [number, number];
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
}

/** A checked padding of a convolution: a pair, or "valid"/"same". */
export function convPadding(where: string, padding: unknown): [number, number] | "valid" | "same" {
  if (typeof padding === "string") return checkOneOf<"valid" | "same">(where, "padding", padding, ["valid", "same"]);
  return checkPair(where, "padding", padding, 0);
}

/**
 * A 2-D convolution over an input of shape [N, C, H, W] or [C, H, W] (`F.conv2d`, `aten::conv2d`; with
 * a string padding `aten::conv2d.padding`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { conv2d } from "./functional.ts";
 * const y = conv2d(randn([1, 3, 32, 32]), randn([6, 3, 5, 5]), null, { padding: 2 }); // [1, 6, 32, 32]
 * ```
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
/** PyTorch's positional form `F.conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1)`. */
export function conv2d(
  input: Tensor,
  weight: Tensor,
  bias: Tensor | null,
  stride: number | [number, number],
  padding?: number | [number, number] | "valid" | "same",
  dilation?: number | [number, number],
  groups?: number,
): Tensor;
export function conv2d(input: Tensor, weight: Tensor, ...args: unknown[]): Tensor {
  const where = "conv2d";
  const options = positionalOptions<Conv2dOptions & { bias?: Tensor | null }>(
    where,
    args,
    ["bias", "stride", "padding", "dilation", "groups"],
    [],
    "conv2d(x, w, b, { stride: 2, padding: 1, dilation: 1, groups: 1 })",
  );
  const bias = options.bias ?? null;
  checkTensor(where, "input", input);
  checkTensor(where, "weight", weight);
  checkTensor(where, "bias", bias, true);
  const stride = checkPair(where, "stride", options.stride ?? 1, 1);
  const padding = convPadding(where, options.padding ?? 0);
  const dilation = checkPair(where, "dilation", options.dilation ?? 1, 1);
  const groups = checkInt(where, "groups", options.groups ?? 1, 1);
  if (typeof padding === "string") {
    return callTA(OPS.conv2dPadding, [input, weight, bias, stride, padding, dilation, groups]);
  }
  return callTA(OPS.conv2d, [input, weight, bias, stride, padding, dilation, groups]);
}

// ------------------------------------------------------------------ normalisation

/** Options of {@linkcode batchNorm}. */
export interface BatchNormOptions {
  /** The scale γ, one per channel (default none). */
  weight?: Tensor | null;
  /** The shift β, one per channel (default none). */
  bias?: Tensor | null;
  /** Normalise with the batch statistics and update the running ones (default false). */
  training?: boolean;
  /** The weight of the new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
}

/**
 * Batch normalisation over dimension 1 (`F.batch_norm`, `aten::batch_norm` with `cudnn_enabled` true). In
 * training mode the batch statistics normalise and the running statistics (when given) are updated in
 * place: `running = (1 - momentum) * running + momentum * batch` (unbiased variance).
 *
 * @example
 * ```ts
 * import { ones, randn, zeros } from "../mod.ts";
 * import { batchNorm } from "./functional.ts";
 * const mean = zeros([3]), variance = ones([3]);
 * const y = batchNorm(randn([8, 3]), mean, variance, { training: true }); // mean, variance updated
 * ```
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  options?: BatchNormOptions,
): Tensor;
/**
 * PyTorch's positional form `F.batch_norm(input, running_mean, running_var, weight=None, bias=None,
 * training=False, momentum=0.1, eps=1e-05)`.
 */
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  weight: Tensor | null,
  bias?: Tensor | null,
  training?: boolean,
  momentum?: number,
  eps?: number,
): Tensor;
export function batchNorm(
  input: Tensor,
  runningMean: Tensor | null,
  runningVar: Tensor | null,
  ...args: unknown[]
): Tensor {
  const where = "batchNorm";
  const options = positionalOptions<BatchNormOptions>(
    where,
    args,
    ["weight", "bias", "training", "momentum", "eps"],
    [],
    "batchNorm(x, mean, var, { weight, bias, training: true, momentum: 0.1, eps: 1e-5 })",
  );
  checkTensor(where, "input", input);
  checkTensor(where, "runningMean", runningMean, true);
  checkTensor(where, "runningVar", runningVar, true);
  const weight = checkTensor(where, "weight", options.weight ?? null, true);
  const bias = checkTensor(where, "bias", options.bias ?? null, true);
  const training = checkBoolean(where, "training", options.training ?? false);
  const momentum = checkNumber(where, "momentum", options.momentum ?? 0.1);
  const eps = checkNumber(where, "eps", options.eps ?? 1e-5);
  if (training) {
    const size = input.shape;
    let prod = size[0];
    for (let i = 0; i < size.length - 2; i++) prod *= size[i + 2];
    if (prod === 1) {
      throw new RangeError(
        `${where}: Expected more than 1 value per channel when training, got input size ${sizeText(size)}`,
      );
    }
  }
  return callTA(OPS.batchNorm, [
    input,
    weight,
    bias,
    runningMean,
    runningVar,
    training,
    floatArg(momentum),
    floatArg(eps),
    true,
  ]);
}

// ------------------------------------------------------------------ pooling

/** Options of {@linkcode maxPool2d}. */
export interface MaxPool2dOptions {
  /** The step of the window (default: the kernel size). */
  stride?: number | [number, number] | null;
  /** Implicit negative-infinity padding on both sides (default 0). */
  padding?: number | [number, number];
  /** The spacing between window elements (default 1). */
  dilation?: number | [number, number];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Also return the indices of the maxima (default false). */
  returnIndices?: boolean;
}

function poolArgs(where: string, kernelSize: unknown, options: MaxPool2dOptions): Arg[] {
  const kernel = checkPair(where, "kernelSize", kernelSize, 1);
  const stride = options.stride === undefined || options.stride === null
    ? []
    : checkPair(where, "stride", options.stride, 1);
  const padding = checkPair(where, "padding", options.padding ?? 0, 0);
  const dilation = checkPair(where, "dilation", options.dilation ?? 1, 1);
  const ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
  return [kernel, stride, padding, dilation, ceilMode];
}

/**
 * 2-D max pooling (`F.max_pool2d`, `aten::max_pool2d`; with `returnIndices`
 * `aten::max_pool2d_with_indices`, returning [output, indices]).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { maxPool2d } from "./functional.ts";
 * const y = maxPool2d(randn([1, 6, 28, 28]), 2); // [1, 6, 14, 14]
 * const [z, indices] = maxPool2d(randn([1, 6, 28, 28]), 2, { returnIndices: true });
 * ```
 */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  options: MaxPool2dOptions & { returnIndices: true },
): [Tensor, Tensor];
/** 2-D max pooling without the indices (`aten::max_pool2d`). */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  options?: MaxPool2dOptions & { returnIndices?: false },
): Tensor;
/** 2-D max pooling, with the indices when `options.returnIndices` is true. */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  options?: MaxPool2dOptions,
): Tensor | [Tensor, Tensor];
/**
 * PyTorch's positional form `F.max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1,
 * ceil_mode=False, return_indices=False)` (the order of the function, not of the layer).
 */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  stride: number | [number, number] | null,
  padding?: number | [number, number],
  dilation?: number | [number, number],
  ceilMode?: boolean,
  returnIndices?: false,
): Tensor;
/** PyTorch's positional form with `return_indices=True`: [output, indices]. */
export function maxPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  stride: number | [number, number] | null,
  padding: number | [number, number],
  dilation: number | [number, number],
  ceilMode: boolean,
  returnIndices: true,
): [Tensor, Tensor];
export function maxPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  ...rest: unknown[]
): Tensor | [Tensor, Tensor] {
  checkTensor("maxPool2d", "input", input);
  const options = positionalOptions<MaxPool2dOptions>(
    "maxPool2d",
    rest,
    ["stride", "padding", "dilation", "ceilMode", "returnIndices"],
    [],
    "maxPool2d(x, 3, { stride: 1, padding: 0, dilation: 1, ceilMode: false, returnIndices: false })",
  );
  const args = poolArgs("maxPool2d", kernelSize, options);
  if (checkBoolean("maxPool2d", "returnIndices", options.returnIndices ?? false)) {
    return callN(OPS.maxPool2dWithIndices, [input, ...args]) as [Tensor, Tensor];
  }
  return callTA(OPS.maxPool2d, [input, ...args]);
}

/** Options of {@linkcode avgPool2d}. */
export interface AvgPool2dOptions {
  /** The step of the window (default: the kernel size). */
  stride?: number | [number, number] | null;
  /** Implicit zero padding on both sides (default 0). */
  padding?: number | [number, number];
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
  /** Count the padding zeros in the average (default true). */
  countIncludePad?: boolean;
  /** Divide by this instead of the window size (default none). */
  divisorOverride?: number | null;
}

/**
 * 2-D average pooling (`F.avg_pool2d`, `aten::avg_pool2d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { avgPool2d } from "./functional.ts";
 * const y = avgPool2d(randn([1, 6, 28, 28]), 2); // [1, 6, 14, 14]
 * ```
 */
export function avgPool2d(input: Tensor, kernelSize: number | [number, number], options?: AvgPool2dOptions): Tensor;
/**
 * PyTorch's positional form `F.avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False,
 * count_include_pad=True, divisor_override=None)`.
 */
export function avgPool2d(
  input: Tensor,
  kernelSize: number | [number, number],
  stride: number | [number, number] | null,
  padding?: number | [number, number],
  ceilMode?: boolean,
  countIncludePad?: boolean,
  divisorOverride?: number | null,
): Tensor;
export function avgPool2d(input: Tensor, kernelSize: number | [number, number], ...args: unknown[]): Tensor {
  const where = "avgPool2d";
  const options = positionalOptions<AvgPool2dOptions>(
    where,
    args,
    ["stride", "padding", "ceilMode", "countIncludePad", "divisorOverride"],
    [],
    "avgPool2d(x, 3, { stride: 2, padding: 1, ceilMode: false, countIncludePad: true, divisorOverride: null })",
  );
  checkTensor(where, "input", input);
  const kernel = checkPair(where, "kernelSize", kernelSize, 1);
  const stride = options.stride === undefined || options.stride === null
    ? []
    : checkPair(where, "stride", options.stride, 1);
  const padding = checkPair(where, "padding", options.padding ?? 0, 0);
  const ceilMode = checkBoolean(where, "ceilMode", options.ceilMode ?? false);
  const countIncludePad = checkBoolean(where, "countIncludePad", options.countIncludePad ?? true);
  const divisor = options.divisorOverride === undefined || options.divisorOverride === null
    ? null
    : checkInt(where, "divisorOverride", options.divisorOverride, 1);
  return callTA(OPS.avgPool2d, [input, kernel, stride, padding, ceilMode, countIncludePad, divisor]);
}

/** An output size of adaptive pooling: one number, or one per dimension (null keeps the input's). */
export type AdaptiveSize = number | readonly (number | null)[];

/** PyTorch's `_list_with_default`: null entries take the input's size. */
function adaptiveSize(where: string, outputSize: unknown, input: Tensor, dims: number): number[] {
  if (typeof outputSize === "number") return new Array(dims).fill(checkInt(where, "outputSize", outputSize, 0));
  const ok = Array.isArray(outputSize) && outputSize.length === dims &&
    outputSize.every((v) => v === null || (Number.isInteger(v) && v >= 0));
  if (!ok) {
    throw new TypeError(
      `${where}: outputSize must be a non-negative integer or an array of ${dims} of them (or null), got ${
        describe(outputSize, "size")
      }`,
    );
  }
  const shape = input.shape;
  if (shape.length <= dims) throw new RangeError(`${where}: Input dimension should be at least ${dims + 1}`);
  const defaults = shape.slice(-dims);
  return (outputSize as (number | null)[]).map((v, i) => v ?? defaults[i]);
}

/**
 * 2-D adaptive average pooling to `outputSize` (`F.adaptive_avg_pool2d`, `aten::adaptive_avg_pool2d`);
 * null in `outputSize` keeps that dimension's input size.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { adaptiveAvgPool2d } from "./functional.ts";
 * const y = adaptiveAvgPool2d(randn([1, 16, 5, 7]), [1, null]); // [1, 16, 1, 7]
 * ```
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: AdaptiveSize): Tensor {
  checkTensor("adaptiveAvgPool2d", "input", input);
  return callT(OPS.adaptiveAvgPool2d, input, adaptiveSize("adaptiveAvgPool2d", outputSize, input, 2));
}

// ------------------------------------------------------------------ resizing, padding, encoding

/** The modes of {@linkcode interpolate}. */
export type InterpolateMode = "nearest" | "nearest-exact" | "linear" | "bilinear" | "bicubic" | "trilinear" | "area";

/** Options of {@linkcode interpolate}: exactly one of `size` and `scaleFactor`. */
export interface InterpolateOptions {
  /** The output size, one number or one per spatial dimension. */
  size?: number | readonly number[] | null;
  /** The multiplier of the spatial size, one number or one per spatial dimension. */
  scaleFactor?: number | readonly number[] | null;
  /** The algorithm (default `"nearest"`). */
  mode?: InterpolateMode;
  /** For the (bi/tri)linear and bicubic modes: align the corner pixels' centres (default false). */
  alignCorners?: boolean | null;
  /** Compute the output size from `scaleFactor` and interpolate for that size (default false). */
  recomputeScaleFactor?: boolean | null;
  /** Anti-aliasing for bilinear and bicubic downsampling of 4-D input (default false). */
  antialias?: boolean;
}

const MODES: readonly InterpolateMode[] = [
  "nearest",
  "nearest-exact",
  "linear",
  "bilinear",
  "bicubic",
  "trilinear",
  "area",
];

/** The operator of each mode by input rank (3-, 4-, 5-D), `null` where the mode needs another rank. */
const UPSAMPLE: Record<Exclude<InterpolateMode, "area">, (string | null)[]> = {
  "nearest": ["upsample_nearest1d", "upsample_nearest2d", "upsample_nearest3d"],
  "nearest-exact": ["_upsample_nearest_exact1d", "_upsample_nearest_exact2d", "_upsample_nearest_exact3d"],
  "linear": ["upsample_linear1d", null, null],
  "bilinear": [null, "upsample_bilinear2d", null],
  "bicubic": [null, "upsample_bicubic2d", null],
  "trilinear": [null, null, "upsample_trilinear3d"],
};
const RANK_OF_MODE: Record<string, number> = { linear: 3, bilinear: 4, bicubic: 4, trilinear: 5 };

/**
 * Resizes a [N, C, ...] input by nearest-neighbour, (bi/tri)linear, bicubic or area interpolation
 * (`F.interpolate`: `aten::upsample_nearest2d.vec`, `aten::upsample_bilinear2d.vec`, ... as PyTorch
 * picks them by mode and rank).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { interpolate } from "./functional.ts";
 * const x = randn([1, 3, 4, 4]);
 * const a = interpolate(x, { scaleFactor: 2 });                                  // [1, 3, 8, 8]
 * const b = interpolate(x, { size: [6, 5], mode: "bilinear", alignCorners: true }); // [1, 3, 6, 5]
 * ```
 */
export function interpolate(input: Tensor, options?: InterpolateOptions): Tensor;
/**
 * PyTorch's positional form `F.interpolate(input, size=None, scale_factor=None, mode='nearest',
 * align_corners=None, recompute_scale_factor=None, antialias=False)`.
 */
export function interpolate(
  input: Tensor,
  size: InterpolateOptions["size"],
  scaleFactor?: InterpolateOptions["scaleFactor"],
  mode?: InterpolateOptions["mode"],
  alignCorners?: boolean | null,
  recomputeScaleFactor?: boolean | null,
  antialias?: boolean,
): Tensor;
export function interpolate(input: Tensor, ...args: unknown[]): Tensor {
  const options = positionalOptions<InterpolateOptions>(
    "interpolate",
    args,
    ["size", "scaleFactor", "mode", "alignCorners", "recomputeScaleFactor", "antialias"],
    [],
    'interpolate(x, { size: [8, 8], mode: "bilinear", alignCorners: false })',
  );
  const where = "interpolate";
  checkTensor(where, "input", input);
  const mode = checkOneOf(where, "mode", options.mode ?? "nearest", MODES);
  let alignCorners = options.alignCorners ?? null;
  if (alignCorners !== null) checkBoolean(where, "alignCorners", alignCorners);
  if (mode === "nearest" || mode === "nearest-exact" || mode === "area") {
    if (alignCorners !== null) {
      throw new TypeError(
        `${where}: alignCorners can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear (mode is "${mode}")`,
      );
    }
  } else if (alignCorners === null) alignCorners = false;
  const shape = input.shape;
  const dim = shape.length - 2;
  const size = options.size ?? null;
  const scaleFactor = options.scaleFactor ?? null;
  let outputSize: number[] | null = null;
  let scaleFactors: number[] | null = null;
  if (size !== null && scaleFactor !== null) {
    throw new TypeError(`${where}: only one of size and scaleFactor should be given`);
  } else if (size !== null) {
    if (Array.isArray(size)) {
      if (size.length !== dim) {
        throw new RangeError(
          `${where}: Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${
            sizeText(shape.slice(2))
          } and output size of ${describe(size, "size")}`,
        );
      }
      outputSize = size.map((s) => checkInt(where, "size", s, 0));
    } else outputSize = new Array(Math.max(dim, 0)).fill(checkInt(where, "size", size, 0));
  } else if (scaleFactor !== null) {
    if (Array.isArray(scaleFactor)) {
      if (scaleFactor.length !== dim) {
        throw new RangeError(
          `${where}: Input and scaleFactor must have the same number of spatial dimensions, but got input with spatial dimensions of ${
            sizeText(shape.slice(2))
          } and scaleFactor of ${describe(scaleFactor, "size")}`,
        );
      }
      scaleFactors = scaleFactor.map((s) => checkNumber(where, "scaleFactor", s, { min: 0 }));
    } else scaleFactors = new Array(Math.max(dim, 0)).fill(checkNumber(where, "scaleFactor", scaleFactor, { min: 0 }));
  } else {
    throw new TypeError(`${where}: either size or scaleFactor should be given`);
  }
  let recompute = options.recomputeScaleFactor ?? null;
  if (recompute !== null) checkBoolean(where, "recomputeScaleFactor", recompute);
  if (recompute && size !== null) {
    throw new TypeError(`${where}: recomputeScaleFactor is not meaningful with an explicit size`);
  }
  if (mode === "area" && outputSize === null) recompute = true;
  if (recompute) {
    outputSize = scaleFactors!.map((s, i) => Math.floor(shape[i + 2] * s));
    scaleFactors = null;
  }
  const antialias = checkBoolean(where, "antialias", options.antialias ?? false);
  if (antialias && !((mode === "bilinear" || mode === "bicubic") && shape.length === 4)) {
    throw new TypeError(`${where}: Anti-alias option is only supported for bilinear and bicubic modes`);
  }
  if (shape.length < 3 || shape.length > 5) {
    throw new RangeError(
      `${where}: Input Error: Only 3D, 4D and 5D input Tensors supported (got ${shape.length}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | area | nearest-exact (got "${mode}")`,
    );
  }
  if (mode === "area") {
    const ref = [OPS.adaptiveAvgPool1d, OPS.adaptiveAvgPool2d, OPS.adaptiveAvgPool3d][shape.length - 3];
    return callT(ref, input, outputSize!);
  }
  const name = UPSAMPLE[mode][shape.length - 3];
  if (name === null) {
    throw new RangeError(`${where}: Got ${shape.length}D input, but ${mode} mode needs ${RANK_OF_MODE[mode]}D input`);
  }
  const factors = scaleFactors === null ? null : scaleFactors.map((s) => floatArg(s));
  if (mode === "nearest" || mode === "nearest-exact") {
    return callT(op(`aten::${name}`, "vec"), input, outputSize, factors);
  }
  const opName = antialias ? `_${name}_aa` : name;
  return callT(op(`aten::${opName}`, "vec"), input, outputSize, alignCorners, factors);
}

/** The modes of {@linkcode pad}. */
export type PadMode = "constant" | "reflect" | "replicate" | "circular";

/** Options of {@linkcode pad}. */
export interface PadOptions {
  /** How to fill the border (default `"constant"`). */
  mode?: PadMode;
  /** The fill value of `"constant"` mode (default 0). */
  value?: number | null;
}

/**
 * Pads the last dimensions: `pad` holds (before, after) pairs starting from the last dimension, as
 * `[left, right, top, bottom]` (`F.pad`, `aten::pad`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { pad } from "./functional.ts";
 * const y = pad(randn([1, 3, 4, 4]), [1, 1, 2, 2], { mode: "reflect" }); // [1, 3, 8, 6]
 * ```
 */
export function pad(input: Tensor, pad: readonly number[], options?: PadOptions): Tensor;
/** PyTorch's positional form `F.pad(input, pad, mode='constant', value=None)`. */
export function pad(input: Tensor, pad: readonly number[], mode: PadOptions["mode"], value?: number | null): Tensor;
export function pad(input: Tensor, pad: readonly number[], ...args: unknown[]): Tensor {
  const options = positionalOptions<PadOptions>(
    "pad",
    args,
    ["mode", "value"],
    [],
    'pad(x, [1, 1], { mode: "reflect" })',
  );
  checkTensor("pad", "input", input);
  if (!Array.isArray(pad) || !pad.every((p) => Number.isInteger(p))) {
    throw new TypeError(`pad: pad must be an array of integers, got ${describe(pad, "size")}`);
  }
  if (pad.length % 2 !== 0) throw new RangeError(`pad: pad must have an even length, got ${describe(pad, "size")}`);
  const mode = checkOneOf("pad", "mode", options.mode ?? "constant", ["constant", "reflect", "replicate", "circular"]);
  const value = options.value ?? null;
  if (value !== null) {
    checkNumber("pad", "value", value);
    if (mode !== "constant") {
      throw new TypeError(`pad: padding mode "${mode}" doesn't take in value argument (got value ${value})`);
    }
  }
  return callT(OPS.pad, input, pad, mode, value === null ? null : floatArg(value));
}

/**
 * One-hot encoding of int64 class indices: a new last dimension of `numClasses` (default: the largest
 * index + 1) with a 1 at each index (`F.one_hot`, `aten::one_hot`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { oneHot } from "./functional.ts";
 * oneHot(tensor([0, 2]), 3); // [[1, 0, 0], [0, 0, 1]] (int64)
 * ```
 */
export function oneHot(tensor: Tensor, numClasses = -1): Tensor {
  checkTensor("oneHot", "tensor", tensor);
  checkInt("oneHot", "numClasses", numClasses, -1);
  return callT(OPS.oneHot, tensor, numClasses);
}

/**
 * Merges dimensions `startDim..endDim` (`torch.flatten`, `aten::flatten.using_ints`), as the `Flatten`
 * layer does.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { flatten } from "./functional.ts";
 * flatten(randn([2, 16, 5, 5]), 1); // [2, 400]
 * ```
 */
export function flatten(input: Tensor, startDim = 0, endDim = -1): Tensor {
  checkTensor("flatten", "input", input);
  checkInt("flatten", "startDim", startDim);
  checkInt("flatten", "endDim", endDim);
  return callT(OPS.flatten, input, startDim, endDim);
}

// the functional forms of the text, sequence, normalisation and attention layers, one file per concern
export {
  type ActivationInplaceOptions,
  celu,
  elu,
  gelu,
  type GeluApproximate,
  type GeluOptions,
  glu,
  hardsigmoid,
  hardswish,
  hardtanh,
  leakyRelu,
  logsigmoid,
  mish,
  prelu,
  relu6,
  selu,
  silu,
  softmin,
  type SoftminOptions,
  softplus,
  softsign,
  tanh,
} from "./functional_activation.ts";
export {
  groupNorm,
  type GroupNormOptions,
  instanceNorm,
  type InstanceNormOptions,
  layerNorm,
  type LayerNormOptions,
} from "./functional_normalization.ts";
export {
  embedding,
  embeddingBag,
  type EmbeddingBagMode,
  type EmbeddingBagOptions,
  type EmbeddingOptions,
} from "./functional_sparse.ts";
export {
  cosineSimilarity,
  type CosineSimilarityOptions,
  pairwiseDistance,
  type PairwiseDistanceOptions,
} from "./functional_distance.ts";
export { fold, type FoldOptions, unfold } from "./functional_fold.ts";
export {
  conv1d,
  type Conv1dOptions,
  convTranspose1d,
  convTranspose2d,
  type ConvTransposeOptions,
} from "./functional_conv.ts";
export {
  adaptiveAvgPool1d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  type AdaptiveMaxPool2dOptions,
  type AdaptiveSize2,
  avgPool1d,
  type AvgPool1dOptions,
  maxPool1d,
  type MaxPool1dOptions,
} from "./functional_pooling.ts";
export { dropout1d, dropout2d } from "./functional_dropout.ts";
export {
  multiHeadAttentionForward,
  type MultiHeadAttentionForwardOptions,
  scaledDotProductAttention,
  type ScaledDotProductAttentionOptions,
} from "./functional_attention.ts";
export {
  adaptiveAvgPool3d,
  type AdaptiveSize3,
  avgPool3d,
  type AvgPool3dOptions,
  conv3d,
  type Conv3dOptions,
  dropout3d,
  maxPool3d,
  type MaxPool3dOptions,
  type Size3,
} from "./functional_3d.ts";
export { huberLoss, l1Loss, smoothL1Loss } from "./regression_loss.ts";
export { gaussianNllLoss, klDiv, poissonNllLoss } from "./likelihood_loss.ts";
export { cosineEmbeddingLoss, marginRankingLoss, tripletMarginLoss } from "./embedding_loss.ts";
export { multilabelSoftMarginLoss } from "./multilabel_loss.ts";
export { ctcLoss } from "./ctc_loss.ts";
