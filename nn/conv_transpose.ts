/**
 * `ConvTranspose1d` and `ConvTranspose2d`, as torch.nn's: stride, padding, output padding (or an
 * `outputSize` at forward time), groups, dilation and bias, with PyTorch's default initialisation drawn
 * in PyTorch's order (weights [inChannels, outChannels / groups, ...kernel]).
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { empty } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkPair, checkSingle, describe, sizeText } from "../tensor/checks.ts";
import { resetConvParameters } from "./conv1d.ts";
import { convTranspose1d, convTranspose2d } from "./functional_conv.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyStr } from "./python_repr.ts";

/** Options of {@linkcode ConvTranspose1d} (one number each) and {@linkcode ConvTranspose2d} (or pairs). */
export interface ConvTransposeLayerOptions<S> extends FactoryOptions {
  /** The step of the kernel (default 1). */
  stride?: number | S;
  /** dilation · (kernel - 1) - padding zeros are removed from both sides of the output (default 0). */
  padding?: number | S;
  /** Added to one side of the output size (default 0). */
  outputPadding?: number | S;
  /** The number of blocked connections from input to output channels (default 1). */
  groups?: number;
  /** Learn an additive bias (default true). */
  bias?: boolean;
  /** The spacing between kernel elements (default 1). */
  dilation?: number | S;
  /** Only `"zeros"` is supported, as in PyTorch. */
  paddingMode?: "zeros";
}

/** The common part of the transposed convolutions (PyTorch's `_ConvTransposeNd`). */
export abstract class ConvTransposeBase<S extends number[]> extends Module {
  /** Channels of the input. */
  readonly inChannels: number;
  /** Channels of the output. */
  readonly outChannels: number;
  /** The kernel size per spatial dimension. */
  readonly kernelSize: S;
  /** The step per spatial dimension. */
  readonly stride: S;
  /** The padding per spatial dimension. */
  readonly padding: S;
  /** The output padding per spatial dimension. */
  readonly outputPadding: S;
  /** The number of channel groups. */
  readonly groups: number;
  /** The kernel dilation per spatial dimension. */
  readonly dilation: S;
  /** The weight, [inChannels, outChannels / groups, ...kernelSize]. */
  readonly weight: Tensor;
  /** The bias, [outChannels], or null. */
  readonly bias: Tensor | null;

  /** A transposed convolution; `size` checks a per-dimension argument. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | S,
    options: ConvTransposeLayerOptions<S>,
    size: (where: string, name: string, v: unknown, min: number) => S,
  ) {
    super();
    const where = this.typeName;
    if (new.target === ConvTransposeBase) {
      throw new TypeError(
        "ConvTransposeBase is the shared base of ConvTranspose1d and ConvTranspose2d: use one of them",
      );
    }
    if (options === null || typeof options !== "object" || typeof size !== "function") {
      throw new TypeError(
        `${where}: expected (inChannels, outChannels, kernelSize, options), got options ${describe(options, "size")}`,
      );
    }
    if ((options.paddingMode ?? "zeros") !== "zeros") {
      throw new RangeError(
        `${where}: Only "zeros" padding mode is supported, got ${describe(options.paddingMode, "size")}`,
      );
    }
    this.inChannels = checkInt(where, "inChannels", inChannels, 0);
    this.outChannels = checkInt(where, "outChannels", outChannels, 0);
    this.kernelSize = size(where, "kernelSize", kernelSize, 1);
    this.stride = size(where, "stride", options.stride ?? 1, 1);
    this.padding = size(where, "padding", options.padding ?? 0, 0);
    this.outputPadding = size(where, "outputPadding", options.outputPadding ?? 0, 0);
    this.groups = checkInt(where, "groups", options.groups ?? 1, 1);
    this.dilation = size(where, "dilation", options.dilation ?? 1, 1);
    if (inChannels % this.groups !== 0) {
      throw new RangeError(`${where}: inChannels (${inChannels}) must be divisible by groups (${this.groups})`);
    }
    if (outChannels % this.groups !== 0) {
      throw new RangeError(`${where}: outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    }
    const factory = { dtype: options.dtype, device: options.device };
    this.weight = this.registerParameter(
      "weight",
      empty([inChannels, outChannels / this.groups, ...this.kernelSize], factory),
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

  /** PyTorch's `_output_padding`: the output padding that gives `outputSize`, or the configured one. */
  protected outputPaddingFor(input: Tensor, outputSize: readonly number[] | null): number[] {
    if (outputSize === null) return [...this.outputPadding];
    const where = this.typeName;
    const k = this.kernelSize.length;
    const nonSpatial = input.ndim === k + 2 ? 2 : 1;
    let size = [...outputSize];
    if (!size.every((v) => Number.isInteger(v))) {
      throw new TypeError(`${where}: outputSize must be an array of integers, got ${describe(outputSize, "size")}`);
    }
    if (size.length === nonSpatial + k) size = size.slice(nonSpatial);
    if (size.length !== k) {
      throw new RangeError(
        `${where}: for ${input.ndim}D input, outputSize must have ${k} or ${
          nonSpatial + k
        } elements (got ${size.length})`,
      );
    }
    const minSizes: number[] = [], maxSizes: number[] = [];
    for (let d = 0; d < k; d++) {
      const dimSize = (input.shape[d + nonSpatial] - 1) * this.stride[d] - 2 * this.padding[d] +
        this.dilation[d] * (this.kernelSize[d] - 1) + 1;
      minSizes.push(dimSize);
      maxSizes.push(dimSize + this.stride[d] - 1);
    }
    for (let i = 0; i < k; i++) {
      if (size[i] < minSizes[i] || size[i] > maxSizes[i]) {
        throw new RangeError(
          `${where}: requested an output size of ${sizeText(size)}, but valid sizes range from ${
            sizeText(minSizes)
          } to ${sizeText(maxSizes)} (for an input of ${sizeText(input.shape.slice(2))})`,
        );
      }
    }
    return size.map((s, d) => s - minSizes[d]);
  }

  /** `3, 2, kernel_size=(3,), stride=(2,)`, then what differs from the defaults. */
  override extraRepr(): string {
    let s = `${this.inChannels}, ${this.outChannels}, kernel_size=${pyStr(this.kernelSize)}, stride=${
      pyStr(this.stride)
    }`;
    if (this.padding.some((p) => p !== 0)) s += `, padding=${pyStr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${pyStr(this.dilation)}`;
    if (this.outputPadding.some((p) => p !== 0)) s += `, output_padding=${pyStr(this.outputPadding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    return s;
  }
}

/**
 * The transposed 1-D convolution of [N, C, L] or [C, L] input (torch.nn.ConvTranspose1d,
 * `aten::conv_transpose1d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ConvTranspose1d } from "./conv_transpose.ts";
 * const up = new ConvTranspose1d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 });
 * const y = up.forward(randn([2, 3, 5])); // [2, 2, 10]
 * ```
 */
export class ConvTranspose1d extends ConvTransposeBase<[number]> {
  /** A transposed convolution from `inChannels` to `outChannels`. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number],
    options?: ConvTransposeLayerOptions<[number]>,
  );
  /** PyTorch's positional form `ConvTranspose1d(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode, *, device, dtype)`. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number],
    stride?: ConvTransposeLayerOptions<[number]>["stride"],
    padding?: ConvTransposeLayerOptions<[number]>["padding"],
    outputPadding?: ConvTransposeLayerOptions<[number]>["outputPadding"],
    groups?: ConvTransposeLayerOptions<[number]>["groups"],
    bias?: ConvTransposeLayerOptions<[number]>["bias"],
    dilation?: ConvTransposeLayerOptions<[number]>["dilation"],
    paddingMode?: ConvTransposeLayerOptions<[number]>["paddingMode"],
    options?: ConvTransposeLayerOptions<[number]>,
  );
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number], ...args: unknown[]) {
    const options = positionalOptions<ConvTransposeLayerOptions<[number]>>(
      "ConvTranspose1d",
      args,
      ["stride", "padding", "outputPadding", "groups", "bias", "dilation", "paddingMode"],
      ["device", "dtype"],
      "new ConvTranspose1d(inChannels, outChannels, kernelSize, { stride: ... })",
    );
    super(inChannels, outChannels, kernelSize, options, checkSingle);
  }

  /** The transposed convolution of `input`; `outputSize` picks the output padding that gives that size. */
  forward(input: Tensor, outputSize: readonly number[] | null = null): Tensor {
    const outputPadding = this.outputPaddingFor(input, outputSize) as [number];
    return convTranspose1d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding,
      groups: this.groups,
      dilation: this.dilation,
    });
  }
}

/**
 * The transposed 2-D convolution of [N, C, H, W] or [C, H, W] input (torch.nn.ConvTranspose2d,
 * `aten::conv_transpose2d`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { ConvTranspose2d } from "./conv_transpose.ts";
 * const up = new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 });
 * const y = up.forward(randn([1, 2, 4, 4]), [8, 8]); // [1, 3, 8, 8]
 * ```
 */
export class ConvTranspose2d extends ConvTransposeBase<[number, number]> {
  /** A transposed convolution from `inChannels` to `outChannels`. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    options?: ConvTransposeLayerOptions<[number, number]>,
  );
  /** PyTorch's positional form `ConvTranspose2d(in_channels, out_channels, kernel_size, stride, padding, output_padding, groups, bias, dilation, padding_mode, *, device, dtype)`. */
  constructor(
    inChannels: number,
    outChannels: number,
    kernelSize: number | [number, number],
    stride?: ConvTransposeLayerOptions<[number, number]>["stride"],
    padding?: ConvTransposeLayerOptions<[number, number]>["padding"],
    outputPadding?: ConvTransposeLayerOptions<[number, number]>["outputPadding"],
    groups?: ConvTransposeLayerOptions<[number, number]>["groups"],
    bias?: ConvTransposeLayerOptions<[number, number]>["bias"],
    dilation?: ConvTransposeLayerOptions<[number, number]>["dilation"],
    paddingMode?: ConvTransposeLayerOptions<[number, number]>["paddingMode"],
    options?: ConvTransposeLayerOptions<[number, number]>,
  );
  constructor(inChannels: number, outChannels: number, kernelSize: number | [number, number], ...args: unknown[]) {
    const options = positionalOptions<ConvTransposeLayerOptions<[number, number]>>(
      "ConvTranspose2d",
      args,
      ["stride", "padding", "outputPadding", "groups", "bias", "dilation", "paddingMode"],
      ["device", "dtype"],
      "new ConvTranspose2d(inChannels, outChannels, kernelSize, { stride: ... })",
    );
    super(inChannels, outChannels, kernelSize, options, checkPair);
  }

  /** The transposed convolution of `input`; `outputSize` picks the output padding that gives that size. */
  forward(input: Tensor, outputSize: readonly number[] | null = null): Tensor {
    const outputPadding = this.outputPaddingFor(input, outputSize) as [number, number];
    return convTranspose2d(input, this.weight, this.bias, {
      stride: this.stride,
      padding: this.padding,
      outputPadding,
      groups: this.groups,
      dilation: this.dilation,
    });
  }
}
