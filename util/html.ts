/**
 * Small helpers for the HTML of rich notebook displays: escaping, and a colour scale for heatmap cells.
 *
 * @module
 */

/**
 * Escapes `&`, `<`, `>`, `"` and `'` for HTML text and attributes.
 *
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * escapeHtml("<b>"); // "&lt;b&gt;"
 * ```
 */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * `12,345` for 12345 (thousands separated by commas, as PyTorch users read parameter counts).
 *
 * @example
 * ```ts
 * import { groupDigits } from "./html.ts";
 * groupDigits(62006); // "62,006"
 * ```
 */
export function groupDigits(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

function mix(a: readonly number[], b: readonly number[], t: number): string {
  const c = a.map((v, i) => Math.round(v + (b[i] - v) * t));
  return `rgb(${c[0]}, ${c[1]}, ${c[2]})`;
}

const WHITE = [255, 255, 255], BLUE = [31, 119, 180], RED = [214, 39, 40];

/**
 * The background of a heatmap cell: white to blue for values in [0, max] (sequential), or blue
 * (negative) through white to red (positive) when `signed`; gray for non-finite values. Returns the
 * colour and whether text on it should be white.
 *
 * @example
 * ```ts
 * import { heatColor } from "./html.ts";
 * heatColor(1, { lo: 0, hi: 1, signed: false }); // { background: "rgb(31, 119, 180)", light: true }
 * ```
 */
export function heatColor(
  v: number,
  scale: { lo: number; hi: number; signed: boolean },
): { background: string; light: boolean } {
  if (!Number.isFinite(v)) return { background: "#bbbbbb", light: false };
  if (scale.signed) {
    const m = Math.max(Math.abs(scale.lo), Math.abs(scale.hi)) || 1;
    const t = Math.min(1, Math.abs(v) / m);
    return { background: mix(WHITE, v < 0 ? BLUE : RED, t), light: t > 0.6 };
  }
  const span = scale.hi - scale.lo;
  const t = span > 0 ? Math.min(1, Math.max(0, (v - scale.lo) / span)) : 0.5;
  return { background: mix(WHITE, BLUE, t), light: t > 0.6 };
}
