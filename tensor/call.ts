/**
 * Calling ATen operators through the shim's generic dispatcher entry point: operator handles looked up
 * once, arguments encoded into one reused wire buffer, results decoded into Tensors and JS values.
 *
 * @module
 */

import { CallFlag } from "../ffi/abi.ts";
import { errBuf, ERRCAP, heapResult, lib, resultSlots } from "../ffi/native.ts";
import { Tag, WireReader, WireWriter } from "../ffi/wire.ts";
import { typedCalls } from "../ffi/typed_ops_calls.ts";
import type { TypedCall, TypedCalls } from "../ffi/typed_support.ts";
import { type DType, DTYPE_CODE, dtypeFromCode } from "./dtype.ts";
import { formatDevice } from "./device.ts";
import { describe } from "./checks.ts";
import { Float } from "./python_float.ts";
import { Tensor } from "./tensor.ts";
import { OWN_HANDLE } from "./handle_token.ts";
import type { OpRef } from "./operator.ts";

export { op, OpRef, type OpSchema, overloadsOf, type SchemaArg } from "./operator.ts";

/** A value that can be passed to an operator. */
export type Arg =
  | Tensor
  | number
  | boolean
  | string
  | null
  | undefined
  | Special
  | Float
  | readonly Arg[];

/** A value with an explicit wire tag (a dtype, a float that must stay float, ...). */
export class Special {
  /** A value written with `tag` and the payload slots `a` (and `b`). */
  constructor(readonly tag: number, readonly a: number, readonly b = 0) {}
}

const DTYPE_ARGS = new Map<DType, Special>();
for (const [name, code] of Object.entries(DTYPE_CODE)) DTYPE_ARGS.set(name as DType, new Special(Tag.DTYPE, code));

/** A dtype argument. */
export function dtypeArg(d: DType): Special {
  return DTYPE_ARGS.get(d)!;
}

/**
 * `v` marked as a Python float ({@linkcode Float}, the one float mark) even when it is integral (`2` is sent as
 * `2.0`), checked: a TypeError naming `what` for anything but a number.
 */
export function floatArg(v: number, what = "floatArg"): Float {
  if (typeof v !== "number") throw new TypeError(`${what}: expected a number, got ${describe(v)}`);
  return new Float(v);
}

/**
 * A number filled into a tensor of `dtype` (`full`, `fill_`), passed so that LibTorch checks it as PyTorch
 * checks a Python number: as a float for floating and complex dtypes (1e300 into float32 overflows), as an
 * int where it is a whole number within int64, else as a float (LibTorch then refuses what does not fit).
 */
export function fillArg(value: number | boolean, dtype: DType): number | boolean | Float {
  if (typeof value !== "number") return value;
  const floating = dtype === "float32" || dtype === "float64" || dtype === "float16" || dtype === "bfloat16" ||
    dtype === "complex64" || dtype === "complex128";
  if (floating || !Number.isInteger(value) || value < -(2 ** 63) || value >= 2 ** 63) return floatArg(value);
  return value;
}

// destructured once: a property lookup per call on the symbol table costs more than the call itself
const { tt_op_call } = lib;

const w = new WireWriter(4096);
let outF64 = new Float64Array(4096);
let outU8 = new Uint8Array(outF64.buffer);
let outN = 0;
let heapOut: Float64Array | null = null;

/** Writes one JS value to `writer`; `undefined` means "the schema's default". */
export function putArg(writer: WireWriter, v: Arg, what: string, depth = 0): void {
  if (v instanceof Tensor) writer.tensor(v.handle);
  else if (typeof v === "number") {
    // integral numbers within ±2^53 are Python ints; larger ones (1e300) are floats, as Python reads the literal
    if (Number.isSafeInteger(v)) writer.int(v);
    else writer.double(v);
  } else if (v instanceof Float) writer.double(v.value);
  else if (typeof v === "boolean") writer.bool(v);
  else if (v === undefined) writer.default();
  else if (v === null) writer.none();
  else if (typeof v === "string") writer.str(v);
  else if (v instanceof Special) {
    writer.ensure(3);
    writer.f64[writer.n++] = v.tag;
    writer.f64[writer.n++] = v.a;
    if (v.tag === Tag.DEVICE) writer.f64[writer.n++] = v.b;
  } else if (Array.isArray(v)) {
    if (depth >= 32) throw new TypeError(`${what}: a list nested more than 32 deep (a cyclic array?) cannot be passed`);
    writer.list(v.length);
    for (const x of v) putArg(writer, x === undefined ? null : x, what, depth + 1);
  } else throw new TypeError(`${what}: cannot pass ${describe(v)} to an operator`);
}

function invoke(ref: OpRef, flags: number): void {
  const h = ref.h || ref.resolve();
  const r = tt_op_call(h, w.u8, w.n, outU8, outF64.length, flags, errBuf, ERRCAP);
  heapOut = heapResult(r, outF64, ref.qualifiedName);
  if (heapOut === null) {
    outN = r;
    return;
  }
  outN = heapOut.length;
  if (outN > outF64.length) {
    outF64 = new Float64Array(outN * 2);
    outU8 = new Uint8Array(outF64.buffer);
  }
}

function firstTensor(ref: OpRef): Tensor {
  const out = heapOut ?? outF64;
  if (outN >= 2 && out[0] === Tag.TENSOR) return new Tensor(out[1], OWN_HANDLE);
  const values = decodeAll(out, outN);
  dispose(values);
  throw new TypeError(`${ref.qualifiedName} did not return a tensor`);
}

function dispose(values: unknown[]): void {
  for (const v of values) if (v instanceof Tensor) v.dispose();
}

function encode5(ref: OpRef, a: Arg, b: Arg, c: Arg, d: Arg, e: Arg): void {
  w.n = 0;
  const n = e !== undefined
    ? 5
    : d !== undefined
    ? 4
    : c !== undefined
    ? 3
    : b !== undefined
    ? 2
    : a !== undefined
    ? 1
    : 0;
  const what = ref.name;
  if (n > 0) putArg(w, a, what);
  if (n > 1) putArg(w, b, what);
  if (n > 2) putArg(w, c, what);
  if (n > 3) putArg(w, d, what);
  if (n > 4) putArg(w, e, what);
}

function encodeArray(ref: OpRef, args: readonly Arg[]): void {
  w.n = 0;
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  for (let i = 0; i < n; i++) putArg(w, args[i], ref.name);
}

// The typed entry points of the hot operators (generated: ffi/typed_ops_calls.ts), made on first use (this module
// and tensor.ts import each other, so Tensor is not defined yet while this module loads).
let typed: TypedCalls | null = null;
let typedEnabled = true;

function typedTable(): TypedCalls {
  return typed ??= typedCalls({ Tensor, Special, Float });
}

function typedT(ref: OpRef): TypedCall | null {
  return ref._typedT = typedTable().tensor.get(ref.qualifiedName) ?? null;
}

function typedV(ref: OpRef): TypedCall | null {
  return ref._typedV = typedTable().inplace.get(ref.qualifiedName) ?? null;
}

/**
 * @internal Turns the typed entry points of the hot operators off (every call then takes the boxed
 * `tt_op_call`) or back on; for tests and benchmarks that compare the two paths. Returns the previous setting.
 */
export function setTypedOps(enabled: boolean): boolean {
  const was = typedEnabled;
  typedEnabled = enabled;
  return was;
}

/** Calls `ref` with up to five arguments and returns its (first) result, a tensor. */
export function callT(ref: OpRef, a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg): Tensor {
  if (typedEnabled) {
    const t = ref._typedT === undefined ? typedT(ref) : ref._typedT;
    if (t !== null) {
      const h = t(a, b, c, d, e);
      if (h !== 0) return new Tensor(h, OWN_HANDLE);
    }
  }
  encode5(ref, a, b, c, d, e);
  invoke(ref, 0);
  return firstTensor(ref);
}

/** Calls `ref` with `args` and returns its (first) result, a tensor. */
export function callTA(ref: OpRef, args: readonly Arg[]): Tensor {
  if (typedEnabled) {
    const t = ref._typedT === undefined ? typedT(ref) : ref._typedT;
    if (t !== null && args.length <= t.length) {
      const h = t(...args);
      if (h !== 0) return new Tensor(h, OWN_HANDLE);
    }
  }
  encodeArray(ref, args);
  invoke(ref, 0);
  return firstTensor(ref);
}

/** Calls `ref` with up to five arguments for its effect (in-place operators); nothing is returned. */
export function callV(ref: OpRef, a?: Arg, b?: Arg, c?: Arg, d?: Arg, e?: Arg): void {
  if (typedEnabled) {
    const t = ref._typedV === undefined ? typedV(ref) : ref._typedV;
    if (t !== null && t(a, b, c, d, e) !== 0) return;
  }
  encode5(ref, a, b, c, d, e);
  invoke(ref, CallFlag.DISCARD);
}

/** Calls `ref` with `args` and returns all its results, decoded. */
export function callN(ref: OpRef, args: readonly Arg[]): unknown[] {
  encodeArray(ref, args);
  invoke(ref, 0);
  return decodeAll(heapOut ?? outF64, outN);
}

/** Calls `ref` with `args`, already encoded by the caller in `writer`; returns all results decoded. */
export function callEncoded(ref: OpRef, writer: WireWriter): unknown[] {
  const h = ref.h || ref.resolve();
  const r = tt_op_call(h, writer.u8, writer.n, outU8, outF64.length, 0, errBuf, ERRCAP);
  const slots = resultSlots(r, outF64, ref.qualifiedName);
  return decodeAll(slots, slots.length);
}

/**
 * Calls `ref` on another thread (Deno's nonblocking FFI), so the event loop keeps running (progress
 * output, timers). The grad mode of the calling thread is carried over.
 */
export async function callAsync(ref: OpRef, args: readonly Arg[]): Promise<unknown[]> {
  const h = ref.h || ref.resolve();
  const writer = new WireWriter(64);
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  for (let i = 0; i < n; i++) putArg(writer, args[i], ref.name);
  const out = new Float64Array(1024);
  const err = new Uint8Array(ERRCAP);
  const flags = CallFlag.SET_GRAD_MODE | (lib.tt_grad_enabled() ? CallFlag.GRAD_ENABLED : 0);
  const r = await lib.tt_op_call_async(
    h,
    writer.u8,
    writer.n,
    new Uint8Array(out.buffer),
    out.length,
    flags,
    err,
    ERRCAP,
  );
  const slots = resultSlots(r, out, ref.qualifiedName, err);
  return decodeAll(slots, slots.length);
}

/** Decodes `n` wire slots into JS values (tensors become owned `Tensor`s). */
export function decodeAll(f64: Float64Array, n: number): unknown[] {
  const r = new WireReader(f64, n);
  const values: unknown[] = [];
  while (!r.done) values.push(decodeValue(r));
  return values;
}

/**
 * Decodes one wire value: tensors, numbers, booleans, strings, `null`; lists and tuples as arrays;
 * dicts as plain objects when every key is a string, else as Maps.
 */
export function decodeValue(r: WireReader): unknown {
  const tag = r.next();
  switch (tag) {
    case Tag.NONE:
      return null;
    case Tag.TENSOR:
      return new Tensor(r.next(), OWN_HANDLE);
    case Tag.INT:
    case Tag.DOUBLE:
      return r.next();
    case Tag.BOOL:
      return r.next() !== 0;
    case Tag.STR:
      return r.str();
    case Tag.LIST:
    case Tag.TUPLE: {
      const n = r.next();
      const items = new Array(n);
      for (let i = 0; i < n; i++) items[i] = decodeValue(r);
      return items;
    }
    case Tag.DICT: {
      const n = r.next();
      const map = new Map<unknown, unknown>();
      for (let i = 0; i < n; i++) {
        const k = decodeValue(r);
        map.set(k, decodeValue(r));
      }
      if ([...map.keys()].every((k) => typeof k === "string")) return Object.fromEntries(map);
      return map;
    }
    case Tag.DEVICE: {
      const type = r.next();
      return formatDevice(type, r.next());
    }
    case Tag.DTYPE:
      return dtypeFromCode(r.next());
    default:
      throw new Error(`unknown wire tag ${tag} from the shim`);
  }
}
