/**
 * The run's outputs: `report.json` (everything measured), `report.md` (a short summary a person reads:
 * the before/after table and the pictures), and the figures (reliability diagrams before and after
 * temperature scaling, the overlay of every temperature tried, and the training curves) as SVG, and as PNG
 * too with `--png`. The figures' specs are made here ({@linkcode trainingFigures},
 * {@linkcode calibrationFigures}); `figures.ts` renders them in a worker. Every file is written atomically.
 *
 * @module
 */

import { join } from "node:path";
import {
  percent,
  reliabilityDiagram,
  reliabilityGrid,
  reliabilityOverlay,
  type VegaLiteSpec,
} from "../calibration/diagram.ts";
import { lineChart } from "../calibration/line_chart.ts";
import { writeFileAtomic } from "../util/fs.ts";
import type { EpochRecord } from "./checkpoint.ts";
import type { KernelInfo } from "../ffi/kernels.ts";
import type { CalibrationStudy, Metrics } from "./evaluate.ts";

/** Everything a report holds. */
export interface Report {
  /** The task (`lenet`, `densenet`). */
  task: string;
  /** A title (`LeNet-5, CIFAR-10 bird vs cat`). */
  title: string;
  /** When the run finished (ISO time). */
  finishedAt: string;
  /** The configuration (flags). */
  config: Record<string, unknown>;
  /** Versions, device, threads. */
  environment: Record<string, unknown>;
  /** Data: folder, counts, normalisation, label map. */
  data: Record<string, unknown>;
  /** Model: description, parameter counts. */
  model: Record<string, unknown>;
  /** Training: history and per-step losses. */
  training: { history: EpochRecord[]; stepLosses: number[]; resumed: boolean };
  /** The calibration analysis. */
  calibration: CalibrationStudy;
  /** The study's published figures for comparison, and what they were measured with. */
  reference: { text: string };
  /** Seconds per phase. */
  timings: Record<string, number>;
  /** The process's resident memory in MiB (Linux; null elsewhere): its peak, once the data was loaded, at the end. */
  memory?: { peakMiB: number; afterLoadMiB: number | null; atEndMiB: number } | null;
  /** Output files, relative to the run folder (the figures without their extension). */
  files: Record<string, string>;
  /** The figures' formats: `["svg"]`, or `["svg", "png"]` (also when absent, as before `--png`). */
  figureFormats?: readonly ("svg" | "png")[];
}

const f4 = (x: number) => x.toFixed(4);

function table(c: CalibrationStudy): string {
  const T = c.temperature.temperature;
  const rows: [string, (m: Metrics) => number][] = [
    ["accuracy", (m) => m.accuracy],
    ["top-label ECE", (m) => m.eceTopLabel],
    ["top-label MCE", (m) => m.mceTopLabel],
    ["positive-class ECE", (m) => m.ecePositive],
    ["adaptive CE (equal-mass)", (m) => m.ace],
    ["NLL", (m) => m.nll],
    ["Brier", (m) => m.brier],
  ];
  const ci = (m: Metrics) => `[${f4(m.eceInterval.lower)}, ${f4(m.eceInterval.upper)}]`;
  const lines = rows.map(([name, get]) => `| ${name} | ${f4(get(c.before))} | ${f4(get(c.after))} |`);
  lines.splice(2, 0, `| top-label ECE, 95% bootstrap CI | ${ci(c.before)} | ${ci(c.after)} |`);
  return [
    `| test split, ${c.binning} | uncalibrated (T = 1) | temperature-scaled (T = ${T.toFixed(3)}) |`,
    "| --- | --- | --- |",
    ...lines,
  ].join("\n");
}

/** The kernel settings in one phrase: what decides the last bits, so that two reports can be compared. */
export function kernelsLine(k: KernelInfo | undefined): string {
  if (k === undefined) return "";
  return `${k.cpu.model} (${k.cpu.flags.filter((f) => f.startsWith("avx")).join(" ") || "no AVX"}), kernel profile ${
    k.profile ?? "native"
  }, ATen capability ${k.capability}, oneDNN ${k.mkldnn ? k.onednnIsa : "off"}, BLAS ${k.blas.vendor}` +
    `${k.blas.threads > 0 ? ` (${k.blas.threads} thread(s))` : ""}, `;
}

function eceWithInterval(m: Metrics): string {
  return `${percent(m.eceTopLabel)} (CI ${percent(m.eceInterval.lower)} to ${percent(m.eceInterval.upper)})`;
}

/** The Markdown summary. */
export function markdownReport(r: Report): string {
  const c = r.calibration;
  const h = r.training.history;
  const last = h[h.length - 1];
  const env = r.environment;
  const fit = c.temperature;
  const ext = (r.figureFormats ?? ["svg", "png"]).includes("png") ? "png" : "svg";
  const lines = [
    `# ${r.title}`,
    "",
    `Finished ${r.finishedAt} on ${env.device} (${env.threads} thread(s)), LibTorch ${env.libtorch}, ` +
    `${kernelsLine(env.kernels as KernelInfo | undefined)}` +
    `seed ${r.config.seed}. ${h.length} epoch(s) of training in ${r.timings.train?.toFixed(1)} s` +
    (r.training.resumed ? " (resumed from a checkpoint)" : "") + `; whole run ${r.timings.total?.toFixed(1)} s` +
    (r.memory
      ? `, peak memory ${r.memory.peakMiB.toFixed(0)} MiB resident` +
        (r.memory.afterLoadMiB === null ? "" : ` (${r.memory.afterLoadMiB.toFixed(0)} MiB once the data was loaded)`)
      : "") +
    ".",
    "",
    `Data: ${r.data.description}.`,
    `Model: ${r.model.description} (${r.model.trainableParameters} trainable of ${r.model.parameters} parameters).`,
    last
      ? `Last epoch: training loss ${f4(last.loss)}, accuracy ${last.accuracy.toFixed(3)}; validation loss ${
        f4(last.valLoss)
      }, accuracy ${last.valAccuracy.toFixed(3)}.`
      : "",
    "",
    "## Calibration before and after temperature scaling",
    "",
    table(c),
    "",
    `T was fitted on the validation part (minimum NLL, Newton on log T): T = ${fit.temperature.toFixed(4)}, ` +
    `validation NLL ${f4(fit.nllAtOne)} -> ${f4(fit.nll)}, ${fit.converged ? "converged" : "NOT converged"} ` +
    `(${fit.reason}, ${fit.iterations} evaluations). Accuracy is unchanged by construction ` +
    `(${f4(c.before.accuracy)} -> ${f4(c.after.accuracy)}).`,
    `Top-label ECE ${eceWithInterval(c.before)} before and ${eceWithInterval(c.after)} after temperature scaling ` +
    `(95% percentile bootstrap intervals over the ${c.before.bins.reduce((s, b) => s + b.count, 0)} test images, ` +
    `1000 resamples, seed 0).`,
    `Of the ${c.sweep.length} temperatures tried on the test split, T = ${c.lowestEceT.toFixed(3)} has the lowest ECE.`,
    "",
    `Reference: ${r.reference.text}`,
    "",
    "## Figures",
    "",
    "| uncalibrated | temperature-scaled |",
    "| --- | --- |",
    `| ![uncalibrated](${r.files.reliabilityBefore}.${ext}) | ![calibrated](${r.files.reliabilityAfter}.${ext}) |`,
    "",
    `![every temperature tried: uncalibrated in blue, fitted in red, the others coloured by T](${r.files.reliabilityOverlay}.${ext})`,
    "",
    `![a reliability diagram for every temperature tried](${r.files.reliabilityGrid}.${ext})`,
    "",
    `![training curves](${r.files.trainingCurves}.${ext})`,
    "",
    "## Temperatures tried (test split)",
    "",
    "| T | top-label ECE | NLL |",
    "| --- | --- | --- |",
    ...c.sweep.map((s) =>
      `| ${s.temperature.toFixed(3)}${Math.abs(s.temperature - fit.temperature) < 1e-12 ? " (fitted)" : ""} | ${
        f4(s.ece)
      } | ${f4(s.nll)} |`
    ),
    "",
    "## Files",
    "",
    ...Object.entries(r.files).map(([k, v]) => `- ${k}: \`${v}\``),
    "",
  ];
  return lines.join("\n");
}

/** A figure of the run: its path in the run folder without the extension, and its Vega-Lite spec. */
export interface Figure {
  /** Relative to the run folder, without extension (`reliability_uncalibrated`). */
  file: string;
  /** The chart. */
  spec: VegaLiteSpec;
}

/** The short name of a task's title for figure titles (`LeNet-5` of `LeNet-5, CIFAR-10 bird vs cat`). */
function shortTitle(title: string): string {
  return title.split(",")[0];
}

/** The training curves (losses and accuracies per epoch), or nothing when no epoch ran. */
export function trainingFigures(title: string, history: EpochRecord[], files: Record<string, string>): Figure[] {
  if (history.length === 0) return [];
  return [{
    file: files.trainingCurves,
    spec: lineChart([
      { name: "training loss", y: history.map((e) => e.loss) },
      { name: "validation loss", y: history.map((e) => e.valLoss) },
      { name: "training accuracy", y: history.map((e) => e.accuracy) },
      { name: "validation accuracy", y: history.map((e) => e.valAccuracy) },
    ], { title: `${shortTitle(title)}: training`, yTitle: "Loss / accuracy" }),
  }];
}

/**
 * The reliability diagrams before and after temperature scaling, the overlay of every temperature tried,
 * and (when `files.reliabilityGrid` is set) a diagram for each of them.
 */
export function calibrationFigures(title: string, c: CalibrationStudy, files: Record<string, string>): Figure[] {
  const T = c.temperature.temperature;
  const short = shortTitle(title);
  // binary top-label confidence is max(p, 1 - p) >= 0.5: only that half of the axis is drawn
  const xDomain = [0.5, 1] as const;
  const curves = c.sweep.map((s) => ({ temperature: s.temperature, bins: s.bins, ece: s.ece }));
  const figures: Figure[] = [
    {
      file: files.reliabilityBefore,
      spec: reliabilityDiagram(c.before.bins, {
        title: `${short}: uncalibrated (T = 1)`,
        ece: c.before.eceTopLabel,
        eceInterval: c.before.eceInterval,
        xDomain,
      }),
    },
    {
      file: files.reliabilityAfter,
      spec: reliabilityDiagram(c.after.bins, {
        title: `${short}: temperature-scaled (fitted T = ${T.toFixed(3)})`,
        ece: c.after.eceTopLabel,
        eceInterval: c.after.eceInterval,
        xDomain,
      }),
    },
    {
      file: files.reliabilityOverlay,
      spec: reliabilityOverlay(curves, {
        initialT: 1,
        bestT: T,
        bestName: "fitted",
        xDomain,
        title: `${short}: reliability at every temperature tried (test split)`,
      }),
    },
  ];
  if (files.reliabilityGrid) {
    figures.push({
      file: files.reliabilityGrid,
      spec: reliabilityGrid(curves, { initialT: 1, bestT: T, bestName: "fitted", xDomain, columns: 6 }),
    });
  }
  return figures;
}

/**
 * Writes `report.json` and `report.md` into `dir` (the figures are written before, by `figures.ts`:
 * `report.json` comes last, so a run folder that has it is complete).
 */
export async function writeReport(dir: string, r: Report): Promise<void> {
  await writeFileAtomic(join(dir, r.files.reportJson), JSON.stringify(r, null, 2) + "\n");
  await writeFileAtomic(join(dir, r.files.reportMd), markdownReport(r));
}
