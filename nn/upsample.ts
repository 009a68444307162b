/**
 * `Upsample`, torch.nn.Upsample: resizing by `F.interpolate` to a size or by a scale factor.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber, checkOneOf } from "../tensor/checks.ts";
import { interpolate, type InterpolateMode } from "./functional.ts";
import { Module } from "./module.ts";
import { Float } from "../tensor/python_float.ts";
import { pyStr } from "./python_repr.ts";
import { TORCH2 } from "../ffi/native.ts";

/** Options of {@linkcode Upsample}: a `size` or a `scaleFactor`. */
export interface UpsampleOptions {
  /** The output size, one number or one per spatial dimension. */
  size?: number | readonly number[] | null;
  /** The multiplier of the spatial size, one number or one per spatial dimension. */
  scaleFactor?: number | readonly number[] | null;
  /** The algorithm (default `"nearest"`). */
  mode?: InterpolateMode;
  /** For the (bi/tri)linear and bicubic modes: align the corner pixels' centres (default null). */
  alignCorners?: boolean | null;
  /** Compute the output size from `scaleFactor` and interpolate for that size (default null). */
  recomputeScaleFactor?: boolean | null;
}

const MODES: readonly InterpolateMode[] = [
  "nearest",
  "nearest-exact",
  "linear",
  "bilinear",
  "bicubic",
  "trilinear",
  "area",
];

/**
 * Upsamples [N, C, ...] input (torch.nn.Upsample, `F.interpolate`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { Upsample } from "./upsample.ts";
 * const up = new Upsample({ scaleFactor: 2, mode: "bilinear" });
 * const y = up.forward(randn([1, 3, 4, 4])); // [1, 3, 8, 8]
 * ```
 */
export class Upsample extends Module {
  /** The output size, or null. */
  readonly size: number | readonly number[] | null;
  /** The scale factor, or null. */
  readonly scaleFactor: number | readonly number[] | null;
  /** The algorithm. */
  readonly mode: InterpolateMode;
  /** Corner alignment, or null. */
  readonly alignCorners: boolean | null;
  /** Whether the scale factor is recomputed, or null. */
  readonly recomputeScaleFactor: boolean | null;

  /** An upsampling layer. */
  constructor(options?: UpsampleOptions);
  /** PyTorch's positional form `Upsample(size, scale_factor, mode, align_corners, recompute_scale_factor)`. */
  constructor(
    size?: UpsampleOptions["size"],
    scaleFactor?: UpsampleOptions["scaleFactor"],
    mode?: UpsampleOptions["mode"],
    alignCorners?: UpsampleOptions["alignCorners"],
    recomputeScaleFactor?: UpsampleOptions["recomputeScaleFactor"],
  );
  constructor(...args: unknown[]) {
    super();
    const options = positionalOptions<UpsampleOptions>(
      "Upsample",
      args,
      ["size", "scaleFactor", "mode", "alignCorners", "recomputeScaleFactor"],
      [],
      "new Upsample({ size: ... })",
    );
    const where = "Upsample";
    this.size = options.size ?? null;
    const sf = options.scaleFactor ?? null;
    if (Array.isArray(sf)) sf.forEach((s) => checkNumber(where, "scaleFactor", s, { min: 0 }));
    else if (sf !== null) checkNumber(where, "scaleFactor", sf, { min: 0 });
    // PyTorch: `float(scale_factor) if scale_factor else None`
    this.scaleFactor = Array.isArray(sf) ? [...sf] : sf ? sf : null;
    this.mode = checkOneOf(where, "mode", options.mode ?? "nearest", MODES);
    const ac = options.alignCorners ?? null;
    this.alignCorners = ac === null ? null : checkBoolean(where, "alignCorners", ac);
    const rs = options.recomputeScaleFactor ?? null;
    this.recomputeScaleFactor = rs === null ? null : checkBoolean(where, "recomputeScaleFactor", rs);
  }

  /** The resized `input`. */
  forward(input: Tensor): Tensor {
    return interpolate(input, {
      size: this.size,
      scaleFactor: this.scaleFactor,
      mode: this.mode,
      alignCorners: this.alignCorners,
      recomputeScaleFactor: this.recomputeScaleFactor,
    });
  }

  /** `scale_factor=2.0, mode=nearest` or `size=(5, 7), mode=bilinear` (PyTorch 2 quotes the mode: `mode='nearest'`). */
  override extraRepr(): string {
    const sf = this.scaleFactor;
    const info = sf !== null
      ? `scale_factor=${pyStr(Array.isArray(sf) ? sf.map((s) => new Float(s)) : new Float(sf as number))}`
      : `size=${pyStr(this.size as number | number[] | null)}`;
    return TORCH2 ? `${info}, mode='${this.mode}'` : `${info}, mode=${this.mode}`;
  }
}
