/**
 * `describe(value)`: a value as an error message shows it. It never throws (a BigInt, a Symbol, a cyclic array, a
 * Proxy, an object whose getters throw) and stays short (a huge array or string is cut). It imports nothing, so
 * every module (memory scopes included) can use it without an import cycle; Tensors are recognised by their class
 * name and shape.
 *
 * @module
 */

interface TensorLike {
  isDisposed: boolean;
  dtype: string;
  shape: number[];
}

function isTensorLike(v: unknown): v is TensorLike {
  try {
    return typeof v === "object" && v !== null && Object.getPrototypeOf(v)?.constructor?.name === "Tensor" &&
      "isDisposed" in v;
  } catch {
    return false; // a Proxy that refuses to be inspected
  }
}

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
    if (isTensorLike(v)) {
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
      return `[${shown.join(",")}${v.length > MAX_ITEMS ? `,... (${v.length} items)` : ""}]`;
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
 * import { describe } from "./describe.ts";
 * describe([1, 2n]); // "[1,2n (a BigInt)]"
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
