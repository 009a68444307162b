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
  /**
   * The elements, row-major (complex ones as interleaved real and imaginary parts): all of them when
   * `edge` is null, else those of the tensor cut to its first and last `edge` entries along every
   * dimension longer than `2 * edge` (what a summarised print shows, so only those are copied).
   */
  _printData(edge: number | null): ArrayLike<number | bigint>;
}

const isFloat = (d: DType) => d === "float32" || d === "float64" || d === "float16" || d === "bfloat16";

function pyExp(v: number, precision: number): string {
  if (!Number.isFinite(v)) return pyNonFinite(v);
  // Python pads the exponent to two digits: 1.0000e+00; and keeps the sign of -0 (-0.0000e+00).
  const s = v.toExponential(precision).replace(/e([+-])(\d)$/, "e$10$2");
  return Object.is(v, -0) ? `-${s}` : s;
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

/** Formats one element: a number, or a complex number from its parts (as PyTorch's `_val_formatter`). */
interface Elements {
  /** The element at flat index `i` of the shown data. */
  format(i: number): string;
  /** The width of one element, without the ", " between elements. */
  width: number;
}

function realElements(values: number[], f: Formatter): Elements {
  return { format: (i) => f.format(values[i]), width: f.maxWidth };
}

function complexElements(re: number[], im: number[], fr: Formatter, fi: Formatter): Elements {
  return {
    format: (i) => {
      const real = fr.format(re[i]);
      const imag = `${fi.format(im[i])}j`.trimStart();
      return imag[0] === "+" || imag[0] === "-" ? real + imag : `${real}+${imag}`;
    },
    width: fr.maxWidth + fi.maxWidth + 1,
  };
}

/**
 * Renders the shown data (`shown` is its shape): along a dimension that `cut` marks, the first half of
 * the shown entries are the tensor's first ones and the second half its last ones, with "..." between.
 */
function render(
  e: Elements,
  shown: number[],
  cut: boolean[],
  strides: number[],
  offset: number,
  dim: number,
  indent: number,
): string {
  const { linewidth } = printOptions;
  const rank = shown.length - dim;
  if (rank === 0) return e.format(offset);
  const n = shown[dim];
  const pick = cut[dim]
    ? [...Array(n / 2).keys(), -1, ...Array.from({ length: n / 2 }, (_, i) => n / 2 + i)]
    : [...Array(n).keys()];
  if (rank === 1) {
    const elementLength = e.width + 2;
    const perLine = Math.max(1, Math.floor((linewidth - indent) / elementLength));
    const items = pick.map((i) => (i < 0 ? " ..." : e.format(offset + i * strides[dim])));
    const lines: string[] = [];
    for (let i = 0; i < items.length; i += perLine) lines.push(items.slice(i, i + perLine).join(", "));
    return `[${lines.join(`,\n${" ".repeat(indent + 1)}`)}]`;
  }
  const slices = pick.map((i) =>
    i < 0 ? "..." : render(e, shown, cut, strides, offset + i * strides[dim], dim + 1, indent + 1)
  );
  return `[${slices.join(`,${"\n".repeat(rank - 1)}${" ".repeat(indent + 1)}`)}]`;
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
    if (!["float32", "int64", "bool", "complex64"].includes(dtype)) suffixes.push(`dtype=torch.${dtype}`);
    const { edgeitems, threshold } = printOptions;
    const summarize = numel > threshold;
    const raw = t._printData(summarize ? edgeitems : null);
    const shown = summarize ? shape.map((n) => (n > 2 * edgeitems ? 2 * edgeitems : n)) : shape;
    const cut = shape.map((n) => summarize && n > 2 * edgeitems);
    const strides = stridesOf(shown);
    let elements: Elements;
    if (dtype === "complex64" || dtype === "complex128") {
      const re: number[] = [], im: number[] = [];
      for (let i = 0; i < raw.length; i += 2) {
        re.push(Number(raw[i]));
        im.push(Number(raw[i + 1]));
      }
      elements = complexElements(re, im, new Formatter(true, false, re), new Formatter(true, false, im));
    } else {
      const flat = Array.from(raw, (v) => Number(v));
      elements = realElements(flat, new Formatter(isFloat(dtype), dtype === "bool", flat));
    }
    body = render(elements, shown, cut, strides, 0, 0, indent);
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
