/**
 * `Conv1d`, torch.nn.Conv1d: stride, padding (numbers, `"valid"` or `"same"`), dilation, groups, bias and
 * padding modes, with PyTorch's default initialisation drawn in PyTorch's order.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { empty } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkOneOf, checkSingle } from "../tensor/checks.ts";
import type { ConvPaddingMode } from "./conv.ts";
import { pad } from "./functional.ts";
import { conv1d, conv1dPadding } from "./functional_conv.ts";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode Conv1d}. */
export interface Conv1dLayerOptions extends FactoryOptions {
  /** The step of the kernel (default 1). */
  stride?: number | [number];
  /** Padding on both sides, or `"valid"` (none) or `"same"` (keep the length; stride 1) (default 0). */
  padding?: number | [number] | "valid" | "same";
  /** The spacing between kernel elements (default 1). */
  dilation?: number | [number];
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How to pad (default `"zeros"`). */
  paddingMode?: ConvPaddingMode;
}

/** Kaiming-uniform (a = √5) weight and U(-1/√fanIn, 1/√fanIn) bias, as PyTorch's `_ConvNd.reset_parameters`. */
export function resetConvParameters(weight: Tensor, bias: Tensor | null): void {
  kaimingUniform_(weight, { a: Math.sqrt(5) });
  if (bias !== null) {
    const [fanIn] = calculateFanInAndFanOut(weight);
    if (fanIn !== 0) {
      const bound = 1 / Math.sqrt(fanIn);
      uniform_(bias, -bound, bound);
    }
  }
}

/**
 * A 1-D convolution over [N, C, L] or [C, L] input (torch.nn.Conv1d, `aten::conv1d`).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { Conv1d } from "./conv1d.ts";
 * manualSeed(0);
 * const conv = new Conv1d(3, 4, 3, { padding: 1 });
 * const y = conv.forward(randn([2, 3, 10])); // [2, 4, 10]
 * ```
 */
export class Conv1d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** The kernel length, as [k]. */
  readonly kernelSize: [number];
  /** The step, as [s]. */
  readonly stride: [number];
  /** The padding, as [p], or `"valid"` / `"same"`. */
  readonly padding: [number] | "valid" | "same";
  /** The kernel dilation, as [d]. */
  readonly dilation: [number];
  /** The number of channel groups. */
  readonly groups: number;
  /** How the input is padded. */
  readonly paddingMode: ConvPaddingMode;
  /** The weight, [outChannels, inChannels / groups, k]. */
  readonly weight: Tensor;
  /** The bias, [outChannels], or null. */
  readonly bias: Tensor | null;
  readonly #reversedPadding: number[];

  /** A convolution from `inChannels` to `outChannels` with a kernel of `kernelSize`. */
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], options?: Conv1dLayerOptions);
  /** PyTorch's positional form `Conv1d(in_channels, out_channels, kernel_size, stride, padding, dilation, groups, bias, padding_mode, *, device, dtype)`. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number],
    stride?: Conv1dLayerOptions["stride"],
    padding?: Conv1dLayerOptions["padding"],
    dilation?: Conv1dLayerOptions["dilation"],
    groups?: Conv1dLayerOptions["groups"],
    bias?: Conv1dLayerOptions["bias"],
    paddingMode?: Conv1dLayerOptions["paddingMode"],
    options?: Conv1dLayerOptions,
  );
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], ...args: unknown[]) {
    super();
    const options = positionalOptions<Conv1dLayerOptions>(
      "Conv1d",
      args,
      ["stride", "padding", "dilation", "groups", "bias", "paddingMode"],
      ["device", "dtype"],
      "new Conv1d(inChannels, outChannels, kernelSize, { stride: ... })",
    );
    const where = "Conv1d";
    this.inChannels = checkInt(where, "inChannels", inChannels, 0);
    this.outChannels = checkInt(where, "outChannels", outChannels, 0);
    this.kernelSize = checkSingle(where, "kernelSize", kernelSize, 1);
    this.stride = checkSingle(where, "stride", options.stride ?? 1, 1);
    this.padding = conv1dPadding(where, options.padding ?? 0);
    this.dilation = checkSingle(where, "dilation", options.dilation ?? 1, 1);
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
    if (this.padding === "same" && this.stride[0] !== 1) {
      throw new RangeError(
        `${where}: padding "same" is not supported for strided convolutions (stride ${this.stride})`,
      );
    }
    if (this.padding === "same") {
      const total = this.dilation[0] * (this.kernelSize[0] - 1);
      const left = Math.floor(total / 2);
      this.#reversedPadding = [left, total - left];
    } else if (this.padding === "valid") this.#reversedPadding = [0, 0];
    else this.#reversedPadding = [this.padding[0], this.padding[0]];
    const factory = { dtype: options.dtype, device: options.device };
    this.weight = this.registerParameter(
      "weight",
      empty([outChannels, inChannels / this.groups, this.kernelSize[0]], factory),
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

  /** The convolution of `input` ([N, C, L] or [C, L]). */
  forward(input: Tensor): Tensor {
    const options = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== "zeros") {
      const mode = this.paddingMode;
      return tidy(() =>
        conv1d(pad(input, this.#reversedPadding, { mode }), this.weight, this.bias, { ...options, padding: 0 })
      );
    }
    return conv1d(input, this.weight, this.bias, { ...options, padding: this.padding });
  }

  /** `3, 4, kernel_size=(3,), stride=(1,)`, then what differs from the defaults. */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${
      pyStr(this.stride)
    }`;
    if (typeof this.padding === "string" || this.padding[0] !== 0) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation[0] !== 1) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.paddingMode !== "zeros") s += `, padding_mode=${this.paddingMode}`;
    return s;
  }
}
