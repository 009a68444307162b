/**
 * `CTCLoss` and `F.ctc_loss`: the Connectionist Temporal Classification loss (ATen's `aten::ctc_loss`,
 * its `Tensor` overload for length tensors and its `IntList` overload for arrays of numbers, as PyTorch
 * picks them), so values and gradients are PyTorch's to the bit.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { ctcLoss } from "./ctc_loss.ts";
 * const logProbs = randn([6, 2, 5]).logSoftmax(2); // [T, N, C]
 * ctcLoss(logProbs, tensor([[1, 2, 2], [3, 1, 0]]), [6, 5], [3, 2]);
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callTA, op } from "../tensor/call.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkTensor, describe } from "../tensor/checks.ts";
import { type Reduction, reductionEnum } from "./reduction.ts";
import { Loss, type ReductionOptions } from "./loss.ts";

const OPS = {
  tensorLengths: op("aten::ctc_loss", "Tensor"),
  listLengths: op("aten::ctc_loss", "IntList"),
};

/** Options of {@linkcode ctcLoss}. */
export interface CTCOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** `"mean"` (default: each loss divided by its target length, then averaged), `"sum"` or `"none"`. */
  reduction?: Reduction;
  /** Set infinite losses (impossible alignments) and their gradients to zero (default false). */
  zeroInfinity?: boolean;
}

/** The lengths: a Tensor, or an array of non-negative integers. */
export type Lengths = Tensor | readonly number[];

function checkLengths(where: string, name: string, v: unknown): Lengths {
  if (v instanceof Tensor) return v;
  if (Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0)) return v;
  throw new TypeError(
    `${where}: ${name} must be a Tensor or an array of non-negative integers, got ${describe(v, "size")}`,
  );
}

/**
 * The CTC loss of log-probabilities `logProbs` ([T, N, C] or [T, C], log-softmaxed over C) against
 * `targets` ([N, S] padded, or the 1-D concatenation of all targets), with the sequence lengths
 * `inputLengths` and `targetLengths` (both Tensors or both arrays) (`F.ctc_loss`).
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { ctcLoss } from "./ctc_loss.ts";
 * const lp = randn([5, 1, 4]).logSoftmax(2);
 * ctcLoss(lp, tensor([1, 2]), tensor([5]), tensor([2]), { reduction: "sum", zeroInfinity: true });
 * ```
 */
export function ctcLoss(
  logProbs: Tensor,
  targets: Tensor,
  inputLengths: Lengths,
  targetLengths: Lengths,
  options: CTCOptions = {},
): Tensor {
  checkOptions("ctcLoss", options, ["blank", "reduction", "zeroInfinity"]);
  const where = "ctcLoss";
  checkTensor(where, "logProbs", logProbs);
  checkTensor(where, "targets", targets);
  const il = checkLengths(where, "inputLengths", inputLengths);
  const tl = checkLengths(where, "targetLengths", targetLengths);
  const blank = checkInt(where, "blank", options.blank ?? 0, 0);
  const reduction = reductionEnum(where, options.reduction ?? "mean");
  const zeroInfinity = checkBoolean(where, "zeroInfinity", options.zeroInfinity ?? false);
  const tensors = il instanceof Tensor;
  if (tensors !== tl instanceof Tensor) {
    throw new TypeError(`${where}: inputLengths and targetLengths must both be Tensors or both be arrays`);
  }
  return callTA(tensors ? OPS.tensorLengths : OPS.listLengths, [
    logProbs,
    targets,
    il as Tensor | number[],
    tl as Tensor | number[],
    blank,
    reduction,
    zeroInfinity,
  ]);
}

/** Options of {@linkcode CTCLoss}. */
export interface CTCLossOptions extends ReductionOptions {
  /** The blank label (default 0). */
  blank?: number;
  /** Zero infinite losses and their gradients (default false). */
  zeroInfinity?: boolean;
}

/**
 * The CTC loss layer (torch.nn.CTCLoss): `forward(logProbs, targets, inputLengths, targetLengths)`.
 *
 * @example
 * ```ts
 * import { randn, tensor } from "../mod.ts";
 * import { CTCLoss } from "./ctc_loss.ts";
 * new CTCLoss({ blank: 0 }).forward(randn([5, 1, 4]).logSoftmax(2), tensor([[1, 3]]), [5], [2]);
 * ```
 */
export class CTCLoss extends Loss {
  /** The blank label. */
  readonly blank: number;
  /** Whether infinite losses are zeroed. */
  readonly zeroInfinity: boolean;

  /** A loss with `blank`, `zeroInfinity` and `reduction`. */
  constructor(options: CTCLossOptions = {}) {
    checkOptions("CTCLoss", options, ["blank", "zeroInfinity", "reduction"]);
    super({ reduction: options.reduction });
    this.blank = checkInt("CTCLoss", "blank", options.blank ?? 0, 0);
    this.zeroInfinity = checkBoolean("CTCLoss", "zeroInfinity", options.zeroInfinity ?? false);
  }

  /** The CTC loss (see {@linkcode ctcLoss}). */
  override forward(logProbs: Tensor, targets: Tensor, inputLengths?: Lengths, targetLengths?: Lengths): Tensor {
    if (inputLengths === undefined || targetLengths === undefined) {
      throw new TypeError("CTCLoss.forward: inputLengths and targetLengths are required");
    }
    return ctcLoss(logProbs, targets, inputLengths, targetLengths, {
      blank: this.blank,
      reduction: this.reduction,
      zeroInfinity: this.zeroInfinity,
    });
  }
}
