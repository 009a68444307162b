/**
 * `defaultCollate`: PyTorch 1.13's `default_collate`, which merges a list of items into a batch:
 *
 * - tensors are stacked along a new first dimension (`torch.stack`);
 * - numbers become a tensor, with PyTorch's dtypes read through JavaScript's numbers: when the first item is
 *   an integer (Python's `int`), `torch.tensor(batch)`: int64 if every item is an integer, else float32
 *   (PyTorch's default dtype, as `torch.tensor([1, 2.5])`); otherwise (Python's `float`) float64;
 *   bigints give int64 and booleans a bool tensor (Python's `bool` is an `int`);
 * - strings stay an array of strings;
 * - objects (and Maps) are collated key by key, arrays position by position (all of the same length);
 * - anything else is a TypeError, as in PyTorch.
 *
 * @example
 * ```ts
 * import { tensor } from "../../mod.ts";
 * import { defaultCollate } from "./collate.ts";
 * const batch = defaultCollate([
 *   { x: tensor([1, 2], { dtype: "float32" }), label: 0 },
 *   { x: tensor([3, 4], { dtype: "float32" }), label: 1 },
 * ]); // { x: float32 [2, 2], label: int64 [0, 1] }
 * ```
 *
 * @module
 */

import { tensor } from "../../tensor/creation.ts";
import { stack } from "../../tensor/functions.ts";
import { Tensor } from "../../tensor/tensor.ts";

/** A collated batch: tensors, arrays of strings, and objects/arrays of them. */
// deno-lint-ignore no-explicit-any
export type Collated = any;

function kind(v: unknown): string {
  if (v === null) return "null";
  if (typeof v === "object") return v.constructor?.name ?? "an object";
  return typeof v;
}

/** PyTorch's `default_collate` (see the module notes). */
export function defaultCollate(batch: readonly unknown[]): Collated {
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new TypeError("defaultCollate: batch must be a non-empty array of items");
  }
  const elem = batch[0];
  if (elem instanceof Tensor) {
    batch.forEach((b, i) => {
      if (!(b instanceof Tensor)) throw new TypeError(`defaultCollate: item ${i} is ${kind(b)}, item 0 a Tensor`);
    });
    return stack(batch as Tensor[], 0);
  }
  if (typeof elem === "number") {
    const values = batch.map((b, i) => {
      if (typeof b !== "number" && typeof b !== "boolean") {
        throw new TypeError(`defaultCollate: item ${i} is ${kind(b)}, item 0 a number`);
      }
      return Number(b);
    });
    if (!Number.isInteger(elem)) return tensor(Float64Array.from(values));
    return values.every(Number.isInteger)
      ? tensor(BigInt64Array.from(values, (v) => BigInt(v)))
      : tensor(Float32Array.from(values));
  }
  if (typeof elem === "bigint") {
    return tensor(BigInt64Array.from(batch, (b, i) => {
      if (typeof b !== "bigint") throw new TypeError(`defaultCollate: item ${i} is ${kind(b)}, item 0 a bigint`);
      return b;
    }));
  }
  if (typeof elem === "boolean") {
    if (!batch.every((b) => typeof b === "boolean")) {
      // torch.tensor([True, 2]) promotes to int64
      return defaultCollate(batch.map((b) => typeof b === "boolean" ? Number(b) : b));
    }
    return tensor(batch as boolean[]);
  }
  if (typeof elem === "string") return [...batch];
  if (elem instanceof Map) {
    const out = new Map();
    for (const key of elem.keys()) {
      out.set(key, defaultCollate(batch.map((b) => (b as Map<unknown, unknown>).get(key))));
    }
    return out;
  }
  if (Array.isArray(elem)) {
    const size = elem.length;
    if (!batch.every((b) => Array.isArray(b) && b.length === size)) {
      throw new RangeError("defaultCollate: each element in list of batch should be of equal size");
    }
    return elem.map((_, j) => defaultCollate(batch.map((b) => (b as unknown[])[j])));
  }
  if (elem !== null && typeof elem === "object" && Object.getPrototypeOf(elem) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(elem)) {
      out[key] = defaultCollate(batch.map((b) => (b as Record<string, unknown>)[key]));
    }
    return out;
  }
  throw new TypeError(
    `defaultCollate: batch must contain tensors, numbers, strings, objects or arrays; found ${kind(elem)}`,
  );
}
