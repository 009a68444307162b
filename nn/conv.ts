/**
 * `Conv2d`, torch.nn.Conv2d: stride, padding (numbers, `"valid"` or `"same"`), dilation, groups, bias
 * and padding modes, with PyTorch's default initialisation drawn in PyTorch's order.
 *
 * @module
 */

import { empty } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBoolean, checkInt, checkOneOf, checkPair } from "../tensor/checks.ts";
import { conv2d, convPadding, pad } from "./functional.ts";
import { calculateFanInAndFanOut, kaimingUniform_, uniform_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** How a convolution pads its input: with zeros, or by reflecting, replicating or wrapping the border. */
export type ConvPaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** Options of {@linkcode Conv2d}. */
export interface Conv2dLayerOptions extends FactoryOptions {
  /** The step of the kernel, one number or [height, width] (default 1). */
  stride?: number | [number, number];
  /** Padding on both sides, or `"valid"` (none) or `"same"` (keep the size; stride 1) (default 0). */
  padding?: number | [number, number] | "valid" | "same";
  /** The spacing between kernel elements (default 1). */
  dilation?: number | [number, number];
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** How to pad (default `"zeros"`). */
  paddingMode?: ConvPaddingMode;
}

const CONV2D_POSITIONAL = ["stride", "padding", "dilation", "groups", "bias", "paddingMode", "device", "dtype"];
const CONV2D_FORM = "new Conv2d(1, 1, 3, { stride: 2, padding: 1, dilation: 1, groups: 1, bias: false })";

/**
 * A 2-D convolution over [N, C, H, W] or [C, H, W] input (torch.nn.Conv2d). The weight
 * [outChannels, inChannels / groups, kh, kw] is drawn by Kaiming-uniform with a = √5 and the bias from
 * U(-1/√fanIn, 1/√fanIn), as PyTorch does.
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { Conv2d } from "./conv.ts";
 * manualSeed(0);
 * const conv = new Conv2d(3, 6, 5, { stride: 1, padding: 0, bias: true });
 * const y = conv.forward(randn([1, 3, 32, 32])); // [1, 6, 28, 28]
 * console.log(String(conv)); // Conv2d(3, 6, kernel_size=(5, 5), stride=(1, 1))
 * ```
 */
export class Conv2d extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** [height, width] of the kernel. */
  readonly kernelSize: [number, number];
  /** [height, width] of the step. */
  readonly stride: [number, number];
  /** [height, width] of the padding, or `"valid"` / `"same"`. */
  readonly padding: [number, number] | "valid" | "same";
  /** [height, width] of the kernel dilation. */
  readonly dilation: [number, number];
  /** The number of channel groups. */
  readonly groups: number;
  /** How the input is padded. */
  readonly paddingMode: ConvPaddingMode;
  /** The weight, [outChannels, inChannels / groups, kh, kw]. */
  readonly weight: Tensor;
  /** The bias, [outChannels], or null. */
  readonly bias: Tensor | null;
  /** The padding of `F.pad` for non-zero padding modes: [left, right, top, bottom]. */
  readonly #reversedPaddingRepeatedTwice: number[];

  /** A convolution from `inChannels` to `outChannels` with a `kernelSize` kernel, options by name. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    options?: Conv2dLayerOptions,
  );
  /**
   * PyTorch's positional form `Conv2d(in_channels, out_channels, kernel_size, stride=1, padding=0, dilation=1,
   * groups=1, bias=True, padding_mode='zeros')`, optionally followed by the other options by name.
   */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    stride: number | [number, number],
    padding?: number | [number, number] | "valid" | "same",
    dilation?: number | [number, number],
    groups?: number,
    bias?: boolean,
    paddingMode?: ConvPaddingMode,
    options?: FactoryOptions,
  );
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], ...args: unknown[]) {
    super();
    const where = "Conv2d";
    const options = positionalOptions<Conv2dLayerOptions>(where, args, CONV2D_POSITIONAL, [], CONV2D_FORM);
    this.inChannels = checkInt(where, "inChannels", inChannels, 0);
    this.outChannels = checkInt(where, "outChannels", outChannels, 0);
    this.kernelSize = checkPair(where, "kernelSize", kernelSize, 1);
    this.stride = checkPair(where, "stride", options.stride ?? 1, 1);
    this.padding = convPadding(where, options.padding ?? 0);
    this.dilation = checkPair(where, "dilation", options.dilation ?? 1, 1);
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
    if (typeof this.padding === "string") {
      const rev = [0, 0, 0, 0];
      if (this.padding === "same") {
        for (let d = 0; d < 2; d++) {
          const total = this.dilation[d] * (this.kernelSize[d] - 1);
          const left = Math.floor(total / 2);
          const i = 1 - d;
          rev[2 * i] = left;
          rev[2 * i + 1] = total - left;
        }
      }
      this.#reversedPaddingRepeatedTwice = rev;
    } else {
      const [ph, pw] = this.padding;
      this.#reversedPaddingRepeatedTwice = [pw, pw, ph, ph];
    }
    const factory = { dtype: options.dtype, device: options.device };
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter(
      "weight",
      empty([outChannels, inChannels / this.groups, kh, kw], factory),
    );
    this.bias = this.registerParameter(
      "bias",
      checkBoolean(where, "bias", options.bias ?? true) ? empty([outChannels], factory) : null,
    );
    this.resetParameters();
  }

  /** Draws the parameters again, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    kaimingUniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = calculateFanInAndFanOut(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        uniform_(this.bias, -bound, bound);
      }
    }
  }

  /** The convolution of `input` ([N, C, H, W] or [C, H, W]). */
  forward(input: Tensor): Tensor {
    const options = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode !== "zeros") {
      const mode = this.paddingMode;
      return tidy(() =>
        conv2d(pad(input, this.#reversedPaddingRepeatedTwice, { mode }), this.weight, this.bias, {
          ...options,
          padding: 0,
        })
      );
    }
    return conv2d(input, this.weight, this.bias, { ...options, padding: this.padding });
  }

  /** `3, 6, kernel_size=(5, 5), stride=(1, 1)`, then what differs from the defaults. */
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
