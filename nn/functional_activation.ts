/**
 * The functional forms of the activations beyond ReLU and sigmoid, as `torch.nn.functional` has them:
 * `gelu`, `silu`, `tanh`, `leakyRelu`, `elu`, `softplus`, `hardswish`, `mish`, `prelu`, `hardtanh`,
 * `relu6`, `selu`, `celu`, `softsign`, `logsigmoid`, `hardsigmoid`, `glu` and `softmin`, each the very
 * ATen operators PyTorch-Python's function calls (the `_` operator with `inplace`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { gelu, leakyRelu } from "./functional_activation.ts";
 * const x = randn([2, 3]);
 * const a = gelu(x, { approximate: "tanh" });
 * const b = leakyRelu(x, 0.2);
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { type Arg, callT, callV, dtypeArg, floatArg, op, type OpRef } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import type { DType } from "../tensor/dtype.ts";
import { tidy } from "../tensor/memory.ts";
import { checkBoolean, checkInt, checkNumber, checkOneOf, checkTensor } from "../tensor/checks.ts";

const OPS = {
  gelu: op("aten::gelu"),
  silu: op("aten::silu"),
  silu_: op("aten::silu_"),
  tanh: op("aten::tanh"),
  leakyRelu: op("aten::leaky_relu"),
  leakyRelu_: op("aten::leaky_relu_"),
  elu: op("aten::elu"),
  elu_: op("aten::elu_"),
  softplus: op("aten::softplus"),
  hardswish: op("aten::hardswish"),
  hardswish_: op("aten::hardswish_"),
  mish: op("aten::mish"),
  mish_: op("aten::mish_"),
  prelu: op("aten::prelu"),
  hardtanh: op("aten::hardtanh"),
  hardtanh_: op("aten::hardtanh_"),
  relu6: op("aten::relu6"),
  relu6_: op("aten::relu6_"),
  selu: op("aten::selu"),
  selu_: op("aten::selu_"),
  celu: op("aten::celu"),
  celu_: op("aten::celu_"),
  logSigmoid: op("aten::log_sigmoid"),
  hardsigmoid: op("aten::hardsigmoid"),
  hardsigmoid_: op("aten::hardsigmoid_"),
  glu: op("aten::glu"),
  softmax: op("aten::softmax", "int"),
};

/** The approximations of {@linkcode gelu}: the exact erf form, or the tanh formula. */
export type GeluApproximate = "none" | "tanh";

/** Options of {@linkcode gelu}. */
export interface GeluOptions {
  /** `"none"` (default, x Φ(x) with erf) or `"tanh"` (the tanh approximation). */
  approximate?: GeluApproximate;
}

/** Options of the activations that can overwrite their input. */
export interface ActivationInplaceOptions {
  /** Overwrite the input and return it (default false). */
  inplace?: boolean;
}

function inplaceOf(where: string, options: ActivationInplaceOptions): boolean {
  return checkBoolean(where, "inplace", options.inplace ?? false);
}

/**
 * The Gaussian error linear unit x Φ(x) (`F.gelu`, `aten::gelu`), exact or with the tanh approximation.
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { gelu } from "./functional_activation.ts";
 * gelu(zeros([2])); // [0, 0]
 * ```
 */
export function gelu(input: Tensor, options: GeluOptions = {}): Tensor {
  checkOptions("gelu", options, ["approximate"]);
  checkTensor("gelu", "input", input);
  const approximate = checkOneOf("gelu", "approximate", options.approximate ?? "none", ["none", "tanh"]);
  return callT(OPS.gelu, input, approximate);
}

/**
 * x σ(x), the sigmoid linear unit or swish (`F.silu`, `aten::silu`; `aten::silu_` with `inplace`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { silu } from "./functional_activation.ts";
 * silu(zeros([2])); // [0, 0]
 * ```
 */
export function silu(input: Tensor, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("silu", options, ["inplace"]);
  checkTensor("silu", "input", input);
  if (inplaceOf("silu", options)) {
    callV(OPS.silu_, input);
    return input;
  }
  return callT(OPS.silu, input);
}

/**
 * The hyperbolic tangent (`torch.tanh`, `aten::tanh`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { tanh } from "./functional_activation.ts";
 * tanh(zeros([2])); // [0, 0]
 * ```
 */
export function tanh(input: Tensor): Tensor {
  checkTensor("tanh", "input", input);
  return callT(OPS.tanh, input);
}

/**
 * max(0, x) + negativeSlope min(0, x) (`F.leaky_relu`, `aten::leaky_relu`; `aten::leaky_relu_` with
 * `inplace`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { leakyRelu } from "./functional_activation.ts";
 * leakyRelu(tensor([-1, 2], { dtype: "float32" }), 0.5); // [-0.5, 2]
 * ```
 */
export function leakyRelu(input: Tensor, negativeSlope = 0.01, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("leakyRelu", options, ["inplace"]);
  checkTensor("leakyRelu", "input", input);
  checkNumber("leakyRelu", "negativeSlope", negativeSlope);
  if (inplaceOf("leakyRelu", options)) {
    callV(OPS.leakyRelu_, input, floatArg(negativeSlope));
    return input;
  }
  return callT(OPS.leakyRelu, input, floatArg(negativeSlope));
}

/**
 * x for x > 0, α (eˣ - 1) otherwise (`F.elu`, `aten::elu`; `aten::elu_` with `inplace`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { elu } from "./functional_activation.ts";
 * elu(zeros([2]), 0.5); // [0, 0]
 * ```
 */
export function elu(input: Tensor, alpha = 1.0, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("elu", options, ["inplace"]);
  checkTensor("elu", "input", input);
  checkNumber("elu", "alpha", alpha);
  if (inplaceOf("elu", options)) {
    callV(OPS.elu_, input, floatArg(alpha));
    return input;
  }
  return callT(OPS.elu, input, floatArg(alpha));
}

/**
 * log(1 + e^(βx)) / β, linear above `threshold` (`F.softplus`, `aten::softplus`; β and the threshold
 * default to the integers 1 and 20, as in PyTorch).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { softplus } from "./functional_activation.ts";
 * softplus(zeros([2])); // [log 2, log 2]
 * ```
 */
export function softplus(input: Tensor, beta = 1, threshold = 20): Tensor {
  checkTensor("softplus", "input", input);
  checkNumber("softplus", "beta", beta);
  checkNumber("softplus", "threshold", threshold);
  return callT(OPS.softplus, input, beta, threshold);
}

/**
 * x ReLU6(x + 3) / 6 (`F.hardswish`, `aten::hardswish`; `aten::hardswish_` with `inplace`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { hardswish } from "./functional_activation.ts";
 * hardswish(tensor([-4, 4], { dtype: "float32" })); // [0, 4]
 * ```
 */
export function hardswish(input: Tensor, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("hardswish", options, ["inplace"]);
  checkTensor("hardswish", "input", input);
  if (inplaceOf("hardswish", options)) {
    callV(OPS.hardswish_, input);
    return input;
  }
  return callT(OPS.hardswish, input);
}

/**
 * x tanh(softplus(x)) (`F.mish`, `aten::mish`; `aten::mish_` with `inplace`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { mish } from "./functional_activation.ts";
 * mish(zeros([2])); // [0, 0]
 * ```
 */
export function mish(input: Tensor, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("mish", options, ["inplace"]);
  checkTensor("mish", "input", input);
  if (inplaceOf("mish", options)) {
    callV(OPS.mish_, input);
    return input;
  }
  return callT(OPS.mish, input);
}

/**
 * max(0, x) + weight min(0, x) with a learned slope, one or one per channel (dimension 1)
 * (`F.prelu`, `aten::prelu`).
 *
 * @example
 * ```ts
 * import { full, tensor } from "../mod.ts";
 * import { prelu } from "./functional_activation.ts";
 * prelu(tensor([-2, 2], { dtype: "float32" }), full([1], 0.25)); // [-0.5, 2]
 * ```
 */
export function prelu(input: Tensor, weight: Tensor): Tensor {
  checkTensor("prelu", "input", input);
  checkTensor("prelu", "weight", weight);
  return callT(OPS.prelu, input, weight);
}

/** `ref(input, ...args)`, or with `inplace` the in-place `ref_` on `input`, which is returned. */
function inplaceCall(where: string, ref: OpRef, ref_: OpRef, input: Tensor, inplace: boolean, ...args: Arg[]): Tensor {
  checkTensor(where, "input", input);
  if (checkBoolean(where, "inplace", inplace)) {
    callV(ref_, input, ...args);
    return input;
  }
  return callT(ref, input, ...args);
}

/**
 * x clamped to [minVal, maxVal] (`F.hardtanh`, `aten::hardtanh`; `aten::hardtanh_` with `inplace`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { hardtanh } from "./functional_activation.ts";
 * hardtanh(tensor([-3, 0.5, 3], { dtype: "float32" })); // [-1, 0.5, 1]
 * ```
 */
export function hardtanh(input: Tensor, minVal = -1.0, maxVal = 1.0, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("hardtanh", options, ["inplace"]);
  checkNumber("hardtanh", "minVal", minVal);
  checkNumber("hardtanh", "maxVal", maxVal);
  return inplaceCall(
    "hardtanh",
    OPS.hardtanh,
    OPS.hardtanh_,
    input,
    options.inplace ?? false,
    floatArg(minVal),
    floatArg(maxVal),
  );
}

/**
 * min(max(0, x), 6) (`F.relu6`, `aten::relu6`; `aten::relu6_` with `inplace`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { relu6 } from "./functional_activation.ts";
 * relu6(tensor([-1, 3, 8], { dtype: "float32" })); // [0, 3, 6]
 * ```
 */
export function relu6(input: Tensor, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("relu6", options, ["inplace"]);
  return inplaceCall("relu6", OPS.relu6, OPS.relu6_, input, options.inplace ?? false);
}

/**
 * The scaled exponential linear unit (`F.selu`, `aten::selu`; `aten::selu_` with `inplace`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { selu } from "./functional_activation.ts";
 * selu(zeros([2])); // [0, 0]
 * ```
 */
export function selu(input: Tensor, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("selu", options, ["inplace"]);
  return inplaceCall("selu", OPS.selu, OPS.selu_, input, options.inplace ?? false);
}

/**
 * max(0, x) + min(0, α (e^(x/α) - 1)) (`F.celu`, `aten::celu`; `aten::celu_` with `inplace`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { celu } from "./functional_activation.ts";
 * celu(zeros([2]), 0.5); // [0, 0]
 * ```
 */
export function celu(input: Tensor, alpha = 1.0, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("celu", options, ["inplace"]);
  checkNumber("celu", "alpha", alpha);
  return inplaceCall("celu", OPS.celu, OPS.celu_, input, options.inplace ?? false, floatArg(alpha));
}

/**
 * x / (1 + |x|) (`F.softsign`: `input / (input.abs() + 1)`, the same three operators).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { softsign } from "./functional_activation.ts";
 * softsign(tensor([1, -3], { dtype: "float32" })); // [0.5, -0.75]
 * ```
 */
export function softsign(input: Tensor): Tensor {
  checkTensor("softsign", "input", input);
  return tidy(() => input.div(input.abs().add(1)));
}

/**
 * log σ(x) (`F.logsigmoid`, `aten::log_sigmoid`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { logsigmoid } from "./functional_activation.ts";
 * logsigmoid(zeros([2])); // [-log 2, -log 2]
 * ```
 */
export function logsigmoid(input: Tensor): Tensor {
  checkTensor("logsigmoid", "input", input);
  return callT(OPS.logSigmoid, input);
}

/**
 * ReLU6(x + 3) / 6 (`F.hardsigmoid`, `aten::hardsigmoid`; `aten::hardsigmoid_` with `inplace`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { hardsigmoid } from "./functional_activation.ts";
 * hardsigmoid(zeros([2])); // [0.5, 0.5]
 * ```
 */
export function hardsigmoid(input: Tensor, options: ActivationInplaceOptions = {}): Tensor {
  checkOptions("hardsigmoid", options, ["inplace"]);
  return inplaceCall("hardsigmoid", OPS.hardsigmoid, OPS.hardsigmoid_, input, options.inplace ?? false);
}

/**
 * The gated linear unit: the first half of `dim` times σ of the second half (`F.glu`, `aten::glu`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { glu } from "./functional_activation.ts";
 * glu(randn([2, 6])); // [2, 3]
 * ```
 */
export function glu(input: Tensor, dim = -1): Tensor {
  checkTensor("glu", "input", input);
  checkInt("glu", "dim", dim);
  if (input.ndim === 0) throw new RangeError("glu: glu does not support scalars because halving size must be even");
  return callT(OPS.glu, input, dim);
}

/** Options of {@linkcode softmin}. */
export interface SoftminOptions {
  /** Convert the input to this dtype before the operation. */
  dtype?: DType;
}

/**
 * softmax(-x) along `dim` (`F.softmin`: `(-input).softmax(dim)`); without `dim`, PyTorch's deprecated
 * implicit choice (0 for 0-, 1- and 3-D input, else 1).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { softmin } from "./functional_activation.ts";
 * softmin(zeros([2, 4]), 1); // every entry 0.25
 * ```
 */
export function softmin(input: Tensor, dim?: number | null, options: SoftminOptions = {}): Tensor {
  checkOptions("softmin", options, ["dtype"]);
  checkTensor("softmin", "input", input);
  const n = input.ndim;
  const d = dim === undefined || dim === null
    ? (n === 0 || n === 1 || n === 3 ? 0 : 1)
    : checkInt("softmin", "dim", dim);
  return tidy(() => callT(OPS.softmax, input.neg(), d, options.dtype === undefined ? null : dtypeArg(options.dtype)));
}
