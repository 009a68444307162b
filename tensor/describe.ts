/**
 * `describe(value)`: a value as an error message shows it, the one way the toolkit puts a value in a message. It
 * never throws (a BigInt, a Symbol, a cyclic array, a Proxy, an object whose getters throw) and stays short (a huge
 * array or string is cut). It imports nothing, so every module (memory scopes included) can use it without an import
 * cycle; Tensors are recognised by their class name and shape.
 *
 * Three forms, for the three places a value appears in a message:
 * - `"value"` (the default), the value itself: `got -2`, `got [2,-1]`, `got "x"`, `got a float32 Tensor of shape [2]`;
 * - `"size"`, the same with arrays spaced as PyTorch prints sizes and tuples (`got [1, 2, 3]`), for the messages of
 *   layers and their functions (`nn`), which show shapes, kernel sizes and strides;
 * - `"typed"`, for a value of the wrong kind, where the bare value would read as the expected one: `got number 1`
 *   (for a boolean), `got boolean true`, `got an array ([1, 2])`, else as `"size"`;
 * - `"kind"`, only what it is, where the value itself does not help: `is a Set`, `is a number`, `is an array`.
 *
 * @module
 */

/** Which form {@linkcode describe} gives: the value (compact or spaced), the value with its type, or only its kind. */
export type DescribeForm = "value" | "size" | "typed" | "kind";

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

function describeIn(v: unknown, depth: number, seen: Set<unknown>, sep: string): string {
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
      const shown = v.slice(0, MAX_ITEMS).map((x) => describeIn(x, depth + 1, seen, sep));
      seen.delete(v);
      return `[${shown.join(sep)}${v.length > MAX_ITEMS ? `${sep}... (${v.length} items)` : ""}]`;
    }
    if (ArrayBuffer.isView(v)) return `a ${constructorName(v)} of ${(v as unknown as { length?: number }).length ?? 0}`;
  } catch {
    return "an unreadable array";
  }
  return `an object (${constructorName(v as object)})`;
}

function kindOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== "object") return `${/^[aeiou]/.test(typeof v) ? "an" : "a"} ${typeof v}`;
  if (isTensorLike(v)) return "a Tensor";
  if (Array.isArray(v)) return "an array";
  const name = constructorName(v);
  return name === "null prototype" || name === "anonymous class" || name === "unreadable"
    ? "an object"
    : `${/^[AEIOU]/.test(name) ? "an" : "a"} ${name}`;
}

/**
 * A value as an error message shows it (in `form`, see the module's doc); never throws.
 *
 * @example
 * ```ts
 * import { describe } from "./describe.ts";
 * describe([1, 2n]); // "[1,2n (a BigInt)]"
 * describe(null); // "null"
 * describe(1, "typed"); // "number 1"
 * describe(new Set(), "kind"); // "a Set"
 * ```
 */
export function describe(v: unknown, form: DescribeForm = "value"): string {
  try {
    if (form === "kind") return kindOf(v);
    const shown = describeIn(v, 0, new Set(), form === "value" ? "," : ", ");
    if (form === "typed") {
      if (typeof v === "number" || typeof v === "boolean") return `${typeof v} ${shown}`;
      if (Array.isArray(v)) return `an array (${shown})`;
    }
    return shown;
  } catch {
    return "an unreadable value";
  }
}
