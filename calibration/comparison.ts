/**
 * Calibration before and after temperature scaling, side by side: every metric of `calibrationReport`
 * and the ECE's bootstrap interval for the uncalibrated predictions and for the same predictions with
 * the temperature applied. The result prints as a text table, writes itself as Markdown, and shows as an
 * HTML table in Deno's Jupyter kernel (see `display.ts`).
 *
 * @module
 */

import type { Tensor } from "../tensor/tensor.ts";
import { tidy } from "../tensor/memory.ts";
import { type BootstrapInterval, eceBootstrap } from "./bootstrap.ts";
import { calibrationComparisonBundle, comparisonMarkdown, comparisonText } from "./display.ts";
import { type CalibrationOptions, type CalibrationReport, calibrationReport } from "./metrics.ts";
import { scaledLogits } from "./temperature.ts";

/** One column of a {@linkcode CalibrationComparison}. */
export interface ComparisonColumn {
  /** The column's heading ("uncalibrated (T = 1)"). */
  name: string;
  /** The temperature applied. */
  temperature: number;
  /** Every metric. */
  report: CalibrationReport;
  /** The ECE's bootstrap interval. */
  eceInterval: BootstrapInterval;
}

/** Options of {@linkcode compareCalibration}. */
export interface ComparisonOptions extends CalibrationOptions {
  /** Bootstrap resamples for the ECE intervals (default 1000). */
  resamples?: number;
  /** Coverage of the intervals (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
}

/** Metrics before and after temperature scaling, with a text, Markdown and rich notebook rendering. */
export class CalibrationComparison {
  /** The columns, uncalibrated first. */
  readonly columns: readonly ComparisonColumn[];

  /** A comparison of the given columns. */
  constructor(columns: readonly ComparisonColumn[]) {
    const isColumn = (c: unknown) =>
      c !== null && typeof c === "object" && typeof (c as ComparisonColumn).name === "string" &&
      typeof (c as ComparisonColumn).temperature === "number" && (c as ComparisonColumn).report !== null &&
      typeof (c as ComparisonColumn).report === "object";
    if (!Array.isArray(columns) || columns.length === 0 || !columns.every(isColumn)) {
      throw new TypeError(
        "CalibrationComparison: columns must be a non-empty array of { name, temperature, report } " +
          "(compareCalibration() makes one)",
      );
    }
    this.columns = columns;
  }

  /** A text table. */
  toString(): string {
    return comparisonText(this);
  }

  /** A Markdown table (as `report.md` holds). */
  toMarkdown(): string {
    return comparisonMarkdown(this);
  }

  /** Deno's `console.log` rendering. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Rich display in Deno's Jupyter kernel: an HTML table. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return calibrationComparisonBundle(this);
  }
}

/**
 * Measures `preds` against `labels` as they are (T = 1) and with `temperature` applied (logits divided
 * by T), with the ECE's seeded bootstrap interval for each.
 *
 * @example
 * ```ts
 * import { randint, randn } from "../mod.ts";
 * import { compareCalibration, fitTemperature } from "./mod.ts";
 * const logits = randn([1000, 10]).mul(4), labels = randint(0, 10, [1000]);
 * const { temperature } = fitTemperature(logits, labels, { input: "logits", onFailure: "warn" });
 * const table = compareCalibration(logits, labels, temperature, { input: "logits", nBins: 10 });
 * console.log(table.toString());
 * ```
 */
export function compareCalibration(
  preds: Tensor,
  labels: Tensor,
  temperature: number,
  options: ComparisonOptions = {},
): CalibrationComparison {
  const { resamples, level, seed, ...metricOptions } = options;
  const boot = { ...metricOptions, resamples, level, seed };
  const column = (name: string, t: number, x: Tensor, o: CalibrationOptions): ComparisonColumn => ({
    name,
    temperature: t,
    report: calibrationReport(x, labels, o),
    eceInterval: eceBootstrap(x, labels, { ...boot, ...o }),
  });
  const before = column("uncalibrated (T = 1)", 1, preds, metricOptions);
  const after = tidy(() => {
    const z = scaledLogits(preds, temperature, { input: options.input, model: options.model, eps: options.eps });
    return column(`temperature-scaled (T = ${temperature.toFixed(3)})`, temperature, z, {
      ...metricOptions,
      input: "logits",
    });
  });
  return new CalibrationComparison([before, after]);
}
