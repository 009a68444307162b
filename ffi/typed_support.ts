/**
 * What the generated typed calls (`ffi/typed_ops_calls.ts`, made by `deno task gen`) share, hand-written: the
 * types they take and give, how they read an argument's wire tag and number (as the boxed path would encode
 * it), and how a failed call throws. The generator emits only the per-operator code.
 *
 * @module
 */

import { readError } from "./native.ts";
import { TorchError } from "./errors.ts";
import { Tag } from "./wire.ts";

/** What a typed call takes for a tensor: an object with its native handle (`tensor/`'s Tensor). */
export interface HandleOwner {
  /** The native handle (throws when disposed). */
  readonly handle: number;
}

/** A value with an explicit wire tag (`tensor/call.ts`'s Special). */
export interface Tagged {
  /** The wire tag. */
  readonly tag: number;
  /** The payload. */
  readonly a: number;
}

/** A number marked as a Python float (`tensor/python_float.ts`'s Float). */
export interface FloatMark {
  /** The value. */
  readonly value: number;
}

/** The classes a typed call recognises; `tensor/call.ts` passes its own. */
export interface TypedCallClasses {
  /** The Tensor class. */
  // deno-lint-ignore no-explicit-any
  Tensor: abstract new (...args: any[]) => HandleOwner;
  /** The class of values with an explicit wire tag. */
  // deno-lint-ignore no-explicit-any
  Special: abstract new (...args: any[]) => Tagged;
  /** The Python-float marker class. */
  // deno-lint-ignore no-explicit-any
  Float: abstract new (...args: any[]) => FloatMark;
}

/**
 * A typed call: takes the arguments a boxed call of its operator takes (at most five, more only where the
 * operator has more) and returns the result's native handle (in-place operators: 1), or 0 when an argument is
 * of a form it does not take, so that the caller uses the boxed path. A LibTorch error throws a TorchError.
 */
export type TypedCall = (...args: unknown[]) => number;

/** The typed calls by qualified operator name (`aten::add.Tensor`): those returning a tensor, and the in-place ones. */
export interface TypedCalls {
  /** Operators that return a new tensor (or a view). */
  tensor: Map<string, TypedCall>;
  /** In-place operators (their result is the first argument itself). */
  inplace: Map<string, TypedCall>;
}

const { TENSOR, INT, DOUBLE, BOOL, NONE, DEFAULT, DTYPE } = Tag;

/** Whether a tagged value is what the boxed path decodes as an `int` (an int, a dtype, a bool). */
export function isInt(t: number): boolean {
  return t === INT || t === DTYPE || t === BOOL || t === DEFAULT;
}

/** Whether a tagged value is what the boxed path decodes as a `float` (an int or a float). */
export function isFloat(t: number): boolean {
  return t === INT || t === DOUBLE || t === DEFAULT;
}

/** A Tensor argument's kind: 0 a tensor, 1 an int, 2 a float, 3 a bool (wrapped numbers); -1 not taken. */
export function tensorKind(t: number): number {
  return t === TENSOR ? 0 : t === INT ? 1 : t === DOUBLE ? 2 : t === BOOL ? 3 : -1;
}

/** A Scalar argument's kind: 0 an int, 1 a float, 2 a bool, -1 None (where optional); -2 not taken. */
export function scalarKind(t: number, optional: boolean): number {
  return t === INT ? 0 : t === DOUBLE ? 1 : t === BOOL ? 2 : optional && t === NONE ? -1 : -2;
}

/** Copies the handles of a tensor list into `scratch` (or a new array when it is too small). */
export function handles(list: HandleOwner[], scratch: Float64Array): Float64Array {
  const out = list.length <= scratch.length ? scratch : new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = list[i].handle;
  return out;
}

/** Throws the shim's last error as a TorchError of operator `op` (a typed entry point returned failure). */
export function fail(op: string): never {
  throw new TorchError(readError(), op);
}

/** Copies an int list (or one int, repeated n times) into scratch: its length, or -2 when not an int list. */
export function intList(x: unknown, scratch: Float64Array, n: number): number {
  if (typeof x === "number") {
    if (!Number.isSafeInteger(x)) return -2;
    for (let i = 0; i < n; i++) scratch[i] = x;
    return n;
  }
  if (!Array.isArray(x) || x.length > scratch.length) return -2;
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (!Number.isSafeInteger(v)) return -2;
    scratch[i] = v;
  }
  return x.length;
}

/** How the typed calls read their arguments, given the classes that mark tensors, tagged values and floats. */
export interface ValueReaders {
  /** The wire tag the boxed path would write for a value (-1: a form no typed call takes). */
  tagOf(x: unknown): number;
  /** The number a value carries (a bool as 0 or 1). */
  num(x: unknown): number;
  /** Whether a value is a list of tensors. */
  tensorList(x: unknown): boolean;
}

/**
 * The argument readers of the typed calls for the classes given (`tensor/call.ts` passes its Tensor, Special
 * and Float).
 *
 * @example
 * ```ts ignore
 * const { tagOf, num } = valueReaders({ Tensor, Special, Float });
 * tagOf(2); // Tag.INT
 * ```
 */
export function valueReaders(classes: TypedCallClasses): ValueReaders {
  const { Tensor, Special, Float } = classes;
  return {
    tagOf(x: unknown): number {
      if (x instanceof Tensor) return TENSOR;
      if (typeof x === "number") return Number.isSafeInteger(x) ? INT : DOUBLE;
      if (typeof x === "boolean") return BOOL;
      if (x === undefined) return DEFAULT;
      if (x === null) return NONE;
      if (x instanceof Float) return DOUBLE;
      if (x instanceof Special) return x.tag;
      return -1;
    },
    num(x: unknown): number {
      if (typeof x === "number") return x;
      if (typeof x === "boolean") return x ? 1 : 0;
      if (x instanceof Float) return x.value;
      return (x as Tagged).a;
    },
    tensorList(x: unknown): boolean {
      if (!Array.isArray(x)) return false;
      for (const v of x) if (!(v instanceof Tensor)) return false;
      return true;
    },
  };
}
