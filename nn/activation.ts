/**
 * The activation layers `ReLU` and `Sigmoid`, as torch.nn's.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBool } from "./checks.ts";
import { relu, sigmoid } from "./functional.ts";
import { Module } from "./module.ts";

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
    this.inplace = checkBool("ReLU", "inplace", options.inplace ?? false);
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
