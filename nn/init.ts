/**
 * Weight initialisation, PyTorch's `torch.nn.init` camelCased: the same float arithmetic (C library
 * `pow` through `cmath` where Python uses `**`) and the same draws from the global generator, so that
 * after `manualSeed(n)` each function fills a tensor exactly as PyTorch-Python does. Each runs without
 * recording gradients and returns the tensor it filled.
 *
 * @example
 * ```ts
 * import { empty, manualSeed } from "../mod.ts";
 * import { kaimingUniform_ } from "./init.ts";
 * manualSeed(0);
 * const w = kaimingUniform_(empty([6, 3, 5, 5]), { a: Math.sqrt(5) }); // as nn.Conv2d(3, 6, 5) draws it
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { noGrad } from "../tensor/autograd.ts";
import { cmath } from "../tensor/runtime.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkNumber, checkOneOf, checkTensor, describe } from "../tensor/checks.ts";

/** The nonlinearities of {@linkcode calculateGain}, by their `torch.nn.functional` names. */
export type Nonlinearity =
  | "linear"
  | "conv1d"
  | "conv2d"
  | "conv3d"
  | "conv_transpose1d"
  | "conv_transpose2d"
  | "conv_transpose3d"
  | "sigmoid"
  | "tanh"
  | "relu"
  | "leaky_relu"
  | "selu";

const LINEAR_FNS = [
  "linear",
  "conv1d",
  "conv2d",
  "conv3d",
  "conv_transpose1d",
  "conv_transpose2d",
  "conv_transpose3d",
];

/**
 * The recommended gain for a nonlinearity (`torch.nn.init.calculate_gain`): 1 for linear layers and
 * sigmoid, 5/3 for tanh, √2 for relu, √(2 / (1 + slope²)) for leaky_relu (`param` is the negative slope,
 * default 0.01), 3/4 for selu.
 *
 * @example
 * ```ts
 * import { calculateGain } from "./init.ts";
 * calculateGain("leaky_relu", 0.2); // 1.3867504905630728
 * ```
 */
export function calculateGain(nonlinearity: Nonlinearity, param: number | null = null): number {
  if (LINEAR_FNS.includes(nonlinearity) || nonlinearity === "sigmoid") return 1;
  if (nonlinearity === "tanh") return 5.0 / 3;
  if (nonlinearity === "relu") return Math.sqrt(2.0);
  if (nonlinearity === "leaky_relu") {
    let slope = 0.01;
    if (param !== null && param !== undefined) {
      if (typeof param !== "number" || Number.isNaN(param)) {
        throw new TypeError(
          `calculateGain: param (the negative slope) must be a number, got ${describe(param, "size")}`,
        );
      }
      slope = param;
    }
    return Math.sqrt(2.0 / (1 + cmath.pow(slope, 2)));
  }
  if (nonlinearity === "selu") return 3.0 / 4;
  throw new RangeError(`calculateGain: unsupported nonlinearity ${describe(nonlinearity, "size")}`);
}

/**
 * The fan-in and fan-out of a weight (`torch.nn.init._calculate_fan_in_and_fan_out`): input and output
 * feature maps times the receptive field size (the product of dimensions 2 and up).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { calculateFanInAndFanOut } from "./init.ts";
 * calculateFanInAndFanOut(empty([6, 3, 5, 5])); // [75, 150]
 * ```
 */
export function calculateFanInAndFanOut(tensor: Tensor): [fanIn: number, fanOut: number] {
  const shape = checkTensor("calculateFanInAndFanOut", "tensor", tensor).shape;
  if (shape.length < 2) {
    throw new RangeError(
      `Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [${
        shape.join(", ")
      }])`,
    );
  }
  let receptiveFieldSize = 1;
  for (const s of shape.slice(2)) receptiveFieldSize *= s;
  return [shape[1] * receptiveFieldSize, shape[0] * receptiveFieldSize];
}

/** Options of {@linkcode kaimingUniform_} and {@linkcode kaimingNormal_}. */
export interface KaimingOptions {
  /** The negative slope of the rectifier after this layer (used with `"leaky_relu"`; default 0). */
  a?: number;
  /** `"fan_in"` (default) keeps the variance in the forward pass, `"fan_out"` in the backward pass. */
  mode?: "fan_in" | "fan_out";
  /** The nonlinearity after this layer (default `"leaky_relu"`). */
  nonlinearity?: Nonlinearity;
}

function kaimingStd(where: string, tensor: Tensor, options: KaimingOptions): number {
  const mode = checkOneOf(
    where,
    "mode",
    typeof options.mode === "string" ? options.mode.toLowerCase() : options.mode ?? "fan_in",
    ["fan_in", "fan_out"],
  );
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const fan = mode === "fan_in" ? fanIn : fanOut;
  const gain = calculateGain(options.nonlinearity ?? "leaky_relu", options.a ?? 0);
  return gain / Math.sqrt(fan);
}

/**
 * Fills `tensor` from U(-bound, bound) with bound = gain · √(3 / fan) (He initialisation,
 * `torch.nn.init.kaiming_uniform_`). A tensor without elements is left as it is.
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { kaimingUniform_ } from "./init.ts";
 * const w = kaimingUniform_(empty([3, 5]), { mode: "fan_in", nonlinearity: "relu" });
 * ```
 */
export function kaimingUniform_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions("kaimingUniform_", options, ["a", "mode", "nonlinearity"]);
  checkTensor("kaimingUniform_", "tensor", tensor);
  if (tensor.shape.includes(0)) return tensor;
  const std = kaimingStd("kaimingUniform_", tensor, options);
  const bound = Math.sqrt(3.0) * std;
  return noGrad(() => tensor.uniform_(-bound, bound));
}

/**
 * Fills `tensor` from N(0, std²) with std = gain / √fan (He initialisation,
 * `torch.nn.init.kaiming_normal_`). A tensor without elements is left as it is.
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { kaimingNormal_ } from "./init.ts";
 * const w = kaimingNormal_(empty([3, 5]), { mode: "fan_out", nonlinearity: "relu" });
 * ```
 */
export function kaimingNormal_(tensor: Tensor, options: KaimingOptions = {}): Tensor {
  checkOptions("kaimingNormal_", options, ["a", "mode", "nonlinearity"]);
  checkTensor("kaimingNormal_", "tensor", tensor);
  if (tensor.shape.includes(0)) return tensor;
  const std = kaimingStd("kaimingNormal_", tensor, options);
  return noGrad(() => tensor.normal_(0, std));
}

/**
 * Fills `tensor` from U(-a, a) with a = gain · √(6 / (fanIn + fanOut)) (Glorot initialisation,
 * `torch.nn.init.xavier_uniform_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { calculateGain, xavierUniform_ } from "./init.ts";
 * const w = xavierUniform_(empty([3, 5]), calculateGain("relu"));
 * ```
 */
export function xavierUniform_(tensor: Tensor, gain = 1): Tensor {
  checkNumber("xavierUniform_", "gain", gain);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  const a = Math.sqrt(3.0) * std;
  return noGrad(() => tensor.uniform_(-a, a));
}

/**
 * Fills `tensor` from N(0, std²) with std = gain · √(2 / (fanIn + fanOut)) (Glorot initialisation,
 * `torch.nn.init.xavier_normal_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { xavierNormal_ } from "./init.ts";
 * const w = xavierNormal_(empty([3, 5]));
 * ```
 */
export function xavierNormal_(tensor: Tensor, gain = 1): Tensor {
  checkNumber("xavierNormal_", "gain", gain);
  const [fanIn, fanOut] = calculateFanInAndFanOut(tensor);
  const std = gain * Math.sqrt(2.0 / (fanIn + fanOut));
  return noGrad(() => tensor.normal_(0, std));
}

/**
 * Fills `tensor` from U(a, b) (`torch.nn.init.uniform_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { uniform_ } from "./init.ts";
 * const b = uniform_(empty([4]), -0.1, 0.1);
 * ```
 */
export function uniform_(tensor: Tensor, a = 0, b = 1): Tensor {
  checkTensor("uniform_", "tensor", tensor);
  checkNumber("uniform_", "a", a);
  checkNumber("uniform_", "b", b);
  return noGrad(() => tensor.uniform_(a, b));
}

/**
 * Fills `tensor` from N(mean, std²) (`torch.nn.init.normal_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { normal_ } from "./init.ts";
 * const w = normal_(empty([3, 5]), 0, 0.02);
 * ```
 */
export function normal_(tensor: Tensor, mean = 0, std = 1): Tensor {
  checkTensor("normal_", "tensor", tensor);
  checkNumber("normal_", "mean", mean);
  checkNumber("normal_", "std", std, { min: 0 });
  return noGrad(() => tensor.normal_(mean, std));
}

/**
 * Fills `tensor` with `val` (`torch.nn.init.constant_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { constant_ } from "./init.ts";
 * const b = constant_(empty([4]), 0.3);
 * ```
 */
export function constant_(tensor: Tensor, val: number): Tensor {
  checkTensor("constant_", "tensor", tensor);
  checkNumber("constant_", "val", val);
  return noGrad(() => tensor.fill_(val));
}

/**
 * Fills `tensor` with ones (`torch.nn.init.ones_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { ones_ } from "./init.ts";
 * const w = ones_(empty([4]));
 * ```
 */
export function ones_(tensor: Tensor): Tensor {
  checkTensor("ones_", "tensor", tensor);
  return noGrad(() => tensor.fill_(1.0));
}

/**
 * Fills `tensor` with zeros (`torch.nn.init.zeros_`).
 *
 * @example
 * ```ts
 * import { empty } from "../mod.ts";
 * import { zeros_ } from "./init.ts";
 * const b = zeros_(empty([4]));
 * ```
 */
export function zeros_(tensor: Tensor): Tensor {
  checkTensor("zeros_", "tensor", tensor);
  return noGrad(() => tensor.zero_());
}
