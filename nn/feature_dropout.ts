/**
 * `Dropout1d`, `Dropout2d` and `Dropout3d`, as torch.nn's: whole channels zeroed with probability p in training mode
 * (`aten::feature_dropout`), the identity in evaluation mode.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber } from "../tensor/checks.ts";
import { dropout3d } from "./functional_3d.ts";
import { dropout1d, dropout2d } from "./functional_dropout.ts";
import { Module } from "./module.ts";
import { Float } from "../tensor/python_float.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode Dropout1d} and {@linkcode Dropout2d}. */
export interface FeatureDropoutLayerOptions {
  /** Overwrite the input (default false). */
  inplace?: boolean;
}

/** The common part of the channel dropouts (PyTorch's `_DropoutNd`). */
export abstract class FeatureDropoutBase extends Module {
  /** The probability of zeroing a channel. */
  readonly p: number;
  /** Whether the input is overwritten. */
  readonly inplace: boolean;

  /** A dropout layer with probability `p` in [0, 1] (default 0.5). */
  constructor(p?: number, options?: FeatureDropoutLayerOptions);
  /** PyTorch's positional form `Dropout2d(p, inplace)`. */
  constructor(p: number | undefined, inplace: boolean);
  /** Options by name, `p` among them (`{ p: 0.2, inplace: true }`). */
  constructor(options: FeatureDropoutLayerOptions & { p?: number });
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<FeatureDropoutLayerOptions & { p?: number }>(
      this.typeName,
      args,
      ["p", "inplace"],
      [],
      `new ${this.typeName}(0.5, { inplace: true })`,
    );
    this.p = checkNumber(this.typeName, "p (the dropout probability)", options.p ?? 0.5, { min: 0, max: 1 });
    this.inplace = checkBoolean(this.typeName, "inplace", options.inplace ?? false);
  }

  /** `p=0.5, inplace=False`. */
  override extraRepr(): string {
    return `p=${pyStr(new Float(this.p))}, inplace=${pyStr(this.inplace)}`;
  }
}

/**
 * Zeroes whole channels of [N, C, L] or [C, L] input (torch.nn.Dropout1d).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { Dropout1d } from "./feature_dropout.ts";
 * const y = new Dropout1d(0.25).forward(ones([2, 4, 5]));
 * ```
 */
export class Dropout1d extends FeatureDropoutBase {
  /** `input` with channel dropout in training mode. */
  forward(input: Tensor): Tensor {
    return dropout1d(input, this.p, { training: this.training, inplace: this.inplace });
  }
}

/**
 * Zeroes whole channels of [N, C, H, W] input (torch.nn.Dropout2d).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { Dropout2d } from "./feature_dropout.ts";
 * const y = new Dropout2d(0.25).forward(ones([2, 3, 4, 4]));
 * ```
 */
export class Dropout2d extends FeatureDropoutBase {
  /** `input` with channel dropout in training mode. */
  forward(input: Tensor): Tensor {
    return dropout2d(input, this.p, { training: this.training, inplace: this.inplace });
  }
}

/**
 * Zeroes whole channels of [N, C, D, H, W] or [C, D, H, W] input (torch.nn.Dropout3d).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { Dropout3d } from "./feature_dropout.ts";
 * const y = new Dropout3d(0.25).forward(ones([2, 3, 2, 2, 2]));
 * ```
 */
export class Dropout3d extends FeatureDropoutBase {
  /** `input` with channel dropout in training mode. */
  forward(input: Tensor): Tensor {
    return dropout3d(input, this.p, { training: this.training, inplace: this.inplace });
  }
}
