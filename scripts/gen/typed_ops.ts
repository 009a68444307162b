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

const CPP_SUPPORT = `namespace tt::typed {

// The decayed type of parameter I of the function type Sig.
template <class Sig, size_t I>
using param_t = std::decay_t<c10::guts::typelist::element_t<I, typename c10::guts::infer_function_traits_t<Sig>::parameter_types>>;

template <class Sig>
c10::TypedOperatorHandle<Sig> find(const char* name, const char* overload) {
  return c10::Dispatcher::singleton().findSchemaOrThrow(name, overload).template typed<Sig>();
}

// Doubles carry int64 values exactly up to 2^53; the int64 limits arrive rounded and are clamped (as wire.cpp does).
inline int64_t to_int64(double v) {
  if (v >= 9.2233720368547758e18) return INT64_MAX;
  if (v <= -9.2233720368547758e18) return INT64_MIN;
  return static_cast<int64_t>(v);
}

// A number as the boxed path decodes it: kind 0 an int, 1 a float, 2 a bool.
inline c10::Scalar scalar_arg(double v, int32_t kind) {
  if (kind == 0) return c10::Scalar(to_int64(v));
  if (kind == 2) return c10::Scalar(v != 0);
  return c10::Scalar(v);
}

// A Tensor argument: kind 0 a handle, else a number passed as a wrapped number (kind as scalar_arg's, plus 1).
struct TensorArg {
  const at::Tensor* ref;
  at::Tensor wrapped;
  TensorArg(double v, int32_t kind) {
    if (kind == 0) {
      ref = &tt::tensor_ref(v);
    } else {
      wrapped = at::native::wrapped_scalar_tensor(scalar_arg(v, kind - 1));
      ref = &wrapped;
    }
  }
  operator const at::Tensor&() const { return *ref; }
};

template <class P>
P opt_tensor(double h) {
  if (h == 0) return P();
  return P(tt::tensor_ref(h));
}

template <class P>
struct TensorsArg {
  std::vector<at::Tensor> v;
  TensorsArg(const double* h, int32_t n) {
    v.reserve(static_cast<size_t>(n));
    for (int32_t i = 0; i < n; ++i) v.push_back(tt::tensor_ref(h[i]));
  }
  operator P() const { return P(c10::ArrayRef<at::Tensor>(v)); }
};

template <class P>
P int_arg(double v) {
  return P(to_int64(v));
}

template <class P>
P opt_int_arg(double v, int32_t has) {
  if (!has) return P();
  return P(typename P::value_type(to_int64(v)));
}

template <class P>
P opt_float_arg(double v, int32_t has) {
  if (!has) return P();
  return P(v);
}

template <class P>
P opt_bool_arg(int32_t v) {
  if (v < 0) return P();
  return P(v != 0);
}

template <class P>
P opt_scalar_arg(double v, int32_t kind) {
  if (kind < 0) return P();
  return P(scalar_arg(v, kind));
}

template <class P>
P opt_enum_arg(int32_t v) {
  if (v < 0) return P();
  return P(static_cast<typename P::value_type>(v));
}

// The element type of an int list parameter: ArrayRef<E>, OptionalArrayRef<E> or optional<ArrayRef<E>>.
template <class P>
struct list_traits;
template <class E>
struct list_traits<c10::ArrayRef<E>> {
  using elem = E;
};
template <class E>
struct list_traits<c10::OptionalArrayRef<E>> {
  using elem = E;
};
template <class E>
struct list_traits<c10::optional<c10::ArrayRef<E>>> {
  using elem = E;
};

// An int list (n < 0: None) in the element type the signature wants (int64_t or SymInt).
template <class P>
struct IntsArg {
  using E = typename list_traits<P>::elem;
  c10::SmallVector<E, 8> v;
  bool none;
  IntsArg(const double* p, int32_t n) : none(n < 0) {
    for (int32_t i = 0; i < n; ++i) v.push_back(E(to_int64(p[i])));
  }
  operator P() const {
    if (none) return P();
    return P(c10::ArrayRef<E>(v.data(), v.size()));
  }
};

inline double tensor_result(at::Tensor t, const char* name) {
  if (!t.defined()) throw std::invalid_argument(std::string(name) + " did not return a tensor");
  return tt::new_tensor_handle(std::move(t));
}

}  // namespace tt::typed

#define TT_P(i) tt::typed::param_t<Sig, i>
`;

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
    "// to its parameter type, so this file serves LibTorch 1.13 and 2.x alike.",
    "#include <ATen/ATen.h>",
    "#include <ATen/ScalarOps.h>",
    "#include <ATen/core/dispatch/Dispatcher.h>",
    "#include <c10/util/Metaprogramming.h>",
    "#include <c10/util/TypeList.h>",
    ...headers.map((h) => `#include <${h}>`),
    "",
    "#include <type_traits>",
    "#include <vector>",
    "",
    '#include "../common.h"',
    '#include "typed_ops.h"',
    "",
    CPP_SUPPORT,
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

const TS_SUPPORT = `import { errBuf, ERRCAP, lib, readError } from "./native.ts";
import { TorchError } from "./errors.ts";
import { Tag } from "./wire.ts";

/** What a typed call takes for a tensor: an object with its native handle (\`tensor/\`'s Tensor). */
export interface HandleOwner {
  /** The native handle (throws when disposed). */
  readonly handle: number;
}

/** A value with an explicit wire tag (\`tensor/call.ts\`'s Special). */
export interface Tagged {
  /** The wire tag. */
  readonly tag: number;
  /** The payload. */
  readonly a: number;
}

/** A number marked as a Python float (\`tensor/python_float.ts\`'s Float). */
export interface FloatMark {
  /** The value. */
  readonly value: number;
}

/** The classes a typed call recognises; \`tensor/call.ts\` passes its own. */
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

/** The typed calls by qualified operator name (\`aten::add.Tensor\`): those returning a tensor, and the in-place ones. */
export interface TypedCalls {
  /** Operators that return a new tensor (or a view). */
  tensor: Map<string, TypedCall>;
  /** In-place operators (their result is the first argument itself). */
  inplace: Map<string, TypedCall>;
}

const { TENSOR, INT, DOUBLE, BOOL, NONE, DEFAULT, DTYPE } = Tag;

/** Whether a tagged value is what the boxed path decodes as an \`int\` (an int, a dtype, a bool). */
function isInt(t: number): boolean {
  return t === INT || t === DTYPE || t === BOOL || t === DEFAULT;
}

/** Whether a tagged value is what the boxed path decodes as a \`float\` (an int or a float). */
function isFloat(t: number): boolean {
  return t === INT || t === DOUBLE || t === DEFAULT;
}

/** A Tensor argument's kind: 0 a tensor, 1 an int, 2 a float, 3 a bool (wrapped numbers); -1 not taken. */
function tensorKind(t: number): number {
  return t === TENSOR ? 0 : t === INT ? 1 : t === DOUBLE ? 2 : t === BOOL ? 3 : -1;
}

/** A Scalar argument's kind: 0 an int, 1 a float, 2 a bool, -1 None (where optional); -2 not taken. */
function scalarKind(t: number, optional: boolean): number {
  return t === INT ? 0 : t === DOUBLE ? 1 : t === BOOL ? 2 : optional && t === NONE ? -1 : -2;
}

/** Copies the handles of a tensor list into \`scratch\` (or a new array when it is too small). */
function handles(list: HandleOwner[], scratch: Float64Array): Float64Array {
  const out = list.length <= scratch.length ? scratch : new Float64Array(list.length);
  for (let i = 0; i < list.length; i++) out[i] = list[i].handle;
  return out;
}

function fail(op: string): never {
  throw new TorchError(readError(), op);
}
`;

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
  return [
    header(
      torch,
      "The typed calls of the hot operators: each takes the arguments a boxed call of its operator takes, encodes\nthem as the boxed path would decode them, and calls its typed entry point (`ffi/typed_ops.ts`); an argument\nof another form gives 0, and the caller takes the boxed path. `tensor/call.ts` uses them.",
    ),
    TS_SUPPORT,
    `const {\n${symbols.map((s) => `  ${s},`).join("\n")}\n} = lib;`,
    "",
    ...consts,
    "",
    "/** The typed calls, recognising tensors, tagged values and Python floats by the classes given. */",
    "export function typedCalls(classes: TypedCallClasses): TypedCalls {",
    "  const { Tensor, Special, Float } = classes;",
    "  /** The wire tag the boxed path would write for a value (-1: a form no typed call takes). */",
    "  const tagOf = (x: unknown): number => {",
    "    if (x instanceof Tensor) return TENSOR;",
    '    if (typeof x === "number") return Number.isSafeInteger(x) ? INT : DOUBLE;',
    '    if (typeof x === "boolean") return BOOL;',
    "    if (x === undefined) return DEFAULT;",
    "    if (x === null) return NONE;",
    "    if (x instanceof Float) return DOUBLE;",
    "    if (x instanceof Special) return x.tag;",
    "    return -1;",
    "  };",
    "  /** The number a value carries (a bool as 0 or 1). */",
    "  const num = (x: unknown): number => {",
    '    if (typeof x === "number") return x;',
    '    if (typeof x === "boolean") return x ? 1 : 0;',
    "    if (x instanceof Float) return x.value;",
    "    return (x as Tagged).a;",
    "  };",
    "  /** Whether a value is a list of tensors. */",
    "  const tensorList = (x: unknown): boolean => {",
    "    if (!Array.isArray(x)) return false;",
    "    for (const v of x) if (!(v instanceof Tensor)) return false;",
    "    return true;",
    "  };",
    "  /** Copies an int list (or one int, repeated n times) into scratch: its length, or -2 when not an int list. */",
    "  const intList = (x: unknown, scratch: Float64Array, n: number): number => {",
    '    if (typeof x === "number") {',
    "      if (!Number.isSafeInteger(x)) return -2;",
    "      for (let i = 0; i < n; i++) scratch[i] = x;",
    "      return n;",
    "    }",
    "    if (!Array.isArray(x) || x.length > scratch.length) return -2;",
    "    for (let i = 0; i < x.length; i++) {",
    "      const v = x[i];",
    "      if (!Number.isSafeInteger(v)) return -2;",
    "      scratch[i] = v;",
    "    }",
    "    return x.length;",
    "  };",
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
