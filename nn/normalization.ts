/**
 * `LayerNorm`, `GroupNorm`, `InstanceNorm1d` and `InstanceNorm2d`, as torch.nn's: affine parameters
 * initialised to ones and zeros (no random draw), InstanceNorm's optional running statistics, and
 * PyTorch's printouts.
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { noGrad } from "../tensor/autograd.ts";
import { empty, ones, tensor, zeros } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor } from "../tensor/checks.ts";
import { groupNorm, instanceNorm, layerNorm, normalizedShapeOf } from "./functional_normalization.ts";
import { ones_, zeros_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyFloat, pyStr } from "./python_repr.ts";

/** Options of {@linkcode LayerNorm}. */
export interface LayerNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a scale and a shift per normalised element (default true). */
  elementwiseAffine?: boolean;
}

/**
 * Normalises over the last dimensions `normalizedShape` (torch.nn.LayerNorm, `aten::layer_norm`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LayerNorm } from "./normalization.ts";
 * const ln = new LayerNorm(8);
 * const y = ln.forward(randn([2, 5, 8]));
 * console.log(String(ln)); // LayerNorm((8,), eps=1e-05, elementwise_affine=True)
 * ```
 */
export class LayerNorm extends Module {
  /** The normalised trailing shape. */
  readonly normalizedShape: number[];
  /** Added to the variance. */
  readonly eps: number;
  /** Whether there are a learned scale and shift. */
  readonly elementwiseAffine: boolean;
  /** The scale (ones at first), of `normalizedShape`, or null. */
  readonly weight: Tensor | null;
  /** The shift (zeros at first), of `normalizedShape`, or null. */
  readonly bias: Tensor | null;

  /** A layer normalising over `normalizedShape`. */
  constructor(normalizedShape: number | readonly number[], options?: LayerNormLayerOptions);
  /** PyTorch's positional form `LayerNorm(normalized_shape, eps, elementwise_affine, *, device, dtype)`. */
  constructor(
    normalizedShape: number | readonly number[],
    eps?: LayerNormLayerOptions["eps"],
    elementwiseAffine?: LayerNormLayerOptions["elementwiseAffine"],
    options?: LayerNormLayerOptions,
  );
  constructor(normalizedShape: number | readonly number[], ...args: unknown[]) {
    super();
    const options = positionalOptions<LayerNormLayerOptions>("LayerNorm", args, ["eps", "elementwiseAffine"], [
      "device",
      "dtype",
    ], "new LayerNorm(normalizedShape, { eps: ... })");
    this.normalizedShape = normalizedShapeOf("LayerNorm", normalizedShape);
    this.eps = checkNumber("LayerNorm", "eps", options.eps ?? 1e-5);
    this.elementwiseAffine = checkBoolean("LayerNorm", "elementwiseAffine", options.elementwiseAffine ?? true);
    const factory = { dtype: options.dtype, device: options.device };
    const affine = this.elementwiseAffine;
    this.weight = this.registerParameter("weight", affine ? empty(this.normalizedShape, factory) : null);
    this.bias = this.registerParameter("bias", affine ? empty(this.normalizedShape, factory) : null);
    this.resetParameters();
  }

  /** Ones and zeros, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  /** The normalised `input`. */
  forward(input: Tensor): Tensor {
    return layerNorm(input, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  /** `(8,), eps=1e-05, elementwise_affine=True`. */
  override extraRepr(): string {
    return `${pyStr(this.normalizedShape)}, eps=${pyFloat(this.eps)}, elementwise_affine=${
      pyStr(this.elementwiseAffine)
    }`;
  }
}

/** Options of {@linkcode GroupNorm}. */
export interface GroupNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Learn a scale and a shift per channel (default true). */
  affine?: boolean;
}

/**
 * Normalises [N, C, ...] input over `numGroups` groups of channels (torch.nn.GroupNorm,
 * `aten::group_norm`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { GroupNorm } from "./normalization.ts";
 * const y = new GroupNorm(2, 4).forward(randn([3, 4, 5])); // GroupNorm(2, 4, eps=1e-05, affine=True)
 * ```
 */
export class GroupNorm extends Module {
  /** The number of groups. */
  readonly numGroups: number;
  /** The number of channels. */
  readonly numChannels: number;
  /** Added to the variance. */
  readonly eps: number;
  /** Whether there are a learned scale and shift. */
  readonly affine: boolean;
  /** The scale [C] (ones at first), or null. */
  readonly weight: Tensor | null;
  /** The shift [C] (zeros at first), or null. */
  readonly bias: Tensor | null;

  /** A layer over `numChannels` channels in `numGroups` groups. */
  constructor(numGroups: number, numChannels: number, options?: GroupNormLayerOptions);
  /** PyTorch's positional form `GroupNorm(num_groups, num_channels, eps, affine, *, device, dtype)`. */
  constructor(
    numGroups: number,
    numChannels: number,
    eps?: GroupNormLayerOptions["eps"],
    affine?: GroupNormLayerOptions["affine"],
    options?: GroupNormLayerOptions,
  );
  constructor(numGroups: number, numChannels: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<GroupNormLayerOptions>(
      "GroupNorm",
      args,
      ["eps", "affine"],
      ["device", "dtype"],
      "new GroupNorm(numGroups, numChannels, { eps: ... })",
    );
    this.numGroups = checkInt("GroupNorm", "numGroups", numGroups, 1);
    this.numChannels = checkInt("GroupNorm", "numChannels", numChannels, 0);
    if (numChannels % numGroups !== 0) {
      throw new RangeError(
        `GroupNorm: numChannels must be divisible by numGroups, got ${numChannels} channels and ${numGroups} groups`,
      );
    }
    this.eps = checkNumber("GroupNorm", "eps", options.eps ?? 1e-5);
    this.affine = checkBoolean("GroupNorm", "affine", options.affine ?? true);
    const factory = { dtype: options.dtype, device: options.device };
    this.weight = this.registerParameter("weight", this.affine ? empty([numChannels], factory) : null);
    this.bias = this.registerParameter("bias", this.affine ? empty([numChannels], factory) : null);
    this.resetParameters();
  }

  /** Ones and zeros, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  /** The normalised `input`. */
  forward(input: Tensor): Tensor {
    return groupNorm(input, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  /** `2, 4, eps=1e-05, affine=True`. */
  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${pyFloat(this.eps)}, affine=${pyStr(this.affine)}`;
  }
}

/** Options of {@linkcode InstanceNorm1d} and {@linkcode InstanceNorm2d}. */
export interface InstanceNormLayerOptions extends FactoryOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** The weight of each new batch in the running statistics (default 0.1). */
  momentum?: number;
  /** Learn a scale and a shift per channel (default false). */
  affine?: boolean;
  /** Keep running statistics and use them in evaluation mode (default false). */
  trackRunningStats?: boolean;
}

/** The common part of the instance normalisation layers (PyTorch's `_InstanceNorm`). */
export abstract class InstanceNormBase extends Module {
  /** The number of channels C. */
  readonly numFeatures: number;
  /** Added to the variance. */
  readonly eps: number;
  /** The weight of each new batch in the running statistics. */
  readonly momentum: number;
  /** Whether there are a learned scale and shift. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** The scale [C] (ones at first), or null. */
  readonly weight: Tensor | null;
  /** The shift [C] (zeros at first), or null. */
  readonly bias: Tensor | null;
  /** The running mean [C], or null. */
  readonly runningMean: Tensor | null;
  /** The running variance [C], or null. */
  readonly runningVar: Tensor | null;
  /** Kept for PyTorch's state-dict keys; instance normalisation does not count batches. */
  readonly numBatchesTracked: Tensor | null;

  /** The rank of unbatched input (2 for 1-D, 3 for 2-D). */
  protected abstract readonly noBatchDim: number;

  /** A layer over `numFeatures` channels. */
  constructor(numFeatures: number, options?: InstanceNormLayerOptions);
  /** PyTorch's positional form `InstanceNorm1d/2d/3d(num_features, eps, momentum, affine, track_running_stats, *, device, dtype)`. */
  constructor(
    numFeatures: number,
    eps?: InstanceNormLayerOptions["eps"],
    momentum?: InstanceNormLayerOptions["momentum"],
    affine?: InstanceNormLayerOptions["affine"],
    trackRunningStats?: InstanceNormLayerOptions["trackRunningStats"],
    options?: InstanceNormLayerOptions,
  );
  constructor(numFeatures: number, ...args: unknown[]) {
    super();
    const options = positionalOptions<InstanceNormLayerOptions>(
      this.typeName,
      args,
      ["eps", "momentum", "affine", "trackRunningStats"],
      ["device", "dtype"],
      "new InstanceNorm2d(numFeatures, { eps: ... })",
    );
    const where = this.typeName;
    this.numFeatures = checkInt(where, "numFeatures", numFeatures, 0);
    this.eps = checkNumber(where, "eps", options.eps ?? 1e-5);
    this.momentum = checkNumber(where, "momentum", options.momentum ?? 0.1);
    this.affine = checkBoolean(where, "affine", options.affine ?? false);
    this.trackRunningStats = checkBoolean(where, "trackRunningStats", options.trackRunningStats ?? false);
    const factory = { dtype: options.dtype, device: options.device };
    this.weight = this.registerParameter("weight", this.affine ? empty([numFeatures], factory) : null);
    this.bias = this.registerParameter("bias", this.affine ? empty([numFeatures], factory) : null);
    const track = this.trackRunningStats;
    this.runningMean = this.registerBuffer("running_mean", track ? zeros([numFeatures], factory) : null);
    this.runningVar = this.registerBuffer("running_var", track ? ones([numFeatures], factory) : null);
    this.numBatchesTracked = this.registerBuffer(
      "num_batches_tracked",
      track ? tensor(0, { dtype: "int64", device: options.device }) : null,
    );
    this.resetParameters();
  }

  /** Resets the running statistics and the affine parameters, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    if (this.trackRunningStats) {
      noGrad(() => {
        this.runningMean!.zero_();
        this.runningVar!.fill_(1);
        this.numBatchesTracked!.zero_();
      });
    }
    if (this.weight !== null) ones_(this.weight);
    if (this.bias !== null) zeros_(this.bias);
  }

  /** Normalises each channel of each sample (updating the running statistics in training mode). */
  forward(input: Tensor): Tensor {
    checkTensor(this.typeName, "input", input);
    const n = this.noBatchDim;
    if (input.ndim !== n && input.ndim !== n + 1) {
      throw new RangeError(`${this.typeName}: expected ${n}D or ${n + 1}D input (got ${input.ndim}D input)`);
    }
    if (input.ndim === n) return tidy(() => this.#apply(input.unsqueeze(0)).squeeze(0));
    return this.#apply(input);
  }

  #apply(input: Tensor): Tensor {
    return instanceNorm(input, {
      runningMean: this.runningMean,
      runningVar: this.runningVar,
      weight: this.weight,
      bias: this.bias,
      useInputStats: this.training || !this.trackRunningStats,
      momentum: this.momentum,
      eps: this.eps,
    });
  }

  /** `3, eps=1e-05, momentum=0.1, affine=False, track_running_stats=False`. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyFloat(this.eps)}, momentum=${pyFloat(this.momentum)}, affine=${
      pyStr(this.affine)
    }, track_running_stats=${pyStr(this.trackRunningStats)}`;
  }
}

/**
 * Instance normalisation of [N, C, L] or [C, L] input (torch.nn.InstanceNorm1d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { InstanceNorm1d } from "./normalization.ts";
 * const y = new InstanceNorm1d(3).forward(randn([2, 3, 6]));
 * ```
 */
export class InstanceNorm1d extends InstanceNormBase {
  /** Unbatched input is [C, L]. */
  protected readonly noBatchDim = 2;
}

/**
 * Instance normalisation of [N, C, H, W] or [C, H, W] input (torch.nn.InstanceNorm2d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { InstanceNorm2d } from "./normalization.ts";
 * const y = new InstanceNorm2d(2, { affine: true }).forward(randn([2, 2, 4, 4]));
 * ```
 */
export class InstanceNorm2d extends InstanceNormBase {
  /** Unbatched input is [C, H, W]. */
  protected readonly noBatchDim = 3;
}
