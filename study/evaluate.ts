/**
 * Evaluation: logits over a dataset in evaluation mode, and the calibration analysis of the study:
 * accuracy, top-label and positive-class ECE/MCE, NLL and Brier on the test split before and after
 * temperature scaling (T fitted on the validation part), and a sweep of temperatures.
 *
 * @module
 */

import type { ImageDataset, Transform } from "../datasets/mod.ts";
import {
  type BinRow,
  type BootstrapInterval,
  calibrationReport,
  defaultTemperatureGrid,
  eceBootstrap,
  expectedCalibrationError,
  fitTemperature,
  maximumCalibrationError,
  type TemperatureFit,
  temperatureSweep,
} from "../calibration/mod.ts";
import { binaryCrossEntropyWithLogits } from "../nn/mod.ts";
import { noGrad } from "../tensor/autograd.ts";
import { cat } from "../tensor/functions.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { ProgressBar } from "../datasets/progress.ts";

/**
 * The logits `[N]` (float32, on the CPU) of `forward` over `dataset`, in batches, without gradients
 * (with `keepShape`, whatever `forward` returns, concatenated). The caller sets evaluation mode.
 */
export function predictLogits(
  forward: (x: Tensor) => Tensor,
  dataset: ImageDataset,
  options: { transform?: Transform; batchSize: number; label?: string; progress?: boolean; keepShape?: boolean },
): Tensor {
  const n = dataset.length;
  const parts: Tensor[] = [];
  const steps = Math.ceil(n / options.batchSize);
  const bar = options.label
    ? new ProgressBar({
      label: options.label,
      total: steps,
      unit: "img",
      logLines: 4,
      enabled: options.progress ?? true,
    })
    : null;
  try {
    for (let start = 0, step = 1; start < n; start += options.batchSize, step++) {
      const size = Math.min(options.batchSize, n - start);
      parts.push(tidy(() =>
        noGrad(() => {
          let x = dataset.images.narrow(0, start, size);
          if (options.transform) x = options.transform(x);
          const y = forward(x);
          return options.keepShape ? y.to({ device: "cpu" }) : y.to({ device: "cpu", dtype: "float32" });
        })
      ));
      bar?.update(step, size);
    }
    bar?.finish();
    return tidy(() => cat(parts));
  } finally {
    for (const p of parts) p.dispose();
  }
}

/** Mean BCE loss and accuracy of logits against 0/1 labels. */
export function lossAndAccuracy(logits: Tensor, labels: Tensor): { loss: number; accuracy: number } {
  return tidy(() => {
    const y = labels.to({ dtype: "float32", device: logits.device });
    return {
      loss: binaryCrossEntropyWithLogits(logits, y).item(),
      accuracy: logits.gt(0).eq(y.gt(0.5)).float().mean().item(),
    };
  });
}

/** The figures of the study for one set of predictions. */
export interface Metrics {
  /** Accuracy. */
  accuracy: number;
  /** Mean negative log-likelihood (nats). */
  nll: number;
  /** Mean Brier score. */
  brier: number;
  /** Top-label ECE (Guo et al.: confidence max(p, 1 - p) against correctness). */
  eceTopLabel: number;
  /** The top-label ECE's 95% bootstrap interval (1000 resamples, seed 0). */
  eceInterval: BootstrapInterval;
  /** Top-label MCE. */
  mceTopLabel: number;
  /** Positive-class ECE (torchmetrics' binary: p(y = 1) against the frequency of class 1). */
  ecePositive: number;
  /** Positive-class MCE. */
  mcePositive: number;
  /** Top-label RMS calibration error. */
  rmsce: number;
  /** Top-label adaptive calibration error (equal-mass bins). */
  ace: number;
  /** The top-label reliability table. */
  bins: BinRow[];
}

/** The study's metrics of binary logits `[N]` against labels, with `nBins` equal-width `(lower, upper]` bins. */
export function metricsOf(logits: Tensor, labels: Tensor, nBins: number): Metrics {
  const options = { input: "logits" as const, nBins };
  const r = calibrationReport(logits, labels, { ...options, binary: "top-label" });
  return {
    accuracy: r.accuracy,
    nll: r.nll,
    brier: r.brier,
    eceTopLabel: r.ece,
    eceInterval: eceBootstrap(logits, labels, { ...options, binary: "top-label", resamples: 1000, seed: 0 }),
    mceTopLabel: r.mce,
    ecePositive: expectedCalibrationError(logits, labels, { ...options, binary: "positive" }),
    mcePositive: maximumCalibrationError(logits, labels, { ...options, binary: "positive" }),
    rmsce: r.rmsce,
    ace: r.ace,
    bins: r.bins,
  };
}

/** One temperature of the sweep on the test split. */
export interface SweepRow {
  /** The temperature. */
  temperature: number;
  /** Top-label ECE. */
  ece: number;
  /** Mean NLL. */
  nll: number;
  /** The top-label reliability table. */
  bins: BinRow[];
}

/** The calibration analysis. */
export interface CalibrationStudy {
  /** Bins and conventions, in words. */
  binning: string;
  /** Test metrics of the uncalibrated model (T = 1). */
  before: Metrics;
  /** Test metrics with the fitted temperature. */
  after: Metrics;
  /** The temperature fit on the validation part. */
  temperature: TemperatureFit;
  /** Every temperature tried on the test split (the grid and the fitted T), in increasing order. */
  sweep: SweepRow[];
  /** The grid temperature with the lowest test ECE (for reference; the fitted T is the one applied). */
  lowestEceT: number;
}

/**
 * Fits T on the validation logits (Newton on log T, minimum NLL) and evaluates the test logits before and
 * after, and at every temperature of a grid (2^(k/4), k = -8..8) plus the fitted T.
 */
export function calibrationStudy(
  val: { logits: Tensor; labels: Tensor },
  test: { logits: Tensor; labels: Tensor },
  nBins: number,
): CalibrationStudy {
  const temperature = fitTemperature(val.logits, val.labels, { input: "logits", onFailure: "warn" });
  const T = temperature.temperature;
  const before = metricsOf(test.logits, test.labels, nBins);
  const after = tidy(() => metricsOf(test.logits.div(T), test.labels, nBins));
  const grid = defaultTemperatureGrid();
  if (!grid.some((t) => Math.abs(t - T) <= 1e-12 * t)) grid.push(T);
  const sweep = temperatureSweep(test.logits, test.labels, {
    input: "logits",
    binary: "top-label",
    nBins,
    temperatures: grid,
    includeFitted: false,
  });
  const rows = sweep.points.map((p) => ({ temperature: p.temperature, ece: p.ece, nll: p.nll, bins: p.bins }));
  const lowest = rows.filter((r) => grid.includes(r.temperature)).reduce((a, b) => (b.ece < a.ece ? b : a));
  return {
    binning: `${nBins} equal-width bins, edges (lower, upper]`,
    before,
    after,
    temperature,
    sweep: rows,
    lowestEceT: lowest.temperature,
  };
}
