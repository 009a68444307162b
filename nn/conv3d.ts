/**
 * `Conv3d`, torch.nn.Conv3d: stride, padding (numbers, `"valid"` or `"same"`), dilation, groups, bias and
 * padding modes over [N, C, D, H, W] input, with PyTorch's default initialisation drawn in PyTorch's
 * order.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { empty } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkOneOf, checkTriple } from "../tensor/checks.ts";
import type { ConvPaddingMode } from "./conv.ts";
import { resetConvParameters } from "./conv1d.ts";
import { pad } from "./functional.ts";
import { conv3d, conv3dPadding, type Size3 } from "./functional_3d.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode Conv3d}. */
export interface Conv3dLayerOptions extends FactoryOptions {
  /** The step of the kernel (default 1). */
  stride?: Size3;
  /** Padding on all sides, or `"valid"` (none) or `"same"` (keep the size; stride 1) (default 0). */
  padding?: Size3 | "valid" | "same";
  /** The spacing between kernel elements (default 1). */
  dilation?: Size3;
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How to pad (default `"zeros"`). */
  paddingMode?: ConvPaddingMode;
}

/**
 * A 3-D convolution over [N, C, D, H, W] or [C, D, H, W] input (torch.nn.Conv3d, `aten::conv3d`).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { Conv3d } from "./conv3d.ts";
 * manualSeed(0);
 * const conv = new Conv3d(2, 4, 3, { padding: 1 });
 * const y = conv.forward(randn([1, 2, 5, 5, 5])); // [1, 4, 5, 5, 5]
 * ```
 */
export class Conv3d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** [depth, height, width] of the kernel. */
  readonly kernelSize: [number, number, number];
  /** [depth, height, width] of the step. */
  readonly stride: [number, number, number];
  /** The padding per dimension, or `"valid"` / `"same"`. */
  readonly padding: [number, number, number] | "valid" | "same";
  /** The kernel dilation per dimension. */
  readonly dilation: [number, number, number];
  /** The number of channel groups. */
  readonly groups: number;
  /** How the input is padded. */
  readonly paddingMode: ConvPaddingMode;
  /** The weight, [outChannels, inChannels / groups, kd, kh, kw]. */
  readonly weight: Tensor;
  /** The bias, [outChannels], or null. */
  readonly bias: Tensor | null;
  readonly #reversedPadding: number[];

  /** A convolution from `inChannels` to `outChannels` with a `kernelSize` kernel. */
  constructor(inChannels: number, outChannels: number, kernelSize: Size3, options?: Conv3dLayerOptions);
  /** PyTorch's positional form `Conv3d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode, *, device, dtype)`. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: Size3,
    stride?: Conv3dLayerOptions["stride"],
    padding?: Conv3dLayerOptions["padding"],
    dilation?: Conv3dLayerOptions["dilation"],
    groups?: Conv3dLayerOptions["groups"],
    bias?: Conv3dLayerOptions["bias"],
    paddingMode?: Conv3dLayerOptions["paddingMode"],
    options?: Conv3dLayerOptions,
  );
  constructor(inChannels: number, outChannels: number, kernelSize: Size3, ...args: unknown[]) {
    super();
    const options = positionalOptions<Conv3dLayerOptions>(
      "Conv3d",
      args,
      ["stride", "padding", "dilation", "groups", "bias", "paddingMode"],
      ["device", "dtype"],
      "new Conv3d(inChannels, outChannels, kernelSize, { stride: ... })",
    );
    const where = "Conv3d";
    this.inChannels = checkInt(where, "inChannels", inChannels, 0);
    this.outChannels = checkInt(where, "outChannels", outChannels, 0);
    this.kernelSize = checkTriple(where, "kernelSize", kernelSize, 1);
    this.stride = checkTriple(where, "stride", options.stride ?? 1, 1);
    this.padding = conv3dPadding(where, options.padding ?? 0);
    this.dilation = checkTriple(where, "dilation", options.dilation ?? 1, 1);
    this.groups = checkInt(where, "groups", options.groups ?? 1, 1);
    this.paddingMode = checkOneOf(where, "paddingMode", options.paddingMode ?? "zeros", [
      "zeros",
      "reflect",
      "replicate",
      "circular",
    ]);
    if (inChannels % this.groups !== 0) {
      throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${this.groups})`);
    }
    if (outChannels % this.groups !== 0) {
      throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    }
    if (this.padding === "same" && this.stride.some((s) => s !== 1)) {
      throw new RangeError(
        `${where}: padding "same" is not supported for strided convolutions (stride ${this.stride})`,
      );
    }
    const rev = [0, 0, 0, 0, 0, 0];
    for (let d = 0; d < 3; d++) {
      const i = 2 - d;
      if (this.padding === "same") {
        const total = this.dilation[d] * (this.kernelSize[d] - 1);
        const left = Math.floor(total / 2);
        rev[2 * i] = left;
        rev[2 * i + 1] = total - left;
      } else if (this.padding !== "valid") {
        rev[2 * i] = rev[2 * i + 1] = this.padding[d];
      }
    }
    this.#reversedPadding = rev;
    const factory = { dtype: options.dtype, device: options.device };
    this.weight = this.registerParameter(
      "weight",
      empty([outChannels, inChannels / this.groups, ...this.kernelSize], factory),
    );
    this.bias = this.registerParameter(
      "bias",
      checkBoolean(where, "bias", options.bias ?? true) ? empty([outChannels], factory) : null,
    );
    this.resetParameters();
  }

  /** Draws the parameters again, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    resetConvParameters(this.weight, this.bias);
  }

  /** The convolution of `input`. */
  forward(input: Tensor): Tensor {
    const options = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== "zeros") {
      const mode = this.paddingMode;
      return tidy(() =>
        conv3d(pad(input, this.#reversedPadding, { mode }), this.weight, this.bias, { ...options, padding: 0 })
      );
    }
    return conv3d(input, this.weight, this.bias, { ...options, padding: this.padding });
  }

  /** `2, 4, kernel_size=(3, 3, 3), stride=(1, 1, 1)`, then what differs from the defaults. */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${
      pyStr(this.stride)
    }`;
    if (typeof this.padding === "string" || this.padding.some((p) => p !== 0)) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}
