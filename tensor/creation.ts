/**
 * Creating tensors: from JS data (`tensor`) and by the factory functions of PyTorch (`zeros`, `randn`,
 * `arange`, ...). Random factories draw from LibTorch's global generator, so after `manualSeed(n)` they
 * give exactly PyTorch-Python's values.
 *
 * @module
 */

import { errBuf, ERRCAP, lib } from "../ffi/native.ts";
import { A } from "./aten_ops.ts";
import { type Arg, callTA, dtypeArg, fillArg, floatArg } from "./call.ts";
import type { Device } from "./device.ts";
import { type DType, DTYPE_CODE, dtypeOfArray, isComplex, ITEM_SIZE, toDType, type TypedArray } from "./dtype.ts";
import { type Complex, deviceArg, type NestedArray, type Tensor, wrapHandle } from "./tensor.ts";
import { describe } from "./checks.ts";
import { checkOptions } from "./options.ts";

const CREATION_KEYS = ["dtype", "device", "requiresGrad"];

/** Where and how a new tensor is made. */
export interface CreationOptions {
  /** The data type (default: float32, or as documented per function). */
  dtype?: DType;
  /** The device (default `"cpu"`). */
  device?: Device;
  /** Make it a leaf that records gradients. */
  requiresGrad?: boolean;
}

/** Options of {@linkcode tensor}. */
export interface TensorOptions extends CreationOptions {
  /** The shape of a flat TypedArray (default: one dimension of its length). */
  shape?: readonly number[];
}

function checkShape(shape: unknown, what: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(`${what}: shape must be an array of non-negative integers, got ${describe(shape)}`);
  }
  return shape as number[];
}

function finish(t: Tensor, options: CreationOptions | undefined): Tensor {
  if (options?.requiresGrad) {
    try {
      t.requiresGrad = true;
    } catch (e) {
      t.dispose();
      throw e;
    }
  }
  return t;
}

function fromRaw(bytes: Uint8Array, dtype: DType, shape: readonly number[]): Tensor {
  const shapeBuf = new Float64Array(shape);
  const h = lib.tt_tensor_from_data(
    bytes,
    bytes.byteLength,
    DTYPE_CODE[dtype],
    new Uint8Array(shapeBuf.buffer),
    shape.length,
    errBuf,
    ERRCAP,
  );
  return wrapHandle(h, "tensor");
}

function convert(t: Tensor, dtype: DType | undefined, device: Device | undefined): Tensor {
  if ((dtype === undefined || dtype === t.dtype) && (device === undefined || device === "cpu")) return t;
  const u = t.to({ dtype, device });
  t.dispose();
  return u;
}

const MAX_DIMS = 64;

/** The range of each integer dtype, as PyTorch checks a Python number converted to it. */
const INT_RANGE: Partial<Record<DType, [number, number]>> = {
  int8: [-128, 127],
  int16: [-32768, 32767],
  int32: [-2147483648, 2147483647],
  int64: [-(2 ** 63), 2 ** 63], // the upper bound is exclusive (2^63 - 1 is not a double)
  uint8: [-255, 255], // PyTorch lets negative numbers wrap (two's complement) as long as |v| <= 255
};

/**
 * Throws as PyTorch does ("value cannot be converted to type int8 without overflow") when a number does
 * not fit the integer dtype it is converted to: out of range, NaN or infinite.
 */
function checkIntRange(
  flat: readonly (number | boolean)[],
  shape: readonly number[],
  dtype: DType,
  what: string,
): void {
  const range = INT_RANGE[dtype];
  if (range === undefined) return;
  const [lo, hi] = range;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v !== "number") continue;
    if (!(v >= lo && (dtype === "int64" ? v < hi : v <= hi))) {
      throw new RangeError(
        `${what}: value ${v} at [${indexOf(i, shape).join(", ")}] cannot be converted to type ${dtype} without ` +
          `overflow (${dtype} holds ${dtype === "int64" ? "-2^63 to 2^63-1" : `${lo} to ${hi}`}); pass a wider ` +
          `dtype${Number.isInteger(v) ? ', or dtype: "float32" / "float64" for floats' : ""}`,
      );
    }
  }
}

function indexOf(flatIndex: number, shape: readonly number[]): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flatIndex % shape[d];
    flatIndex = Math.floor(flatIndex / shape[d]);
  }
  return idx;
}

function isComplexValue(x: unknown): x is Complex {
  return typeof x === "object" && x !== null && !Array.isArray(x) &&
    typeof (x as Complex).re === "number" && typeof (x as Complex).im === "number";
}

/** A complex tensor (complex64 unless `dtype` says otherwise) from numbers and `{ re, im }` values. */
function complexTensor(
  flat: readonly (number | boolean | Complex)[],
  shape: number[],
  dtype: DType | undefined,
): Tensor {
  const target = dtype ?? "complex64";
  if (!isComplex(target)) {
    throw new TypeError(
      `tensor: complex values ({ re, im }) cannot be converted to ${target} (as PyTorch's "can't convert complex"); ` +
        "use dtype complex64 or complex128, or pass the real parts",
    );
  }
  const parts = new Float64Array(2 * flat.length);
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (typeof v === "boolean") throw new TypeError("tensor: mixed booleans and complex numbers; use one kind");
    parts[2 * i] = typeof v === "number" ? v : v.re;
    parts[2 * i + 1] = typeof v === "number" ? 0 : v.im;
  }
  const t = fromRaw(new Uint8Array(parts.buffer), "complex128", shape);
  return convert(t, target, undefined);
}

/** Walks a nested array: its shape, and the flat values. */
function flatten(
  data: NestedArray<number | boolean | Complex>,
): { shape: number[]; flat: (number | boolean | Complex)[] } {
  const shape: number[] = [];
  const path = new Set<unknown>();
  for (let x: unknown = data; Array.isArray(x); x = x[0]) {
    if (path.has(x)) {
      throw new TypeError(
        `tensor: the nested array contains itself (a cycle at depth ${shape.length}); pass a finite nested array`,
      );
    }
    if (shape.length === MAX_DIMS) {
      throw new RangeError(
        `tensor: the nested array is deeper than ${MAX_DIMS} levels (tensors have at most ${MAX_DIMS} dimensions)`,
      );
    }
    path.add(x);
    shape.push(x.length);
  }
  const flat: (number | boolean | Complex)[] = [];
  const visit = (x: unknown, d: number, path: number[]) => {
    if (d === shape.length) {
      if (typeof x !== "number" && typeof x !== "boolean" && !isComplexValue(x)) {
        throw new TypeError(
          `tensor: element at [${path.join(", ")}] is ${
            Array.isArray(x) ? "an array" : typeof x
          }, expected a number, a boolean or a complex number { re, im }`,
        );
      }
      flat.push(x as number | boolean | Complex);
      return;
    }
    if (!Array.isArray(x) || x.length !== shape[d]) {
      throw new RangeError(
        `tensor: ragged nested array: at [${path.join(", ")}] expected ${shape[d]} items, got ${
          Array.isArray(x) ? x.length : "a scalar"
        }`,
      );
    }
    for (let i = 0; i < x.length; i++) visit(x[i], d + 1, [...path, i]);
  };
  visit(data, 0, []);
  return { shape, flat };
}

/**
 * A tensor holding `data`: a number, a boolean, a (nested) array of them, or a TypedArray (with
 * `shape` to give it dimensions). Nested arrays of integers become int64 and of other numbers float32
 * (as Python ints and floats do in `torch.tensor`; JavaScript cannot tell `1.0` from `1`, so pass
 * `dtype: "float32"` for float data that happens to be integral, or `requiresGrad: true`, which
 * implies float32); booleans become bool; complex numbers `{ re, im }` (as `toArray()` gives them) make
 * complex64. `dtype` converts. Numbers that do not fit an integer dtype are refused, as PyTorch does.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * const a = tensor([[1, 2], [3, 4]]);                       // int64
 * const b = tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
 * const c = tensor([0.5, 1.5], { dtype: "float64", requiresGrad: true });
 * ```
 */
export function tensor(data: NestedArray<number | boolean | Complex> | TypedArray, options?: TensorOptions): Tensor {
  if (options !== undefined) checkOptions("tensor", options, [...CREATION_KEYS, "shape"], '{ dtype: "float64" }');
  const dtype = options?.dtype === undefined ? undefined : toDType(options.dtype);
  let t: Tensor;
  if (ArrayBuffer.isView(data)) {
    const arr = data as TypedArray;
    const shape = options?.shape === undefined ? [arr.length] : checkShape(options.shape, "tensor");
    const need = shape.reduce((a, b) => a * b, 1);
    if (need !== arr.length) {
      throw new RangeError(`tensor: shape [${shape.join(", ")}] needs ${need} elements but the data has ${arr.length}`);
    }
    const bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
    if (dtype === "bool" && arr instanceof Uint8Array) {
      t = fromRaw(arr.every((v) => v <= 1) ? bytes : Uint8Array.from(arr, (v) => (v ? 1 : 0)), "bool", shape);
    } else {
      t = convert(fromRaw(bytes, dtypeOfArray(arr), shape), dtype, options?.device);
      return finish(t, options);
    }
  } else {
    if (options?.shape !== undefined) throw new TypeError("tensor: `shape` applies to TypedArray data only");
    const { shape, flat: values } = flatten(data as NestedArray<number | boolean | Complex>);
    if (values.some(isComplexValue)) {
      t = complexTensor(values, shape, dtype);
      return finish(convert(t, undefined, options?.device), options);
    }
    const flat = values as (number | boolean)[];
    const bools = flat.length > 0 && flat.every((v) => typeof v === "boolean");
    if (!bools && flat.some((v) => typeof v === "boolean")) {
      throw new TypeError("tensor: mixed booleans and numbers; use one kind, or convert with `dtype`");
    }
    // Integers become int64 as Python ints do, except for tensors that require grad (JS cannot write 1.0).
    const integral = flat.length > 0 && flat.every((v) => Number.isInteger(v)) && !options?.requiresGrad;
    const inferred: DType = bools ? "bool" : integral ? "int64" : "float32";
    const target = dtype ?? inferred;
    if (!bools) checkIntRange(flat, shape, target, "tensor");
    if (bools || target === "bool") {
      t = fromRaw(Uint8Array.from(flat, (v) => (v ? 1 : 0)), "bool", shape);
    } else if (INT_RANGE[target] !== undefined) {
      // through int64, exactly (also beyond 2^53), then converted as PyTorch converts a Python int (uint8 wraps)
      const f = BigInt64Array.from(flat as number[], (v) => BigInt(Math.trunc(v)));
      t = fromRaw(new Uint8Array(f.buffer), "int64", shape);
    } else if (target === "float32") {
      const f = Float32Array.from(flat as number[]);
      t = fromRaw(new Uint8Array(f.buffer), "float32", shape);
    } else {
      const f = Float64Array.from(flat as number[]);
      t = fromRaw(new Uint8Array(f.buffer), "float64", shape);
    }
    t = convert(t, target, options?.device);
    return finish(t, options);
  }
  return finish(convert(t, dtype, options?.device), options);
}

/**
 * Raw bytes as a tensor of `dtype` and `shape` (one copy): little-endian, row-major, as LibTorch lays
 * them out (bool as one byte, float16/bfloat16 as two).
 *
 * @example
 * ```ts
 * import { fromBytes } from "../mod.ts";
 * const img = fromBytes(new Uint8Array(3 * 32 * 32), "uint8", [3, 32, 32]);
 * ```
 */
export function fromBytes(bytes: Uint8Array, dtype: DType, shape: readonly number[]): Tensor {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`fromBytes: bytes must be a Uint8Array, got ${describe(bytes)}`);
  }
  if (typeof dtype !== "string" || !(dtype in ITEM_SIZE)) {
    throw new TypeError(`fromBytes: unknown dtype ${describe(dtype)} (one of ${Object.keys(ITEM_SIZE).join(", ")})`);
  }
  const need = checkShape(shape, "fromBytes").reduce((a, b) => a * b, 1) * ITEM_SIZE[dtype];
  if (bytes.byteLength !== need) {
    throw new RangeError(
      `fromBytes: ${dtype} of shape [${shape.join(", ")}] needs ${need} bytes, got ${bytes.byteLength}`,
    );
  }
  return fromRaw(bytes, dtype, shape);
}

function factoryArgs(options: CreationOptions | undefined, defaultDType?: DType): Arg[] {
  if (options !== undefined) checkOptions("tensor creation", options, CREATION_KEYS, '{ dtype: "float64" }');
  const d = options?.dtype ?? defaultDType;
  return [
    d === undefined ? null : dtypeArg(toDType(d)),
    null,
    options?.device === undefined ? null : deviceArg(options.device),
    null,
  ];
}

/**
 * A new CPU tensor of `dtype` and `shape` whose bytes `fill` writes in place, in one pass and without a
 * copy (for example a file read straight into it). `fill` gets a view of the tensor's memory, valid only
 * while it runs: it is detached when `fill` returns (a kept view then has length 0, and writing through
 * it does nothing). Every byte should be written (the memory starts uninitialised).
 *
 * @example
 * ```ts
 * import { fillBytes } from "./creation.ts";
 * const t = fillBytes("uint8", [2, 3], (bytes) => bytes.set([1, 2, 3, 4, 5, 6]));
 * ```
 */
export function fillBytes(dtype: DType, shape: readonly number[], fill: (bytes: Uint8Array) => void): Tensor {
  const t = empty(checkShape(shape, "fillBytes"), { dtype });
  try {
    const nbytes = t.numel() * ITEM_SIZE[dtype];
    if (nbytes === 0) {
      fill(new Uint8Array(0));
      return t;
    }
    const address = lib.tt_tensor_data_ptr(t.handle);
    const ptr = Deno.UnsafePointer.create(BigInt(address));
    if (ptr === null) throw new Error("fillBytes: the new tensor has no contiguous CPU memory");
    const memory = Deno.UnsafePointerView.getArrayBuffer(ptr, nbytes);
    try {
      fill(new Uint8Array(memory));
    } finally {
      // Detach the view (and any other view of it the callback made): the tensor's memory must not be
      // reachable from JavaScript after fill returns, when the tensor may be freed.
      memory.transfer(0);
    }
    return t;
  } catch (e) {
    t.dispose();
    throw e;
  }
}

function sized(ref: typeof A.zeros, shape: readonly number[], options?: CreationOptions, what = "zeros"): Tensor {
  return finish(callTA(ref, [checkShape(shape, what), ...factoryArgs(options)]), options);
}

/**
 * A tensor of zeros.
 *
 * @example
 * ```ts
 * import { zeros } from "../mod.ts";
 * const z = zeros([2, 3], { dtype: "float64" });
 * ```
 */
export function zeros(shape: readonly number[], options?: CreationOptions): Tensor {
  return sized(A.zeros, shape, options, "zeros");
}

/** A tensor of ones. */
export function ones(shape: readonly number[], options?: CreationOptions): Tensor {
  return sized(A.ones, shape, options, "ones");
}

/** An uninitialised tensor. */
export function empty(shape: readonly number[], options?: CreationOptions): Tensor {
  return sized(A.empty, shape, options, "empty");
}

/** Uniform draws from [0, 1). */
export function rand(shape: readonly number[], options?: CreationOptions): Tensor {
  return sized(A.rand, shape, options, "rand");
}

/**
 * Standard normal draws.
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * manualSeed(0);
 * const x = randn([3, 4]); // the same values as torch.manual_seed(0); torch.randn(3, 4)
 * ```
 */
export function randn(shape: readonly number[], options?: CreationOptions): Tensor {
  return sized(A.randn, shape, options, "randn");
}

/** A tensor filled with `value` (float32 for numbers unless `dtype` says otherwise, bool for booleans). */
export function full(shape: readonly number[], value: number | boolean, options?: CreationOptions): Tensor {
  const d = options?.dtype ?? (typeof value === "boolean" ? "bool" : "float32");
  const v = fillArg(value, toDType(d));
  return finish(callTA(A.full, [checkShape(shape, "full"), v, ...factoryArgs(options, d)]), options);
}

/**
 * Values from `start` to `end` (exclusive) by `step`; `arange(end)` starts at 0. Integer arguments give
 * int64, others float32, as in PyTorch.
 */
export function arange(end: number, options?: CreationOptions): Tensor;
/** Values from `start` up to (not including) `end` by `step` (default 1). */
export function arange(start: number, end: number, step?: number, options?: CreationOptions): Tensor;
export function arange(a: number, b?: number | CreationOptions, c?: number, d?: CreationOptions): Tensor {
  let start = 0, end: number, step = 1, options: CreationOptions | undefined;
  if (typeof b === "number") {
    start = a;
    end = b;
    step = c ?? 1;
    options = d;
  } else {
    end = a;
    options = b;
  }
  for (const [name, v] of [["start", start], ["end", end], ["step", step]] as const) {
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new TypeError(`arange: ${name} must be a finite number, got ${describe(v)}`);
    }
  }
  return finish(callTA(A.arange, [start, end, step, ...factoryArgs(options)]), options);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options?: CreationOptions): Tensor {
  return finish(
    callTA(A.linspace, [
      floatArg(start, "linspace: start"),
      floatArg(end, "linspace: end"),
      steps,
      ...factoryArgs(options),
    ]),
    options,
  );
}

/** An `n` x `m` (default `n`) identity matrix. */
export function eye(n: number, m?: number, options?: CreationOptions): Tensor {
  return finish(callTA(A.eye, [n, m ?? n, ...factoryArgs(options)]), options);
}

/** Random integers in `[low, high)` (int64 unless `dtype`); `randint(high, shape)` starts at 0. */
export function randint(high: number, shape: readonly number[], options?: CreationOptions): Tensor;
/** Random integers in `[low, high)`. */
export function randint(low: number, high: number, shape: readonly number[], options?: CreationOptions): Tensor;
export function randint(
  a: number,
  b: number | readonly number[],
  c?: readonly number[] | CreationOptions,
  d?: CreationOptions,
): Tensor {
  const [low, high, shape, options] = typeof b === "number"
    ? [a, b, c as readonly number[], d]
    : [0, a, b, c as CreationOptions | undefined];
  return finish(
    callTA(A.randint, [low, high, checkShape(shape, "randint"), ...factoryArgs(options, "int64")]),
    options,
  );
}

/** A random permutation of `0..n-1` (int64), the same as `torch.randperm(n)` after the same seed. */
export function randperm(n: number, options?: CreationOptions): Tensor {
  if (!Number.isInteger(n) || n < 0) {
    throw new TypeError(`randperm: n must be a non-negative integer, got ${describe(n)}`);
  }
  return finish(callTA(A.randperm, [n, ...factoryArgs(options, "int64")]), options);
}

function like(ref: typeof A.zeros_like, t: Tensor, options?: CreationOptions, extra: Arg[] = []): Tensor {
  return finish(callTA(ref, [t, ...extra, ...factoryArgs(options), null]), options);
}

/** Zeros with the shape (and dtype, device) of `t`. */
export function zerosLike(t: Tensor, options?: CreationOptions): Tensor {
  return like(A.zeros_like, t, options);
}

/** Ones with the shape (and dtype, device) of `t`. */
export function onesLike(t: Tensor, options?: CreationOptions): Tensor {
  return like(A.ones_like, t, options);
}

/** `value` with the shape (and dtype, device) of `t`. */
export function fullLike(t: Tensor, value: number | boolean, options?: CreationOptions): Tensor {
  if (t === null || typeof t !== "object" || typeof (t as { dtype?: unknown }).dtype !== "string") {
    throw new TypeError(`fullLike: expected a Tensor as the first argument, got ${describe(t)}`);
  }
  return like(A.full_like, t, options, [
    fillArg(value, options?.dtype === undefined ? t.dtype : toDType(options.dtype)),
  ]);
}

/** Uninitialised, with the shape (and dtype, device) of `t`. */
export function emptyLike(t: Tensor, options?: CreationOptions): Tensor {
  return like(A.empty_like, t, options);
}

/** Uniform draws with the shape of `t`. */
export function randLike(t: Tensor, options?: CreationOptions): Tensor {
  return like(A.rand_like, t, options);
}

/** Normal draws with the shape of `t`. */
export function randnLike(t: Tensor, options?: CreationOptions): Tensor {
  return like(A.randn_like, t, options);
}
