/**
 * The pointwise regression losses `L1Loss`, `SmoothL1Loss` and `HuberLoss` and their functional forms
 * (`F.l1_loss`, `F.smooth_l1_loss`, `F.huber_loss`): the input and target are broadcast together (with
 * PyTorch's warning when their shapes differ), then ATen's `aten::l1_loss`, `aten::smooth_l1_loss` or
 * `aten::huber_loss` runs with the reduction enum, so values and gradients are PyTorch's to the bit.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { huberLoss, SmoothL1Loss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * huberLoss(tensor([0.5, 3], f32), tensor([0, 0], f32), { delta: 1 }); // mean of 0.125 and 2.5
 * new SmoothL1Loss({ beta: 0.5 }).forward(tensor([0.5, 3], f32), tensor([0, 0], f32));
 * ```
 *
 * @module
 */

import { TORCH2 } from "../ffi/native.ts";
import { checkOptions } from "../tensor/options.ts";
import { callN, callT, floatArg, op } from "../tensor/call.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkNumber, checkTensor, sizeText } from "../tensor/checks.ts";
import { type Reduction, reductionEnum } from "./reduction.ts";
import { Loss, type ReductionOptions } from "./loss.ts";

const OPS = {
  l1: op("aten::l1_loss"),
  smoothL1: op("aten::smooth_l1_loss"),
  huber: op("aten::huber_loss"),
  broadcastTensors: op("aten::broadcast_tensors"),
};

const warned = new Set<string>();

/**
 * `torch.broadcast_tensors(input, target)` after PyTorch's size warning (once per function), then `fn` on
 * the broadcast pair. Internal to the pointwise losses.
 */
export function broadcastPair(
  where: string,
  input: Tensor,
  target: Tensor,
  fn: (a: Tensor, b: Tensor) => Tensor,
): Tensor {
  checkTensor(where, "input", input);
  checkTensor(where, "target", target);
  const ts = target.shape, is = input.shape;
  const same = ts.length === is.length && ts.every((d, i) => d === is[i]);
  if (!same && !warned.has(where)) {
    warned.add(where);
    console.warn(
      `${where}: Using a target size (${sizeText(ts)}) that is different to the input size (${
        sizeText(is)
      }). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.`,
    );
  }
  return tidy(() => {
    const [[a, b]] = callN(OPS.broadcastTensors, [[input, target]]) as [[Tensor, Tensor]];
    return fn(a, b);
  });
}

/** Options of {@linkcode l1Loss}. */
export interface L1Options {
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
}

/**
 * The mean absolute error (`F.l1_loss`: `aten::broadcast_tensors`, then `aten::l1_loss`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { l1Loss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * l1Loss(tensor([1, -2], f32), tensor([0, 0], f32), { reduction: "sum" }); // 3
 * ```
 */
export function l1Loss(input: Tensor, target: Tensor, options: L1Options = {}): Tensor {
  checkOptions("l1Loss", options, ["reduction"]);
  const reduction = reductionEnum("l1Loss", options.reduction ?? "mean");
  return broadcastPair("l1Loss", input, target, (a, b) => callT(OPS.l1, a, b, reduction));
}

/** Options of {@linkcode smoothL1Loss}. */
export interface SmoothL1Options {
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear, >= 0 (default 1; 0 is the L1 loss). */
  beta?: number;
}

/**
 * The smooth L1 loss: `0.5 d² / beta` where `|d| < beta`, `|d| - 0.5 beta` elsewhere (`F.smooth_l1_loss`,
 * `aten::smooth_l1_loss`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { smoothL1Loss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * smoothL1Loss(tensor([0.5, 3], f32), tensor([0, 0], f32), { reduction: "none" }); // [0.125, 2.5]
 * ```
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1Options = {}): Tensor {
  checkOptions("smoothL1Loss", options, ["reduction", "beta"]);
  const reduction = reductionEnum("smoothL1Loss", options.reduction ?? "mean");
  const beta = checkNumber("smoothL1Loss", "beta", options.beta ?? 1, { min: 0 });
  // PyTorch 2's F.smooth_l1_loss takes aten::l1_loss for beta 0 (1.13 leaves that to aten::smooth_l1_loss)
  if (TORCH2 && beta === 0) {
    return broadcastPair("smoothL1Loss", input, target, (a, b) => callT(OPS.l1, a, b, reduction));
  }
  return broadcastPair("smoothL1Loss", input, target, (a, b) => callT(OPS.smoothL1, a, b, reduction, floatArg(beta)));
}

/** Options of {@linkcode huberLoss}. */
export interface HuberOptions {
  /** `"mean"` (default), `"sum"` or `"none"`. */
  reduction?: Reduction;
  /** Where the loss turns from quadratic to linear, > 0 (default 1). */
  delta?: number;
}

/**
 * The Huber loss: `0.5 d²` where `|d| < delta`, `delta (|d| - 0.5 delta)` elsewhere (`F.huber_loss`,
 * `aten::huber_loss`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { huberLoss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * huberLoss(tensor([0.5, 3], f32), tensor([0, 0], f32), { delta: 2, reduction: "none" }); // [0.125, 4]
 * ```
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberOptions = {}): Tensor {
  checkOptions("huberLoss", options, ["reduction", "delta"]);
  const reduction = reductionEnum("huberLoss", options.reduction ?? "mean");
  const delta = checkNumber("huberLoss", "delta", options.delta ?? 1, { min: 0 });
  if (delta === 0) throw new RangeError("huberLoss: delta must be positive, got 0");
  return broadcastPair("huberLoss", input, target, (a, b) => callT(OPS.huber, a, b, reduction, floatArg(delta)));
}

/**
 * The mean absolute error layer (torch.nn.L1Loss).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { L1Loss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * new L1Loss().forward(tensor([1, -2], f32), tensor([0, 0], f32)); // 1.5
 * ```
 */
export class L1Loss extends Loss {
  /** The absolute error of `input` against `target`, reduced. */
  forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Options of {@linkcode SmoothL1Loss}. */
export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear, >= 0 (default 1). */
  beta?: number;
}

/**
 * The smooth L1 loss layer (torch.nn.SmoothL1Loss).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { SmoothL1Loss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * new SmoothL1Loss({ beta: 0.5 }).forward(tensor([0.25], f32), tensor([0], f32)); // 0.0625
 * ```
 */
export class SmoothL1Loss extends Loss {
  /** The point where the loss turns linear. */
  readonly beta: number;

  /** A loss with `beta` (default 1) and `reduction`. */
  constructor(options: SmoothL1LossOptions = {}) {
    checkOptions("SmoothL1Loss", options, ["beta", "reduction"]);
    super({ reduction: options.reduction });
    this.beta = checkNumber("SmoothL1Loss", "beta", options.beta ?? 1, { min: 0 });
  }

  /** The smooth L1 loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}

/** Options of {@linkcode HuberLoss}. */
export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear, > 0 (default 1). */
  delta?: number;
}

/**
 * The Huber loss layer (torch.nn.HuberLoss).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { HuberLoss } from "./regression_loss.ts";
 * const f32 = { dtype: "float32" } as const;
 * new HuberLoss({ delta: 2 }).forward(tensor([3], f32), tensor([0], f32)); // 4
 * ```
 */
export class HuberLoss extends Loss {
  /** The point where the loss turns linear. */
  readonly delta: number;

  /** A loss with `delta` (default 1) and `reduction`. */
  constructor(options: HuberLossOptions = {}) {
    checkOptions("HuberLoss", options, ["delta", "reduction"]);
    super({ reduction: options.reduction });
    const delta = checkNumber("HuberLoss", "delta", options.delta ?? 1, { min: 0 });
    if (delta === 0) throw new RangeError("HuberLoss: delta must be positive, got 0");
    this.delta = delta;
  }

  /** The Huber loss of `input` against `target`. */
  forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}
