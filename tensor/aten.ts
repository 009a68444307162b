/**
 * The escape hatch: any ATen operator by schema name, `ops.aten.addcdiv(x, a, b, { value: 0.5 })`, with
 * the overload chosen from the argument types as PyTorch's Python binding does, and keyword arguments
 * (camelCase or snake_case) in a trailing options object.
 *
 * @module
 */

import { WireWriter } from "../ffi/wire.ts";
import { type Arg, callEncoded, putArg } from "./call.ts";
import { DTYPE_CODE, toDType } from "./dtype.ts";
import { op, type OpRef, type OpSchema, overloadsOf } from "./operator.ts";
import { Tensor } from "./tensor.ts";

const MEMORY_FORMAT: Record<string, number> = {
  contiguous_format: 0,
  preserve_format: 1,
  channels_last: 2,
  channels_last_3d: 3,
};
const LAYOUT: Record<string, number> = { strided: 0, sparse_coo: 1 };

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v) || v instanceof Tensor) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** How well `v` fits schema type `type`: 0 not at all, 1 by conversion, 2 exactly. */
function fit(type: string, v: unknown): number {
  if (type.endsWith("?")) {
    if (v === null) return 2;
    type = type.slice(0, -1);
  }
  const list = /^(.+)\[\d*\]$/.exec(type);
  if (list) {
    const elem = list[1];
    if (Array.isArray(v)) return v.reduce((m: number, x) => Math.min(m, fit(elem, x)), 2);
    if (typeof v === "number" && Number.isInteger(v) && (elem === "int" || elem === "SymInt")) return 1;
    return 0;
  }
  switch (type) {
    case "Tensor":
      return v instanceof Tensor ? 2 : typeof v === "number" || typeof v === "boolean" ? 1 : 0;
    case "int":
    case "SymInt":
      return typeof v === "number" && Number.isInteger(v) ? 2 : typeof v === "boolean" ? 1 : 0;
    case "float":
      return typeof v === "number" ? 2 : 0;
    case "bool":
      return typeof v === "boolean" ? 2 : 0;
    case "Scalar":
      return typeof v === "number" || typeof v === "boolean" ? 2 : 0;
    case "str":
      return typeof v === "string" ? 2 : 0;
    case "ScalarType":
      return typeof v === "string" && (v in DTYPE_CODE || v.startsWith("torch.")) ? 2 : 0;
    case "Device":
      return typeof v === "string" && /^(cpu|cuda)(:\d+)?$/.test(v) ? 2 : 0;
    case "MemoryFormat":
      return typeof v === "string" && v in MEMORY_FORMAT ? 2 : 0;
    case "Layout":
      return typeof v === "string" && v in LAYOUT ? 2 : 0;
    default:
      return 0; // Generator, Dimname, Storage, ...: only None, handled above
  }
}

function encode(w: WireWriter, type: string, v: unknown, what: string): void {
  const base = type.endsWith("?") ? type.slice(0, -1) : type;
  if (v === null) w.none();
  else if (base === "ScalarType") w.dtype(DTYPE_CODE[toDType(v, what)]);
  else if (base === "MemoryFormat") w.int(MEMORY_FORMAT[v as string]);
  else if (base === "Layout") w.int(LAYOUT[v as string]);
  else if ((base === "float" || base === "Scalar") && typeof v === "number") w.double(v);
  else if (base === "float[]" && Array.isArray(v)) {
    w.list(v.length);
    for (const x of v) w.double(x);
  } else putArg(w, v as Arg, what);
}

interface Bound {
  ref: OpRef;
  schema: OpSchema;
  values: unknown[];
  score: number;
}

function bind(ref: OpRef, positional: unknown[], kwargs: Record<string, unknown>): Bound | string {
  const schema = ref.schema();
  const params = schema.args;
  const values: unknown[] = new Array(params.length).fill(undefined);
  const given: boolean[] = new Array(params.length).fill(false);
  for (let i = 0; i < positional.length; i++) {
    if (i >= params.length || params[i].kwargOnly) return `too many positional arguments (${positional.length})`;
    values[i] = positional[i];
    given[i] = true;
  }
  for (const [key, v] of Object.entries(kwargs)) {
    const i = params.findIndex((p) => p.name === key || p.name === snake(key));
    if (i < 0) return `no argument named '${key}'`;
    if (given[i]) return `argument '${params[i].name}' given twice`;
    values[i] = v;
    given[i] = true;
  }
  let score = 0;
  for (let i = 0; i < params.length; i++) {
    if (!given[i]) {
      if (!params[i].hasDefault) return `missing argument '${params[i].name}'`;
      continue;
    }
    const s = fit(params[i].type, values[i]);
    if (s === 0) return `argument '${params[i].name}' expects ${params[i].type}, got ${describe(values[i])}`;
    score += s;
  }
  return { ref, schema, values, score };
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return "a Tensor";
  if (Array.isArray(v)) return "an array";
  if (v === null) return "null";
  return `${typeof v} ${JSON.stringify(v)}`;
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
  if (!name.includes("::")) throw new TypeError(`callOp: expected a qualified name such as "aten::add", got "${name}"`);
  const kwargs = args.length > 0 && isPlainObject(args[args.length - 1]) ? args.pop() as Record<string, unknown> : {};
  const [base, overload] = name.split(/\.(?=[^:]*$)/) as [string, string | undefined];
  const refs = overload !== undefined ? [op(base, overload)] : overloadsOf(base).map((o) => op(base, o));
  if (refs.length === 0) throw new TypeError(`callOp: unknown operator ${base}`);
  let best: Bound | null = null;
  const reasons: string[] = [];
  for (const ref of refs) {
    const b = bind(ref, args, kwargs);
    if (typeof b === "string") reasons.push(`  ${ref.schema().text}\n    -> ${b}`);
    else if (best === null || b.score > best.score) best = b;
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
  return overloadsOf(name).map((o) => op(name, o).schema().text);
}

/** An operator of `ops.aten`: called with its schema's arguments (tensors, numbers, lists, an options object). */
export type OpFunction = (...args: unknown[]) => unknown;

/**
 * Every ATen operator, by name: `ops.aten.addcdiv(...)`, `ops.aten["add.Tensor"](...)`.
 *
 * @example
 * ```ts
 * import { ops, randn, type Tensor } from "../mod.ts";
 * const y = ops.aten.hardtanh(randn([4]), -0.5, 0.5) as Tensor;
 * ```
 */
export const ops: { aten: Record<string, OpFunction>; call: typeof callOp; schemas: typeof schemasOf } = {
  aten: new Proxy({} as Record<string, OpFunction>, {
    get: (_target, name) =>
      typeof name === "string" ? (...args: unknown[]) => callOp(`aten::${name}`, ...args) : undefined,
  }),
  call: callOp,
  schemas: schemasOf,
};
