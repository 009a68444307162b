/**
 * Histogram binning (Zadrozny & Elkan 2001): equal-width bins of the validation probabilities p(y = 1);
 * each bin's calibrated probability is the fraction of positives among its validation samples. `apply`
 * maps a test probability to its bin's value (`bucketize`, then a lookup: tensor operations).
 *
 * Options:
 * - `nBins` (default 15, the metrics' default) and `binEdges` (default `"(lower, upper]"`), as in
 *   `binning.ts`;
 * - `emptyBins` (default `"center"`): the value of a bin without validation samples: its center
 *   ((lower + upper) / 2, i.e. trust the model's own confidence there), or `"prior"`: the overall
 *   fraction of positives;
 * - `input` (default `"probabilities"`) and `eps`, see `recalibrator.ts`.
 *
 * For a multi-class model, fit it on `topLabel()` (top-label confidence against correctness).
 *
 * @module
 */

import { tensor } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { type BinEdges, binEdgeValues, binIndex, type BinOptions, binSums, checkBinOptions } from "./binning.ts";
import {
  type BinaryScoreOptions,
  binaryScores,
  checkFitted,
  type Recalibrator,
  type RecalibratorJSON,
} from "./recalibrator.ts";
import { checkOptionsObject, describe } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { HISTOGRAM_KEYS } from "./option_keys.ts";

/** Options of {@linkcode HistogramBinning}. */
export interface HistogramBinningOptions extends BinaryScoreOptions, BinOptions {
  /** The value of empty bins: `"center"` (default) or `"prior"`. */
  emptyBins?: "center" | "prior";
}

/** Histogram binning as JSON. */
export interface HistogramJSON extends RecalibratorJSON {
  kind: "histogram";
  nBins: number;
  binEdges: BinEdges;
  emptyBins: "center" | "prior";
  input: "logits" | "probabilities";
  eps: number;
  /** The calibrated probability of each bin. */
  values: number[];
  /** The validation samples in each bin. */
  counts: number[];
}

/**
 * Histogram binning of a binary model's probabilities.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { HistogramBinning } from "./histogram_binning.ts";
 * const hb = new HistogramBinning({ nBins: 2 }).fit(tensor([0.1, 0.2, 0.7, 0.9]), tensor([0, 1, 1, 1]));
 * hb.apply(tensor([0.3, 0.8])); // [0.5, 1]
 * ```
 */
export class HistogramBinning implements Recalibrator {
  readonly kind = "histogram" as const;
  /** The calibrated probability of each bin (empty before `fit`). */
  values: number[] = [];
  /** The validation samples in each bin. */
  counts: number[] = [];
  readonly #nBins: number;
  readonly #binEdges: BinEdges;
  readonly #emptyBins: "center" | "prior";

  constructor(readonly options: HistogramBinningOptions = {}) {
    checkOptionsObject("HistogramBinning", options);
    checkOptions("HistogramBinning", options, HISTOGRAM_KEYS);
    const { nBins, binEdges } = checkBinOptions(options, "HistogramBinning");
    this.#nBins = nBins;
    this.#binEdges = binEdges;
    const e = options.emptyBins ?? "center";
    if (e !== "center" && e !== "prior") {
      throw new TypeError(`HistogramBinning: emptyBins must be "center" or "prior", got ${describe(e)}`);
    }
    this.#emptyBins = e;
  }

  get fitted(): boolean {
    return this.values.length === this.#nBins;
  }

  /** Fits the per-bin frequencies on validation scores and 0/1 labels. */
  fit(scores: Tensor, labels: Tensor): this {
    const what = "HistogramBinning.fit";
    const nBins = this.#nBins;
    const d = tidy(() => {
      const { p, y } = binaryScores(scores, labels, this.options, what);
      const yf = y!.to({ dtype: "float64" });
      return binSums(binIndex(p, nBins, this.#binEdges), p, yf, nBins).data() as Float64Array;
    });
    const edges = binEdgeValues(nBins);
    const n = d.subarray(0, nBins).reduce((s, c) => s + c, 0);
    const prior = d.subarray(2 * nBins).reduce((s, c) => s + c, 0) / n;
    this.counts = Array.from(d.subarray(0, nBins));
    this.values = this.counts.map((c, b) =>
      c > 0 ? d[2 * nBins + b] / c : this.#emptyBins === "prior" ? prior : (edges[b] + edges[b + 1]) / 2
    );
    return this;
  }

  /** The value of each test probability's bin, float64 [N]. */
  apply(scores: Tensor): Tensor {
    const what = "HistogramBinning.apply";
    checkFitted(this.fitted, what);
    return tidy(() => {
      const { p } = binaryScores(scores, null, this.options, what);
      const values = tensor(this.values, { dtype: "float64", device: p.device });
      return values.index([binIndex(p, this.#nBins, this.#binEdges)]);
    });
  }

  toJSON(): HistogramJSON {
    checkFitted(this.fitted, "HistogramBinning.toJSON");
    return {
      kind: "histogram",
      nBins: this.#nBins,
      binEdges: this.#binEdges,
      emptyBins: this.#emptyBins,
      input: this.options.input ?? "probabilities",
      eps: this.options.eps ?? 1e-12,
      values: [...this.values],
      counts: [...this.counts],
    };
  }

  /** A fitted HistogramBinning from {@linkcode HistogramBinning.toJSON}'s output. */
  static fromJSON(json: HistogramJSON): HistogramBinning {
    if (json?.kind !== "histogram") throw new TypeError(`HistogramBinning.fromJSON: kind is ${json?.kind}`);
    const h = new HistogramBinning({
      nBins: json.nBins,
      binEdges: json.binEdges,
      emptyBins: json.emptyBins,
      input: json.input,
      eps: json.eps,
    });
    if (
      !Array.isArray(json.values) || json.values.length !== json.nBins || !json.values.every((v) => v >= 0 && v <= 1)
    ) {
      throw new RangeError(`HistogramBinning.fromJSON: values must be ${json.nBins} probabilities`);
    }
    h.values = [...json.values];
    h.counts = Array.isArray(json.counts) ? [...json.counts] : [];
    return h;
  }
}
