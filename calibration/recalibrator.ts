/**
 * The common interface of recalibrators (temperature scaling, Platt scaling, histogram binning, isotonic
 * regression): `fit` on validation scores and labels, `apply` to test scores (probabilities out), and
 * `toJSON` to save what was fitted. Also the input reading that the binary recalibrators share.
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { checkLabels, type InputKind, readPreds, toLogits } from "./inputs.ts";

/** The kinds of recalibrators. */
export type RecalibratorKind = "temperature" | "platt" | "histogram" | "isotonic";

/** A fitted recalibrator as JSON: its kind, its options and its parameters. */
export interface RecalibratorJSON {
  /** The kind of recalibrator. */
  kind: RecalibratorKind;
  /** The rest: options and fitted parameters, plain JSON values. */
  [key: string]: unknown;
}

/**
 * A recalibration map fitted on validation data.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import type { Recalibrator } from "./recalibrator.ts";
 * import { IsotonicRegression } from "./isotonic.ts";
 * const r: Recalibrator = new IsotonicRegression().fit(tensor([0.2, 0.6, 0.9]), tensor([0, 1, 1]));
 * const p = r.apply(tensor([0.3, 0.95])); // calibrated probabilities, float64
 * ```
 */
export interface Recalibrator {
  /** The kind of recalibrator. */
  readonly kind: RecalibratorKind;
  /** Whether `fit` (or `fromJSON`) has set the parameters. */
  readonly fitted: boolean;
  /** Fits the map on validation scores and labels; returns this. */
  fit(scores: Tensor, labels: Tensor): this;
  /** Calibrated probabilities of test scores (float64, on the scores' device). */
  apply(scores: Tensor): Tensor;
  /** The options and fitted parameters, as JSON. */
  toJSON(): RecalibratorJSON;
}

/** Options of the binary recalibrators' input reading. */
export interface BinaryScoreOptions {
  /** `"probabilities"` (default) of class 1, or `"logits"`. */
  input?: InputKind;
  /** The clamp of probabilities turned into logits, `logit(clamp(p, eps, 1 - eps))` (default 1e-12). */
  eps?: number;
}

/**
 * Reads binary scores ([N] or [N, 1]): p(y = 1) and its logit, float64 [N], and the labels (int64 [N])
 * when given. Call inside `tidy`.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { binaryScores } from "./recalibrator.ts";
 * tidy(() => binaryScores(tensor([0.5]), null, {}, "demo").z.item()); // 0, the logit of 0.5
 * ```
 */
export function binaryScores(
  scores: Tensor,
  labels: Tensor | null,
  options: BinaryScoreOptions,
  what: string,
): { p: Tensor; z: Tensor; y: Tensor | null } {
  const shape = scores?.shape;
  if (Array.isArray(shape) && shape.length === 2 && shape[1] > 1) {
    throw new RangeError(
      `${what}: this recalibrator is binary and needs scores of shape [N] or [N, 1], got [${shape}]; ` +
        "for a multi-class model use topLabel() (top-label confidence against correctness) or TemperatureScaling",
    );
  }
  const { p, input, eps } = readPreds(scores, { input: options.input, eps: options.eps, model: "sigmoid" }, what);
  const prob = input === "logits" ? p.sigmoid() : p;
  const z = toLogits(p, "sigmoid", input, eps);
  const y = labels === null ? null : checkLabels(labels, p.shape[0], 2, p, what);
  return { p: prob, z, y };
}

/**
 * Throws when `apply` or `toJSON` is called before `fit`.
 *
 * @example
 * ```ts
 * import { checkFitted } from "./recalibrator.ts";
 * checkFitted(true, "demo"); // checkFitted(false, ...) throws
 * ```
 */
export function checkFitted(fitted: boolean, what: string): void {
  if (!fitted) throw new Error(`${what}: not fitted; call fit(scores, labels) on validation data first`);
}
