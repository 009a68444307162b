/**
 * Renderings of a `CalibrationComparison`: a text table, a Markdown table, and the MIME bundle of its
 * rich display in Deno's Jupyter kernel (an HTML table of every metric per column, the ECE with its
 * bootstrap interval, the better value of each row in bold).
 *
 * @module
 */

import { escapeHtml } from "../util/html.ts";
import type { CalibrationComparison, ComparisonColumn } from "./comparison.ts";

interface Row {
  name: string;
  get: (c: ComparisonColumn) => number;
  /** Lower is better (every calibration error, NLL, Brier), or higher (accuracy), or neither. */
  better: "lower" | "higher" | null;
}

const ROWS: Row[] = [
  { name: "accuracy", get: (c) => c.report.accuracy, better: null },
  { name: "ECE", get: (c) => c.report.ece, better: "lower" },
  { name: "MCE", get: (c) => c.report.mce, better: "lower" },
  { name: "RMSCE", get: (c) => c.report.rmsce, better: "lower" },
  { name: "ACE (equal-mass bins)", get: (c) => c.report.ace, better: "lower" },
  { name: "NLL", get: (c) => c.report.nll, better: "lower" },
  { name: "Brier", get: (c) => c.report.brier, better: "lower" },
];

const f4 = (x: number) => (Number.isFinite(x) ? x.toFixed(4) : String(x));

function interval(c: ComparisonColumn): string {
  return `[${f4(c.eceInterval.lower)}, ${f4(c.eceInterval.upper)}]`;
}

/** What the numbers are: semantics, bins, N and the bootstrap. */
export function comparisonCaption(t: CalibrationComparison): string {
  const r = t.columns[0].report, b = t.columns[0].eceInterval;
  const semantics = r.binary === "positive" ? "positive-class" : "top-label";
  return `${semantics}, ${r.nBins} equal-width bins ${r.binEdges}, N = ${r.n}; ECE interval: ` +
    `${Math.round(100 * b.level)}% percentile bootstrap, ${b.resamples} resamples, seed ${b.seed}`;
}

function table(t: CalibrationComparison): string[][] {
  const head = ["", ...t.columns.map((c) => c.name)];
  const rows = ROWS.map((r) => [r.name, ...t.columns.map((c) => f4(r.get(c)))]);
  rows.splice(2, 0, [`ECE ${Math.round(100 * t.columns[0].eceInterval.level)}% CI`, ...t.columns.map(interval)]);
  return [head, ...rows];
}

/** A text table with aligned columns and the caption below. */
export function comparisonText(t: CalibrationComparison): string {
  const cells = table(t);
  const widths = cells[0].map((_, j) => Math.max(...cells.map((r) => r[j].length)));
  const line = (r: string[]) => r.map((c, j) => (j === 0 ? c.padEnd(widths[j]) : c.padStart(widths[j]))).join("  ");
  return [line(cells[0]), ...cells.slice(1).map(line), comparisonCaption(t)].join("\n");
}

/** A Markdown table with the caption below. */
export function comparisonMarkdown(t: CalibrationComparison): string {
  const cells = table(t);
  const row = (r: string[]) => `| ${r.join(" | ")} |`;
  return [row(cells[0]), row(cells[0].map(() => "---")), ...cells.slice(1).map(row), "", comparisonCaption(t)]
    .join("\n");
}

/** The MIME bundle: `text/plain` (the text table) and `text/html` (the table, the better value bold). */
export function calibrationComparisonBundle(t: CalibrationComparison): { "text/plain": string; "text/html": string } {
  const td = "padding:3px 10px;text-align:right;border-bottom:1px solid #ddd;font-variant-numeric:tabular-nums";
  const th = "padding:3px 10px;text-align:right;border-bottom:2px solid #999";
  const head = `<tr><th style="${th};text-align:left">metric</th>${
    t.columns.map((c) => `<th style="${th}">${escapeHtml(c.name)}</th>`).join("")
  }</tr>`;
  const body = ROWS.map((r) => {
    const values = t.columns.map(r.get);
    const best = r.better === null ? NaN : r.better === "lower" ? Math.min(...values) : Math.max(...values);
    const cells = values.map((v) => `<td style="${td}">${v === best ? `<b>${f4(v)}</b>` : f4(v)}</td>`).join("");
    return `<tr><td style="${td};text-align:left">${escapeHtml(r.name)}</td>${cells}</tr>`;
  });
  const level = Math.round(100 * t.columns[0].eceInterval.level);
  body.splice(
    2,
    0,
    `<tr><td style="${td};text-align:left">ECE ${level}% bootstrap CI</td>${
      t.columns.map((c) => `<td style="${td}">${interval(c)}</td>`).join("")
    }</tr>`,
  );
  const html = `<div class="denotorch-calibration"><table style="border-collapse:collapse;font:13px sans-serif">` +
    `${head}${body.join("")}</table><div style="font:11px sans-serif;color:#555;margin-top:3px">` +
    `${escapeHtml(comparisonCaption(t))}; lower is better for every error, NLL and Brier (bold: better)</div></div>`;
  return { "text/plain": comparisonText(t), "text/html": html };
}
