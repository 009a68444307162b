/**
 * The escape hatch: any ATen operator by schema name, `ops.aten.addcdiv(x, a, b, { value: 0.5 })`, with
 * the overload chosen as PyTorch's Python binding (`torch.ops.aten`) chooses it: the first overload, in PyTorch's
 * registration order, whose schema accepts the arguments; keyword arguments (camelCase or snake_case) go in a
 * trailing options object. Numbers follow the typed API's rule: an integral number (within ±2^53) is a Python int,
 * so `ops.aten.add(intTensor, 1)` is int64 as in PyTorch; `new Float(1)` (exported from the root module) is the
 * float `1.0`.
 *
 * @module
 */

import { buildInfo } from "../ffi/native.ts";
import { WireWriter } from "../ffi/wire.ts";
import { type Arg, callEncoded, putArg } from "./call.ts";
import { DTYPE_CODE, toDType } from "./dtype.ts";
import { op, type OpRef, type OpSchema, overloadsOf } from "./operator.ts";
import { describe } from "./checks.ts";
import { Float } from "./python_float.ts";
import { Tensor } from "./tensor.ts";
import type { AtenOps } from "./aten_types.ts";
import { isOptionsObject } from "./options.ts";

const MEMORY_FORMAT: Record<string, number> = {
  contiguous_format: 0,
  preserve_format: 1,
  channels_last: 2,
  channels_last_3d: 3,
};
const LAYOUT: Record<string, number> = { strided: 0, sparse_coo: 1 };

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/**
 * The operators whose `Tensor` arguments also take a plain number, as PyTorch's binding allows for these only
 * (`should_allow_numbers_as_tensors` in torch/csrc/utils/python_arg_parser.cpp): `torch.ops.aten.add(x, 1)` runs
 * `add.Tensor` with a wrapped number, `torch.ops.aten.maximum(x, 1)` matches no overload. (Read by the generator
 * of `tensor/aten_types.ts` too.)
 */
export const NUMBERS_AS_TENSORS: ReadonlySet<string> = new Set([
  "add",
  "add_",
  "add_out",
  "div",
  "div_",
  "div_out",
  "divide",
  "divide_",
  "divide_out",
  "mul",
  "mul_",
  "mul_out",
  "multiply",
  "multiply_",
  "multiply_out",
  "sub",
  "sub_",
  "sub_out",
  "subtract",
  "subtract_",
  "subtract_out",
  "true_divide",
  "true_divide_",
  "true_divide_out",
  "to",
  "_to_copy",
  "copy_",
  "floor_divide",
  "floor_divide_",
  "floor_divide_out",
]);

/** A number that travels as an int: integral and within ±2^53 (the rule of the typed API and of `save`). */
const isInt = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v);
const isNumber = (v: unknown): boolean => typeof v === "number" || v instanceof Float;

/**
 * Whether `v` is accepted for schema type `type` (`n`: the fixed size of an `int[N]`), as PyTorch's `toIValue`
 * accepts Python values (torch/csrc/jit/python/pybind_utils.cpp): an int for `float`, a number or bool for `bool`
 * (Python's truth conversion), a bool for `int`, a single int for `int[N]` but not for `int[]`.
 */
function fits(type: string, v: unknown, n: number, numbersAsTensors: boolean): boolean {
  if (type.endsWith("?")) {
    if (v === null) return true;
    type = type.slice(0, -1);
  }
  const list = /^(.+)\[\d*\]$/.exec(type);
  if (list) {
    const elem = list[1];
    if (Array.isArray(v)) return v.every((x) => fits(elem, x, -1, false));
    if ((elem === "int" || elem === "SymInt") && n > 0) return isInt(v) || typeof v === "boolean";
    if (elem === "float" && n > 0) return isNumber(v);
    return false;
  }
  switch (type) {
    case "Tensor":
      return v instanceof Tensor || (numbersAsTensors && (isNumber(v) || typeof v === "boolean"));
    case "int":
    case "SymInt":
      return isInt(v) || typeof v === "boolean";
    case "float":
    case "Scalar":
      return isNumber(v) || typeof v === "boolean";
    case "bool":
      return typeof v === "boolean" || isNumber(v);
    case "str":
      return typeof v === "string";
    case "ScalarType":
      return typeof v === "string" && (v in DTYPE_CODE || v.startsWith("torch."));
    case "Device":
      return typeof v === "string" && /^(cpu|cuda)(:\d+)?$/.test(v);
    case "MemoryFormat":
      return typeof v === "string" && v in MEMORY_FORMAT;
    case "Layout":
      return typeof v === "string" && v in LAYOUT;
    default:
      return false; // Generator, Dimname, Storage, ...: only None, handled above
  }
}

let boolScalarsAreInts_: boolean | undefined;

/**
 * PyTorch 1.x's `toIValue` reads a Python bool given for a `Scalar` as an int (`torch.ops.aten.full([2], True)` is
 * int64 there); 2.x checks for bool first and keeps it a bool. The linked LibTorch's version decides.
 */
function boolScalarsAreInts(): boolean {
  return boolScalarsAreInts_ ??= Number(buildInfo().torch.split(".")[0]) < 2;
}

/** Writes a number by the rule: a `Float` or a non-integral number as a float, an integral one as an int. */
function putNumber(w: WireWriter, v: number | Float): void {
  if (v instanceof Float) w.double(v.value);
  else if (isInt(v)) w.int(v);
  else w.double(v);
}

function encode(w: WireWriter, type: string, v: unknown, what: string): void {
  const base = type.endsWith("?") ? type.slice(0, -1) : type;
  if (v === null) w.none();
  else if (base === "ScalarType") w.dtype(DTYPE_CODE[toDType(v, what)]);
  else if (base === "MemoryFormat") w.int(MEMORY_FORMAT[v as string]);
  else if (base === "Layout") w.int(LAYOUT[v as string]);
  else if (base === "bool") w.bool(v instanceof Float ? v.value !== 0 : Boolean(v));
  else if (base === "Scalar" && typeof v === "boolean" && boolScalarsAreInts()) w.int(v ? 1 : 0);
  else if (base === "float" && isNumber(v)) w.double(v instanceof Float ? v.value : v as number);
  else if ((base === "Scalar" || base === "Tensor") && isNumber(v)) putNumber(w, v as number | Float);
  else if (base === "float[]" && Array.isArray(v)) {
    w.list(v.length);
    for (const x of v) w.double(x instanceof Float ? x.value : Number(x));
  } else putArg(w, v as Arg, what);
}

interface Bound {
  ref: OpRef;
  schema: OpSchema;
  values: unknown[];
}

/** Binds the arguments to `ref`'s schema as PyTorch's `createStackForSchema` does, or says why they do not fit. */
function bind(ref: OpRef, positional: unknown[], kwargs: Record<string, unknown>): Bound | string {
  const schema = ref.schema();
  const params = schema.args;
  const values: unknown[] = new Array(params.length).fill(undefined);
  const given: boolean[] = new Array(params.length).fill(false);
  if (positional.length > params.length) {
    return `too many positional arguments (${positional.length}; it takes ${params.length})`;
  }
  for (let i = 0; i < positional.length; i++) {
    if (params[i].kwargOnly) return `argument '${params[i].name}' is keyword-only; pass it in the options object`;
    values[i] = positional[i];
    given[i] = true;
  }
  for (const [key, v] of Object.entries(kwargs)) {
    const i = params.findIndex((p) => p.name === key || p.name === snake(key));
    if (i < 0) return `no argument named '${key}'`;
    if (given[i]) return `argument '${params[i].name}' given twice`;
    if (v === undefined) continue; // an explicit undefined means "the default"
    values[i] = v;
    given[i] = true;
  }
  const numbersAsTensors = NUMBERS_AS_TENSORS.has(ref.name.slice(ref.name.indexOf("::") + 2));
  for (let i = 0; i < params.length; i++) {
    if (!given[i]) {
      if (!params[i].hasDefault) return `missing argument '${params[i].name}'`;
      continue;
    }
    if (!fits(params[i].type, values[i], params[i].n, numbersAsTensors)) {
      return `argument '${params[i].name}' expects ${params[i].type}, got ${describe(values[i])}`;
    }
  }
  return { ref, schema, values };
}

const writer = new WireWriter(256);

/**
 * Calls ATen operator `name` (`"aten::add"`, or with an overload `"aten::add.Tensor"`). A trailing plain
 * object holds keyword arguments. Returns the single result, an array of results, or undefined.
 *
 * @example
 * ```ts
 * import { callOp, ones } from "../mod.ts";
 * const y = callOp("aten::addcdiv", ones([2]), ones([2]), ones([2]), { value: 0.5 }); // [1.5, 1.5]
 * ```
 */
export function callOp(name: string, ...args: unknown[]): unknown {
  if (typeof name !== "string" || !name.includes("::")) {
    throw new TypeError(`callOp: expected a qualified name such as "aten::add", got ${describe(name)}`);
  }
  const kwargs = args.length > 0 && isOptionsObject(args[args.length - 1]) ? args.pop() as Record<string, unknown> : {};
  const [base, overload] = name.split(/\.(?=[^:]*$)/) as [string, string | undefined];
  const refs = overload !== undefined ? [op(base, overload)] : overloadsOf(base).map((o) => op(base, o));
  if (refs.length === 0) {
    throw new TypeError(`callOp: unknown operator ${base} (not registered with the dispatcher)`);
  }
  // PyTorch's rule (getOpWithStack in torch/csrc/jit/python/pybind_utils.cpp): the first overload, in registration
  // order, whose schema accepts the arguments
  let best: Bound | null = null;
  const reasons: string[] = [];
  for (const ref of refs) {
    const b = bind(ref, args, kwargs);
    if (typeof b !== "string") {
      best = b;
      break;
    }
    reasons.push(`  ${ref.schema().text}\n    -> ${b}`);
  }
  if (best === null) {
    throw new TypeError(`${base}: no overload matches these arguments:\n${reasons.join("\n")}`);
  }
  const w = writer.reset();
  const { schema, values } = best;
  let n = values.length;
  while (n > 0 && values[n - 1] === undefined) n--;
  for (let i = 0; i < n; i++) {
    if (values[i] === undefined) w.default();
    else encode(w, schema.args[i].type, values[i], `${best.ref.qualifiedName}: argument '${schema.args[i].name}'`);
  }
  const results = callEncoded(best.ref, w);
  return schema.returns === 0 ? undefined : schema.returns === 1 ? results[0] : results;
}

/** The schemas of every overload of `name` (`"aten::max"`), to see what can be called. */
export function schemasOf(name: string): string[] {
  if (typeof name !== "string") {
    throw new TypeError(`schemasOf: expected an operator name such as "aten::max", got ${describe(name)}`);
  }
  return overloadsOf(name).map((o) => op(name, o).schema().text);
}

/** An operator of `ops.aten`: called with its schema's arguments (tensors, numbers, lists, an options object). */
export type OpFunction = (...args: unknown[]) => unknown;

/**
 * Every ATen operator, by name: `ops.aten.addcdiv(...)`, `ops.aten["add.Tensor"](...)`. Integral numbers are
 * passed as Python ints, {@linkcode Float} marks a float (`ops.aten.full([2], new Float(3))` is float32).
 * `ops.aten.<name>` is typed by {@linkcode AtenOps} (generated from the linked LibTorch's schemas): each overload's
 * positional arguments, keyword options and result, so `deno check` rejects `ops.aten.add(x, "a")`; a qualified
 * name (`ops.aten["add.Tensor"]`) or an unknown one is untyped.
 *
 * @example
 * ```ts
 * import { ops, randn } from "../mod.ts";
 * const y = ops.aten.hardtanh(randn([4]), -0.5, 0.5); // Tensor
 * const [values, indices] = ops.aten.max(randn([2, 3]), 1, { keepdim: true }); // [Tensor, Tensor]
 * ```
 */
export const ops: { aten: AtenOps; call: typeof callOp; schemas: typeof schemasOf } = {
  aten: new Proxy({} as AtenOps, {
    get: (_target, name) =>
      typeof name === "string" ? (...args: unknown[]) => callOp(`aten::${name}`, ...args) : undefined,
  }),
  call: callOp,
  schemas: schemasOf,
};
