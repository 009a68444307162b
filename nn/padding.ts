/**
 * The padding layers, as torch.nn's: `ConstantPad1d`, `ConstantPad2d`, `ZeroPad2d`, `ReflectionPad1d`,
 * `ReflectionPad2d`, `ReplicationPad1d` and `ReplicationPad2d`, each `F.pad` (`aten::pad`) with the
 * padding as PyTorch stores it (`_pair` / `_quadruple`: one number repeated, or the given sizes).
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { checkInt, checkNumber, describe } from "../tensor/checks.ts";
import { pad, type PadMode } from "./functional.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** PyTorch's `_ntuple(n)`: one integer repeated n times, or an array of n integers. */
function ntuple(where: string, v: unknown, n: number): number[] {
  if (typeof v === "number") return new Array(n).fill(checkInt(where, "padding", v));
  if (Array.isArray(v) && v.length === n && v.every((x) => Number.isInteger(x))) return [...v];
  throw new TypeError(`${where}: padding must be an integer or an array of ${n} integers, got ${describe(v, "size")}`);
}

/** The common part of the padding layers. */
export abstract class PadBase extends Module {
  /** The padding, [left, right] or [left, right, top, bottom]. */
  readonly padding: number[];
  /** How the border is filled. */
  protected abstract readonly mode: PadMode;

  /** A layer padding by `padding` (`n` sizes). */
  constructor(padding: number | readonly number[], n: number) {
    super();
    this.padding = ntuple(this.typeName, padding, n);
  }

  /** The padded `input`. */
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: this.mode });
  }

  /** `(1, 1, 2, 0)`. */
  override extraRepr(): string {
    return pyStr(this.padding);
  }
}

/** The common part of the constant padding layers (PyTorch's `_ConstantPadNd`). */
export abstract class ConstantPadBase extends Module {
  /** The padding, [left, right] or [left, right, top, bottom]. */
  readonly padding: number[];
  /** The fill value. */
  readonly value: number;

  /** A layer padding by `padding` (`n` sizes) with `value`. */
  constructor(padding: number | readonly number[], value: number, n: number) {
    super();
    this.padding = ntuple(this.typeName, padding, n);
    this.value = checkNumber(this.typeName, "value", value);
  }

  /** The padded `input`. */
  forward(input: Tensor): Tensor {
    return pad(input, this.padding, { mode: "constant", value: this.value });
  }

  /** `padding=(1, 2), value=1.5`. */
  override extraRepr(): string {
    return `padding=${pyStr(this.padding)}, value=${pyStr(this.value)}`;
  }
}

/**
 * Pads the last dimension with a constant (torch.nn.ConstantPad1d).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { ConstantPad1d } from "./padding.ts";
 * new ConstantPad1d([1, 2], 0.5).forward(ones([1, 2, 3])); // [1, 2, 6]
 * ```
 */
export class ConstantPad1d extends ConstantPadBase {
  /** `padding` on both sides (or [left, right]) with `value`. */
  constructor(padding: number | readonly [number, number], value: number) {
    super(padding, value, 2);
  }
}

/**
 * Pads the last two dimensions with a constant (torch.nn.ConstantPad2d).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { ConstantPad2d } from "./padding.ts";
 * new ConstantPad2d(1, 0.5).forward(ones([1, 2, 3, 3])); // [1, 2, 5, 5]
 * ```
 */
export class ConstantPad2d extends ConstantPadBase {
  /** `padding` on all sides (or [left, right, top, bottom]) with `value`. */
  constructor(padding: number | readonly [number, number, number, number], value: number) {
    super(padding, value, 4);
  }
}

/**
 * Pads the last two dimensions with zeros (torch.nn.ZeroPad2d).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { ZeroPad2d } from "./padding.ts";
 * new ZeroPad2d([1, 0, 2, 0]).forward(ones([1, 1, 2, 2])); // [1, 1, 4, 3]
 * ```
 */
export class ZeroPad2d extends ConstantPad2d {
  /** `padding` on all sides (or [left, right, top, bottom]) with zeros. */
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 0.0);
  }

  /** `(1, 0, 2, 0)`. */
  override extraRepr(): string {
    return pyStr(this.padding);
  }
}

/**
 * Pads the last dimension by reflecting the border (torch.nn.ReflectionPad1d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ReflectionPad1d } from "./padding.ts";
 * new ReflectionPad1d(2).forward(randn([1, 2, 4])); // [1, 2, 8]
 * ```
 */
export class ReflectionPad1d extends PadBase {
  /** Reflection. */
  protected readonly mode = "reflect" as const;

  /** `padding` on both sides (or [left, right]). */
  constructor(padding: number | readonly [number, number]) {
    super(padding, 2);
  }
}

/**
 * Pads the last two dimensions by reflecting the border (torch.nn.ReflectionPad2d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ReflectionPad2d } from "./padding.ts";
 * new ReflectionPad2d(1).forward(randn([1, 2, 4, 4])); // [1, 2, 6, 6]
 * ```
 */
export class ReflectionPad2d extends PadBase {
  /** Reflection. */
  protected readonly mode = "reflect" as const;

  /** `padding` on all sides (or [left, right, top, bottom]). */
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 4);
  }
}

/**
 * Pads the last dimension by repeating the border (torch.nn.ReplicationPad1d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ReplicationPad1d } from "./padding.ts";
 * new ReplicationPad1d([0, 3]).forward(randn([1, 2, 4])); // [1, 2, 7]
 * ```
 */
export class ReplicationPad1d extends PadBase {
  /** Replication. */
  protected readonly mode = "replicate" as const;

  /** `padding` on both sides (or [left, right]). */
  constructor(padding: number | readonly [number, number]) {
    super(padding, 2);
  }
}

/**
 * Pads the last two dimensions by repeating the border (torch.nn.ReplicationPad2d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ReplicationPad2d } from "./padding.ts";
 * new ReplicationPad2d(1).forward(randn([1, 2, 4, 4])); // [1, 2, 6, 6]
 * ```
 */
export class ReplicationPad2d extends PadBase {
  /** Replication. */
  protected readonly mode = "replicate" as const;

  /** `padding` on all sides (or [left, right, top, bottom]). */
  constructor(padding: number | readonly [number, number, number, number]) {
    super(padding, 4);
  }
}
