/**
 * The loss layers `BCELoss`, `BCEWithLogitsLoss`, `CrossEntropyLoss`, `NLLLoss` and `MSELoss`, as
 * torch.nn's: a `reduction` of "mean" (default), "sum" or "none", and class or element weights kept as
 * buffers (`weight`, `pos_weight`) as PyTorch registers them. Each calls its function of
 * `loss_functions.ts`.
 *
 * @module
 */

import { checkOptions, positionalOptions } from "../tensor/options.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkInt, checkNumber, checkTensor } from "../tensor/checks.ts";
import { type Reduction, reductionEnum } from "./reduction.ts";
import { binaryCrossEntropy, binaryCrossEntropyWithLogits, crossEntropy, mseLoss, nllLoss } from "./loss_functions.ts";
import { Module } from "./module.ts";

/** The `reduction` option of the losses. */
export interface ReductionOptions {
  /** `"mean"` (default), `"sum"` or `"none"` (the loss of each element). */
  reduction?: Reduction;
}

/**
 * The options of a loss layer from its constructor's arguments: PyTorch's one positional argument `weight`
 * (a Tensor; only for weighted losses) then an options object, each key checked against `keys`.
 */
export function lossOptions<T extends object>(owner: string, args: readonly unknown[], keys: readonly string[]): T {
  const weighted = keys.includes("weight");
  const named = keys.filter((k) => k !== "weight");
  const form = `new ${owner}({ ${[...(weighted ? ["weight"] : []), ...named].map((k) => `${k}: ...`).join(", ")} })`;
  return positionalOptions<T>(owner, args, weighted ? ["weight"] : [], named, form);
}

/** The base of the losses (PyTorch's `_Loss`): holds the checked reduction. */
export abstract class Loss extends Module {
  /** How the losses of the elements are combined. */
  readonly reduction: Reduction;

  /** A loss with `reduction` (default "mean"). */
  constructor(options: ReductionOptions = {}) {
    super();
    // the weighted losses check their own (wider) options; the others have only `reduction`
    if (!(this instanceof WeightedLoss)) checkOptions(this.typeName, options, ["reduction"]);
    const reduction = options.reduction ?? "mean";
    reductionEnum(this.typeName, reduction);
    this.reduction = reduction;
  }

  /** The loss of `input` against `target`. */
  abstract override forward(input: Tensor, target: Tensor): Tensor;
}

/** Options of the losses with a per-class or per-element `weight`. */
export interface WeightedLossOptions extends ReductionOptions {
  /** The weight (default none); registered as the buffer `weight`. */
  weight?: Tensor | null;
}

/** The base of the weighted losses (PyTorch's `_WeightedLoss`): `weight` is a buffer (or null). */
export abstract class WeightedLoss extends Loss {
  /** The weight buffer, or null. */
  readonly weight: Tensor | null;

  /** A loss with an optional `weight` and a `reduction`. */
  constructor(options: WeightedLossOptions = {}) {
    super(options);
    this.weight = this.registerBuffer("weight", checkTensor(this.typeName, "weight", options.weight ?? null, true));
  }
}

/**
 * Binary cross entropy between probabilities and targets (torch.nn.BCELoss).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { BCELoss } from "./loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * new BCELoss({ reduction: "sum" }).forward(tensor([0.8, 0.3]), tensor([1, 0], f32));
 * ```
 */
export class BCELoss extends WeightedLoss {
  /** A loss with an optional element `weight` and a `reduction`. */
  constructor(options?: WeightedLossOptions);
  /** PyTorch's positional form `BCELoss(weight)`, optionally followed by options by name. */
  constructor(weight: Tensor | null, options?: ReductionOptions);
  constructor(...args: unknown[]) {
    super(lossOptions("BCELoss", args, ["weight", "reduction"]));
  }

  /** The loss of probabilities `input` against `target` (same shape). */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

/** Options of {@linkcode BCEWithLogitsLoss}. */
export interface BCEWithLogitsLossOptions extends WeightedLossOptions {
  /** A weight of the positive examples per class (default none); registered as the buffer `pos_weight`. */
  posWeight?: Tensor | null;
}

/**
 * Binary cross entropy on logits, computed stably (torch.nn.BCEWithLogitsLoss).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { BCEWithLogitsLoss } from "./loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * const loss = new BCEWithLogitsLoss({ posWeight: tensor([3], f32) });
 * loss.forward(tensor([[0.2], [-1.5]]), tensor([[1], [0]], f32));
 * ```
 */
export class BCEWithLogitsLoss extends WeightedLoss {
  /** The buffer `pos_weight`, or null. */
  readonly posWeight: Tensor | null;

  /** A loss with optional `weight` and `posWeight`. */
  constructor(options?: BCEWithLogitsLossOptions);
  /** PyTorch's positional form `BCEWithLogitsLoss(weight)`, optionally followed by options by name. */
  constructor(weight: Tensor | null, options?: Omit<BCEWithLogitsLossOptions, "weight">);
  constructor(...args: unknown[]) {
    const options = lossOptions<BCEWithLogitsLossOptions>("BCEWithLogitsLoss", args, [
      "weight",
      "reduction",
      "posWeight",
    ]);
    super(options);
    this.posWeight = this.registerBuffer(
      "pos_weight",
      checkTensor("BCEWithLogitsLoss", "posWeight", options.posWeight ?? null, true),
    );
  }

  /** The loss of logits `input` against `target` (same shape). */
  forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      weight: this.weight,
      posWeight: this.posWeight,
      reduction: this.reduction,
    });
  }
}

/** Options of {@linkcode CrossEntropyLoss}. */
export interface CrossEntropyLossOptions extends WeightedLossOptions {
  /** A target class index that is ignored (default -100). */
  ignoreIndex?: number;
  /** Mix this much of the uniform distribution into the targets, in [0, 1] (default 0). */
  labelSmoothing?: number;
}

/**
 * Cross entropy of logits against class indices or class probabilities (torch.nn.CrossEntropyLoss).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { CrossEntropyLoss } from "./loss.ts";
 * const loss = new CrossEntropyLoss({ labelSmoothing: 0.1, ignoreIndex: -1 });
 * loss.forward(randn([3, 5]), tensor([1, -1, 4]));
 * ```
 */
export class CrossEntropyLoss extends WeightedLoss {
  /** The ignored target class index. */
  readonly ignoreIndex: number;
  /** The label smoothing. */
  readonly labelSmoothing: number;

  /** A loss with optional class `weight`, `ignoreIndex`, `labelSmoothing` and `reduction`. */
  constructor(options?: CrossEntropyLossOptions);
  /** PyTorch's positional form `CrossEntropyLoss(weight)`, optionally followed by options by name. */
  constructor(weight: Tensor | null, options?: Omit<CrossEntropyLossOptions, "weight">);
  constructor(...args: unknown[]) {
    const options = lossOptions<CrossEntropyLossOptions>("CrossEntropyLoss", args, [
      "weight",
      "reduction",
      "ignoreIndex",
      "labelSmoothing",
    ]);
    super(options);
    this.ignoreIndex = checkInt("CrossEntropyLoss", "ignoreIndex", options.ignoreIndex ?? -100);
    this.labelSmoothing = checkNumber("CrossEntropyLoss", "labelSmoothing", options.labelSmoothing ?? 0, {
      min: 0,
      max: 1,
    });
  }

  /** The loss of logits `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, {
      weight: this.weight,
      ignoreIndex: this.ignoreIndex,
      reduction: this.reduction,
      labelSmoothing: this.labelSmoothing,
    });
  }
}

/** Options of {@linkcode NLLLoss}. */
export interface NLLLossOptions extends WeightedLossOptions {
  /** A target class index that is ignored (default -100). */
  ignoreIndex?: number;
}

/**
 * Negative log likelihood of log-probabilities at the target classes (torch.nn.NLLLoss).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { logSoftmax } from "./functional.ts";
 * import { NLLLoss } from "./loss.ts";
 * new NLLLoss().forward(logSoftmax(randn([3, 5]), 1), tensor([1, 0, 4]));
 * ```
 */
export class NLLLoss extends WeightedLoss {
  /** The ignored target class index. */
  readonly ignoreIndex: number;

  /** A loss with optional class `weight`, `ignoreIndex` and `reduction`. */
  constructor(options?: NLLLossOptions);
  /** PyTorch's positional form `NLLLoss(weight)`, optionally followed by options by name. */
  constructor(weight: Tensor | null, options?: Omit<NLLLossOptions, "weight">);
  constructor(...args: unknown[]) {
    const options = lossOptions<NLLLossOptions>("NLLLoss", args, ["weight", "reduction", "ignoreIndex"]);
    super(options);
    this.ignoreIndex = checkInt("NLLLoss", "ignoreIndex", options.ignoreIndex ?? -100);
  }

  /** The loss of log-probabilities `input` against class indices `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { weight: this.weight, ignoreIndex: this.ignoreIndex, reduction: this.reduction });
  }
}

/**
 * The mean squared error (torch.nn.MSELoss).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { MSELoss } from "./loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * new MSELoss().forward(tensor([1, 2], f32), tensor([0, 0], f32)); // 2.5
 * ```
 */
export class MSELoss extends Loss {
  /** A loss with a `reduction` (default "mean"). */
  constructor(options?: ReductionOptions) {
    super(lossOptions("MSELoss", options === undefined ? [] : [options], ["reduction"]));
  }

  /** The squared error of `input` against `target`, reduced. */
  forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}
