/**
 * The activation layers, as torch.nn's: `ReLU`, `Sigmoid`, `GELU`, `SiLU`, `Tanh`, `LeakyReLU`, `ELU`,
 * `Softplus`, `Softmax`, `LogSoftmax`, `Hardswish`, `Mish`, `PReLU`, `Hardtanh`, `ReLU6`, `SELU`, `CELU`,
 * `Softsign`, `LogSigmoid`, `Hardsigmoid`, `GLU`, `Softmin` and `Softmax2d` (printouts as PyTorch's).
 *
 * @module
 */

import { empty } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBoolean, checkInt, checkNumber, checkOneOf } from "../tensor/checks.ts";
import { logSoftmax, relu, sigmoid, softmax } from "./functional.ts";
import {
  celu,
  elu,
  gelu,
  type GeluApproximate,
  glu,
  hardsigmoid,
  hardswish,
  hardtanh,
  leakyRelu,
  logsigmoid,
  mish,
  prelu,
  selu,
  silu,
  softmin,
  softplus,
  softsign,
  tanh,
} from "./functional_activation.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyFloat, pyStr } from "./python_repr.ts";
import { TORCH2 } from "../ffi/native.ts";

/** Options of {@linkcode ReLU}. */
export interface ReLUOptions {
  /** Overwrite the input (default false). */
  inplace?: boolean;
}

/**
 * max(0, x) elementwise (torch.nn.ReLU, `aten::relu`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { ReLU } from "./activation.ts";
 * new ReLU().forward(tensor([-1, 2], { dtype: "float32" })); // [0, 2]
 * ```
 */
export class ReLU extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A ReLU layer, options by name (`{ inplace: true }`). */
  constructor(options?: ReLUOptions);
  /** PyTorch's positional form `ReLU(inplace=False)`. */
  constructor(inplace: boolean);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<ReLUOptions>("ReLU", args, ["inplace"], [], "new ReLU({ inplace: true })");
    this.inplace = checkBoolean("ReLU", "inplace", options.inplace ?? false);
  }

  /** max(0, input). */
  forward(input: Tensor): Tensor {
    return relu(input, { inplace: this.inplace });
  }

  /** Empty, or `inplace=True`. */
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/**
 * 1 / (1 + e^-x) elementwise (torch.nn.Sigmoid, `aten::sigmoid`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { Sigmoid } from "./activation.ts";
 * new Sigmoid().forward(zeros([2])); // [0.5, 0.5]
 * ```
 */
export class Sigmoid extends Module {
  /** The sigmoid of `input`. */
  forward(input: Tensor): Tensor {
    return sigmoid(input);
  }
}

/** Options of {@linkcode GELU}. */
export interface GELUOptions {
  /** `"none"` (default, exact) or `"tanh"` (the tanh approximation). */
  approximate?: GeluApproximate;
}

/**
 * The Gaussian error linear unit (torch.nn.GELU, `aten::gelu`), exact or tanh-approximated.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { GELU } from "./activation.ts";
 * const y = new GELU({ approximate: "tanh" }).forward(randn([2, 3]));
 * ```
 */
export class GELU extends Module {
  /** `"none"` or `"tanh"`. */
  readonly approximate: GeluApproximate;

  /** A GELU layer. */
  constructor(options?: GELUOptions);
  /** PyTorch's positional form `GELU(approximate)`. */
  constructor(approximate?: GELUOptions["approximate"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<GELUOptions>("GELU", args, ["approximate"], [], "new GELU({ approximate: ... })");
    this.approximate = checkOneOf("GELU", "approximate", options.approximate ?? "none", ["none", "tanh"]);
  }

  /** GELU of `input`. */
  forward(input: Tensor): Tensor {
    return gelu(input, { approximate: this.approximate });
  }

  /** `approximate='none'`. */
  override extraRepr(): string {
    return `approximate='${this.approximate}'`;
  }
}

/** Options of the activation layers that can overwrite their input. */
export interface InplaceLayerOptions {
  /** Overwrite the input (default false). */
  inplace?: boolean;
}

/**
 * x σ(x) (torch.nn.SiLU, `aten::silu`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { SiLU } from "./activation.ts";
 * new SiLU().forward(zeros([2])); // [0, 0]
 * ```
 */
export class SiLU extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A SiLU layer. */
  constructor(options?: InplaceLayerOptions);
  /** PyTorch's positional form `SiLU(inplace)`. */
  constructor(inplace?: InplaceLayerOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<InplaceLayerOptions>("SiLU", args, ["inplace"], [], "new SiLU({ inplace: ... })");
    this.inplace = checkBoolean("SiLU", "inplace", options.inplace ?? false);
  }

  /** SiLU of `input`. */
  forward(input: Tensor): Tensor {
    return silu(input, { inplace: this.inplace });
  }

  /** Empty, or `inplace=True`. */
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/**
 * The hyperbolic tangent (torch.nn.Tanh, `aten::tanh`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { Tanh } from "./activation.ts";
 * new Tanh().forward(zeros([2])); // [0, 0]
 * ```
 */
export class Tanh extends Module {
  /** tanh of `input`. */
  forward(input: Tensor): Tensor {
    return tanh(input);
  }
}

/** Options of {@linkcode LeakyReLU}. */
export interface LeakyReLUOptions extends InplaceLayerOptions {
  /** The slope for negative inputs (default 0.01). */
  negativeSlope?: number;
}

/**
 * max(0, x) + negativeSlope min(0, x) (torch.nn.LeakyReLU, `aten::leaky_relu`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LeakyReLU } from "./activation.ts";
 * const y = new LeakyReLU({ negativeSlope: 0.2 }).forward(randn([4]));
 * ```
 */
export class LeakyReLU extends Module {
  /** The slope for negative inputs. */
  readonly negativeSlope: number;
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A leaky ReLU layer. */
  constructor(options?: LeakyReLUOptions);
  /** PyTorch's positional form `LeakyReLU(negative_slope, inplace)`. */
  constructor(negativeSlope?: LeakyReLUOptions["negativeSlope"], inplace?: LeakyReLUOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<LeakyReLUOptions>(
      "LeakyReLU",
      args,
      ["negativeSlope", "inplace"],
      [],
      "new LeakyReLU({ negativeSlope: ... })",
    );
    this.negativeSlope = checkNumber("LeakyReLU", "negativeSlope", options.negativeSlope ?? 0.01);
    this.inplace = checkBoolean("LeakyReLU", "inplace", options.inplace ?? false);
  }

  /** The leaky ReLU of `input`. */
  forward(input: Tensor): Tensor {
    return leakyRelu(input, this.negativeSlope, { inplace: this.inplace });
  }

  /** `negative_slope=0.01`. */
  override extraRepr(): string {
    return `negative_slope=${pyFloat(this.negativeSlope)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/** Options of {@linkcode ELU}. */
export interface ELUOptions extends InplaceLayerOptions {
  /** The scale of the negative part (default 1.0). */
  alpha?: number;
}

/**
 * x for x > 0, α (eˣ - 1) otherwise (torch.nn.ELU, `aten::elu`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ELU } from "./activation.ts";
 * const y = new ELU({ alpha: 0.5 }).forward(randn([4]));
 * ```
 */
export class ELU extends Module {
  /** The scale of the negative part. */
  readonly alpha: number;
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** An ELU layer. */
  constructor(options?: ELUOptions);
  /** PyTorch's positional form `ELU(alpha, inplace)`. */
  constructor(alpha?: ELUOptions["alpha"], inplace?: ELUOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<ELUOptions>("ELU", args, ["alpha", "inplace"], [], "new ELU({ alpha: ... })");
    this.alpha = checkNumber("ELU", "alpha", options.alpha ?? 1.0);
    this.inplace = checkBoolean("ELU", "inplace", options.inplace ?? false);
  }

  /** The ELU of `input`. */
  forward(input: Tensor): Tensor {
    return elu(input, this.alpha, { inplace: this.inplace });
  }

  /** `alpha=1.0`. */
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/** Options of {@linkcode Softplus}. */
export interface SoftplusOptions {
  /** The sharpness β (default 1). */
  beta?: number;
  /** Above β x > threshold the function is linear (default 20). */
  threshold?: number;
}

/**
 * log(1 + e^(βx)) / β (torch.nn.Softplus, `aten::softplus`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Softplus } from "./activation.ts";
 * const y = new Softplus({ beta: 2 }).forward(randn([4]));
 * ```
 */
export class Softplus extends Module {
  /** The sharpness β. */
  readonly beta: number;
  /** The linear threshold. */
  readonly threshold: number;
  /** Which of beta and threshold are defaults (PyTorch 2 prints its defaults as floats). */
  readonly #defaults: { beta: boolean; threshold: boolean };

  /** A softplus layer. */
  constructor(options?: SoftplusOptions);
  /** PyTorch's positional form `Softplus(beta, threshold)`. */
  constructor(beta?: SoftplusOptions["beta"], threshold?: SoftplusOptions["threshold"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<SoftplusOptions>(
      "Softplus",
      args,
      ["beta", "threshold"],
      [],
      "new Softplus({ beta: ... })",
    );
    this.beta = checkNumber("Softplus", "beta", options.beta ?? 1);
    this.threshold = checkNumber("Softplus", "threshold", options.threshold ?? 20);
    this.#defaults = { beta: options.beta === undefined, threshold: options.threshold === undefined };
  }

  /** The softplus of `input`. */
  forward(input: Tensor): Tensor {
    return softplus(input, this.beta, this.threshold);
  }

  /**
   * `beta=1, threshold=20` (integers as Python prints PyTorch 1.13's integer defaults; PyTorch 2's defaults
   * are floats, `beta=1.0, threshold=20.0`).
   */
  override extraRepr(): string {
    const show = (v: number, isDefault: boolean) => TORCH2 && isDefault ? pyFloat(v) : pyStr(v);
    return `beta=${show(this.beta, this.#defaults.beta)}, threshold=${show(this.threshold, this.#defaults.threshold)}`;
  }
}

/** Options of {@linkcode Softmax} and {@linkcode LogSoftmax}. */
export interface SoftmaxLayerOptions {
  /** The dimension (default null: PyTorch's deprecated implicit choice). */
  dim?: number | null;
}

/**
 * Softmax along `dim` (torch.nn.Softmax, `aten::softmax.int`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { Softmax } from "./activation.ts";
 * new Softmax({ dim: 1 }).forward(zeros([2, 4])); // every entry 0.25
 * ```
 */
export class Softmax extends Module {
  /** The dimension, or null for the implicit one. */
  readonly dim: number | null;

  /** A softmax layer. */
  constructor(options?: SoftmaxLayerOptions);
  /** PyTorch's positional form `Softmax(dim)`. */
  constructor(dim?: SoftmaxLayerOptions["dim"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<SoftmaxLayerOptions>("Softmax", args, ["dim"], [], "new Softmax({ dim: ... })");
    this.dim = options.dim === undefined || options.dim === null ? null : checkInt("Softmax", "dim", options.dim);
  }

  /** The softmax of `input`. */
  forward(input: Tensor): Tensor {
    return softmax(input, this.dim);
  }

  /** `dim=1` or `dim=None`. */
  override extraRepr(): string {
    return `dim=${pyStr(this.dim)}`;
  }
}

/**
 * Log-softmax along `dim` (torch.nn.LogSoftmax, `aten::log_softmax.int`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LogSoftmax } from "./activation.ts";
 * const logp = new LogSoftmax({ dim: -1 }).forward(randn([2, 4]));
 * ```
 */
export class LogSoftmax extends Module {
  /** The dimension, or null for the implicit one. */
  readonly dim: number | null;

  /** A log-softmax layer. */
  constructor(options?: SoftmaxLayerOptions);
  /** PyTorch's positional form `LogSoftmax(dim)`. */
  constructor(dim?: SoftmaxLayerOptions["dim"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<SoftmaxLayerOptions>(
      "LogSoftmax",
      args,
      ["dim"],
      [],
      "new LogSoftmax({ dim: ... })",
    );
    this.dim = options.dim === undefined || options.dim === null ? null : checkInt("LogSoftmax", "dim", options.dim);
  }

  /** The log-softmax of `input`. */
  forward(input: Tensor): Tensor {
    return logSoftmax(input, this.dim);
  }

  /** `dim=1` or `dim=None`. */
  override extraRepr(): string {
    return `dim=${pyStr(this.dim)}`;
  }
}

/**
 * x ReLU6(x + 3) / 6 (torch.nn.Hardswish, `aten::hardswish`); prints no options, as PyTorch's.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Hardswish } from "./activation.ts";
 * const y = new Hardswish().forward(randn([4]));
 * ```
 */
export class Hardswish extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A hardswish layer. */
  constructor(options?: InplaceLayerOptions);
  /** PyTorch's positional form `Hardswish(inplace)`. */
  constructor(inplace?: InplaceLayerOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<InplaceLayerOptions>(
      "Hardswish",
      args,
      ["inplace"],
      [],
      "new Hardswish({ inplace: ... })",
    );
    this.inplace = checkBoolean("Hardswish", "inplace", options.inplace ?? false);
  }

  /** The hardswish of `input`. */
  forward(input: Tensor): Tensor {
    return hardswish(input, { inplace: this.inplace });
  }
}

/**
 * x tanh(softplus(x)) (torch.nn.Mish, `aten::mish`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Mish } from "./activation.ts";
 * const y = new Mish().forward(randn([4]));
 * ```
 */
export class Mish extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A mish layer. */
  constructor(options?: InplaceLayerOptions);
  /** PyTorch's positional form `Mish(inplace)`. */
  constructor(inplace?: InplaceLayerOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<InplaceLayerOptions>("Mish", args, ["inplace"], [], "new Mish({ inplace: ... })");
    this.inplace = checkBoolean("Mish", "inplace", options.inplace ?? false);
  }

  /** The mish of `input`. */
  forward(input: Tensor): Tensor {
    return mish(input, { inplace: this.inplace });
  }

  /** Empty, or `inplace=True`. */
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/** Options of {@linkcode PReLU}. */
export interface PReLUOptions extends FactoryOptions {
  /** The number of learned slopes: 1, or one per channel (default 1). */
  numParameters?: number;
  /** The initial slope (default 0.25). */
  init?: number;
}

/**
 * max(0, x) + a min(0, x) with learned slopes `weight` (torch.nn.PReLU, `aten::prelu`), filled with
 * `init` (no random draw, as PyTorch).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { PReLU } from "./activation.ts";
 * const act = new PReLU({ numParameters: 3 });
 * const y = act.forward(randn([2, 3, 4]));
 * ```
 */
export class PReLU extends Module {
  /** The number of slopes. */
  readonly numParameters: number;
  /** The slopes, [numParameters]. */
  readonly weight: Tensor;

  /** A PReLU layer. */
  constructor(options?: PReLUOptions);
  /** PyTorch's positional form `PReLU(num_parameters, init, *, device, dtype)`. */
  constructor(numParameters?: PReLUOptions["numParameters"], init?: PReLUOptions["init"], options?: PReLUOptions);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<PReLUOptions>(
      "PReLU",
      args,
      ["numParameters", "init"],
      ["device", "dtype"],
      "new PReLU({ numParameters: ... })",
    );
    this.numParameters = checkInt("PReLU", "numParameters", options.numParameters ?? 1, 1);
    const init = checkNumber("PReLU", "init", options.init ?? 0.25);
    const w = empty([this.numParameters], { dtype: options.dtype, device: options.device });
    w.fill_(init);
    this.weight = this.registerParameter("weight", w);
  }

  /** The PReLU of `input`. */
  forward(input: Tensor): Tensor {
    return prelu(input, this.weight);
  }

  /** `num_parameters=1`. */
  override extraRepr(): string {
    return `num_parameters=${this.numParameters}`;
  }
}

/** Options of {@linkcode Hardtanh}. */
export interface HardtanhOptions extends InplaceLayerOptions {
  /** The lower bound (default -1.0). */
  minVal?: number;
  /** The upper bound (default 1.0). */
  maxVal?: number;
}

/**
 * x clamped to [minVal, maxVal] (torch.nn.Hardtanh, `aten::hardtanh`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Hardtanh } from "./activation.ts";
 * const y = new Hardtanh({ minVal: -2, maxVal: 2 }).forward(randn([4]));
 * ```
 */
export class Hardtanh extends Module {
  /** The lower bound. */
  readonly minVal: number;
  /** The upper bound. */
  readonly maxVal: number;
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A hardtanh layer. */
  constructor(options?: HardtanhOptions);
  /** PyTorch's positional form `Hardtanh(min_val, max_val, inplace)`. */
  constructor(
    minVal?: HardtanhOptions["minVal"],
    maxVal?: HardtanhOptions["maxVal"],
    inplace?: HardtanhOptions["inplace"],
  );
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<HardtanhOptions>(
      "Hardtanh",
      args,
      ["minVal", "maxVal", "inplace"],
      [],
      "new Hardtanh({ minVal: ... })",
    );
    this.minVal = checkNumber(this.typeName, "minVal", options.minVal ?? -1.0);
    this.maxVal = checkNumber(this.typeName, "maxVal", options.maxVal ?? 1.0);
    this.inplace = checkBoolean(this.typeName, "inplace", options.inplace ?? false);
    if (!(this.maxVal > this.minVal)) {
      throw new RangeError(
        `${this.typeName}: maxVal must be greater than minVal, got ${this.minVal} and ${this.maxVal}`,
      );
    }
  }

  /** `input` clamped. */
  forward(input: Tensor): Tensor {
    return hardtanh(input, this.minVal, this.maxVal, { inplace: this.inplace });
  }

  /** `min_val=-1.0, max_val=1.0`. */
  override extraRepr(): string {
    return `min_val=${pyFloat(this.minVal)}, max_val=${pyFloat(this.maxVal)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/**
 * min(max(0, x), 6) (torch.nn.ReLU6: PyTorch's Hardtanh(0, 6), `aten::hardtanh`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ReLU6 } from "./activation.ts";
 * const y = new ReLU6().forward(randn([4]));
 * ```
 */
export class ReLU6 extends Hardtanh {
  /** A ReLU6 layer. */
  constructor(options?: InplaceLayerOptions);
  /** PyTorch's positional form `ReLU6(inplace)`. */
  constructor(inplace?: InplaceLayerOptions["inplace"]);
  constructor(...args: unknown[]) {
    const options = positionalOptions<InplaceLayerOptions>(
      "ReLU6",
      args,
      ["inplace"],
      [],
      "new ReLU6({ inplace: ... })",
    );
    super({ minVal: 0, maxVal: 6, inplace: options.inplace });
  }

  /** Empty, or `inplace=True`. */
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/**
 * The scaled exponential linear unit (torch.nn.SELU, `aten::selu`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { SELU } from "./activation.ts";
 * const y = new SELU().forward(randn([4]));
 * ```
 */
export class SELU extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A SELU layer. */
  constructor(options?: InplaceLayerOptions);
  /** PyTorch's positional form `SELU(inplace)`. */
  constructor(inplace?: InplaceLayerOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<InplaceLayerOptions>("SELU", args, ["inplace"], [], "new SELU({ inplace: ... })");
    this.inplace = checkBoolean("SELU", "inplace", (options ?? {}).inplace ?? false);
  }

  /** The SELU of `input`. */
  forward(input: Tensor): Tensor {
    return selu(input, { inplace: this.inplace });
  }

  /** Empty, or `inplace=True`. */
  override extraRepr(): string {
    return this.inplace ? "inplace=True" : "";
  }
}

/**
 * max(0, x) + min(0, α (e^(x/α) - 1)) (torch.nn.CELU, `aten::celu`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { CELU } from "./activation.ts";
 * const y = new CELU({ alpha: 0.5 }).forward(randn([4]));
 * ```
 */
export class CELU extends Module {
  /** The scale α. */
  readonly alpha: number;
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A CELU layer. */
  constructor(options?: ELUOptions);
  /** PyTorch's positional form `CELU(alpha, inplace)`. */
  constructor(alpha?: ELUOptions["alpha"], inplace?: ELUOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<ELUOptions>("CELU", args, ["alpha", "inplace"], [], "new CELU({ alpha: ... })");
    this.alpha = checkNumber("CELU", "alpha", options.alpha ?? 1.0);
    this.inplace = checkBoolean("CELU", "inplace", options.inplace ?? false);
  }

  /** The CELU of `input`. */
  forward(input: Tensor): Tensor {
    return celu(input, this.alpha, { inplace: this.inplace });
  }

  /** `alpha=1.0`. */
  override extraRepr(): string {
    return `alpha=${pyFloat(this.alpha)}${this.inplace ? ", inplace=True" : ""}`;
  }
}

/**
 * x / (1 + |x|) (torch.nn.Softsign).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Softsign } from "./activation.ts";
 * const y = new Softsign().forward(randn([4]));
 * ```
 */
export class Softsign extends Module {
  /** The softsign of `input`. */
  forward(input: Tensor): Tensor {
    return softsign(input);
  }
}

/**
 * log σ(x) (torch.nn.LogSigmoid, `aten::log_sigmoid`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LogSigmoid } from "./activation.ts";
 * const y = new LogSigmoid().forward(randn([4]));
 * ```
 */
export class LogSigmoid extends Module {
  /** log σ of `input`. */
  forward(input: Tensor): Tensor {
    return logsigmoid(input);
  }
}

/**
 * ReLU6(x + 3) / 6 (torch.nn.Hardsigmoid, `aten::hardsigmoid`); prints no options, as PyTorch's.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Hardsigmoid } from "./activation.ts";
 * const y = new Hardsigmoid().forward(randn([4]));
 * ```
 */
export class Hardsigmoid extends Module {
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A hardsigmoid layer. */
  constructor(options?: InplaceLayerOptions);
  /** PyTorch's positional form `Hardsigmoid(inplace)`. */
  constructor(inplace?: InplaceLayerOptions["inplace"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<InplaceLayerOptions>(
      "Hardsigmoid",
      args,
      ["inplace"],
      [],
      "new Hardsigmoid({ inplace: ... })",
    );
    this.inplace = checkBoolean("Hardsigmoid", "inplace", options.inplace ?? false);
  }

  /** The hardsigmoid of `input`. */
  forward(input: Tensor): Tensor {
    return hardsigmoid(input, { inplace: this.inplace });
  }
}

/** Options of {@linkcode GLU}. */
export interface GLUOptions {
  /** The dimension to halve (default -1). */
  dim?: number;
}

/**
 * The gated linear unit a ⊗ σ(b), a and b the halves of `dim` (torch.nn.GLU, `aten::glu`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { GLU } from "./activation.ts";
 * const y = new GLU().forward(randn([2, 6])); // [2, 3]
 * ```
 */
export class GLU extends Module {
  /** The halved dimension. */
  readonly dim: number;

  /** A GLU layer. */
  constructor(options?: GLUOptions);
  /** PyTorch's positional form `GLU(dim)`. */
  constructor(dim?: GLUOptions["dim"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<GLUOptions>("GLU", args, ["dim"], [], "new GLU({ dim: ... })");
    this.dim = checkInt("GLU", "dim", options.dim ?? -1);
  }

  /** The GLU of `input`. */
  forward(input: Tensor): Tensor {
    return glu(input, this.dim);
  }

  /** `dim=-1`. */
  override extraRepr(): string {
    return `dim=${this.dim}`;
  }
}

/**
 * softmax(-x) along `dim` (torch.nn.Softmin).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Softmin } from "./activation.ts";
 * const y = new Softmin({ dim: 1 }).forward(randn([2, 4]));
 * ```
 */
export class Softmin extends Module {
  /** The dimension, or null for the implicit one. */
  readonly dim: number | null;

  /** A softmin layer. */
  constructor(options?: SoftmaxLayerOptions);
  /** PyTorch's positional form `Softmin(dim)`. */
  constructor(dim?: SoftmaxLayerOptions["dim"]);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<SoftmaxLayerOptions>("Softmin", args, ["dim"], [], "new Softmin({ dim: ... })");
    this.dim = options.dim === undefined || options.dim === null ? null : checkInt("Softmin", "dim", options.dim);
  }

  /** The softmin of `input`. */
  forward(input: Tensor): Tensor {
    return softmin(input, this.dim);
  }

  /** `dim=1` or `dim=None`. */
  override extraRepr(): string {
    return `dim=${pyStr(this.dim)}`;
  }
}

/**
 * Softmax over the channels of [N, C, H, W] or [C, H, W] input, at every location (torch.nn.Softmax2d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Softmax2d } from "./activation.ts";
 * const y = new Softmax2d().forward(randn([1, 3, 2, 2]));
 * ```
 */
export class Softmax2d extends Module {
  /** The channel softmax of `input`. */
  forward(input: Tensor): Tensor {
    if (input.ndim !== 3 && input.ndim !== 4) {
      throw new RangeError(`Softmax2d: Softmax2d requires a 3D or 4D tensor as input, got ${input.ndim}D`);
    }
    return softmax(input, -3);
  }
}
