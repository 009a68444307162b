/**
 * PyTorch's tensor printing (`torch/_tensor_str.py`): precision 4, summarised past 1000 elements with 3
 * edge items, 80 columns, fixed or scientific notation chosen as PyTorch does, and the same suffixes
 * (`dtype=`, `device=`, `requires_grad=True`, `grad_fn=<...>`).
 *
 * @module
 */

import type { DType } from "./dtype.ts";

/** Printing options, as `torch.set_printoptions`. */
export const printOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 };

/** What the formatter needs of a tensor. */
export interface Printable {
  readonly shape: number[];
  readonly dtype: DType;
  readonly device: string;
  readonly requiresGrad: boolean;
  readonly gradFn: string | null;
  numel(): number;
  data(): ArrayLike<number | bigint>;
}

const isFloat = (d: DType) => d === "float32" || d === "float64" || d === "float16" || d === "bfloat16";

function pyExp(v: number, precision: number): string {
  if (!Number.isFinite(v)) return pyNonFinite(v);
  // Python pads the exponent to two digits: 1.0000e+00.
  return v.toExponential(precision).replace(/e([+-])(\d)$/, "e$10$2");
}

function pyFixed(v: number, precision: number): string {
  if (!Number.isFinite(v)) return pyNonFinite(v);
  const s = v.toFixed(precision);
  return Object.is(v, -0) || (v < 0 && Number(s) === 0) ? (s.startsWith("-") ? s : `-${s}`) : s;
}

function pyNonFinite(v: number): string {
  return Number.isNaN(v) ? "nan" : v > 0 ? "inf" : "-inf";
}

class Formatter {
  intMode = true;
  sciMode = false;
  maxWidth = 1;

  constructor(readonly floating: boolean, readonly isBool: boolean, values: number[]) {
    const p = printOptions.precision;
    if (!floating) {
      for (const v of values) this.maxWidth = Math.max(this.maxWidth, this.plain(v).length);
      return;
    }
    const finite = values.filter((v) => Number.isFinite(v) && v !== 0);
    if (finite.length === 0) return;
    const abs = finite.map(Math.abs);
    const min = Math.min(...abs);
    const max = Math.max(...abs);
    this.intMode = finite.every((v) => v === Math.ceil(v));
    if (this.intMode) {
      if (max / min > 1000 || max > 1e8) {
        this.sciMode = true;
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyExp(v, p).length);
      } else {
        for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyFixed(v, 0).length + 1);
      }
    } else if (max / min > 1000 || max > 1e8 || min < 1e-4) {
      this.sciMode = true;
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyExp(v, p).length);
    } else {
      for (const v of finite) this.maxWidth = Math.max(this.maxWidth, pyFixed(v, p).length);
    }
  }

  plain(v: number): string {
    return this.isBool ? (v ? "True" : "False") : String(v);
  }

  format(v: number): string {
    let s: string;
    if (this.floating) {
      if (this.sciMode) s = pyExp(v, printOptions.precision);
      else if (this.intMode) s = Number.isFinite(v) ? `${pyFixed(v, 0)}.` : pyNonFinite(v);
      else s = pyFixed(v, printOptions.precision);
    } else s = this.plain(v);
    return s.padStart(this.maxWidth, " ");
  }
}

/** Row-major strides of a shape. */
function stridesOf(shape: number[]): number[] {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

function render(
  flat: number[],
  shape: number[],
  strides: number[],
  offset: number,
  dim: number,
  indent: number,
  summarize: boolean,
  f: Formatter,
): string {
  const { edgeitems, linewidth } = printOptions;
  const rank = shape.length - dim;
  if (rank === 0) return f.format(flat[offset]);
  const n = shape[dim];
  const pick = summarize && n > 2 * edgeitems
    ? [...Array(edgeitems).keys(), -1, ...Array.from({ length: edgeitems }, (_, i) => n - edgeitems + i)]
    : [...Array(n).keys()];
  if (rank === 1) {
    const elementLength = f.maxWidth + 2;
    const perLine = Math.max(1, Math.floor((linewidth - indent) / elementLength));
    const items = pick.map((i) => (i < 0 ? " ..." : f.format(flat[offset + i * strides[dim]])));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
    return `[${lines.join(`,\n${" ".repeat(indent + 1)}`)}]`;
  }
  const slices = pick.map((i) =>
    i < 0 ? "..." : render(flat, shape, strides, offset + i * strides[dim], dim + 1, indent + 1, summarize, f)
  );
  return `[${slices.join(`,${"\n".repeat(rank - 1)}${" ".repeat(indent + 1)}`)}]`;
}

/** The elements a summarised print shows (for choosing the number format). */
function summarizedValues(flat: number[], shape: number[], strides: number[]): number[] {
  const { edgeitems } = printOptions;
  const out: number[] = [];
  const visit = (dim: number, offset: number) => {
    if (dim === shape.length) {
      out.push(flat[offset]);
      return;
    }
    const n = shape[dim];
    const idx = n > 2 * edgeitems
      ? [...Array(edgeitems).keys(), ...Array.from({ length: edgeitems }, (_, i) => n - edgeitems + i)]
      : [...Array(n).keys()];
    for (const i of idx) visit(dim + 1, offset + i * strides[dim]);
  };
  visit(0, 0);
  return out;
}

function pyTuple(shape: number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** Renders `t` as PyTorch's `repr` does. */
export function formatTensor(t: Printable): string {
  const prefix = "tensor(";
  const indent = prefix.length;
  const shape = t.shape;
  const dtype = t.dtype;
  const suffixes: string[] = [];
  if (t.device !== "cpu") suffixes.push(`device='${t.device === "cuda" ? "cuda:0" : t.device}'`);
  let body: string;
  const numel = t.numel();
  if (numel === 0) {
    if (shape.length !== 1) suffixes.push(`size=${pyTuple(shape)}`);
    if (dtype !== "float32") suffixes.push(`dtype=torch.${dtype}`);
    body = "[]";
  } else {
    if (!["float32", "int64", "bool"].includes(dtype)) suffixes.push(`dtype=torch.${dtype}`);
    const raw = t.data();
    const flat = Array.from(raw, (v) => Number(v));
    const strides = stridesOf(shape);
    const summarize = numel > printOptions.threshold;
    const shown = summarize ? summarizedValues(flat, shape, strides) : flat;
    const f = new Formatter(isFloat(dtype), dtype === "bool", shown);
    body = render(flat, shape, strides, 0, 0, indent, summarize, f);
  }
  const gradFn = t.gradFn;
  if (gradFn !== null) suffixes.push(`grad_fn=<${gradFn}>`);
  else if (t.requiresGrad) suffixes.push("requires_grad=True");

  let out = prefix + body;
  let lastLineLen = out.length - out.lastIndexOf("\n") + 1;
  for (const s of suffixes) {
    if (lastLineLen + s.length + 2 > printOptions.linewidth) {
      out += `,\n${" ".repeat(indent)}${s}`;
      lastLineLen = indent + s.length;
    } else {
      out += `, ${s}`;
      lastLineLen += s.length + 2;
    }
  }
  return `${out})`;
}
