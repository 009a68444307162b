/**
 * Argument checks for the tensor functions and the layers above them that have none of their own: each throws a
 * `TypeError` (a value of the wrong kind) or a `RangeError` (a number out of range) naming the function, the
 * argument and the value given, as `zeros: shape[1] must be a non-negative integer, got -2`.
 *
 * {@linkcode describe} is the one safe way to put a value in a message: it never throws (a BigInt, a Symbol, a
 * cyclic array, a Proxy, an object whose getters throw) and stays short (a huge array or string is cut).
 *
 * @module
 */

import { Tensor } from "./tensor.ts";

const MAX_ITEMS = 6;
const MAX_STRING = 60;

function constructorName(v: object): string {
  try {
    const proto = Object.getPrototypeOf(v);
    if (proto === null) return "null prototype";
    const name = proto.constructor?.name;
    return typeof name === "string" && name !== "" ? name : "anonymous class";
  } catch {
    return "unreadable";
  }
}

function describeIn(v: unknown, depth: number, seen: Set<unknown>): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : String(v);
    case "bigint":
      return `${v}n (a BigInt)`;
    case "boolean":
      return String(v);
    case "undefined":
      return "undefined";
    case "symbol":
      try {
        return `a Symbol (${v.description ?? ""})`;
      } catch {
        return "a Symbol";
      }
    case "string":
      return JSON.stringify(v.length > MAX_STRING ? `${v.slice(0, MAX_STRING)}...` : v);
    case "function":
      return "a function";
  }
  if (v === null) return "null";
  try {
    if (v instanceof Tensor) {
      if (v.isDisposed) return "a disposed Tensor";
      return `a ${v.dtype} Tensor of shape [${v.shape.join(", ")}]`;
    }
  } catch {
    return "a Tensor";
  }
  if (seen.has(v)) return "a cyclic reference";
  try {
    if (Array.isArray(v)) {
      if (depth > 2) return `an array of ${v.length}`;
      seen.add(v);
      const shown = v.slice(0, MAX_ITEMS).map((x) => describeIn(x, depth + 1, seen));
      seen.delete(v);
      return `[${shown.join(", ")}${v.length > MAX_ITEMS ? `, ... (${v.length} items)` : ""}]`;
    }
    if (ArrayBuffer.isView(v)) return `a ${constructorName(v)} of ${(v as unknown as { length?: number }).length ?? 0}`;
  } catch {
    return "an unreadable array";
  }
  return `an object (${constructorName(v as object)})`;
}

/**
 * A value as an error message shows it; never throws.
 *
 * @example
 * ```ts
 * import { describe } from "./checks.ts";
 * describe([1, 2n]); // "[1, 2n (a BigInt)]"
 * describe(null); // "null"
 * ```
 */
export function describe(v: unknown): string {
  try {
    return describeIn(v, 0, new Set());
  } catch {
    return "an unreadable value";
  }
}

/** A Tensor that is not disposed, else a TypeError naming `where` and `name`. */
export function checkTensor(where: string, name: string, v: unknown): Tensor {
  if (!(v instanceof Tensor)) throw new TypeError(`${where}: ${name} must be a Tensor, got ${describe(v)}`);
  if (v.isDisposed) throw new TypeError(`${where}: ${name} is a disposed Tensor; it can no longer be used`);
  return v;
}

/**
 * An integer in `[min, max]` (a safe integer: at most 2^53 in size), else a TypeError (not an integer) or a
 * RangeError.
 */
export function checkInt(
  where: string,
  name: string,
  v: unknown,
  min = -Number.MAX_SAFE_INTEGER,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(`${where}: ${name} must be an integer, got ${describe(v)}`);
  }
  if (v < min || v > max) {
    const what = max >= Number.MAX_SAFE_INTEGER
      ? min === 0 ? "a non-negative integer" : min === 1 ? "a positive integer" : `an integer >= ${min}`
      : `an integer in [${min}, ${max}]`;
    throw new RangeError(`${where}: ${name} must be ${what}, got ${describe(v)}`);
  }
  return v;
}

/** An array, else a TypeError saying what was given. */
export function checkArray(where: string, name: string, v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) throw new TypeError(`${where}: ${name} must be an array, got ${describe(v)}`);
  return v;
}

/** A non-empty array of live Tensors, else a TypeError naming the first bad item. */
export function checkTensorList(where: string, name: string, v: unknown): Tensor[] {
  if (!Array.isArray(v) || v.length === 0) {
    throw new TypeError(`${where}: ${name} must be a non-empty array of Tensors, got ${describe(v)}`);
  }
  for (let i = 0; i < v.length; i++) checkTensor(where, `${name}[${i}]`, v[i]);
  return v as Tensor[];
}

/** A plain options object (or undefined, giving `{}`), else a TypeError. */
export function checkOptionsObject<T extends object>(where: string, v: unknown): T {
  if (v === undefined) return {} as T;
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Tensor) {
    throw new TypeError(`${where}: options must be an object, got ${describe(v)}`);
  }
  return v as T;
}
