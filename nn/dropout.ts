/**
 * `Dropout`, torch.nn.Dropout: zeroes elements with probability p in training mode (the mask drawn from
 * the global generator, as PyTorch does), the identity in evaluation mode.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBoolean, checkNumber } from "../tensor/checks.ts";
import { dropout } from "./functional.ts";
import { Module } from "./module.ts";
import { Float } from "../tensor/python_float.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode Dropout}. */
export interface DropoutLayerOptions {
  /** The probability of zeroing an element (default 0.5). */
  p?: number;
  /** Overwrite the input (default false). */
  inplace?: boolean;
}

/**
 * Randomly zeroes elements with probability `p` (default 0.5) and scales the rest by 1 / (1 - p) in
 * training mode; returns the input unchanged in evaluation mode (torch.nn.Dropout, `aten::dropout`).
 *
 * @example
 * ```ts
 * import { manualSeed, ones } from "../mod.ts";
 * import { Dropout } from "./dropout.ts";
 * const drop = new Dropout(0.25);
 * manualSeed(0);
 * const y = drop.forward(ones([8])); // the mask of torch.manual_seed(0); nn.Dropout(0.25)(torch.ones(8))
 * drop.eval(); // identity from now on
 * ```
 */
export class Dropout extends Module {
  /** The probability of zeroing an element. */
  readonly p: number;
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A dropout layer with options by name (`{ p: 0.2, inplace: false }`). */
  constructor(options?: DropoutLayerOptions);
  /** PyTorch's positional form `Dropout(p=0.5, inplace=False)`, optionally followed by options by name. */
  constructor(p: number, inplace?: boolean | DropoutLayerOptions);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<DropoutLayerOptions>(
      "Dropout",
      args,
      ["p", "inplace"],
      [],
      "new Dropout(0.5, { inplace: false }) or new Dropout({ p: 0.5, inplace: false })",
    );
    this.p = checkNumber("Dropout", "p (the dropout probability)", options.p ?? 0.5, { min: 0, max: 1 });
    this.inplace = checkBoolean("Dropout", "inplace", options.inplace ?? false);
  }

  /** `input` with dropout applied in training mode. */
  forward(input: Tensor): Tensor {
    return dropout(input, this.p, { training: this.training, inplace: this.inplace });
  }

  /** `p=0.5, inplace=False` (p printed as a Python float). */
  override extraRepr(): string {
    return `p=${pyStr(new Float(this.p))}, inplace=${pyStr(this.inplace)}`;
  }
}
