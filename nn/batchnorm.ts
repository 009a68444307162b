/**
 * `BatchNorm1d` and `BatchNorm2d`, as torch.nn's: affine parameters (ones and zeros), running statistics
 * and the `num_batches_tracked` buffer, momentum (null: a cumulative moving average), train/eval
 * behaviour exactly as torch/nn/modules/batchnorm.py.
 *
 * @module
 */

import { noGrad } from "../tensor/autograd.ts";
import { empty, ones, tensor, zeros } from "../tensor/creation.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { positionalOptions } from "../tensor/options.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor } from "../tensor/checks.ts";
import { batchNorm } from "./functional.ts";
import { ones_, zeros_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { pyOptionalFloat, pyStr } from "./python_repr.ts";

/** Options of {@linkcode BatchNorm1d} and {@linkcode BatchNorm2d}. */
export interface BatchNormLayerOptions extends FactoryOptions {
  /** Added to the variance for numerical stability (default 1e-5). */
  eps?: number;
  /** The weight of each new batch in the running statistics (default 0.1); null: a cumulative average. */
  momentum?: number | null;
  /** Learn a scale and a shift per channel (default true). */
  affine?: boolean;
  /** Keep running statistics, used in evaluation mode (default true); else batch statistics always. */
  trackRunningStats?: boolean;
}

/**
 * The common part of the batch normalisation layers (PyTorch's `_BatchNorm`): subclasses check the
 * input's rank.
 */
export abstract class BatchNormBase extends Module {
  /** The number of channels C. */
  readonly numFeatures: number;
  /** Added to the variance. */
  eps: number;
  /** The weight of each new batch in the running statistics; null: a cumulative moving average. */
  momentum: number | null;
  /** Whether there are a learned scale and shift. */
  readonly affine: boolean;
  /** Whether running statistics are kept. */
  readonly trackRunningStats: boolean;
  /** The scale γ [C] (ones at first), or null. */
  readonly weight: Tensor | null;
  /** The shift β [C] (zeros at first), or null. */
  readonly bias: Tensor | null;
  /** The running mean [C] (zeros at first), or null. */
  readonly runningMean: Tensor | null;
  /** The running (unbiased) variance [C] (ones at first), or null. */
  readonly runningVar: Tensor | null;
  /** The number of batches seen in training mode (int64 scalar), or null. */
  readonly numBatchesTracked: Tensor | null;

  /** A layer over `numFeatures` channels, options by name (`{ eps: 1e-5, momentum: 0.1 }`). */
  constructor(numFeatures: number, options?: BatchNormLayerOptions);
  /**
   * PyTorch's positional form `BatchNorm2d(num_features, eps=1e-05, momentum=0.1, affine=True,
   * track_running_stats=True)`, optionally followed by options by name.
   */
  constructor(
    numFeatures: number,
    eps: number,
    momentum?: number | null,
    affine?: boolean,
    trackRunningStats?: boolean,
    options?: FactoryOptions,
  );
  constructor(numFeatures: number, ...args: unknown[]) {
    super();
    const where = this.typeName;
    const options = positionalOptions<BatchNormLayerOptions>(
      where,
      args,
      ["eps", "momentum", "affine", "trackRunningStats", "device", "dtype"],
      [],
      `new ${where}(16, { eps: 1e-5, momentum: 0.1, affine: true, trackRunningStats: true })`,
    );
    this.numFeatures = checkInt(where, "numFeatures", numFeatures, 0);
    this.eps = checkNumber(where, "eps", options.eps ?? 1e-5);
    this.momentum = options.momentum === null ? null : checkNumber(where, "momentum", options.momentum ?? 0.1);
    this.affine = checkBoolean(where, "affine", options.affine ?? true);
    this.trackRunningStats = checkBoolean(where, "trackRunningStats", options.trackRunningStats ?? true);
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

  /** Resets the running statistics (mean 0, variance 1, no batches). */
  resetRunningStats(): void {
    if (this.trackRunningStats) {
      noGrad(() => {
        this.runningMean!.zero_();
        this.runningVar!.fill_(1);
        this.numBatchesTracked!.zero_();
      });
    }
  }

  /** Resets the running statistics and the affine parameters (ones and zeros). */
  resetParameters(): void {
    this.resetRunningStats();
    if (this.affine) {
      ones_(this.weight!);
      zeros_(this.bias!);
    }
  }

  /** Throws unless `input` has a rank this layer takes. */
  protected abstract checkInputDim(input: Tensor): void;

  /**
   * Normalises `input` over the channel dimension 1: in training mode with the batch statistics (and
   * updates the running statistics and `num_batches_tracked`), in evaluation mode with the running
   * statistics (or the batch statistics when none are tracked).
   */
  forward(input: Tensor): Tensor {
    checkTensor(this.typeName, "input", input);
    this.checkInputDim(input);
    let factor = this.momentum ?? 0.0;
    if (this.training && this.trackRunningStats && this.numBatchesTracked !== null) {
      const n = this.numBatchesTracked;
      noGrad(() => n.add_(1));
      factor = this.momentum === null ? 1.0 / n.item() : this.momentum;
    }
    const bnTraining = this.training ? true : this.runningMean === null && this.runningVar === null;
    const useStats = !this.training || this.trackRunningStats;
    return batchNorm(input, useStats ? this.runningMean : null, useStats ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: bnTraining,
      momentum: factor,
      eps: this.eps,
    });
  }

  /** `6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True`. */
  override extraRepr(): string {
    return `${this.numFeatures}, eps=${pyStr(pyOptionalFloat(this.eps))}, momentum=${
      pyStr(pyOptionalFloat(this.momentum))
    }, affine=${pyStr(this.affine)}, track_running_stats=${pyStr(this.trackRunningStats)}`;
  }
}

/**
 * Batch normalisation of [N, C] or [N, C, L] input (torch.nn.BatchNorm1d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { BatchNorm1d } from "./batchnorm.ts";
 * const bn = new BatchNorm1d(4, { momentum: null });
 * const y = bn.forward(randn([8, 4])); // running stats: the average over all batches so far
 * ```
 */
export class BatchNorm1d extends BatchNormBase {
  /** Throws a RangeError unless `input` is 2-D or 3-D. */
  protected checkInputDim(input: Tensor): void {
    const d = input.ndim;
    if (d !== 2 && d !== 3) throw new RangeError(`BatchNorm1d: expected 2D or 3D input (got ${d}D input)`);
  }
}

/**
 * Batch normalisation of [N, C, H, W] input (torch.nn.BatchNorm2d).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { BatchNorm2d } from "./batchnorm.ts";
 * const bn = new BatchNorm2d(6);
 * const y = bn.forward(randn([4, 6, 28, 28])); // running_mean, running_var, num_batches_tracked updated
 * bn.eval(); // now normalises with the running statistics
 * ```
 */
export class BatchNorm2d extends BatchNormBase {
  /** Throws a RangeError unless `input` is 4-D. */
  protected checkInputDim(input: Tensor): void {
    const d = input.ndim;
    if (d !== 4) throw new RangeError(`BatchNorm2d: expected 4D input (got ${d}D input)`);
  }
}
