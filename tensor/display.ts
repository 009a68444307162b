/**
 * Rich display of a tensor in Deno's Jupyter kernel (`[Symbol.for("Jupyter.display")]`): a MIME bundle
 * with `text/plain` (PyTorch's printout) and `text/html` (a header with shape, dtype, device and
 * requires_grad, the printout, and for a 2-D tensor of real numbers a heatmap table: values in the cells
 * up to 24 x 24, colour only up to 128 x 128).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { tensorBundle } from "./display.ts";
 * const bundle = tensorBundle(randn([3, 4])); // { "text/plain": "tensor([[...]])", "text/html": "<div>..." }
 * ```
 *
 * @module
 */

import { escapeHtml, groupDigits, heatColor } from "../util/html.ts";
import type { Tensor } from "./tensor.ts";

/** The largest 2-D tensor shown with its values in the cells. */
export const VALUE_TABLE_LIMIT = 24;
/** The largest 2-D tensor shown as a colour-only heatmap. */
export const HEATMAP_LIMIT = 128;

/** A one-line description: `Tensor [2, 3] float32 cpu requires_grad=True grad_fn=<AddBackward0>`. */
export function tensorHeader(t: Tensor): string {
  if (t.isDisposed) return "Tensor (disposed)";
  const parts = [`Tensor [${t.shape.join(", ")}]`, t.dtype, t.device];
  if (t.requiresGrad) parts.push("requires_grad=True");
  if (t.gradFn) parts.push(`grad_fn=<${t.gradFn}>`);
  parts.push(`${groupDigits(t.numel())} element${t.numel() === 1 ? "" : "s"}`);
  return parts.join(" · ");
}

function realValues(t: Tensor): Float64Array | null {
  if (t.dtype.startsWith("complex")) return null;
  try {
    const d = t.data();
    const out = new Float64Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = Number(d[i]);
    return out;
  } catch {
    return null; // a dtype data() cannot read: the printout is enough
  }
}

function formatCell(v: number, integral: boolean): string {
  if (!Number.isFinite(v)) return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
  if (integral) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : v.toFixed(4);
}

/** The heatmap table of a 2-D tensor, or "" when it is too large or not real. */
export function heatmapHtml(t: Tensor): string {
  if (t.isDisposed || t.ndim !== 2) return "";
  const [rows, cols] = t.shape;
  if (rows === 0 || cols === 0 || rows > HEATMAP_LIMIT || cols > HEATMAP_LIMIT) return "";
  const v = realValues(t);
  if (v === null) return "";
  const finite = Array.from(v).filter(Number.isFinite);
  const lo = finite.length ? Math.min(...finite) : 0, hi = finite.length ? Math.max(...finite) : 0;
  const scale = { lo, hi, signed: lo < 0 && hi > 0 };
  const withValues = rows <= VALUE_TABLE_LIMIT && cols <= VALUE_TABLE_LIMIT;
  const integral = !(t.dtype.startsWith("float") || t.dtype === "bfloat16");
  const cell = withValues
    ? "padding:2px 6px;text-align:right;font:11px monospace;border:1px solid #fff"
    : "width:6px;height:6px;padding:0;border:0";
  const body: string[] = [];
  for (let r = 0; r < rows; r++) {
    const tds: string[] = [];
    for (let c = 0; c < cols; c++) {
      const x = v[r * cols + c];
      const { background, light } = heatColor(x, scale);
      const text = formatCell(x, integral);
      tds.push(
        `<td title="[${r}, ${c}] = ${text}" style="${cell};background:${background};color:${
          light ? "#fff" : "#000"
        }">` +
          `${withValues ? text : ""}</td>`,
      );
    }
    body.push(`<tr>${tds.join("")}</tr>`);
  }
  const legend = `<div style="font:11px sans-serif;color:#555">${withValues ? "" : "heatmap, "}` +
    `${scale.signed ? "blue negative, white 0, red positive" : "white lowest, blue highest"}; ` +
    `min ${formatCell(lo, integral)}, max ${formatCell(hi, integral)}</div>`;
  return `<table style="border-collapse:collapse;margin:4px 0">${body.join("")}</table>${legend}`;
}

/**
 * The MIME bundle of a tensor (see the module notes).
 *
 * @example
 * ```ts
 * import { eye } from "../mod.ts";
 * import { tensorBundle } from "./display.ts";
 * tensorBundle(eye(3))["text/html"].includes("<table"); // true
 * ```
 */
export function tensorBundle(t: Tensor): { "text/plain": string; "text/html": string } {
  const text = t.toString();
  const html = `<div class="denotorch-tensor">` +
    `<div style="font:12px sans-serif;color:#333;margin-bottom:2px"><b>${escapeHtml(tensorHeader(t))}</b></div>` +
    `${heatmapHtml(t)}<pre style="margin:2px 0">${escapeHtml(text)}</pre></div>`;
  return { "text/plain": text, "text/html": html };
}
