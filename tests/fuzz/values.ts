/**
 * The fuzz test's value generator: a seeded PRNG and a pool of hostile and almost-valid arguments (wrong types,
 * shapes, dtypes, sizes, disposed tensors, BigInts, Symbols, cycles, options objects with wrong values).
 *
 * @module
 */

import { type DType, full, Linear, randn, type Tensor, zeros } from "../../mod.ts";

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NUMBERS = [0, 1, 2, 3, -1, -2, 1.5, -0, NaN, Infinity, -Infinity, 1e300, 2 ** 53, 2 ** 63, -(2 ** 31) - 1];
const STRINGS = [
  "",
  "abc",
  "float32",
  "int64",
  "bool",
  "cpu",
  "cuda",
  "cuda:7",
  "mean",
  "sum",
  "none",
  "linear",
  "x.y",
];
const DTYPES: DType[] = ["float32", "float64", "int64", "int32", "uint8", "bool", "float16"];
const OPTION_KEYS = [
  "dtype",
  "device",
  "requiresGrad",
  "dim",
  "keepdim",
  "shape",
  "bins",
  "reduction",
  "weight",
  "bias",
  "stride",
  "padding",
  "size",
  "generator",
  "eps",
  "lr",
  "seed",
  "batchSize",
  "progress",
  "alpha",
  "value",
  "mode",
  "interpolation",
  "input",
  "out",
  "names",
];

/** Makes the values; tensors it makes are tracked so the worker can dispose them. */
export class ValueMaker {
  readonly made: Tensor[] = [];
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }

  /** A small live tensor of a random dtype and shape (sometimes disposed, sometimes requiring grad). */
  tensor(): Tensor {
    const shapes = [[], [0], [1], [3], [2, 3], [2, 2], [1, 3, 4, 4], [2, 1, 5, 5], [4, 1]];
    const shape = this.pick(shapes);
    const dtype = this.pick(DTYPES);
    let t: Tensor;
    const r = this.random();
    if (r < 0.3 && (dtype === "float32" || dtype === "float64")) t = randn(shape, { dtype });
    else if (r < 0.5) t = zeros(shape, { dtype });
    else t = full(shape, this.pick([0, 1, 2, -1]), { dtype });
    this.made.push(t);
    const lifetime = this.random();
    if (lifetime < 0.1) t.dispose();
    else if (lifetime < 0.2 && (dtype === "float32" || dtype === "float64")) {
      const g = randn(shape, { dtype, requiresGrad: true });
      this.made.push(g);
      return g;
    }
    return t;
  }

  /** A cyclic array. */
  cycle(): unknown[] {
    const a: unknown[] = [1, 2];
    a.push(a);
    return a;
  }

  options(depth: number): Record<string, unknown> {
    const o: Record<string, unknown> = {};
    const n = 1 + this.int(3);
    for (let i = 0; i < n; i++) o[this.pick(OPTION_KEYS)] = this.value(depth + 1);
    return o;
  }

  /** Any value, hostile or almost valid. */
  value(depth = 0): unknown {
    const r = this.int(depth > 1 ? 14 : 22);
    switch (r) {
      case 0:
      case 1:
        return this.pick(NUMBERS);
      case 2:
        return this.pick(STRINGS);
      case 3:
        return this.pick([undefined, null, true, false]);
      case 4:
        return this.pick([10n, -1n, 2n ** 70n]);
      case 5:
        return this.pick([Symbol("s"), () => 1, () => undefined, new Date(0), new Map(), Promise.resolve(1)]);
      case 6:
      case 7:
      case 8:
        return this.tensor();
      case 9:
        return this.pick([new Float32Array(4), new Uint8Array(3), new BigInt64Array(2), new ArrayBuffer(8)]);
      case 10:
        return this.pick(DTYPES);
      case 11:
        return this.pick([[], [1, 2], [2, 3], [-1], [1.5], [NaN], ["a"], [null], [1n], [[1, 2], [3]], [2, 2, 2]]);
      case 12:
        return this.cycle();
      case 13:
        return Object.create(null);
      case 14:
      case 15:
        return this.options(depth);
      case 16:
        return [this.tensor(), this.tensor()];
      case 17:
        return [this.tensor(), this.value(depth + 1)];
      case 18:
        return new Linear(2, 3);
      case 19:
        return () => this.tensor();
      case 20:
        return { [Symbol.iterator]: null };
      default:
        return [this.value(depth + 1), this.value(depth + 1)];
    }
  }

  /** 0 to 4 arguments. */
  args(): unknown[] {
    const n = this.int(5);
    return Array.from({ length: n }, () => this.value());
  }
}

/** A value as the fuzz report shows it (never throws). */
export function show(v: unknown, depth = 0): string {
  try {
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "symbol") return "Symbol()";
    if (typeof v === "function") return "fn";
    if (typeof v === "string") return JSON.stringify(v);
    if (typeof v !== "object" || v === null) return Object.is(v, -0) ? "-0" : String(v);
    if (depth > 2) return "...";
    const name = Object.getPrototypeOf(v)?.constructor?.name ?? "null-proto";
    if (name === "Tensor") {
      const t = v as Tensor;
      return t.isDisposed ? "Tensor(disposed)" : `Tensor(${t.dtype}[${t.shape}])`;
    }
    if (Array.isArray(v)) return `[${v.map((x) => (x === v ? "<cycle>" : show(x, depth + 1))).join(", ")}]`;
    if (name === "Object") {
      return `{${Object.entries(v).map(([k, x]) => `${k}: ${show(x, depth + 1)}`).join(", ")}}`;
    }
    return name;
  } catch {
    return "?";
  }
}
