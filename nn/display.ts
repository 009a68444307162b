/**
 * Rich display of a module in Deno's Jupyter kernel (`[Symbol.for("Jupyter.display")]`): a MIME bundle
 * with `text/plain` (PyTorch's printout and the totals) and `text/html` (a header with parameter,
 * trainable-parameter and buffer counts and the mode, and the printout with each module's parameter
 * count beside it).
 *
 * @example
 * ```ts
 * import { LeNet } from "../mod.ts";
 * import { moduleBundle } from "./display.ts";
 * const bundle = moduleBundle(new LeNet()); // text/plain: "LeNet(\n  (features): ...\n)\n62,006 parameters ..."
 * ```
 *
 * @module
 */

import { escapeHtml, groupDigits } from "../util/html.ts";
import type { Module } from "./module.ts";

/** Parameter counts of a module and all below it (each tensor once). */
export interface ParameterCounts {
  /** Elements of every parameter. */
  parameters: number;
  /** Elements of the parameters that require grad. */
  trainable: number;
  /** Elements of every buffer. */
  buffers: number;
}

/**
 * The parameter counts of a module (elements, as `sum(p.numel() for p in model.parameters())`).
 *
 * @example
 * ```ts
 * import { Linear } from "../mod.ts";
 * import { parameterCounts } from "./display.ts";
 * parameterCounts(new Linear(4, 2)); // { parameters: 10, trainable: 10, buffers: 0 }
 * ```
 */
export function parameterCounts(m: Module): ParameterCounts {
  const ps = m.parameters();
  return {
    parameters: ps.reduce((s, p) => s + p.numel(), 0),
    trainable: ps.filter((p) => p.requiresGrad).reduce((s, p) => s + p.numel(), 0),
    buffers: m.buffers().reduce((s, b) => s + b.numel(), 0),
  };
}

function countNote(m: Module): string {
  const c = parameterCounts(m);
  if (c.parameters === 0) return "";
  const frozen = c.trainable === c.parameters
    ? ""
    : c.trainable === 0
    ? ", frozen"
    : `, ${groupDigits(c.trainable)} trainable`;
  return `${groupDigits(c.parameters)} params${frozen}`;
}

/** PyTorch's printout with `# N params` after each module's first line (HTML-escaped, notes in gray). */
function annotated(m: Module): string {
  const note = countNote(m);
  const mark = note ? `  <span style="color:#888"># ${escapeHtml(note)}</span>` : "";
  const children = m.namedChildren();
  if (children.length === 0) {
    const [first, ...rest] = escapeHtml(m.toString()).split("\n");
    return [first + mark, ...rest].join("\n");
  }
  const extra = m.extraRepr();
  const lines: string[] = extra ? escapeHtml(extra).split("\n") : [];
  for (const [name, c] of children) lines.push(`(${escapeHtml(name)}): ${annotated(c).replace(/\n/g, "\n  ")}`);
  return `${escapeHtml(m.typeName)}(${mark}\n  ${lines.join("\n  ")}\n)`;
}

/** The totals line: `62,006 parameters (62,006 trainable), 10 buffer elements, training mode`. */
export function moduleSummary(m: Module): string {
  const c = parameterCounts(m);
  return `${groupDigits(c.parameters)} parameters (${groupDigits(c.trainable)} trainable), ` +
    `${groupDigits(c.buffers)} buffer elements, ${m.training ? "training" : "evaluation"} mode`;
}

/**
 * The MIME bundle of a module (see the module notes).
 *
 * @example
 * ```ts
 * import { Linear } from "../mod.ts";
 * import { moduleBundle } from "./display.ts";
 * moduleBundle(new Linear(4, 2))["text/plain"]; // "Linear(in_features=4, out_features=2, bias=True)\n10 parameters ..."
 * ```
 */
export function moduleBundle(m: Module): { "text/plain": string; "text/html": string } {
  const summary = moduleSummary(m);
  const printout = annotated(m);
  const lines = printout.split("\n").length;
  const pre = `<pre style="margin:2px 0">${printout}</pre>`;
  const html = `<div class="denotorch-module">` +
    `<div style="font:12px sans-serif;color:#333;margin-bottom:2px"><b>${escapeHtml(m.typeName)}</b>: ` +
    `${escapeHtml(summary)}</div>` +
    (lines > LONG_PRINTOUT
      ? `${childrenTable(m)}<details><summary style="font:12px sans-serif">the printout (${lines} lines)</summary>` +
        `${pre}</details>`
      : pre) +
    `</div>`;
  return { "text/plain": `${m.toString()}\n${summary}`, "text/html": html };
}

/** Printouts longer than this many lines are folded (with a table of the direct children above). */
export const LONG_PRINTOUT = 40;

function childrenTable(m: Module): string {
  const td = "padding:2px 8px;text-align:right;border-bottom:1px solid #ddd";
  const rows = m.namedChildren().map(([name, c]) => {
    const k = parameterCounts(c);
    return `<tr><td style="${td};text-align:left">${escapeHtml(name)}</td>` +
      `<td style="${td};text-align:left">${escapeHtml(c.typeName)}</td><td style="${td}">${
        groupDigits(k.parameters)
      }</td><td style="${td}">${groupDigits(k.trainable)}</td></tr>`;
  });
  const th = "padding:2px 8px;text-align:right;border-bottom:2px solid #999";
  return `<table style="border-collapse:collapse;font:12px sans-serif;margin:4px 0"><tr>` +
    `<th style="${th};text-align:left">child</th><th style="${th};text-align:left">type</th>` +
    `<th style="${th}">parameters</th><th style="${th}">trainable</th></tr>${rows.join("")}</table>`;
}
