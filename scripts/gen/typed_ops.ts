/**
 * The generator of the typed entry points for the hot operators (`deno task gen`): for each operator of
 * {@linkcode HOT_OPS} it reads the linked LibTorch's schema and emits
 *
 * - `native/src/generated/typed_ops.h`: their C declarations, with how each kind of argument travels;
 * - `native/src/generated/typed_ops.cpp`: one C entry point per operator with plain number and handle
 *   arguments that calls the unboxed dispatcher (`findSchemaOrThrow(name, overload).typed<Sig>()`, found once,
 *   then `.call(...)`), every C++ exception caught. `Sig` is `at::_ops::<op>::schema`, the signature of the
 *   LibTorch the shim is compiled against, and every argument is converted to that signature's parameter type
 *   (`int[]` to `IntArrayRef` or `SymIntArrayRef`, `int?` to `optional<int64_t>`, `optional<SymInt>` or
 *   `optional<Scalar>`), so the same file compiles and calls the same kernels on LibTorch 1.13 and 2.x;
 * - `ffi/typed_ops.ts`: their FFI declarations (merged into the shim's symbol table by `ffi/library.ts`);
 * - `ffi/typed_ops_calls.ts`: for each, a function that takes the arguments a boxed call would take
 *   (`tensor/call.ts`'s `Arg`s), encodes them as the boxed path would decode them, calls the entry point and
 *   returns the result handle, or 0 when an argument is of a form it does not take (then the caller takes the
 *   boxed `tt_op_call`, which decodes it or says what is wrong, as before).
 *
 * What every entry point shares is hand-written, not generated: the argument conversions and the result handle
 * in `native/src/typed_support.h`, the argument readers and types in `ffi/typed_support.ts`.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import type { GeneratedFile, Generator } from "./generator.ts";
import { resolveLibrary } from "../../ffi/library.ts";

/**
 * The hot operators (schema name without `aten::`, overload): those the typed `Tensor` methods, the nn layers
 * and losses, the optimizers and the transforms call most.
 */
export const HOT_OPS: readonly (readonly [string, string])[] = [
  // arithmetic
  ["add", "Tensor"],
  ["add_", "Tensor"],
  ["sub", "Tensor"],
  ["sub_", "Tensor"],
  ["rsub", "Scalar"],
  ["mul", "Tensor"],
  ["mul_", "Tensor"],
  ["div", "Tensor"],
  ["div_", "Tensor"],
  ["remainder", "Tensor"],
  ["remainder", "Scalar"],
  ["fmod", "Tensor"],
  ["fmod", "Scalar"],
  ["pow", "Tensor_Tensor"],
  ["pow", "Tensor_Scalar"],
  ["neg", ""],
  ["abs", ""],
  ["exp", ""],
  ["log", ""],
  ["log2", ""],
  ["log1p", ""],
  ["expm1", ""],
  ["sqrt", ""],
  ["rsqrt", ""],
  ["square", ""],
  ["reciprocal", ""],
  ["sign", ""],
  ["floor", ""],
  ["ceil", ""],
  ["round", ""],
  ["trunc", ""],
  ["sin", ""],
  ["cos", ""],
  ["tanh", ""],
  ["sigmoid", ""],
  ["relu", ""],
  ["erf", ""],
  ["clamp", ""],
  ["clamp", "Tensor"],
  ["clamp_", ""],
  ["clamp_", "Tensor"],
  ["maximum", ""],
  ["minimum", ""],
  ["lerp", "Scalar"],
  ["lerp_", "Scalar"],
  ["addcmul", ""],
  ["addcdiv", ""],
  ["addcmul_", ""],
  ["addcdiv_", ""],
  ["sqrt_", ""],
  ["exp_", ""],
  ["neg_", ""],
  // comparison and logic
  ["eq", "Tensor"],
  ["eq", "Scalar"],
  ["ne", "Tensor"],
  ["ne", "Scalar"],
  ["lt", "Tensor"],
  ["lt", "Scalar"],
  ["le", "Tensor"],
  ["le", "Scalar"],
  ["gt", "Tensor"],
  ["gt", "Scalar"],
  ["ge", "Tensor"],
  ["ge", "Scalar"],
  ["logical_not", ""],
  ["logical_and", ""],
  ["logical_or", ""],
  ["logical_xor", ""],
  ["isnan", ""],
  ["isinf", ""],
  ["isfinite", ""],
  ["where", "self"],
  // reductions
  ["sum", ""],
  ["sum", "dim_IntList"],
  ["mean", ""],
  ["mean", "dim"],
  ["prod", ""],
  ["prod", "dim_int"],
  ["max", ""],
  ["min", ""],
  ["argmax", ""],
  ["argmin", ""],
  ["std", "correction"],
  ["var", "correction"],
  ["logsumexp", ""],
  ["linalg_vector_norm", ""],
  ["all", ""],
  ["all", "dim"],
  ["any", ""],
  ["any", "dim"],
  ["cumsum", ""],
  ["argsort", ""],
  ["softmax", "int"],
  ["log_softmax", "int"],
  // linear algebra
  ["matmul", ""],
  ["mm", ""],
  ["bmm", ""],
  ["dot", ""],
  ["mv", ""],
  ["outer", ""],
  // shape and indexing
  ["reshape", ""],
  ["view", ""],
  ["permute", ""],
  ["transpose", "int"],
  ["t", ""],
  ["squeeze", ""],
  ["squeeze", "dim"],
  ["unsqueeze", ""],
  ["flatten", "using_ints"],
  ["expand", ""],
  ["expand_as", ""],
  ["contiguous", ""],
  ["repeat", ""],
  ["flip", ""],
  ["select", "int"],
  ["narrow", ""],
  ["slice", "Tensor"],
  ["index_select", ""],
  ["gather", ""],
  ["scatter", "src"],
  ["scatter", "value"],
  ["scatter_add", ""],
  ["masked_fill", "Scalar"],
  ["masked_fill", "Tensor"],
  ["masked_fill_", "Scalar"],
  ["masked_select", ""],
  ["cat", ""],
  ["stack", ""],
  ["nonzero", ""],
  ["tril", ""],
  ["triu", ""],
  ["one_hot", ""],
  // copies
  ["clone", ""],
  ["detach", ""],
  ["detach_", ""],
  ["copy_", ""],
  ["zero_", ""],
  ["fill_", "Scalar"],
  // random
  ["uniform_", ""],
  ["normal_", ""],
  ["bernoulli_", "float"],
  // nn layers, activations and losses
  ["linear", ""],
  ["conv1d", ""],
  ["conv2d", ""],
  ["batch_norm", ""],
  ["layer_norm", ""],
  ["max_pool2d", ""],
  ["avg_pool2d", ""],
  ["adaptive_avg_pool2d", ""],
  ["dropout", ""],
  ["feature_dropout", ""],
  ["relu_", ""],
  ["leaky_relu", ""],
  ["hardtanh", ""],
  ["elu", ""],
  ["silu", ""],
  ["softplus", ""],
  ["log_sigmoid", ""],
  ["embedding", ""],
  ["binary_cross_entropy_with_logits", ""],
  ["binary_cross_entropy", ""],
  ["mse_loss", ""],
  ["l1_loss", ""],
  ["nll_loss_nd", ""],
  ["cross_entropy_loss", ""],
];

/** How one schema argument travels through a typed entry point. */
type Kind =
  | "handle" // a Tensor that must be a tensor (the first argument, or one the operator writes)
  | "tensor" // a Tensor that may also be a number (a wrapped number, as Python passes it)
  | "tensor?"
  | "tensors"
  | "int"
  | "int?"
  | "float"
  | "float?"
  | "bool"
  | "bool?"
  | "scalar"
  | "scalar?"
  | "ints"
  | "ints?"
  | "enum" // ScalarType, MemoryFormat: their code
  | "enum?"
  | "generator?"; // always None: the entry point passes no generator

/** One argument of a parsed schema. */
interface Param {
  name: string;
  type: string;
  kind: Kind;
  /** The fixed length of `int[N]` (a single int is repeated N times), 1 for `int[]`. */
  n: number;
  /** The schema's default as a JS value (number, boolean, null for None, number[]), or undefined if none or not expressible. */
  default?: number | boolean | null | number[];
}

/** One operator, ready to emit. */
interface Entry {
  name: string;
  overload: string;
  qualified: string;
  schema: string;
  symbol: string;
  ops: string; // the at::_ops struct
  header: string; // the per-operator header
  params: Param[];
  inplace: boolean;
}

const SCHEMA_SYMBOLS = {
  tt_build_info: { parameters: ["buffer", "i32"], result: "i32" },
  tt_op_find: { parameters: ["buffer", "buffer", "buffer", "i32"], result: "f64" },
  tt_op_schema: { parameters: ["f64", "buffer", "i32"], result: "i32" },
  tt_op_describe: { parameters: ["f64", "buffer", "i32"], result: "i32" },
} as const;

/** The linked LibTorch's version and the schema of each hot operator (text and `tt_op_describe` lines). */
async function readSchemas(): Promise<{ torch: string; schemas: { text: string; describe: string }[] }> {
  const lib = Deno.dlopen(await resolveLibrary(), SCHEMA_SYMBOLS);
  try {
    const buf = new Uint8Array(1 << 16);
    const str = (fn: (out: Uint8Array, cap: number) => number) => {
      const n = fn(buf, buf.length);
      if (n >= buf.length) throw new Error("typed_ops: a schema longer than 64 KiB");
      return new TextDecoder().decode(buf.subarray(0, n));
    };
    const cstr = (s: string) => new TextEncoder().encode(s + "\0");
    const info = Object.fromEntries(
      str((o, c) => lib.symbols.tt_build_info(o, c)).split(";").map((kv) => kv.split("=")),
    );
    const schemas = HOT_OPS.map(([name, overload]) => {
      const h = lib.symbols.tt_op_find(cstr(`aten::${name}`), cstr(overload), buf, buf.length);
      if (h === 0) {
        throw new Error(
          `typed_ops: aten::${name}.${overload}: ${new TextDecoder().decode(buf.subarray(0, buf.indexOf(0)))}`,
        );
      }
      const text = str((o, c) => lib.symbols.tt_op_schema(h, o, c));
      const describe = str((o, c) => lib.symbols.tt_op_describe(h, o, c));
      return { text, describe };
    });
    return { torch: info.torch, schemas };
  } finally {
    lib.close();
  }
}

/** The arguments of a schema's text, split at top-level commas (`*` dropped): `[type name, default text]`. */
function schemaArgs(text: string): [string, string | undefined][] {
  const open = text.indexOf("(");
  let depth = 0;
  let close = -1;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "(" || text[i] === "[") depth++;
    else if (text[i] === ")" || text[i] === "]") {
      depth--;
      if (depth === 0) {
        close = i;
        break;
      }
    }
  }
  const inner = text.slice(open + 1, close);
  const parts: string[] = [];
  let cur = "";
  depth = 0;
  for (const ch of inner) {
    if (ch === "(" || ch === "[") depth++;
    if (ch === ")" || ch === "]") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur.trim());
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur.trim());
  return parts.filter((p) => p !== "*").map((p) => {
    const eq = p.indexOf("=");
    return eq < 0 ? [p, undefined] : [p.slice(0, eq), p.slice(eq + 1)];
  });
}

/** A schema default's text as a JS value, or undefined when this generator cannot express it. */
function parseDefault(text: string, kind: Kind, n: number): number | boolean | null | number[] | undefined {
  const t = text.trim();
  if (t === "None") return kind.endsWith("?") ? null : undefined;
  if (t === "True" || t === "False") return kind === "bool" || kind === "bool?" ? t === "True" : undefined;
  if (t === "contiguous_format" && kind.startsWith("enum")) return 0; // c10::MemoryFormat::Contiguous
  if (t === "preserve_format" && kind.startsWith("enum")) return 1;
  const num = /^-?(\d+(\.\d*)?(e[-+]?\d+)?|inf)$/;
  if (kind.startsWith("ints")) {
    if (num.test(t)) return Array(n).fill(Number(t));
    if (/^\[[-\d, ]*\]$/.test(t)) return t === "[]" ? [] : t.slice(1, -1).split(",").map((x) => Number(x.trim()));
    return undefined;
  }
  if (num.test(t) && (kind.startsWith("int") || kind.startsWith("float") || kind.startsWith("scalar"))) {
    const v = t === "inf" ? Infinity : t === "-inf" ? -Infinity : Number(t);
    // an integral literal is a Python int (Scalar alpha=1 is the int 1); keep its float-ness where it has one
    return v;
  }
  return undefined;
}

/** Whether a Scalar default's text is a float literal (`1.0`, `1e-05`) rather than an int. */
function isFloatLiteral(text: string): boolean {
  return /[.e]|inf/.test(text.trim());
}

function kindOf(type: string, index: number, writes: boolean): Kind | null {
  switch (type) {
    case "Tensor":
      return index === 0 || writes ? "handle" : "tensor";
    case "Tensor?":
      return "tensor?";
    case "Tensor[]":
      return "tensors";
    case "int":
    case "SymInt":
      return "int";
    case "int?":
    case "SymInt?":
      return "int?";
    case "float":
      return "float";
    case "float?":
      return "float?";
    case "bool":
      return "bool";
    case "bool?":
      return "bool?";
    case "Scalar":
      return "scalar";
    case "Scalar?":
      return "scalar?";
    case "int[]":
    case "SymInt[]":
      return "ints";
    case "int[]?":
    case "SymInt[]?":
      return "ints?";
    case "ScalarType":
    case "MemoryFormat":
      return "enum";
    case "ScalarType?":
    case "MemoryFormat?":
      return "enum?";
    case "Generator?":
      return "generator?";
    default:
      return null;
  }
}

function parseEntry(name: string, overload: string, text: string, describe: string): Entry {
  const qualified = `aten::${name}${overload ? "." + overload : ""}`;
  const lines = describe.split("\n").filter((l) => l);
  const returnsLine = lines.pop()!;
  if (!returnsLine.startsWith("->")) throw new Error(`typed_ops: ${qualified}: unexpected describe output`);
  const textArgs = schemaArgs(text);
  if (textArgs.length !== lines.length) throw new Error(`typed_ops: ${qualified}: could not parse ${text}`);
  const params = lines.map((line, i): Param => {
    const [argName, type, , hasDefault, writes, nText] = line.split("\t");
    const kind = kindOf(type, i, writes === "1");
    if (kind === null) {
      throw new Error(`typed_ops: ${qualified}: argument '${argName}' of type ${type} is not supported`);
    }
    const n = Number(nText) > 0 ? Number(nText) : 1;
    const p: Param = { name: argName, type, kind, n };
    const dflt = textArgs[i][1];
    if (hasDefault === "1" && dflt !== undefined) {
      p.default = parseDefault(dflt, kind, n);
      if (kind.startsWith("scalar") && typeof p.default === "number" && isFloatLiteral(dflt)) {
        p.type = `${type}=float`; // marks a float default (see emitParamTs)
      }
    }
    if (kind === "generator?" && p.default !== null) {
      throw new Error(`typed_ops: ${qualified}: a Generator argument without default None`);
    }
    return p;
  });
  const returns = text.slice(text.lastIndexOf("->") + 2).trim();
  let inplace: boolean;
  if (/^Tensor(\([a-z]\))?$/.test(returns)) inplace = false;
  else if (/^Tensor\([a-z]!\)$/.test(returns)) inplace = true;
  else throw new Error(`typed_ops: ${qualified}: the result ${returns} is not supported (one Tensor only)`);
  const opsName = overload ? `${name}_${overload}` : name;
  return {
    name,
    overload,
    qualified,
    schema: text,
    symbol: `tt_typed_${opsName}`,
    ops: opsName,
    header: `ATen/ops/${name.replace(/_$/, "")}_ops.h`,
    params,
    inplace,
  };
}

// ---------------------------------------------------------------- C++

/** The C parameters of one argument. */
function cParams(p: Param): string[] {
  const a = `a_${p.name}`;
  switch (p.kind) {
    case "handle":
    case "tensor?":
    case "int":
    case "float":
      return [`double ${a}`];
    case "tensor":
    case "int?":
    case "float?":
    case "scalar":
    case "scalar?":
      return [`double ${a}`, `int32_t ${a}_k`];
    case "bool":
    case "bool?":
    case "enum":
    case "enum?":
      return [`int32_t ${a}`];
    case "tensors":
    case "ints":
    case "ints?":
      return [`const double* ${a}`, `int32_t ${a}_n`];
    case "generator?":
      return [];
  }
}

/** The C++ expression converting one argument to the signature's parameter type `TT_P(i)`. */
function cArg(p: Param, i: number): string {
  const a = `a_${p.name}`;
  const P = `TT_P(${i})`;
  switch (p.kind) {
    case "handle":
      return `tt::tensor_ref(${a})`;
    case "tensor":
      return `tt::typed::TensorArg(${a}, ${a}_k)`;
    case "tensor?":
      return `tt::typed::opt_tensor<${P}>(${a})`;
    case "tensors":
      return `tt::typed::TensorsArg<${P}>(${a}, ${a}_n)`;
    case "int":
      return `tt::typed::int_arg<${P}>(${a})`;
    case "int?":
      return `tt::typed::opt_int_arg<${P}>(${a}, ${a}_k)`;
    case "float":
      return a;
    case "float?":
      return `tt::typed::opt_float_arg<${P}>(${a}, ${a}_k)`;
    case "bool":
      return `${a} != 0`;
    case "bool?":
      return `tt::typed::opt_bool_arg<${P}>(${a})`;
    case "scalar":
      return `tt::typed::scalar_arg(${a}, ${a}_k)`;
    case "scalar?":
      return `tt::typed::opt_scalar_arg<${P}>(${a}, ${a}_k)`;
    case "ints":
    case "ints?":
      return `tt::typed::IntsArg<${P}>(${a}, ${a}_n)`;
    case "enum":
      return `static_cast<${P}>(${a})`;
    case "enum?":
      return `tt::typed::opt_enum_arg<${P}>(${a})`;
    case "generator?":
      return `${P}()`;
  }
}

/** The C declaration of an entry point (without the trailing `;` or body). */
function cDeclaration(e: Entry): string {
  const params = [...e.params.flatMap(cParams), "char* err", "int32_t errcap"];
  return `TT_API ${e.inplace ? "int32_t" : "double"} ${e.symbol}(${params.join(", ")})`;
}

function emitHeader(entries: Entry[], torch: string): string {
  const out: string[] = [
    `/* GENERATED by scripts/gen/typed_ops.ts (\`deno task gen\`) from the operator schemas of LibTorch ${torch}.`,
    " * Do not edit: change the generator or its list of hot operators and run `deno task gen`.",
    " *",
    " * The typed entry points of the hot operators (see torchshim.h for the conventions). Each calls its operator",
    " * through the unboxed dispatcher. Arguments, by schema type:",
    " *   Tensor (the first, or one the operator writes): a tensor handle;",
    " *   Tensor (others): a handle or a number, and its kind: 0 a handle, 1 an int, 2 a float, 3 a bool (a",
    " *     wrapped number, as Python passes one);",
    " *   Tensor?: a handle, 0 for None;   Tensor[]: an array of handles and its length;",
    " *   int, float: the number;   int?, float?: the number and 1 (0 for None);",
    " *   bool: 0 or 1;   bool?: 0, 1, or -1 for None;",
    " *   Scalar: the number and its kind: 0 an int, 1 a float, 2 a bool (-1 for None where optional);",
    " *   int[]: an array of doubles and its length (-1 for None where optional);",
    " *   ScalarType, MemoryFormat: the enum's code (-1 for None where optional);   Generator?: none (always None).",
    " * Results: a new tensor handle (0 on failure), or for in-place operators 0 (-1 on failure); the message of a",
    " * failure is written into err. No C++ exception escapes.",
    " */",
    "#ifndef TORCHSHIM_TYPED_OPS_H",
    "#define TORCHSHIM_TYPED_OPS_H",
    "",
    '#include "torchshim.h"',
    "",
    "#ifdef __cplusplus",
    'extern "C" {',
    "#endif",
    "",
  ];
  for (const e of entries) out.push(`/* ${e.schema} */`, `${cDeclaration(e)};`);
  out.push("", "#ifdef __cplusplus", "}", "#endif", "", "#endif", "");
  return out.join("\n");
}

function emitCpp(entries: Entry[], torch: string): string {
  const headers = [...new Set(entries.map((e) => e.header))].sort();
  const out: string[] = [
    `// GENERATED by scripts/gen/typed_ops.ts (\`deno task gen\`) from the operator schemas of LibTorch ${torch}.`,
    "// Do not edit: change the generator or its list of hot operators and run `deno task gen`.",
    "//",
    "// Typed entry points for the hot operators: plain number and handle arguments, the unboxed dispatcher",
    "// (`findSchemaOrThrow(name, overload).typed<Sig>()`, found once, then `.call(...)`), no C++ exception escapes.",
    "// Sig is the signature of the LibTorch compiled against (`at::_ops::<op>::schema`); each argument is converted",
    "// to its parameter type (by the hand-written ../typed_support.h), so this file serves LibTorch 1.13 and 2.x alike.",
    '#include "../typed_support.h"', // ATen first: the operator headers below need it
    "",
    ...headers.map((h) => `#include <${h}>`),
    "",
    '#include "typed_ops.h"',
    "",
    'extern "C" {',
    "",
  ];
  for (const e of entries) {
    const call = `op.call(${e.params.map(cArg).join(", ")})`;
    out.push(`// ${e.schema}`);
    out.push(`${cDeclaration(e)} {`);
    out.push("  TT_TRY");
    out.push(`  using Sig = at::_ops::${e.ops}::schema;`);
    out.push(`  static const auto op = tt::typed::find<Sig>("aten::${e.name}", "${e.overload}");`);
    if (e.inplace) {
      out.push(`  ${call};`);
      out.push("  return 0;");
      out.push("  TT_CATCH(err, errcap, -1)");
    } else {
      out.push(`  return tt::typed::tensor_result(${call}, "${e.qualified}");`);
      out.push("  TT_CATCH(err, errcap, 0)");
    }
    out.push("}");
    out.push("");
  }
  out.push('}  // extern "C"');
  out.push("");
  return out.join("\n");
}

// ---------------------------------------------------------------- TypeScript

function ffiParams(p: Param): string[] {
  return cParams(p).map((
    c,
  ) => (c.startsWith("const double*") ? '"buffer"' : c.startsWith("double") ? '"f64"' : '"i32"'));
}

function header(torch: string, what: string): string {
  return [
    `// GENERATED by scripts/gen/typed_ops.ts (\`deno task gen\`) from the operator schemas of LibTorch ${torch}.`,
    "// Do not edit: change the generator or its list of hot operators and run `deno task gen`.",
    "",
    "/**",
    ...what.split("\n").map((l) => ` * ${l}`.trimEnd()),
    " *",
    " * @module",
    " */",
    "",
  ].join("\n");
}

function emitSymbols(entries: Entry[], torch: string): string {
  const out = [
    header(
      torch,
      "The FFI declarations of the typed entry points of the hot operators (`native/src/generated/typed_ops.cpp`),\nmerged into the shim's symbol table by `ffi/library.ts`.",
    ),
    "/** The typed entry points: each the operator of its schema, its arguments as plain numbers and handles. */",
    "export const typedOpSymbols = {",
  ];
  for (const e of entries) {
    out.push(`  /** \`${e.schema}\` */`);
    const params = [...e.params.flatMap(ffiParams), '"buffer"', '"i32"'];
    out.push(`  ${e.symbol}: { parameters: [${params.join(", ")}], result: "${e.inplace ? "i32" : "f64"}" },`);
  }
  out.push("} as const;");
  out.push("");
  out.push("/** One typed entry point: its symbol, operator, schema and how each argument travels. */");
  out.push("export interface TypedOpSchema {");
  out.push("  /** The shim's symbol. */");
  out.push("  symbol: string;");
  out.push("  /** The qualified operator name (`aten::add.Tensor`). */");
  out.push("  op: string;");
  out.push("  /** The schema it was generated from. */");
  out.push("  schema: string;");
  out.push(
    "  /** Per argument: its name, how it travels (`handle`, `tensor`, `int`, `ints?`, ...), whether it has a default. */",
  );
  out.push("  args: readonly (readonly [string, string, boolean])[];");
  out.push("  /** In place: the result is the first argument. */");
  out.push("  inplace: boolean;");
  out.push("}");
  out.push("");
  out.push("/** Every typed entry point, in the generator's order. */");
  out.push("export const typedOpSchemas: readonly TypedOpSchema[] = [");
  for (const e of entries) {
    const args = e.params.map((p) => `[${JSON.stringify(p.name)}, "${p.kind}", ${p.default !== undefined}]`);
    out.push(
      `  { symbol: "${e.symbol}", op: "${e.qualified}", schema: ${JSON.stringify(e.schema)}, args: [${
        args.join(", ")
      }], inplace: ${e.inplace} },`,
    );
  }
  out.push("];");
  out.push("");
  return out.join("\n");
}

/** JS literal of a default value. */
function lit(v: number | boolean | null | number[]): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return `[${v.map(lit).join(", ")}]`;
  if (typeof v === "number") {
    if (v === Infinity) return "Infinity";
    if (v === -Infinity) return "-Infinity";
    return String(v);
  }
  return String(v);
}

/**
 * The TypeScript of one argument: `check` lines (run before any handle is read; `return 0` when the argument is
 * of a form the entry point does not take), `value` lines (in argument order: handles and lists), and the FFI
 * arguments.
 */
function emitParamTs(
  p: Param,
  i: number,
  e: Entry,
  consts: string[],
): { check: string[]; value: string[]; args: string[] } {
  const a = `a${i}`;
  const t = `t${i}`;
  const check: string[] = [`const ${t} = tagOf(${a});`];
  const value: string[] = [];
  const d = p.default;
  const hasDefault = d !== undefined;
  const noDefault = `if (${t} === DEFAULT) return 0;`;
  switch (p.kind) {
    case "handle":
      check.push(`if (${t} !== TENSOR) return 0;`);
      return { check, value, args: [`(${a} as HandleOwner).handle`] };
    case "tensor":
      check.push(`const k${i} = tensorKind(${t});`, `if (k${i} < 0) return 0;`);
      return { check, value, args: [`k${i} === 0 ? (${a} as HandleOwner).handle : num(${a})`, `k${i}`] };
    case "tensor?":
      if (d !== null) check.push(noDefault);
      check.push(`if (${t} !== TENSOR && ${t} !== NONE && ${t} !== DEFAULT) return 0;`);
      return { check, value, args: [`${t} === TENSOR ? (${a} as HandleOwner).handle : 0`] };
    case "tensors": {
      check.push(noDefault, `if (!tensorList(${a})) return 0;`);
      consts.push(`const L${e.symbol}_${i} = new Float64Array(16);`);
      value.push(`const l${i} = handles(${a} as HandleOwner[], L${e.symbol}_${i});`);
      return { check, value, args: [`l${i}`, `(${a} as unknown[]).length`] };
    }
    case "int":
    case "int?": {
      const opt = p.kind === "int?";
      if (!hasDefault) check.push(noDefault);
      check.push(`if (!isInt(${t})${opt ? ` && ${t} !== NONE` : ""}) return 0;`);
      const dv = hasDefault ? (d === null ? "0" : lit(d as number)) : "0";
      const v = `${t} === DEFAULT ? ${dv} : ${opt ? `${t} === NONE ? 0 : ` : ""}num(${a})`;
      if (!opt) return { check, value, args: [v] };
      const has = hasDefault && d === null ? `${t} === DEFAULT || ${t} === NONE ? 0 : 1` : `${t} === NONE ? 0 : 1`;
      return { check, value, args: [v, has] };
    }
    case "float":
    case "float?": {
      const opt = p.kind === "float?";
      if (!hasDefault) check.push(noDefault);
      check.push(`if (!isFloat(${t})${opt ? ` && ${t} !== NONE` : ""}) return 0;`);
      const dv = hasDefault ? (d === null ? "0" : lit(d as number)) : "0";
      const v = `${t} === DEFAULT ? ${dv} : ${opt ? `${t} === NONE ? 0 : ` : ""}num(${a})`;
      if (!opt) return { check, value, args: [v] };
      const has = hasDefault && d === null ? `${t} === DEFAULT || ${t} === NONE ? 0 : 1` : `${t} === NONE ? 0 : 1`;
      return { check, value, args: [v, has] };
    }
    case "bool":
    case "bool?": {
      const opt = p.kind === "bool?";
      if (!hasDefault) check.push(noDefault);
      check.push(`if (${t} !== BOOL${opt ? ` && ${t} !== NONE` : ""} && ${t} !== DEFAULT) return 0;`);
      const dv = !hasDefault ? "0" : d === null ? "-1" : d ? "1" : "0";
      return { check, value, args: [`${t} === DEFAULT ? ${dv} : ${opt ? `${t} === NONE ? -1 : ` : ""}num(${a})`] };
    }
    case "scalar":
    case "scalar?": {
      if (!hasDefault) check.push(noDefault);
      check.push(
        `const k${i} = ${t} === DEFAULT ? ${
          !hasDefault ? "0" : d === null ? "-1" : p.type.endsWith("=float") ? "1" : "0"
        } : scalarKind(${t}, ${p.kind === "scalar?"});`,
      );
      check.push(`if (k${i} < -1) return 0;`);
      const dv = hasDefault && d !== null ? lit(d as number) : "0";
      return { check, value, args: [`${t} === DEFAULT ? ${dv} : k${i} < 0 ? 0 : num(${a})`, `k${i}`] };
    }
    case "ints":
    case "ints?": {
      const opt = p.kind === "ints?";
      if (!hasDefault) check.push(noDefault);
      consts.push(`const L${e.symbol}_${i} = new Float64Array(16);`);
      let dflt = "0";
      if (Array.isArray(d)) {
        consts.push(`const D${e.symbol}_${i}: readonly number[] = ${lit(d)};`);
        dflt = `D${e.symbol}_${i}`;
      }
      const src = hasDefault && d !== null ? `${t} === DEFAULT ? ${dflt} : ${a}` : a;
      const none = `${t} === NONE${hasDefault && d === null ? ` || ${t} === DEFAULT` : ""}`;
      const list = `intList(${src}, L${e.symbol}_${i}, ${p.n})`;
      check.push(`const n${i} = ${opt ? `${none} ? -1 : ${list}` : list};`);
      check.push(`if (n${i} < -1) return 0;`);
      return { check, value, args: [`L${e.symbol}_${i}`, `n${i}`] };
    }
    case "enum":
    case "enum?": {
      const opt = p.kind === "enum?";
      if (!hasDefault) check.push(noDefault);
      check.push(`if (!isInt(${t})${opt ? ` && ${t} !== NONE` : ""}) return 0;`);
      const dv = !hasDefault || d === null ? "-1" : lit(d as number);
      return { check, value, args: [`${t} === DEFAULT ? ${dv} : ${opt ? `${t} === NONE ? -1 : ` : ""}num(${a})`] };
    }
    case "generator?":
      check.push(`if (${t} !== NONE && ${t} !== DEFAULT) return 0;`);
      return { check, value, args: [] };
  }
}

function emitCalls(entries: Entry[], torch: string): string {
  const consts: string[] = [];
  const fns: string[] = [];
  for (const e of entries) {
    const arity = Math.max(5, e.params.length);
    const args = Array.from({ length: arity }, (_, i) => `a${i}?: unknown`);
    const parts = e.params.map((p, i) => emitParamTs(p, i, e, consts));
    const body: string[] = [];
    for (let i = e.params.length; i < arity; i++) body.push(`if (a${i} !== undefined) return 0;`);
    for (const p of parts) body.push(...p.check);
    for (const p of parts) body.push(...p.value);
    const call = `${e.symbol}(${[...parts.flatMap((p) => p.args), "errBuf", "ERRCAP"].join(", ")})`;
    if (e.inplace) {
      body.push(`if (${call} < 0) fail("${e.qualified}");`, "return 1;");
    } else {
      body.push(`const h = ${call};`, `if (h === 0) fail("${e.qualified}");`, "return h;");
    }
    fns.push(
      `  /** \`${e.schema}\` */\n  ${e.inplace ? "inplace" : "tensor"}.set("${e.qualified}", (${
        args.join(", ")
      }): number => {\n` +
        body.map((l) => `    ${l}`).join("\n") + "\n  });",
    );
  }
  const symbols = entries.map((e) => e.symbol);
  const code = [...consts, ...fns].join("\n");
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(code);
  const tags = ["TENSOR", "INT", "DOUBLE", "BOOL", "NONE", "DEFAULT", "DTYPE"].filter(uses);
  const helpers = ["fail", "handles", "intList", "isFloat", "isInt", "scalarKind", "tensorKind"].filter(uses);
  const readers = ["tagOf", "num", "tensorList"].filter(uses);
  const types = [...["HandleOwner", "Tagged"].filter(uses), "TypedCall", "TypedCallClasses", "TypedCalls"];
  return [
    header(
      torch,
      "The typed calls of the hot operators: each takes the arguments a boxed call of its operator takes, encodes\nthem as the boxed path would decode them, and calls its typed entry point (`ffi/typed_ops.ts`); an argument\nof another form gives 0, and the caller takes the boxed path. `tensor/call.ts` uses them. What they share is\nhand-written, in `ffi/typed_support.ts`.",
    ),
    'import { errBuf, ERRCAP, lib } from "./native.ts";',
    'import { Tag } from "./wire.ts";',
    `import {\n${
      [...helpers, ...types.map((t) => `type ${t}`), "valueReaders"].map((n) => `  ${n},`).join("\n")
    }\n} from "./typed_support.ts";`,
    "",
    `const { ${tags.join(", ")} } = Tag;`,
    "",
    `const {\n${symbols.map((s) => `  ${s},`).join("\n")}\n} = lib;`,
    "",
    ...consts,
    "",
    "/** The typed calls, recognising tensors, tagged values and Python floats by the classes given. */",
    "export function typedCalls(classes: TypedCallClasses): TypedCalls {",
    `  const { ${readers.join(", ")} } = valueReaders(classes);`,
    "  const tensor = new Map<string, TypedCall>();",
    "  const inplace = new Map<string, TypedCall>();",
    ...fns,
    "  return { tensor, inplace };",
    "}",
    "",
  ].join("\n");
}

async function denoFmt(text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", "ts", "--line-width", "120", "-"],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { code, stdout, stderr } = await child.output();
  if (code !== 0) throw new Error(`typed_ops: deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

/** The entries of the hot operators as the linked LibTorch's schemas give them, and its version. */
export async function typedOpEntries(): Promise<{ torch: string; entries: Entry[] }> {
  const { torch, schemas } = await readSchemas();
  const entries = HOT_OPS.map(([name, overload], i) =>
    parseEntry(name, overload, schemas[i].text, schemas[i].describe)
  );
  return { torch, entries };
}

/** The files this generator writes, relative to the repository root. */
export const TYPED_OPS_FILES = [
  "native/src/generated/typed_ops.cpp",
  "native/src/generated/typed_ops.h",
  "ffi/typed_ops.ts",
  "ffi/typed_ops_calls.ts",
] as const;

/** `deno task gen`'s generator of the typed entry points. */
export const typedOpsGenerator: Generator = {
  name: "typed_ops",
  source: "the linked LibTorch's operator schemas (scripts/gen/typed_ops.ts's HOT_OPS)",
  async generate(): Promise<GeneratedFile[]> {
    const { torch, entries } = await typedOpEntries();
    return [
      { path: TYPED_OPS_FILES[0], text: emitCpp(entries, torch) },
      { path: TYPED_OPS_FILES[1], text: emitHeader(entries, torch) },
      { path: TYPED_OPS_FILES[2], text: await denoFmt(emitSymbols(entries, torch)) },
      { path: TYPED_OPS_FILES[3], text: await denoFmt(emitCalls(entries, torch)) },
    ];
  },
};

if (import.meta.main) {
  const root = fileURLToPath(new URL("../../", import.meta.url));
  for (const f of await typedOpsGenerator.generate()) console.log(`${root}${f.path}: ${f.text.length} characters`);
}
