/**
 * `Flatten`, torch.nn.Flatten: merges a range of dimensions (by default all but the batch dimension).
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkInt } from "../tensor/checks.ts";
import { flatten } from "./functional.ts";
import { Module } from "./module.ts";

/** Options of {@linkcode Flatten}. */
export interface FlattenOptions {
  /** The first dimension merged (default 1). */
  startDim?: number;
  /** The last dimension merged (default -1). */
  endDim?: number;
}

/**
 * Merges dimensions `startDim..endDim` into one (torch.nn.Flatten, `aten::flatten.using_ints`).
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * import { Flatten } from "./flatten.ts";
 * new Flatten().forward(zeros([2, 16, 5, 5])).shape; // [2, 400]
 * ```
 */
export class Flatten extends Module {
  /** The first dimension merged. */
  readonly startDim: number;
  /** The last dimension merged. */
  readonly endDim: number;

  /** A flattening layer, options by name (`{ startDim: 1, endDim: -1 }`). */
  constructor(options?: FlattenOptions);
  /** PyTorch's positional form `Flatten(start_dim=1, end_dim=-1)`. */
  constructor(startDim: number, endDim?: number);
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<FlattenOptions>(
      "Flatten",
      args,
      ["startDim", "endDim"],
      [],
      "new Flatten({ startDim: 1, endDim: -1 })",
    );
    this.startDim = checkInt("Flatten", "startDim", options.startDim ?? 1);
    this.endDim = checkInt("Flatten", "endDim", options.endDim ?? -1);
  }

  /** `input` with the dimensions merged (a view where possible). */
  forward(input: Tensor): Tensor {
    return flatten(input, this.startDim, this.endDim);
  }

  /** `start_dim=1, end_dim=-1`. */
  override extraRepr(): string {
    return `start_dim=${this.startDim}, end_dim=${this.endDim}`;
  }
}
