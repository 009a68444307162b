/**
 * The functional forms of the activations beyond ReLU and sigmoid, as `torch.nn.functional` has them:
 * `gelu`, `silu`, `tanh`, `leakyRelu`, `elu`, `softplus`, `hardswish`, `mish` and `prelu`, each the very
 * ATen operator PyTorch-Python's function calls (the `_` operator with `inplace`).
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

import { callT, callV, floatArg, op } from "../tensor/call.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBool, checkNumber, checkOneOf, checkTensor } from "./checks.ts";

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
  return checkBool(where, "inplace", options.inplace ?? false);
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
