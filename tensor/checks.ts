/**
 * Argument checks for the tensor functions and the layers above them that have none of their own: each throws a
 * `TypeError` (a value of the wrong kind) or a `RangeError` (a number out of range) naming the function, the
 * argument and the value given, as `zeros: shape[1] must be a non-negative integer, got -2`.
 *
 * `describe` (from `describe.ts`, re-exported here) is the one safe way to put a value in a message.
 *
 * @module
 */

import { Tensor } from "./tensor.ts";

export { describe } from "./describe.ts";
import { describe } from "./describe.ts";

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
