/**
 * `Linear` (a fully connected layer) and `Identity`, as torch.nn's, with PyTorch's default
 * initialisation drawn from the global generator in PyTorch's order.
 *
 * @module
 */

import { empty } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBoolean, checkInt } from "../tensor/checks.ts";
import { linear } from "./functional.ts";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.ts";
import { type FactoryOptions, Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode Linear}. */
export interface LinearOptions extends FactoryOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

const LINEAR_POSITIONAL = ["bias", "device", "dtype"];
const LINEAR_FORM = "new Linear(4, 2, { bias: false, device, dtype })";

/**
 * y = x Wᵀ + b (torch.nn.Linear). The weight [outFeatures, inFeatures] is drawn by Kaiming-uniform with
 * a = √5 and the bias from U(-1/√inFeatures, 1/√inFeatures), as PyTorch does.
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { Linear } from "./linear.ts";
 * manualSeed(0);
 * const fc = new Linear(4, 8); // the same weight and bias as torch.manual_seed(0); nn.Linear(4, 8)
 * const y = fc.forward(randn([2, 4])); // [2, 8]
 * console.log(String(fc)); // Linear(in_features=4, out_features=8, bias=True)
 * ```
 */
export class Linear extends Module {
  /** The size of each input sample. */
  readonly inFeatures: number;
  /** The size of each output sample. */
  readonly outFeatures: number;
  /** The weight, [outFeatures, inFeatures]. */
  readonly weight: Tensor;
  /** The bias, [outFeatures], or null. */
  readonly bias: Tensor | null;

  /** A layer from `inFeatures` to `outFeatures`, with options by name (`{ bias: false }`). */
  constructor(inFeatures: number, outFeatures: number, options?: LinearOptions);
  /** PyTorch's positional form `Linear(in_features, out_features, bias=True, device=None, dtype=None)`. */
  constructor(inFeatures: number, outFeatures: number, bias: boolean, options?: FactoryOptions);
  constructor(inFeatures: number, outFeatures: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<LinearOptions>("Linear", args, LINEAR_POSITIONAL, [], LINEAR_FORM);
    this.inFeatures = checkInt("Linear", "inFeatures", inFeatures, 0);
    this.outFeatures = checkInt("Linear", "outFeatures", outFeatures, 0);
    const factory = { dtype: options.dtype, device: options.device };
    this.weight = this.registerParameter("weight", empty([outFeatures, inFeatures], factory));
    this.bias = this.registerParameter(
      "bias",
      checkBoolean("Linear", "bias", options.bias ?? true) ? empty([outFeatures], factory) : null,
    );
    this.resetParameters();
  }

  /** Draws the parameters again, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      uniform_(this.bias, -bound, bound);
    }
  }

  /** x Wᵀ + b over the last dimension of `input`. */
  forward(input: Tensor): Tensor {
    return linear(input, this.weight, this.bias);
  }

  /** `in_features=4, out_features=8, bias=True`. */
  override extraRepr(): string {
    return `in_features=${this.inFeatures}, out_features=${this.outFeatures}, bias=${pyStr(this.bias !== null)}`;
  }
}

/**
 * Returns its input unchanged (torch.nn.Identity); the constructor ignores its arguments, as PyTorch's.
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { Identity } from "./linear.ts";
 * const x = ones([2]);
 * new Identity().forward(x) === x; // true
 * ```
 */
export class Identity extends Module {
  /** An identity layer; any arguments are ignored. */
  constructor(..._args: unknown[]) {
    super();
  }

  /** `input` itself. */
  forward(input: Tensor): Tensor {
    return input;
  }
}
