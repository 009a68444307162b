/**
 * Binning confidences with tensor operations: equal-width bins (`bucketize` against the edges, then
 * `scatterAdd` of counts, confidences and targets) and equal-mass bins (a stable sort, then bins of
 * consecutive ranks). No per-sample JavaScript.
 *
 * Options and their defaults:
 * - `nBins` (default 15, as Guo et al. 2017 and torchmetrics): the number of bins, an integer >= 1.
 * - `binEdges` (default `"(lower, upper]"`, as Guo et al.'s reference code): which side of a bin is
 *   closed. With `"(lower, upper]"` a confidence of exactly 0 goes to the first bin (Guo et al.'s code
 *   leaves it out of every bin, which only matters for `binary: "positive"`). `"[lower, upper)"` is
 *   torchmetrics' `bucketize(right=True)`, except that a confidence of exactly 1 goes to the last bin
 *   (torchmetrics gives it a bin of its own).
 *
 * The edges are `linspace(0, 1, nBins + 1)` in float64, and confidences are float64.
 *
 * @module
 */

import { callOp } from "../tensor/aten.ts";
import { arange, linspace, onesLike, tensor, zeros } from "../tensor/creation.ts";
import { bucketize, stack } from "../tensor/functions.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { describe } from "../tensor/checks.ts";

/** Which side of each equal-width bin is closed. */
export type BinEdges = "(lower, upper]" | "[lower, upper)";

/** Options of the binned metrics. */
export interface BinOptions {
  /** Number of bins, an integer >= 1 (default 15, as Guo et al. and torchmetrics). */
  nBins?: number;
  /** `"(lower, upper]"` (default, Guo et al.'s code) or `"[lower, upper)"` (torchmetrics). */
  binEdges?: BinEdges;
}

/** One bin of a reliability table. Empty bins have `null` statistics (never NaN). */
export interface BinRow {
  /** Index of the bin, from 0. */
  bin: number;
  /** Lower edge (equal-mass bins: the smallest confidence in the bin). */
  lower: number;
  /** Upper edge (equal-mass bins: the largest confidence in the bin). */
  upper: number;
  /** Number of samples in the bin. */
  count: number;
  /** Mean confidence in the bin, or null when empty. */
  confidence: number | null;
  /**
   * Mean target in the bin: the accuracy (fraction of right predictions), or for `binary: "positive"`
   * the observed frequency of class 1. Null when empty.
   */
  accuracy: number | null;
  /** `confidence - accuracy` (positive: over-confident), or null when empty. */
  gap: number | null;
}

/**
 * Checks `nBins` and `binEdges`; returns them resolved.
 *
 * @example
 * ```ts
 * import { checkBinOptions } from "./binning.ts";
 * checkBinOptions({}, "demo"); // { nBins: 15, binEdges: "(lower, upper]" }
 * ```
 */
export function checkBinOptions(options: BinOptions, what: string): { nBins: number; binEdges: BinEdges } {
  const nBins = options.nBins ?? 15;
  if (typeof nBins !== "number" || !Number.isInteger(nBins) || nBins < 1) {
    throw new RangeError(`${what}: nBins must be an integer >= 1, got ${describe(nBins)}`);
  }
  if (nBins > 1_000_000) throw new RangeError(`${what}: nBins must be at most 1e6, got ${describe(nBins)}`);
  const binEdges = options.binEdges ?? "(lower, upper]";
  if (binEdges !== "(lower, upper]" && binEdges !== "[lower, upper)") {
    throw new TypeError(
      `${what}: binEdges must be "(lower, upper]" or "[lower, upper)", got ${describe(binEdges)}`,
    );
  }
  return { nBins, binEdges };
}

/**
 * The bin edges `linspace(0, 1, nBins + 1)` as JS numbers (float64).
 *
 * @example
 * ```ts
 * import { binEdgeValues } from "./binning.ts";
 * binEdgeValues(4); // [0, 0.25, 0.5, 0.75, 1]
 * ```
 */
export function binEdgeValues(nBins: number): number[] {
  const t = linspace(0, 1, nBins + 1, { dtype: "float64" });
  try {
    return Array.from(t.data() as Float64Array);
  } finally {
    t.dispose();
  }
}

/**
 * The equal-width bin (0..nBins-1) of each confidence in [0, 1], int64 like `confidence`'s shape.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { binIndex } from "./binning.ts";
 * binIndex(tensor([0, 0.5, 0.6, 1], { dtype: "float64" }), 2, "(lower, upper]"); // [0, 0, 1, 1]
 * ```
 */
export function binIndex(confidence: Tensor, nBins: number, binEdges: BinEdges): Tensor {
  const edges = linspace(0, 1, nBins + 1, { dtype: "float64", device: confidence.device });
  const interior = edges.slice(0, 1, nBins);
  return bucketize(confidence, interior, { right: binEdges === "[lower, upper)" });
}

/**
 * Sums per bin along the last dimension: a [..., 3, nBins] float64 tensor of counts, confidence sums and
 * target sums. `index`, `confidence` and `target` have the same shape [..., N].
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { binSums } from "./binning.ts";
 * const c = tensor([0.2, 0.9], { dtype: "float64" }), y = tensor([0, 1], { dtype: "float64" });
 * binSums(tensor([0, 1]), c, y, 2); // [[1, 1], [0.2, 0.9], [0, 1]]
 * ```
 */
export function binSums(index: Tensor, confidence: Tensor, target: Tensor, nBins: number): Tensor {
  const lead = confidence.shape.slice(0, -1);
  const src = stack([onesLike(confidence, { dtype: "float64" }), confidence, target], -2); // [..., 3, N]
  const idx = index.unsqueeze(-2).expand([...lead, 3, index.shape[index.ndim - 1]]);
  const out = zeros([...lead, 3, nBins], { dtype: "float64", device: confidence.device });
  return out.scatterAdd(-1, idx, src);
}

/**
 * The equal-mass bin of each sample: confidences sorted (stable), then ranks split into `nBins` groups of
 * sizes differing by at most one, the larger ones first (as `numpy.array_split`). Returns the sorted
 * confidences and targets and the bin of each sorted position. With fewer samples than bins, the last
 * bins are empty.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { equalMassBins } from "./binning.ts";
 * const c = tensor([0.9, 0.1, 0.5], { dtype: "float64" }), y = tensor([1, 0, 1], { dtype: "float64" });
 * equalMassBins(c, y, 2).index; // [0, 0, 1]: {0.1, 0.5} and {0.9}
 * ```
 */
export function equalMassBins(
  confidence: Tensor,
  target: Tensor,
  nBins: number,
): { confidence: Tensor; target: Tensor; index: Tensor } {
  const n = confidence.shape[0];
  const [sorted, order] = callOp("aten::sort", confidence, { stable: true, dim: 0, descending: false }) as Tensor[];
  const t = target.index([order]);
  const q = Math.floor(n / nBins), rem = n % nBins;
  const r = arange(n, { dtype: "int64", device: confidence.device });
  let index: Tensor;
  if (q === 0) index = r;
  else {
    const cut = rem * (q + 1);
    const big = r.div(q + 1, { roundingMode: "floor" });
    const small = r.sub(cut).div(q, { roundingMode: "floor" }).add(rem);
    index = small.where(r.ge(cut), big);
  }
  return { confidence: sorted, target: t, index };
}

/**
 * The reliability table of equal-width bins from sums ([3, nBins], see {@linkcode binSums}).
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { binEdgeValues, binIndex, binSums, binTable } from "./binning.ts";
 * const rows = tidy(() => {
 *   const c = tensor([0.1, 0.9], { dtype: "float64" }), y = tensor([0, 1], { dtype: "float64" });
 *   return binTable(binSums(binIndex(c, 2, "(lower, upper]"), c, y, 2), binEdgeValues(2));
 * }); // [{ bin: 0, count: 1, confidence: 0.1, accuracy: 0, ... }, { bin: 1, ... }]
 * ```
 */
export function binTable(sums: Tensor, edges: number[]): BinRow[] {
  const nBins = sums.shape[sums.ndim - 1];
  const d = sums.to({ dtype: "float64" }).contiguous().data() as Float64Array;
  const rows: BinRow[] = [];
  for (let b = 0; b < nBins; b++) {
    rows.push(row(b, edges[b], edges[b + 1], d[b], d[nBins + b], d[2 * nBins + b]));
  }
  return rows;
}

/**
 * The sizes of the equal-mass bins of `n` samples (the larger first, as `numpy.array_split`).
 *
 * @example
 * ```ts
 * import { equalMassSizes } from "./binning.ts";
 * equalMassSizes(7, 3); // [3, 2, 2]
 * ```
 */
export function equalMassSizes(n: number, nBins: number): number[] {
  const q = Math.floor(n / nBins), rem = n % nBins;
  return Array.from({ length: nBins }, (_, b) => (b < rem ? q + 1 : q));
}

/**
 * The reliability table of equal-mass bins (non-empty ones only), from sums ([3, nBins]) and the sorted
 * confidences: each bin's edges are its smallest and largest confidence.
 *
 * @example
 * ```ts
 * import { tensor, tidy } from "../mod.ts";
 * import { binSums, binTableEqualMass, equalMassBins } from "./binning.ts";
 * const rows = tidy(() => {
 *   const m = equalMassBins(tensor([0.9, 0.1, 0.5], { dtype: "float64" }), tensor([1, 0, 1], { dtype: "float64" }), 2);
 *   return binTableEqualMass(binSums(m.index, m.confidence, m.target, 2), m.confidence);
 * }); // bins [0.1, 0.5] and [0.9, 0.9]
 * ```
 */
export function binTableEqualMass(sums: Tensor, sortedConfidence: Tensor): BinRow[] {
  const nBins = sums.shape[sums.ndim - 1];
  const sizes = equalMassSizes(sortedConfidence.shape[0], nBins).filter((s) => s > 0);
  const first: number[] = [], last: number[] = [];
  let at = 0;
  for (const s of sizes) {
    first.push(at);
    last.push(at + s - 1);
    at += s;
  }
  const pos = tensor([...first, ...last], { dtype: "int64", device: sortedConfidence.device });
  const ends = sortedConfidence.indexSelect(0, pos).data() as Float64Array;
  const d = sums.contiguous().data() as Float64Array;
  return sizes.map((_, b) => row(b, ends[b], ends[sizes.length + b], d[b], d[nBins + b], d[2 * nBins + b]));
}

function row(bin: number, lower: number, upper: number, count: number, sc: number, st: number): BinRow {
  if (count === 0) return { bin, lower, upper, count: 0, confidence: null, accuracy: null, gap: null };
  const confidence = sc / count, accuracy = st / count;
  return { bin, lower, upper, count, confidence, accuracy, gap: confidence - accuracy };
}
