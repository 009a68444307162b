/**
 * `Tensor`: one native LibTorch tensor, with PyTorch's methods (camelCased; keyword arguments become an
 * options object). Every method is a thin call of an ATen operator through the dispatcher.
 *
 * Ownership: a Tensor owns one native handle. `dispose()` (or `using`) frees it at once; `tidy()` scopes
 * free what they created; a FinalizationRegistry frees forgotten tensors created outside any scope.
 * Using a disposed tensor throws.
 *
 * @module
 */

import { tensorBundle } from "./display.ts";
import { checkHandle, errBuf, ERRCAP, lib, readError, readString } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { Tag, WireWriter } from "../ffi/wire.ts";
import { A } from "./aten_ops.ts";
import { type Arg, callN, callT, callTA, callV, dtypeArg, fillArg, Special } from "./call.ts";
import { op } from "./operator.ts";
import { type Device, formatDevice, parseDevice } from "./device.ts";
import {
  allocFor,
  type DType,
  dtypeFromCode,
  isComplex,
  isFloatingPoint,
  ITEM_SIZE,
  toDType,
  type TypedArray,
} from "./dtype.ts";
import { checkBoolean, describe } from "./checks.ts";
import { formatTensor } from "./format.ts";
import { OWN_HANDLE } from "./handle_token.ts";
import { register, track, type Tracked, unregister } from "./memory.ts";
import { checkOptions, positionalOptions } from "./options.ts";

// destructured once (hot paths): cheaper than a property lookup on the symbol table per call
const { tt_tensor_free, tt_tensor_info } = lib;

const VIEW_AS_REAL = op("aten::view_as_real", "");
const VIEW_AS_COMPLEX = op("aten::view_as_complex", "");
const REAL = op("aten::real", "");
const IMAG = op("aten::imag", "");

const info = new Float64Array(8 + 2 * 64);
const infoU8 = new Uint8Array(info.buffer);

/** A nested array of numbers or booleans, as `toArray()` returns and `tensor()` accepts. */
export type NestedArray<T> = T | NestedArray<T>[];

/**
 * The options of a method from PyTorch's positional form (`args` after the required arguments) or an options
 * object; see {@linkcode positionalOptions}. Nothing given: a shared empty object, no allocation.
 */
function named<T extends object>(
  owner: string,
  args: readonly unknown[],
  positional: readonly string[],
  keywordOnly: readonly string[],
  form: string,
): T {
  if (args.length === 0 || args.every((a) => a === undefined)) return NO_OPTIONS as T;
  return positionalOptions<T>(owner, args, positional, keywordOnly, form);
}

const NO_OPTIONS: Readonly<Record<string, never>> = Object.freeze({});

/** `alpha` of add/sub, keyword-only as in PyTorch (`x.add(y, { alpha: 2 })`). */
function alphaOf(owner: string, options: unknown): number | undefined {
  return named<{ alpha?: number }>(owner, [options], [], ["alpha"], `x.${owner}(y, { alpha: 2 })`).alpha;
}

/** `value` of addcmul/addcdiv, keyword-only as in PyTorch (`x.addcmul(a, b, { value: 0.5 })`). */
function valueOf(owner: string, options: unknown): number | undefined {
  return named<{ value?: number }>(owner, [options], [], ["value"], `x.${owner}(a, b, { value: 0.5 })`).value;
}

/** `keepdim` by position (`x.max(1, true)`) or in an options object. */
function keepdimOf(owner: string, keepdim: unknown): boolean {
  if (keepdim === undefined) return false;
  if (typeof keepdim === "boolean") return keepdim;
  const o = named<{ keepdim?: boolean }>(owner, [keepdim], ["keepdim"], [], `x.${owner}(1, { keepdim: true })`);
  if (o.keepdim !== undefined) checkBoolean(owner, "keepdim", o.keepdim);
  return o.keepdim ?? false;
}

/** `keepdim` and `dtype` of sum/mean/prod, by position or in an options object. */
function reduceOptions(owner: string, keepdim: unknown, dtype: unknown): ReduceOptions {
  const o = named<ReduceOptions>(
    owner,
    [keepdim, dtype],
    ["keepdim", "dtype"],
    [],
    `x.${owner}(1, { keepdim: true, dtype: "float64" })`,
  );
  if (o.keepdim !== undefined) checkBoolean(owner, "keepdim", o.keepdim);
  return o;
}

/** Options of `std` and `var`. */
export interface VarianceOptions {
  /** The difference between the sample size and the divisor (default 1, Bessel's correction). */
  correction?: number;
  /** PyTorch's older spelling: true is correction 1, false correction 0. */
  unbiased?: boolean;
  /** Keep the reduced dimensions with size 1. */
  keepdim?: boolean;
}

/** `[correction, keepdim]` of std/var from `(unbiased, keepdim)` by position or an options object. */
function varianceOptions(owner: string, args: readonly unknown[]): [number | null, boolean | undefined] {
  const o = named<VarianceOptions>(
    owner,
    args,
    ["unbiased", "keepdim"],
    ["correction"],
    `x.${owner}(1, { correction: 1, keepdim: true })`,
  );
  if (o.unbiased !== undefined && o.correction !== undefined) {
    throw new TypeError(`${owner}: give either unbiased or correction, not both`);
  }
  if (o.unbiased !== undefined) checkBoolean(owner, "unbiased", o.unbiased);
  const correction = o.unbiased === undefined ? o.correction ?? null : o.unbiased ? 1 : 0;
  return [correction, o.keepdim];
}

/** A complex number as `toArray()` returns it for complex64 and complex128 tensors (Python's `complex`). */
export interface Complex {
  /** The real part. */
  re: number;
  /** The imaginary part. */
  im: number;
}

/** Options of reductions over dimensions. */
export interface ReduceOptions {
  /** Keep the reduced dimensions with size 1. */
  keepdim?: boolean;
  /** Accumulate and return in this dtype. */
  dtype?: DType;
}

/** Values and their indices, as returned by `max(dim)`, `min(dim)`, `sort`, `topk`. */
export interface ValuesIndices {
  /** The values. */
  values: Tensor;
  /** Their indices along the dimension (int64). */
  indices: Tensor;
}

/** Target of `to()`: a dtype, a device, or both. */
export interface ToOptions {
  /** The dtype to convert to. */
  dtype?: DType;
  /** The device to move to. */
  device?: Device;
  /** Always copy, even when nothing changes. */
  copy?: boolean;
  /** Asynchronous copy where the devices allow it. */
  nonBlocking?: boolean;
}

/** Options of `backward()`. */
export interface BackwardOptions {
  /** Keep the graph for another backward pass (default: `createGraph`). */
  retainGraph?: boolean;
  /** Build a graph of the backward pass, for higher-order gradients. */
  createGraph?: boolean;
  /** Accumulate gradients only into these leaves. */
  inputs?: Tensor[];
}

const isTensor = (x: unknown): x is Tensor => x instanceof Tensor;

/** Dimensions given either as one array or as separate numbers (`reshape([2, 3])` or `reshape(2, 3)`). */
function dimsOf(first: number | readonly number[], rest: number[], what: string): number[] {
  if (typeof first !== "number" && !Array.isArray(first)) {
    throw new TypeError(
      `${what}: expected integers or one array of integers, got ${describe(first)}${rest.length ? ", ..." : ""}`,
    );
  }
  const dims = typeof first === "number" ? [first, ...rest] : [...first];
  for (const d of dims) {
    if (!Number.isSafeInteger(d)) throw new TypeError(`${what}: expected integers, got ${describe(dims)}`);
  }
  return dims;
}

function checkDim(dim: unknown, what: string): void {
  if (!Number.isSafeInteger(dim)) throw new TypeError(`${what}: dim must be an integer, got ${describe(dim)}`);
}

/**
 * A LibTorch tensor.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * using x = tensor([[1, 2], [3, 4]], { dtype: "float32" });
 * console.log(x.matmul(x).sum().item()); // 54
 * ```
 */
export class Tensor implements Tracked {
  #h: number;
  /** @internal registered with the FinalizationRegistry */
  _registered = false;
  /** @internal marked by keep() */
  _kept = false;
  /** @internal scratch mark of scopes */
  _escapes = false;

  /**
   * @internal Wraps a fresh native handle that this Tensor then owns. Only the library calls it (with its
   * private token): make tensors with `tensor()`, `zeros()`, ..., never from a number.
   */
  constructor(handle: number, token: typeof OWN_HANDLE) {
    if (token !== OWN_HANDLE) {
      throw new TypeError(
        "new Tensor(...) is not a way to make a tensor (a native handle cannot be wrapped by user code: " +
          "a wrong or shared handle would corrupt memory); use tensor(data), zeros(shape), fromBytes(...), " +
          "or clone() an existing tensor",
      );
    }
    if (typeof handle !== "number" || handle === 0) throw new TypeError("Tensor: null native handle");
    this.#h = handle;
    track(this);
  }

  // ---------------------------------------------------------------- lifecycle

  /** The native handle; throws if the tensor was disposed. */
  get handle(): number {
    const h = this.#h;
    if (h === 0) {
      throw new ReferenceError(
        "this Tensor was disposed (by dispose(), `using`, or the end of its tidy() scope); " +
          "keep() it or return it from the scope to use it later",
      );
    }
    return h;
  }

  /** @internal the handle, 0 once disposed */
  get _handleOrZero(): number {
    return this.#h;
  }

  /** Whether `dispose()` was called (the native tensor is freed). */
  get isDisposed(): boolean {
    return this.#h === 0;
  }

  /** Frees the native tensor now. Calling it again does nothing. */
  dispose(): void {
    const h = this.#h;
    if (h === 0) return;
    this.#h = 0;
    if (this._registered) unregister(this);
    tt_tensor_free(h);
  }

  /**
   * Takes over `other`'s native tensor, freeing this one's: the object keeps its identity (optimizers and
   * modules holding it see the new data), as PyTorch's `param.data = ...` does. `other` is left disposed.
   */
  _adopt(other: Tensor): void {
    if (other === this) return;
    const h = other.handle;
    const kept = this._registered;
    other.#h = 0;
    if (other._registered) unregister(other);
    const old = this.handle;
    if (kept) unregister(this);
    this.#h = h;
    tt_tensor_free(old);
    if (kept) register(this);
  }

  /** `using x = ...` frees the tensor at the end of the block. */
  [Symbol.dispose](): void {
    this.dispose();
  }

  // ---------------------------------------------------------------- metadata

  #info(): number {
    const h = this.handle;
    const ndim = tt_tensor_info(h, infoU8, info.length);
    if (ndim >= 0) return ndim;
    if (ndim === -1) throw new RangeError("tensors with more than 64 dimensions are not supported");
    lib.tt_tensor_info_error(h, errBuf, ERRCAP);
    throw new TorchError(readError(), "tensor metadata");
  }

  /** The size of each dimension. */
  get shape(): number[] {
    const ndim = this.#info();
    const s = new Array<number>(ndim);
    for (let i = 0; i < ndim; i++) s[i] = info[8 + i];
    return s;
  }

  /** The size of each dimension, or of dimension `dim` (negative counts from the end). */
  size(): number[];
  /** The size of dimension `dim` (negative counts from the end). */
  size(dim: number): number;
  size(dim?: number): number[] | number {
    const shape = this.shape;
    if (dim === undefined) return shape;
    checkDim(dim, "size");
    const d = dim < 0 ? dim + shape.length : dim;
    if (d < 0 || d >= shape.length) {
      throw new RangeError(
        `size: dimension out of range (expected to be in range of [${-shape.length}, ${shape.length - 1}], but got ${
          describe(dim)
        })`,
      );
    }
    return shape[d];
  }

  /** The strides of each dimension, in elements. */
  stride(): number[] {
    const ndim = this.#info();
    return Array.from(info.subarray(8 + ndim, 8 + 2 * ndim));
  }

  /** The number of dimensions. */
  get ndim(): number {
    return this.#info();
  }

  /** The number of dimensions (PyTorch's `dim()`). */
  dim(): number {
    return this.#info();
  }

  /** The number of elements. */
  numel(): number {
    this.#info();
    return info[7];
  }

  /** The data type. */
  get dtype(): DType {
    this.#info();
    return dtypeFromCode(info[1]);
  }

  /** The device holding the data. */
  get device(): Device {
    this.#info();
    return formatDevice(info[3], info[4]);
  }

  /** Whether the data type is floating point. */
  get isFloatingPoint(): boolean {
    return isFloatingPoint(this.dtype);
  }

  /** Whether the data type is complex (complex64, complex128), PyTorch's `is_complex()`. */
  get isComplex(): boolean {
    return isComplex(this.dtype);
  }

  /** Whether the data is on a CUDA device. */
  get isCuda(): boolean {
    this.#info();
    return info[3] === 1;
  }

  // ---------------------------------------------------------------- autograd

  /** Whether autograd records operations on this tensor. */
  get requiresGrad(): boolean {
    this.#info();
    return info[5] === 1;
  }

  set requiresGrad(flag: boolean) {
    if (!this.isLeaf) {
      throw new TorchError(
        "you can only change requires_grad flags of leaf variables." +
          (flag ? "" : " If you want to use a computed variable in a subgraph that doesn't require " +
            "differentiation use var_no_grad = var.detach()."),
        "requiresGrad",
      );
    }
    if (lib.tt_tensor_set_requires_grad(this.handle, flag ? 1 : 0, errBuf, ERRCAP) < 0) {
      throw new TorchError(readError(), "requiresGrad");
    }
  }

  /** Sets `requiresGrad` in place and returns this tensor (PyTorch's `requires_grad_`). */
  requiresGrad_(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** Whether this is a leaf of the autograd graph (created by the user, not by an operation). */
  get isLeaf(): boolean {
    this.#info();
    return info[6] === 1;
  }

  /** The name of the autograd node that created this tensor (`AddBackward0`), or null for leaves. */
  get gradFn(): string | null {
    const h = this.handle;
    const name = readString((out, cap) => lib.tt_tensor_grad_fn(h, out, cap));
    return name === "" ? null : name;
  }

  /**
   * The accumulated gradient, or null. Each read returns a new Tensor sharing the gradient's storage
   * (dispose it when done in long loops, or read it inside `tidy`).
   */
  get grad(): Tensor | null {
    const g = lib.tt_tensor_grad(this.handle);
    return g === 0 ? null : new Tensor(g, OWN_HANDLE);
  }

  set grad(g: Tensor | null) {
    if (g !== null && !isTensor(g)) throw new TypeError("grad: expected a Tensor or null");
    if (lib.tt_tensor_set_grad(this.handle, g === null ? 0 : g.handle, errBuf, ERRCAP) < 0) {
      throw new TorchError(readError(), "grad");
    }
  }

  /**
   * Computes the gradients of this tensor with respect to the graph leaves, accumulating them in their
   * `grad`. `gradient` is required unless the tensor holds one element.
   */
  backward(gradient?: Tensor | null, options?: BackwardOptions): void;
  /** PyTorch's positional form `backward(gradient, retain_graph, create_graph, inputs)`. */
  backward(
    gradient: Tensor | null | undefined,
    retainGraph: boolean | undefined,
    createGraph?: boolean,
    inputs?: Tensor[],
  ): void;
  backward(gradient?: Tensor | null, ...args: unknown[]): void {
    const options = named<BackwardOptions>(
      "backward",
      args,
      ["retainGraph", "createGraph", "inputs"],
      [],
      "x.backward(null, { retainGraph: true, createGraph: false, inputs: [w] })",
    );
    runBackward([this], [gradient ?? null], options);
  }

  /** Keeps `grad` for this non-leaf tensor during backward. */
  retainGrad(): void {
    callV(A.retain_grad, this);
  }

  /** A tensor sharing the data, detached from the autograd graph. */
  detach(): Tensor {
    return callT(A.detach, this);
  }

  /** Detaches this tensor from the graph in place. */
  detach_(): this {
    callV(A.detach_, this);
    return this;
  }

  // ---------------------------------------------------------------- data out

  /**
   * A copy of the elements in a TypedArray, row-major: Float32Array for float32 (and for float16 and
   * bfloat16, converted), Float64Array, BigInt64Array for int64, Int32Array, Int16Array, Int8Array,
   * Uint8Array for uint8 and bool (0 or 1). Complex tensors give their real and imaginary parts
   * interleaved, `[re0, im0, re1, im1, ...]` (`2 * numel()` values): a Float32Array for complex64, a
   * Float64Array for complex128, the memory layout of `viewAsReal()`. Lazily negated or conjugated views
   * and autograd's storage-less zero tensors are read as the values they stand for.
   */
  data(): TypedArray {
    const dtype = this.dtype;
    if (dtype === "float16" || dtype === "bfloat16") {
      const f = this.to({ dtype: "float32" });
      try {
        return f.data();
      } finally {
        f.dispose();
      }
    }
    const n = this.numel();
    const out = allocFor(dtype, n);
    const bytes = new Uint8Array(out.buffer, out.byteOffset, n * ITEM_SIZE[dtype]);
    if (lib.tt_tensor_copy_to(this.handle, bytes, bytes.length, errBuf, ERRCAP) < 0) {
      throw new TorchError(readError(), "data");
    }
    return out;
  }

  /**
   * The elements as (nested) JS arrays of numbers, or booleans for bool tensors (PyTorch's `tolist`).
   * Complex elements become `{ re, im }` objects ({@linkcode Complex}), as `tolist` gives Python
   * complex numbers.
   */
  toArray(): NestedArray<number | boolean | Complex> {
    const shape = this.shape;
    const dtype = this.dtype;
    const flat = this.data();
    const get: (i: number) => number | boolean | Complex = dtype === "bool"
      ? (i) => flat[i] !== 0
      : dtype === "int64"
      ? (i) => Number((flat as BigInt64Array)[i])
      : isComplex(dtype)
      ? (i) => ({ re: (flat as Float64Array)[2 * i], im: (flat as Float64Array)[2 * i + 1] })
      : (i) => (flat as Float32Array)[i];
    if (shape.length === 0) return get(0);
    let pos = 0;
    const build = (d: number): NestedArray<number | boolean | Complex>[] => {
      const n = shape[d];
      const out = new Array(n);
      if (d === shape.length - 1) { for (let i = 0; i < n; i++) out[i] = get(pos++); }
      else for (let i = 0; i < n; i++) out[i] = build(d + 1);
      return out;
    };
    return build(0);
  }

  /** The value of a one-element tensor, as a number (or boolean for bool tensors). */
  item(): number {
    if (isComplex(this.dtype)) {
      throw new TypeError("item: a complex tensor's value is not a number; read it with toArray() ({ re, im })");
    }
    const n = this.numel();
    if (n !== 1) {
      throw new RangeError(`item: a Tensor with ${n} elements cannot be converted to a number (it needs exactly 1)`);
    }
    const [v] = callN(A.item, [this]);
    return v as number;
  }

  /**
   * @internal The elements that printing shows: all of them (`edge` null), or those of this tensor cut to
   * its first and last `edge` entries along every dimension longer than `2 * edge` (PyTorch's
   * summarised printing), so a huge tensor costs only what is printed.
   */
  _printData(edge: number | null): TypedArray {
    if (edge === null) return this.data();
    const shape = this.shape;
    let cut: Tensor | null = null; // this tensor cut so far (null: nothing cut yet)
    try {
      for (let d = 0; d < shape.length; d++) {
        const n = shape[d];
        if (n <= 2 * edge) continue;
        const src = cut ?? this;
        const head = callT(A.narrow, src, d, 0, edge);
        const tail = callT(A.narrow, src, d, n - edge, edge);
        const next = callT(A.cat, [head, tail], d);
        head.dispose();
        tail.dispose();
        cut?.dispose();
        cut = next;
      }
      return (cut ?? this).data();
    } finally {
      cut?.dispose();
    }
  }

  /** A PyTorch-style text rendering, `tensor([[1., 2.], [3., 4.]], requires_grad=True)`. */
  toString(): string {
    if (this.isDisposed) return "Tensor(disposed)";
    return formatTensor(this);
  }

  /** Deno's `console.log` rendering. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Rich display in Deno's Jupyter kernel: shape, dtype, device, the printout, a heatmap for 2-D. */
  [Symbol.for("Jupyter.display")](): Record<string, string> {
    return tensorBundle(this);
  }

  // ---------------------------------------------------------------- conversion

  /** Converts to a dtype and/or moves to a device (a new tensor; this one when nothing changes). */
  to(target: DType | Device | ToOptions): Tensor {
    let o: ToOptions;
    if (typeof target === "string") {
      o = target === "cpu" || target.startsWith("cuda") ? { device: target as Device } : { dtype: target as DType };
    } else if (typeof target === "object" && target !== null) {
      o = checkOptions("to", target, ["dtype", "device", "copy", "nonBlocking"], '{ dtype: "float64", device: "cpu" }');
    } else throw new TypeError(`to: expected a dtype, a device or {dtype, device}, got ${describe(target)}`);
    const dev = o.device === undefined ? null : deviceArg(o.device);
    return callTA(A.to, [
      this,
      o.dtype === undefined ? null : dtypeArg(toDType(o.dtype, "to")),
      null,
      dev,
      null,
      o.nonBlocking ?? false,
      o.copy ?? false,
    ]);
  }

  /**
   * A complex tensor as a real view with a last dimension of 2 (real, imaginary), sharing its memory
   * (PyTorch's `torch.view_as_real`): complex64 gives float32, complex128 float64.
   *
   * @example
   * ```ts
   * import { tensor } from "../mod.ts";
   * const z = tensor([1, 2, 3, 4], { dtype: "float32" }).view(2, 2).viewAsComplex(); // [1+2j, 3+4j]
   * z.viewAsReal().toArray(); // [[1, 2], [3, 4]]
   * ```
   */
  viewAsReal(): Tensor {
    return callT(VIEW_AS_REAL, this);
  }

  /**
   * A float32 or float64 tensor whose last dimension has size 2 (and stride 1) viewed as complex64 or
   * complex128, sharing its memory (PyTorch's `torch.view_as_complex`).
   */
  viewAsComplex(): Tensor {
    return callT(VIEW_AS_COMPLEX, this);
  }

  /** The real part (a view for complex tensors; the tensor itself for real ones), PyTorch's `real`. */
  real(): Tensor {
    return callT(REAL, this);
  }

  /** The imaginary part of a complex tensor (a view), PyTorch's `imag`. */
  imag(): Tensor {
    return callT(IMAG, this);
  }

  /** A copy on the CPU. */
  cpu(): Tensor {
    return this.to({ device: "cpu" });
  }

  /** A copy on a CUDA device. */
  cuda(index?: number): Tensor {
    if (index !== undefined && (!Number.isSafeInteger(index) || index < 0)) {
      throw new TypeError(`cuda: index must be a non-negative integer (a CUDA device), got ${describe(index)}`);
    }
    return this.to({ device: index === undefined ? "cuda" : `cuda:${index}` });
  }

  /** Converted to float32. */
  float(): Tensor {
    return this.to({ dtype: "float32" });
  }

  /** Converted to float64. */
  double(): Tensor {
    return this.to({ dtype: "float64" });
  }

  /** Converted to float16. */
  half(): Tensor {
    return this.to({ dtype: "float16" });
  }

  /** Converted to int64. */
  long(): Tensor {
    return this.to({ dtype: "int64" });
  }

  /** Converted to int32. */
  int(): Tensor {
    return this.to({ dtype: "int32" });
  }

  /** Converted to bool. */
  bool(): Tensor {
    return this.to({ dtype: "bool" });
  }

  /** A copy with its own storage. */
  clone(): Tensor {
    return callT(A.clone, this);
  }

  /** A tensor with the same data laid out contiguously (this one's data when already contiguous). */
  contiguous(): Tensor {
    return callT(A.contiguous, this);
  }

  // ---------------------------------------------------------------- arithmetic

  /** `this + alpha * other` (numbers are passed as wrapped-number tensors, as Python does). */
  add(other: Tensor | number, options?: { alpha?: number }): Tensor {
    return callT(A.add_t, this, other, options === undefined ? undefined : alphaOf("add", options));
  }

  /** `this - alpha * other`. */
  sub(other: Tensor | number, options?: { alpha?: number }): Tensor {
    return callT(A.sub_t, this, other, options === undefined ? undefined : alphaOf("sub", options));
  }

  /** `other - this` (PyTorch's `rsub`, for `number - tensor`). */
  rsub(other: number): Tensor {
    return callT(A.rsub_s, this, other);
  }

  /** Elementwise product. */
  mul(other: Tensor | number): Tensor {
    return callT(A.mul_t, this, other);
  }

  /** Elementwise true division, or rounded with `roundingMode` `"trunc"` or `"floor"`. */
  div(other: Tensor | number, options?: { roundingMode?: "trunc" | "floor" }): Tensor {
    const mode = options === undefined ? undefined : named<{ roundingMode?: "trunc" | "floor" }>(
      "div",
      [options],
      [],
      ["roundingMode"],
      'x.div(y, { roundingMode: "floor" })',
    ).roundingMode;
    if (mode !== undefined) return callT(A.div_tm, this, other, mode);
    return callT(A.div_t, this, other);
  }

  /** Python's `%`: the remainder with the sign of the divisor. */
  remainder(other: Tensor | number): Tensor {
    return callT(isTensor(other) ? A.remainder_t : A.remainder_s, this, other);
  }

  /** C's `fmod`: the remainder with the sign of the dividend. */
  fmod(other: Tensor | number): Tensor {
    return callT(isTensor(other) ? A.fmod_t : A.fmod_s, this, other);
  }

  /** Elementwise power. */
  pow(exponent: Tensor | number): Tensor {
    return callT(isTensor(exponent) ? A.pow_tt : A.pow_ts, this, exponent);
  }

  /** `-this`. */
  neg(): Tensor {
    return callT(A.neg, this);
  }

  /** Absolute value. */
  abs(): Tensor {
    return callT(A.abs, this);
  }

  /** `e^x`. */
  exp(): Tensor {
    return callT(A.exp, this);
  }

  /** Natural logarithm. */
  log(): Tensor {
    return callT(A.log, this);
  }

  /** Base-2 logarithm. */
  log2(): Tensor {
    return callT(A.log2, this);
  }

  /** `log(1 + x)`, accurate for small x. */
  log1p(): Tensor {
    return callT(A.log1p, this);
  }

  /** `e^x - 1`, accurate for small x. */
  expm1(): Tensor {
    return callT(A.expm1, this);
  }

  /** Square root. */
  sqrt(): Tensor {
    return callT(A.sqrt, this);
  }

  /** `1 / sqrt(x)`. */
  rsqrt(): Tensor {
    return callT(A.rsqrt, this);
  }

  /** `x * x`. */
  square(): Tensor {
    return callT(A.square, this);
  }

  /** `1 / x`. */
  reciprocal(): Tensor {
    return callT(A.reciprocal, this);
  }

  /** -1, 0 or 1. */
  sign(): Tensor {
    return callT(A.sign, this);
  }

  /** Rounded down. */
  floor(): Tensor {
    return callT(A.floor, this);
  }

  /** Rounded up. */
  ceil(): Tensor {
    return callT(A.ceil, this);
  }

  /** Rounded half to even. */
  round(): Tensor {
    return callT(A.round, this);
  }

  /** Rounded towards zero. */
  trunc(): Tensor {
    return callT(A.trunc, this);
  }

  /** Sine. */
  sin(): Tensor {
    return callT(A.sin, this);
  }

  /** Cosine. */
  cos(): Tensor {
    return callT(A.cos, this);
  }

  /** Hyperbolic tangent. */
  tanh(): Tensor {
    return callT(A.tanh, this);
  }

  /** Logistic sigmoid `1 / (1 + e^-x)`. */
  sigmoid(): Tensor {
    return callT(A.sigmoid, this);
  }

  /** `max(x, 0)`. */
  relu(): Tensor {
    return callT(A.relu, this);
  }

  /** The error function. */
  erf(): Tensor {
    return callT(A.erf, this);
  }

  /**
   * Limits values to `[min, max]`; either bound may be null. Bounds are numbers or tensors (both the same
   * kind), or pass `{min, max}`.
   */
  clamp(
    min?: Tensor | number | null | { min?: Tensor | number | null; max?: Tensor | number | null },
    max?: Tensor | number | null,
  ): Tensor {
    const [lo, hi] = clampBounds(min, max);
    return callT(isTensor(lo) || isTensor(hi) ? A.clamp_t : A.clamp_s, this, lo, hi);
  }

  /** Elementwise maximum of two tensors. */
  maximum(other: Tensor): Tensor {
    return callT(A.maximum, this, other);
  }

  /** Elementwise minimum of two tensors. */
  minimum(other: Tensor): Tensor {
    return callT(A.minimum, this, other);
  }

  /** `this + weight * (end - this)`. */
  lerp(end: Tensor, weight: number): Tensor {
    return callT(A.lerp_s, this, end, weight);
  }

  /** In place: `this += weight * (end - this)`. */
  lerp_(end: Tensor, weight: number): this {
    callV(A.lerp__s, this, end, weight);
    return this;
  }

  /** `this + value * t1 * t2`. */
  addcmul(t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return callT(A.addcmul, this, t1, t2, options === undefined ? undefined : valueOf("addcmul", options));
  }

  /** `this + value * t1 / t2`. */
  addcdiv(t1: Tensor, t2: Tensor, options?: { value?: number }): Tensor {
    return callT(A.addcdiv, this, t1, t2, options === undefined ? undefined : valueOf("addcdiv", options));
  }

  // ---------------------------------------------------------------- in place

  /** In-place `this += alpha * other`. */
  add_(other: Tensor | number, options?: { alpha?: number }): this {
    callV(A.add__t, this, other, options === undefined ? undefined : alphaOf("add_", options));
    return this;
  }

  /** In-place `this -= alpha * other`. */
  sub_(other: Tensor | number, options?: { alpha?: number }): this {
    callV(A.sub__t, this, other, options === undefined ? undefined : alphaOf("sub_", options));
    return this;
  }

  /** In-place `this *= other`. */
  mul_(other: Tensor | number): this {
    callV(A.mul__t, this, other);
    return this;
  }

  /** In-place `this /= other`. */
  div_(other: Tensor | number): this {
    callV(A.div__t, this, other);
    return this;
  }

  /** In-place `this += value * t1 * t2`. */
  addcmul_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    callV(A.addcmul_, this, t1, t2, options === undefined ? undefined : valueOf("addcmul_", options));
    return this;
  }

  /** In-place `this += value * t1 / t2`. */
  addcdiv_(t1: Tensor, t2: Tensor, options?: { value?: number }): this {
    callV(A.addcdiv_, this, t1, t2, options === undefined ? undefined : valueOf("addcdiv_", options));
    return this;
  }

  /** In-place square root. */
  sqrt_(): this {
    callV(A.sqrt_, this);
    return this;
  }

  /** In-place `e^x`. */
  exp_(): this {
    callV(A.exp_, this);
    return this;
  }

  /** In-place negation. */
  neg_(): this {
    callV(A.neg_, this);
    return this;
  }

  /** In-place clamp (see `clamp`). */
  clamp_(
    min?: Tensor | number | null | { min?: Tensor | number | null; max?: Tensor | number | null },
    max?: Tensor | number | null,
  ): this {
    const [lo, hi] = clampBounds(min, max);
    callV(isTensor(lo) || isTensor(hi) ? A.clamp__t : A.clamp__s, this, lo, hi);
    return this;
  }

  /** Copies `src` (broadcast, converted) into this tensor. */
  copy_(src: Tensor, nonBlocking?: boolean | { nonBlocking?: boolean }): this {
    const o = named<{ nonBlocking?: boolean }>(
      "copy_",
      [nonBlocking],
      ["nonBlocking"],
      [],
      "x.copy_(src, { nonBlocking: true })",
    );
    callV(A.copy_, this, src, o.nonBlocking);
    return this;
  }

  /** Fills with zeros. */
  zero_(): this {
    callV(A.zero_, this);
    return this;
  }

  /** Fills with `value`. */
  fill_(value: number | boolean): this {
    callV(A.fill__s, this, fillArg(value, this.dtype));
    return this;
  }

  /** Fills where `mask` is true with `value`. */
  maskedFill_(mask: Tensor, value: number | boolean): this {
    callV(A.masked_fill__s, this, mask, value);
    return this;
  }

  /** Fills with draws from U(from, to) of the global generator. */
  uniform_(from = 0, to = 1): this {
    callV(A.uniform_, this, from, to);
    return this;
  }

  /** Fills with draws from N(mean, std^2) of the global generator. */
  normal_(mean = 0, std = 1): this {
    callV(A.normal_, this, mean, std);
    return this;
  }

  /** Fills with Bernoulli(p) draws (0 or 1). */
  bernoulli_(p = 0.5): this {
    callV(A.bernoulli_f, this, p);
    return this;
  }

  /** Writes `values` at `indices` (one index tensor or null per leading dimension); `accumulate` adds. */
  indexPut_(indices: (Tensor | null)[], values: Tensor, accumulate?: boolean | { accumulate?: boolean }): this {
    const o = named<{ accumulate?: boolean }>(
      "indexPut_",
      [accumulate],
      ["accumulate"],
      [],
      "x.indexPut_([i], v, { accumulate: true })",
    );
    callV(A.index_put_, this, indices, values, o.accumulate);
    return this;
  }

  // ---------------------------------------------------------------- comparison and logic

  /** Elementwise `==`. */
  eq(other: Tensor | number | boolean): Tensor {
    return callT(isTensor(other) ? A.eq_t : A.eq_s, this, other);
  }

  /** Elementwise `!=`. */
  ne(other: Tensor | number | boolean): Tensor {
    return callT(isTensor(other) ? A.ne_t : A.ne_s, this, other);
  }

  /** Elementwise `<`. */
  lt(other: Tensor | number): Tensor {
    return callT(isTensor(other) ? A.lt_t : A.lt_s, this, other);
  }

  /** Elementwise `<=`. */
  le(other: Tensor | number): Tensor {
    return callT(isTensor(other) ? A.le_t : A.le_s, this, other);
  }

  /** Elementwise `>`. */
  gt(other: Tensor | number): Tensor {
    return callT(isTensor(other) ? A.gt_t : A.gt_s, this, other);
  }

  /** Elementwise `>=`. */
  ge(other: Tensor | number): Tensor {
    return callT(isTensor(other) ? A.ge_t : A.ge_s, this, other);
  }

  /** Elementwise NOT. */
  logicalNot(): Tensor {
    return callT(A.logical_not, this);
  }

  /** Elementwise AND. */
  logicalAnd(other: Tensor): Tensor {
    return callT(A.logical_and, this, other);
  }

  /** Elementwise OR. */
  logicalOr(other: Tensor): Tensor {
    return callT(A.logical_or, this, other);
  }

  /** Elementwise XOR. */
  logicalXor(other: Tensor): Tensor {
    return callT(A.logical_xor, this, other);
  }

  /** Where NaN. */
  isnan(): Tensor {
    return callT(A.isnan, this);
  }

  /** Where infinite. */
  isinf(): Tensor {
    return callT(A.isinf, this);
  }

  /** Where finite. */
  isfinite(): Tensor {
    return callT(A.isfinite, this);
  }

  /** `condition ? this : other`, elementwise (PyTorch's `x.where(condition, y)`). */
  where(condition: Tensor, other: Tensor | number): Tensor {
    return callT(A.where_self, condition, this, other);
  }

  /** Whether all elements are close: `|this - other| <= atol + rtol * |other|`. */
  allclose(other: Tensor, options?: { rtol?: number; atol?: number; equalNan?: boolean }): boolean;
  /** PyTorch's positional form `allclose(other, rtol=1e-05, atol=1e-08, equal_nan=False)`. */
  allclose(other: Tensor, rtol: number, atol?: number, equalNan?: boolean): boolean;
  allclose(other: Tensor, ...args: unknown[]): boolean {
    const o = named<{ rtol?: number; atol?: number; equalNan?: boolean }>(
      "allclose",
      args,
      ["rtol", "atol", "equalNan"],
      [],
      "x.allclose(y, { rtol: 1e-5, atol: 1e-8, equalNan: false })",
    );
    return callN(A.allclose, [this, other, o.rtol, o.atol, o.equalNan])[0] as boolean;
  }

  /** Whether both have the same shape and elements. */
  equal(other: Tensor): boolean {
    return callN(A.equal, [this, other])[0] as boolean;
  }

  // ---------------------------------------------------------------- reductions

  /**
   * Sum of all elements, or over `dim`; `keepdim` and `dtype` by position (PyTorch's
   * `sum(dim, keepdim=False, dtype=None)`) or in an options object.
   */
  sum(dim?: number | number[] | null, keepdim?: boolean | ReduceOptions, dtype?: DType): Tensor {
    const options = reduceOptions("sum", keepdim, dtype);
    const dt = options.dtype === undefined ? undefined : dtypeArg(options.dtype);
    if ((dim === undefined || dim === null) && !options.keepdim) return callT(A.sum, this, dt);
    return callT(A.sum_dim, this, dim ?? null, options.keepdim ?? false, dt ?? null);
  }

  /**
   * Mean of all elements, or over `dim`; `keepdim` and `dtype` by position (PyTorch's
   * `mean(dim, keepdim=False, dtype=None)`) or in an options object.
   */
  mean(dim?: number | number[] | null, keepdim?: boolean | ReduceOptions, dtype?: DType): Tensor {
    const options = reduceOptions("mean", keepdim, dtype);
    const dt = options.dtype === undefined ? undefined : dtypeArg(options.dtype);
    if ((dim === undefined || dim === null) && !options.keepdim) return callT(A.mean, this, dt);
    return callT(A.mean_dim, this, dim ?? null, options.keepdim ?? false, dt ?? null);
  }

  /**
   * Product of all elements, or over `dim`; `keepdim` and `dtype` by position (PyTorch's
   * `prod(dim, keepdim=False, dtype=None)`) or in an options object.
   */
  prod(dim?: number | null, keepdim?: boolean | ReduceOptions, dtype?: DType): Tensor {
    const options = reduceOptions("prod", keepdim, dtype);
    const dt = options.dtype === undefined ? undefined : dtypeArg(options.dtype);
    if (dim === undefined || dim === null) {
      if (options.keepdim) {
        throw new TypeError("prod: keepdim needs a dim (PyTorch has no prod(keepdim=True) over all elements)");
      }
      return callT(A.prod, this, dt);
    }
    return callT(A.prod_dim, this, dim, options.keepdim ?? false, dt ?? null);
  }

  /** The largest element; with `dim`, the largest values and their indices; with a tensor, the elementwise maximum. */
  max(): Tensor;
  /** The largest values along `dim` and their indices (`keepdim` by position, as PyTorch's, or by name). */
  max(dim: number, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  /** The elementwise maximum with `other`. */
  max(other: Tensor): Tensor;
  max(dim?: number | Tensor, keepdim?: boolean | { keepdim?: boolean }): Tensor | ValuesIndices {
    if (dim === undefined) return callT(A.max, this);
    if (isTensor(dim)) return callT(A.maximum, this, dim);
    checkDim(dim, "max");
    return valuesIndices(callN(A.max_dim, [this, dim, keepdimOf("max", keepdim)]));
  }

  /** The smallest element; with `dim`, the smallest values and their indices; with a tensor, the elementwise minimum. */
  min(): Tensor;
  /** The smallest values along `dim` and their indices (`keepdim` by position, as PyTorch's, or by name). */
  min(dim: number, keepdim?: boolean | { keepdim?: boolean }): ValuesIndices;
  /** The elementwise minimum with `other`. */
  min(other: Tensor): Tensor;
  min(dim?: number | Tensor, keepdim?: boolean | { keepdim?: boolean }): Tensor | ValuesIndices {
    if (dim === undefined) return callT(A.min, this);
    if (isTensor(dim)) return callT(A.minimum, this, dim);
    checkDim(dim, "min");
    return valuesIndices(callN(A.min_dim, [this, dim, keepdimOf("min", keepdim)]));
  }

  /** Index of the largest element (of the flattened tensor, or along `dim`). */
  argmax(dim?: number | null, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    return callT(A.argmax, this, dim ?? null, keepdimOf("argmax", keepdim));
  }

  /** Index of the smallest element (of the flattened tensor, or along `dim`). */
  argmin(dim?: number | null, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    return callT(A.argmin, this, dim ?? null, keepdimOf("argmin", keepdim));
  }

  /**
   * Standard deviation; `correction` 1 (default) is Bessel's, 0 the population's. PyTorch's positional form
   * `std(dim, unbiased=True, keepdim=False)` works too.
   */
  std(dim?: number | number[] | null, options?: VarianceOptions): Tensor;
  /** PyTorch's positional form `std(dim, unbiased=True, keepdim=False)`. */
  std(dim: number | number[] | null | undefined, unbiased: boolean, keepdim?: boolean): Tensor;
  std(dim?: number | number[] | null, ...args: unknown[]): Tensor {
    const [correction, keepdim] = varianceOptions("std", args);
    return callT(A.std, this, dim ?? null, correction, keepdim);
  }

  /**
   * Variance; `correction` 1 (default) is Bessel's, 0 the population's. PyTorch's positional form
   * `var(dim, unbiased=True, keepdim=False)` works too.
   */
  var(dim?: number | number[] | null, options?: VarianceOptions): Tensor;
  /** PyTorch's positional form `var(dim, unbiased=True, keepdim=False)`. */
  var(dim: number | number[] | null | undefined, unbiased: boolean, keepdim?: boolean): Tensor;
  var(dim?: number | number[] | null, ...args: unknown[]): Tensor {
    const [correction, keepdim] = varianceOptions("var", args);
    return callT(A.var, this, dim ?? null, correction, keepdim);
  }

  /** `log(sum(exp(x)))` over `dim`, computed stably. */
  logsumexp(dim: number | number[], keepdim?: boolean | { keepdim?: boolean }): Tensor {
    return callT(A.logsumexp, this, dim, keepdimOf("logsumexp", keepdim));
  }

  /** The p-norm (default 2) of all elements, or over `dim`. */
  norm(p = 2, dim?: number | number[] | null, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    return callT(A.norm, this, p, dim ?? null, keepdimOf("norm", keepdim));
  }

  /** Whether all elements are true (or along `dim`, keeping it with `keepdim`, by position as PyTorch's). */
  all(dim?: number, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    if (dim === undefined) {
      if (keepdimOf("all", keepdim)) throw new TypeError("all: keepdim needs a dim");
      return callT(A.all, this);
    }
    return callT(A.all_dim, this, dim, keepdimOf("all", keepdim));
  }

  /** Whether any element is true (or along `dim`, keeping it with `keepdim`, by position as PyTorch's). */
  any(dim?: number, keepdim?: boolean | { keepdim?: boolean }): Tensor {
    if (dim === undefined) {
      if (keepdimOf("any", keepdim)) throw new TypeError("any: keepdim needs a dim");
      return callT(A.any, this);
    }
    return callT(A.any_dim, this, dim, keepdimOf("any", keepdim));
  }

  /** Cumulative sum along `dim`. */
  cumsum(dim: number, options?: { dtype?: DType }): Tensor {
    const o = named<{ dtype?: DType }>("cumsum", [options], [], ["dtype"], 'x.cumsum(0, { dtype: "float64" })');
    return callT(A.cumsum, this, dim, o.dtype === undefined ? null : dtypeArg(o.dtype));
  }

  /** Sorted values along `dim` (default the last) and their original indices. */
  sort(dim = -1, descending?: boolean | { descending?: boolean }): ValuesIndices {
    const o = named<{ descending?: boolean }>(
      "sort",
      [descending],
      ["descending"],
      [],
      "x.sort(0, { descending: true })",
    );
    return valuesIndices(callN(A.sort, [this, dim, o.descending ?? false]));
  }

  /** Indices that sort the tensor along `dim`. */
  argsort(dim = -1, descending?: boolean | { descending?: boolean }): Tensor {
    const o = named<{ descending?: boolean }>(
      "argsort",
      [descending],
      ["descending"],
      [],
      "x.argsort(0, { descending: true })",
    );
    return callT(A.argsort, this, dim, o.descending ?? false);
  }

  /** The `k` largest (or smallest) values along `dim` and their indices. */
  topk(k: number, dim?: number, options?: { largest?: boolean; sorted?: boolean }): ValuesIndices;
  /** PyTorch's positional form `topk(k, dim=-1, largest=True, sorted=True)`. */
  topk(k: number, dim: number | undefined, largest: boolean, sorted?: boolean): ValuesIndices;
  topk(k: number, dim = -1, ...args: unknown[]): ValuesIndices {
    const o = named<{ largest?: boolean; sorted?: boolean }>(
      "topk",
      args,
      ["largest", "sorted"],
      [],
      "x.topk(3, -1, { largest: true, sorted: true })",
    );
    return valuesIndices(callN(A.topk, [this, k, dim, o.largest ?? true, o.sorted ?? true]));
  }

  /** Softmax along `dim`. */
  softmax(dim: number, dtype?: DType | { dtype?: DType }): Tensor {
    const o = named<{ dtype?: DType }>("softmax", [dtype], ["dtype"], [], 'x.softmax(1, { dtype: "float64" })');
    return callT(A.softmax, this, dim, o.dtype === undefined ? null : dtypeArg(o.dtype));
  }

  /** Log-softmax along `dim`. */
  logSoftmax(dim: number, dtype?: DType | { dtype?: DType }): Tensor {
    const o = named<{ dtype?: DType }>("logSoftmax", [dtype], ["dtype"], [], 'x.logSoftmax(1, { dtype: "float64" })');
    return callT(A.log_softmax, this, dim, o.dtype === undefined ? null : dtypeArg(o.dtype));
  }

  // ---------------------------------------------------------------- linear algebra

  /** Matrix product with broadcasting (vectors, matrices, batches). */
  matmul(other: Tensor): Tensor {
    return callT(A.matmul, this, other);
  }

  /** Product of two matrices. */
  mm(other: Tensor): Tensor {
    return callT(A.mm, this, other);
  }

  /** Batched product of two 3-D tensors. */
  bmm(other: Tensor): Tensor {
    return callT(A.bmm, this, other);
  }

  /** Dot product of two vectors. */
  dot(other: Tensor): Tensor {
    return callT(A.dot, this, other);
  }

  /** Matrix-vector product. */
  mv(vec: Tensor): Tensor {
    return callT(A.mv, this, vec);
  }

  /** Outer product of two vectors. */
  outer(other: Tensor): Tensor {
    return callT(A.outer, this, other);
  }

  /** The transpose of a matrix (at most 2-D). */
  t(): Tensor {
    return callT(A.t, this);
  }

  // ---------------------------------------------------------------- shape

  /** The same data with a new shape (a view when possible); one dimension may be -1. */
  reshape(shape: number | readonly number[], ...rest: number[]): Tensor {
    return callT(A.reshape, this, dimsOf(shape, rest, "reshape"));
  }

  /** A view with a new shape (the data must be laid out compatibly). */
  view(shape: number | readonly number[], ...rest: number[]): Tensor {
    return callT(A.view, this, dimsOf(shape, rest, "view"));
  }

  /** A view with the dimensions reordered. */
  permute(dims: number | readonly number[], ...rest: number[]): Tensor {
    return callT(A.permute, this, dimsOf(dims, rest, "permute"));
  }

  /** A view with two dimensions swapped. */
  transpose(dim0: number, dim1: number): Tensor {
    return callT(A.transpose, this, dim0, dim1);
  }

  /** Removes dimensions of size 1 (all, or only `dim`). */
  squeeze(dim?: number): Tensor {
    return dim === undefined ? callT(A.squeeze, this) : callT(A.squeeze_dim, this, dim);
  }

  /** Inserts a dimension of size 1 at `dim`. */
  unsqueeze(dim: number): Tensor {
    return callT(A.unsqueeze, this, dim);
  }

  /** Merges dimensions `startDim..endDim` into one. */
  flatten(startDim = 0, endDim = -1): Tensor {
    return callT(A.flatten, this, startDim, endDim);
  }

  /** A view repeated along dimensions of size 1 (-1 keeps a size). */
  expand(shape: number | readonly number[], ...rest: number[]): Tensor {
    return callT(A.expand, this, dimsOf(shape, rest, "expand"));
  }

  /** Expanded to the shape of `other`. */
  expandAs(other: Tensor): Tensor {
    return callT(A.expand_as, this, other);
  }

  /** Tiled `repeats` times along each dimension. */
  repeat(repeats: number | readonly number[], ...rest: number[]): Tensor {
    return callT(A.repeat, this, dimsOf(repeats, rest, "repeat"));
  }

  /** Reversed along `dims`. */
  flip(dims: number | readonly number[], ...rest: number[]): Tensor {
    return callT(A.flip, this, dimsOf(dims, rest, "flip"));
  }

  /** Lower triangle (below diagonal `diagonal`). */
  tril(diagonal = 0): Tensor {
    return callT(A.tril, this, diagonal);
  }

  /** Upper triangle (above diagonal `diagonal`). */
  triu(diagonal = 0): Tensor {
    return callT(A.triu, this, diagonal);
  }

  /** Splits into pieces of `size` (or of the given sizes) along `dim`. */
  split(size: number | number[], dim = 0): Tensor[] {
    const ref = typeof size === "number" ? A.split : A.split_sizes;
    return callN(ref, [this, size, dim])[0] as Tensor[];
  }

  /** Splits into `chunks` nearly equal pieces along `dim`. */
  chunk(chunks: number, dim = 0): Tensor[] {
    return callN(A.chunk, [this, chunks, dim])[0] as Tensor[];
  }

  /** The slices along `dim`, each without that dimension. */
  unbind(dim = 0): Tensor[] {
    return callN(A.unbind, [this, dim])[0] as Tensor[];
  }

  // ---------------------------------------------------------------- indexing

  /** The slice at `index` along `dim` (that dimension removed), a view. */
  select(dim: number, index: number): Tensor {
    return callT(A.select, this, dim, index);
  }

  /** `length` elements from `start` along `dim`, a view. */
  narrow(dim: number, start: number, length: number): Tensor {
    return callT(A.narrow, this, dim, start, length);
  }

  /** Python's `x[start:end:step]` along `dim` (null bounds: the ends), a view. */
  slice(dim = 0, start: number | null = null, end: number | null = null, step = 1): Tensor {
    return callT(A.slice, this, dim, start, end, step);
  }

  /**
   * Advanced indexing, PyTorch's `x[i0, i1, ...]` with index tensors (int64 or bool; null skips a
   * dimension).
   */
  index(indices: (Tensor | null)[]): Tensor {
    return callT(A.index, this, indices);
  }

  /** The entries at `index` (int64) along `dim`. */
  indexSelect(dim: number, index: Tensor): Tensor {
    return callT(A.index_select, this, dim, index);
  }

  /** Gathers values along `dim` at the positions in `index`. */
  gather(dim: number, index: Tensor): Tensor {
    return callT(A.gather, this, dim, index);
  }

  /** A copy with `src` (or a number) written at `index` along `dim`. */
  scatter(dim: number, index: Tensor, src: Tensor | number): Tensor {
    return callT(isTensor(src) ? A.scatter_src : A.scatter_value, this, dim, index, src);
  }

  /** A copy with `src` added at `index` along `dim`. */
  scatterAdd(dim: number, index: Tensor, src: Tensor): Tensor {
    return callT(A.scatter_add, this, dim, index, src);
  }

  /** A copy with `value` where `mask` is true. */
  maskedFill(mask: Tensor, value: Tensor | number | boolean): Tensor {
    return callT(isTensor(value) ? A.masked_fill_t : A.masked_fill_s, this, mask, value);
  }

  /** The elements where `mask` is true, as a 1-D tensor. */
  maskedSelect(mask: Tensor): Tensor {
    return callT(A.masked_select, this, mask);
  }

  /** Indices of the non-zero elements, one row per element. */
  nonzero(): Tensor {
    return callT(A.nonzero, this);
  }
}

function clampBounds(
  min: Tensor | number | null | undefined | { min?: Tensor | number | null; max?: Tensor | number | null },
  max: Tensor | number | null | undefined,
): [Tensor | number | null, Tensor | number | null] {
  if (min !== null && typeof min === "object" && !isTensor(min)) return [min.min ?? null, min.max ?? null];
  const lo = (min ?? null) as Tensor | number | null;
  const hi = max ?? null;
  if (lo === null && hi === null) throw new TypeError("clamp: at least one of min and max must be given");
  if ((isTensor(lo) && typeof hi === "number") || (typeof lo === "number" && isTensor(hi))) {
    throw new TypeError("clamp: min and max must both be numbers or both be tensors");
  }
  return [lo, hi];
}

function valuesIndices(results: unknown[]): ValuesIndices {
  return { values: results[0] as Tensor, indices: results[1] as Tensor };
}

const deviceArgs = new Map<string, Special>();

/** A device argument for an operator. */
export function deviceArg(device: Device): Special {
  let s = deviceArgs.get(device);
  if (s === undefined) {
    const [type, index] = parseDevice(device);
    deviceArgs.set(device, s = new Special(Tag.DEVICE, type, index));
  }
  return s;
}

const backwardWire = new WireWriter(64);

function putTensorList(w: WireWriter, list: readonly (Tensor | null)[], what: string): void {
  if (!Array.isArray(list)) throw new TypeError(`${what}: expected an array of Tensors, got ${describe(list)}`);
  w.list(list.length);
  for (const t of list) {
    if (t === null) w.none();
    else if (isTensor(t)) w.tensor(t.handle);
    else throw new TypeError(`${what}: expected Tensors (or null), got ${describe(t)}`);
  }
}

/** Runs the backward pass from `tensors` (PyTorch's `torch.autograd.backward`). */
export function runBackward(
  tensors: readonly Tensor[],
  grads: readonly (Tensor | null)[],
  options: BackwardOptions = {},
): void {
  if (!Array.isArray(tensors)) {
    throw new TypeError(`backward: tensors must be an array of Tensors, got ${describe(tensors)}`);
  }
  if (options === null || typeof options !== "object") {
    throw new TypeError(`backward: options must be an object, got ${describe(options)}`);
  }
  const w = backwardWire.reset();
  putTensorList(w, tensors, "backward");
  putTensorList(w, grads, "backward: gradient");
  if (options.retainGraph === undefined) w.none();
  else w.bool(options.retainGraph);
  w.bool(options.createGraph ?? false);
  putTensorList(w, options.inputs ?? [], "backward: inputs");
  if (lib.tt_backward(w.u8, w.n, errBuf, ERRCAP) < 0) throw new TorchError(readError(), "backward");
}

/** Wraps a handle returned by a shim entry point, throwing its error when it is 0. */
export function wrapHandle(handle: number, what: string): Tensor {
  return new Tensor(checkHandle(handle, what), OWN_HANDLE);
}

export type { Arg };
