/**
 * Calibration metrics: how far a model's confidence is from its accuracy.
 *
 * - {@linkcode expectedCalibrationError} (ECE, L1), {@linkcode maximumCalibrationError} (MCE),
 *   {@linkcode rmsCalibrationError} (RMSCE, L2, optionally debiased as Kumar et al. 2019) over
 *   equal-width bins;
 * - {@linkcode adaptiveCalibrationError} (ACE): the L1 error over equal-mass bins;
 * - {@linkcode reliabilityBins}: the per-bin table; {@linkcode calibrationReport}: everything at once.
 *
 * Options (every default is a published convention, because published numbers differ on them):
 * - `nBins` = 15 (Guo et al. 2017, torchmetrics); `binEdges` = `"(lower, upper]"` (Guo et al.'s code;
 *   `"[lower, upper)"` is torchmetrics'), see `binning.ts`;
 * - `input` = `"probabilities"` (or `"logits"`), `model` inferred from the shape (`"sigmoid"` for [N] and
 *   [N, 1], `"softmax"` for [N, C]), `binary` = `"top-label"` (Guo et al.; `"positive"` is torchmetrics'
 *   binary metric), `eps` = 1e-12, see `inputs.ts`.
 *
 * Softmax models are always measured top-label: confidence = max_c p_c against argmax correctness
 * (Guo et al.; torchmetrics' multiclass metric).
 *
 * @module
 */

import { stack } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import {
  type BinEdges,
  binEdgeValues,
  binIndex,
  type BinOptions,
  type BinRow,
  binSums,
  binTable,
  binTableEqualMass,
  checkBinOptions,
  equalMassBins,
} from "./binning.ts";
import { binnedErrors } from "./errors.ts";
import { type BinarySemantics, type InputOptions, type ModelKind, type Prepared, prepareInputs } from "./inputs.ts";
import { brierOf, nllOf } from "./scores.ts";
import { checkBoolean, checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { CALIBRATION_KEYS, RELIABILITY_BIN_KEYS, RMS_KEYS } from "./option_keys.ts";

/** Options of the calibration metrics: how inputs are read, and how they are binned. */
export interface CalibrationOptions extends InputOptions, BinOptions {}

/** Options of {@linkcode rmsCalibrationError}. */
export interface RmsOptions extends CalibrationOptions {
  /** Subtract the per-bin sampling bias (Kumar et al. 2019, torchmetrics' `debias`); default false. */
  debias?: boolean;
}

/** Everything {@linkcode calibrationReport} measures. */
export interface CalibrationReport {
  /** Number of samples. */
  n: number;
  /** Number of classes (2 for sigmoid models). */
  classes: number;
  /** The model kind used. */
  model: ModelKind;
  /** The binary semantics used (`"top-label"` for softmax models). */
  binary: BinarySemantics;
  /** Number of bins. */
  nBins: number;
  /** The bin edge convention. */
  binEdges: BinEdges;
  /** Expected calibration error (L1, equal-width bins). */
  ece: number;
  /** Maximum calibration error (equal-width bins). */
  mce: number;
  /** RMS calibration error (L2, equal-width bins). */
  rmsce: number;
  /** RMS calibration error, debiased (Kumar et al. 2019). */
  rmsceDebiased: number;
  /** Adaptive calibration error (L1, `nBins` equal-mass bins). */
  ace: number;
  /** Mean negative log-likelihood (nats). */
  nll: number;
  /** Mean Brier score. */
  brier: number;
  /** Accuracy. */
  accuracy: number;
  /** The equal-width reliability table. */
  bins: BinRow[];
}

/**
 * Equal-width bin sums [3, nBins] of prepared inputs.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { prepareInputs } from "./inputs.ts";
 * import { equalWidthSums } from "./metrics.ts";
 * tidy(() => equalWidthSums(prepareInputs(tensor([0.2, 0.9]), tensor([0, 1]), {}, "demo"), 15, "(lower, upper]"));
 * ```
 */
export function equalWidthSums(p: Prepared, nBins: number, binEdges: BinEdges): Tensor {
  return binSums(binIndex(p.confidence, nBins, binEdges), p.confidence, p.target, nBins);
}

/**
 * The adaptive (equal-mass) calibration error of prepared inputs, a float64 scalar tensor.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { prepareInputs } from "./inputs.ts";
 * import { aceOf } from "./metrics.ts";
 * tidy(() => aceOf(prepareInputs(tensor([0.2, 0.9]), tensor([0, 1]), {}, "demo"), 2).item()); // 0.15
 * ```
 */
export function aceOf(p: Prepared, nBins: number): Tensor {
  const m = equalMassBins(p.confidence, p.target, nBins);
  return binnedErrors(binSums(m.index, m.confidence, m.target, nBins), p.n).ece;
}

function binned(preds: Tensor, labels: Tensor, options: CalibrationOptions, what: string) {
  const { nBins, binEdges } = checkBinOptions(options, what);
  const p = prepareInputs(preds, labels, options, what);
  return binnedErrors(equalWidthSums(p, nBins, binEdges), p.n);
}

/**
 * Expected calibration error: the sample-weighted mean over equal-width bins of |accuracy - confidence|
 * (Naeini et al. 2015; Guo et al. 2017). In [0, 1]; 0 for perfectly calibrated bins.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { expectedCalibrationError } from "./metrics.ts";
 * const probs = tensor([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]]);
 * expectedCalibrationError(probs, tensor([0, 0, 1]), { nBins: 15 }); // (0.1 + 0.8 + 0.6) / 3 = 0.5
 * ```
 */
export function expectedCalibrationError(preds: Tensor, labels: Tensor, options: CalibrationOptions = {}): number {
  checkOptionsObject("expectedCalibrationError", options);
  checkOptions("expectedCalibrationError", options, CALIBRATION_KEYS);
  return tidy(() => binned(preds, labels, options, "expectedCalibrationError").ece.item());
}

/**
 * Maximum calibration error: the largest |accuracy - confidence| over non-empty equal-width bins
 * (Naeini et al. 2015; torchmetrics' `norm="max"`).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { maximumCalibrationError } from "./metrics.ts";
 * maximumCalibrationError(tensor([0.9, 0.2]), tensor([1, 1]), { binary: "positive" }); // 0.8
 * ```
 */
export function maximumCalibrationError(preds: Tensor, labels: Tensor, options: CalibrationOptions = {}): number {
  checkOptionsObject("maximumCalibrationError", options);
  checkOptions("maximumCalibrationError", options, CALIBRATION_KEYS);
  return tidy(() => binned(preds, labels, options, "maximumCalibrationError").mce.item());
}

/**
 * Root-mean-square calibration error: `sqrt(sum_b (n_b / N) (acc_b - conf_b)^2)` over equal-width bins
 * (torchmetrics' `norm="l2"`). With `debias: true`, Kumar et al. (2019)'s estimate that removes the
 * per-bin sampling variance of the accuracy (it can reach 0 when the bias dominates).
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { rmsCalibrationError } from "./metrics.ts";
 * rmsCalibrationError(tensor([0.9, 0.2]), tensor([1, 1]), { binary: "positive", debias: false });
 * ```
 */
export function rmsCalibrationError(preds: Tensor, labels: Tensor, options: RmsOptions = {}): number {
  checkOptionsObject("rmsCalibrationError", options);
  checkOptions("rmsCalibrationError", options, RMS_KEYS);
  const debias = checkBoolean("rmsCalibrationError", "debias", options.debias ?? false);
  return tidy(() => {
    const e = binned(preds, labels, options, "rmsCalibrationError");
    return (debias ? e.rmsceDebiased : e.rmsce).item();
  });
}

/**
 * Adaptive calibration error: the L1 calibration error over `nBins` equal-mass bins (each holds
 * floor(N / nBins) or one more of the sorted confidences; a stable sort keeps ties in input order), as
 * Mukhoti et al. (2020)'s AdaECE and Nixon et al. (2019)'s adaptive binning applied to the top label (or
 * to p(y = 1) with `binary: "positive"`); not Nixon et al.'s class-wise average. `binEdges` does not
 * apply.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { adaptiveCalibrationError } from "./metrics.ts";
 * adaptiveCalibrationError(tensor([0.9, 0.8, 0.3, 0.1]), tensor([1, 1, 0, 1]), { nBins: 2 });
 * ```
 */
export function adaptiveCalibrationError(preds: Tensor, labels: Tensor, options: CalibrationOptions = {}): number {
  checkOptionsObject("adaptiveCalibrationError", options);
  checkOptions("adaptiveCalibrationError", options, CALIBRATION_KEYS);
  const { nBins } = checkBinOptions(options, "adaptiveCalibrationError");
  return tidy(() => aceOf(prepareInputs(preds, labels, options, "adaptiveCalibrationError"), nBins).item());
}

/**
 * The reliability table: per equal-width bin, its edges, count, mean confidence, accuracy and gap
 * (confidence - accuracy). Empty bins are listed with null statistics. With `equalMass: true`, the
 * non-empty equal-mass bins of the ACE instead.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { reliabilityBins } from "./metrics.ts";
 * const rows = reliabilityBins(tensor([0.9, 0.8, 0.3]), tensor([1, 0, 0]), { nBins: 10 });
 * ```
 */
export function reliabilityBins(
  preds: Tensor,
  labels: Tensor,
  options: CalibrationOptions & { equalMass?: boolean } = {},
): BinRow[] {
  checkOptionsObject("reliabilityBins", options);
  checkOptions("reliabilityBins", options, RELIABILITY_BIN_KEYS);
  const { nBins, binEdges } = checkBinOptions(options, "reliabilityBins");
  return tidy(() => {
    const p = prepareInputs(preds, labels, options, "reliabilityBins");
    if (options.equalMass) {
      const m = equalMassBins(p.confidence, p.target, nBins);
      return binTableEqualMass(binSums(m.index, m.confidence, m.target, nBins), m.confidence);
    }
    return binTable(equalWidthSums(p, nBins, binEdges), binEdgeValues(nBins));
  });
}

/**
 * Every metric at once (one pass over the inputs): ECE, MCE, RMSCE (plain and debiased), ACE, NLL,
 * Brier score, accuracy and the reliability table.
 *
 * @example
 * ```ts
 * import { randn, randint } from "../mod.ts";
 * import { calibrationReport } from "./metrics.ts";
 * const r = calibrationReport(randn([100, 10]).mul(3), randint(0, 10, [100]), { input: "logits" });
 * console.log(r.ece, r.nll, r.accuracy, r.bins.length); // ..., 15
 * ```
 */
export function calibrationReport(preds: Tensor, labels: Tensor, options: CalibrationOptions = {}): CalibrationReport {
  checkOptionsObject("calibrationReport", options);
  checkOptions("calibrationReport", options, CALIBRATION_KEYS);
  const { nBins, binEdges } = checkBinOptions(options, "calibrationReport");
  return tidy(() => {
    const p = prepareInputs(preds, labels, options, "calibrationReport");
    const sums = equalWidthSums(p, nBins, binEdges);
    const e = binnedErrors(sums, p.n);
    const scalars = stack([
      e.ece,
      e.mce,
      e.rmsce,
      e.rmsceDebiased,
      aceOf(p, nBins),
      nllOf(p),
      brierOf(p),
      p.correct.mean(),
    ]);
    // (+ 0 turns a -0 into 0)
    const [ece, mce, rmsce, rmsceDebiased, ace, nll, brier, accuracy] = Array.from(
      scalars.data() as Float64Array,
      (v) => v + 0,
    );
    return {
      n: p.n,
      classes: p.classes,
      model: p.model,
      binary: p.binary,
      nBins,
      binEdges,
      ece,
      mce,
      rmsce,
      rmsceDebiased,
      ace,
      nll,
      brier,
      accuracy,
      bins: binTable(sums, binEdgeValues(nBins)),
    };
  });
}
