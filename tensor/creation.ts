/**
 * Creating tensors: from JS data (`tensor`) and by the factory functions of PyTorch (`zeros`, `randn`,
 * `arange`, ...). Random factories draw from LibTorch's global generator, so after `manualSeed(n)` they
 * give exactly PyTorch-Python's values.
 *
 * @module
 */

import { errBuf, ERRCAP, lib } from "../ffi/native.ts";
import { A } from "./aten_ops.ts";
import { type Arg, callTA, dtypeArg, floatArg } from "./call.ts";
import type { Device } from "./device.ts";
import { type DType, DTYPE_CODE, dtypeOfArray, ITEM_SIZE, toDType, type TypedArray } from "./dtype.ts";
import { deviceArg, type NestedArray, type Tensor, wrapHandle } from "./tensor.ts";
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
    throw new TypeError(`${what}: shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
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

/** Walks a nested array: its shape, and the flat values. */
function flatten(data: NestedArray<number | boolean>): { shape: number[]; flat: (number | boolean)[] } {
  const shape: number[] = [];
  for (let x: unknown = data; Array.isArray(x); x = x[0]) shape.push(x.length);
  const flat: (number | boolean)[] = [];
  const visit = (x: unknown, d: number, path: number[]) => {
    if (d === shape.length) {
      if (typeof x !== "number" && typeof x !== "boolean") {
        throw new TypeError(
          `tensor: element at [${path.join(", ")}] is ${
            Array.isArray(x) ? "an array" : typeof x
          }, expected a number or boolean`,
        );
      }
      flat.push(x);
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
 * implies float32); booleans become bool. `dtype` converts.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * const a = tensor([[1, 2], [3, 4]]);                       // int64
 * const b = tensor(new Float32Array([1, 2, 3, 4]), { shape: [2, 2] });
 * const c = tensor([0.5, 1.5], { dtype: "float64", requiresGrad: true });
 * ```
 */
export function tensor(data: NestedArray<number | boolean> | TypedArray, options?: TensorOptions): Tensor {
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
    const { shape, flat } = flatten(data as NestedArray<number | boolean>);
    const bools = flat.length > 0 && flat.every((v) => typeof v === "boolean");
    if (!bools && flat.some((v) => typeof v === "boolean")) {
      throw new TypeError("tensor: mixed booleans and numbers; use one kind, or convert with `dtype`");
    }
    // Integers become int64 as Python ints do, except for tensors that require grad (JS cannot write 1.0).
    const integral = flat.length > 0 && flat.every((v) => Number.isInteger(v)) && !options?.requiresGrad;
    const inferred: DType = bools ? "bool" : integral ? "int64" : "float32";
    const target = dtype ?? inferred;
    if (bools || target === "bool") {
      t = fromRaw(Uint8Array.from(flat, (v) => (v ? 1 : 0)), "bool", shape);
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
 * copy (for example a file read straight into it). `fill` gets a view of the tensor's memory that must not
 * be kept after it returns; every byte should be written (the memory starts uninitialised).
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
    fill(new Uint8Array(Deno.UnsafePointerView.getArrayBuffer(ptr, nbytes)));
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
  return finish(callTA(A.full, [checkShape(shape, "full"), value, ...factoryArgs(options, d)]), options);
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
      throw new TypeError(`arange: ${name} must be a finite number, got ${v}`);
    }
  }
  return finish(callTA(A.arange, [start, end, step, ...factoryArgs(options)]), options);
}

/** `steps` evenly spaced values from `start` to `end` inclusive. */
export function linspace(start: number, end: number, steps: number, options?: CreationOptions): Tensor {
  return finish(callTA(A.linspace, [floatArg(start), floatArg(end), steps, ...factoryArgs(options)]), options);
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
  if (!Number.isInteger(n) || n < 0) throw new TypeError(`randperm: n must be a non-negative integer, got ${n}`);
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
  return like(A.full_like, t, options, [value]);
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
