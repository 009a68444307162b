/**
 * Channel-wise dropout (`F.dropout1d`, `F.dropout2d`): whole channels are zeroed with probability p (the
 * mask drawn from the global generator, as `aten::feature_dropout` draws it) and the others scaled by
 * 1 / (1 - p).
 *
 * @example
 * ```ts
 * import { manualSeed, ones } from "../mod.ts";
 * import { dropout1d, dropout2d } from "./functional_dropout.ts";
 * manualSeed(0);
 * const a = dropout1d(ones([2, 4, 5]), 0.5); // each of the 8 channels all 0 or all 2
 * const b = dropout2d(ones([2, 3, 4, 4]), 0.5);
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callT, floatArg, op } from "../tensor/call.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkNumber, checkTensor } from "../tensor/checks.ts";
import type { DropoutOptions } from "./functional.ts";

const OPS = { featureDropout: op("aten::feature_dropout"), featureDropout_: op("aten::feature_dropout_") };

function featureDropout(where: string, input: Tensor, p: number, options: DropoutOptions): Tensor {
  checkNumber(where, "p (the dropout probability)", p, { min: 0, max: 1 });
  const training = checkBoolean(where, "training", options.training ?? true);
  if (checkBoolean(where, "inplace", options.inplace ?? false)) {
    callT(OPS.featureDropout_, input, floatArg(p), training).dispose();
    return input;
  }
  return callT(OPS.featureDropout, input, floatArg(p), training);
}

/**
 * Zeroes whole channels of [N, C, L] or [C, L] input (`F.dropout1d`, `aten::feature_dropout`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { dropout1d } from "./functional_dropout.ts";
 * const y = dropout1d(ones([4, 6]), 0.25);
 * ```
 */
export function dropout1d(input: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkOptions("dropout1d", options, ["training", "inplace"]);
  const where = "dropout1d";
  checkTensor(where, "input", input);
  if (input.ndim !== 2 && input.ndim !== 3) {
    throw new RangeError(
      `${where}: Expected 2D or 3D input, but received a ${input.ndim}D input. Note that dropout1d exists to provide channel-wise dropout on inputs with 1 spatial dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D inputs).`,
    );
  }
  if (input.ndim === 3) return featureDropout(where, input, p, options);
  if (options.inplace) {
    // PyTorch unsqueezes in place, drops, squeezes back: the same elements of `input` are overwritten
    tidy(() => featureDropout(where, input.unsqueeze(0), p, options));
    return input;
  }
  return tidy(() => featureDropout(where, input.unsqueeze(0), p, options).squeeze(0));
}

/**
 * Zeroes whole channels of [N, C, H, W] input (`F.dropout2d`, `aten::feature_dropout`); 3-D input is
 * taken as [N, C, L], as PyTorch 1.13 does.
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { dropout2d } from "./functional_dropout.ts";
 * const y = dropout2d(ones([2, 3, 4, 4]), 0.25);
 * ```
 */
export function dropout2d(input: Tensor, p = 0.5, options: DropoutOptions = {}): Tensor {
  checkOptions("dropout2d", options, ["training", "inplace"]);
  checkTensor("dropout2d", "input", input);
  return featureDropout("dropout2d", input, p, options);
}
