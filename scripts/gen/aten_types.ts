/**
 * The generator of `tensor/aten_types.ts`: TypeScript declarations of `ops.aten`, made from the operator schemas
 * of the linked LibTorch (read through the shim: `tt_op_names` lists the operators, `tt_op_overloads` gives each
 * one's overloads in the order `torch.ops.aten` tries them, `tt_op_schema` and `tt_op_describe` their schemas).
 *
 * Every overload of an operator becomes a TypeScript overload of its name, in that order, so TypeScript picks the
 * first declaration that accepts the arguments as `ops.aten` picks the first schema; `ops.aten["add.Tensor"]`
 * has that overload's signature alone. A schema type maps to the values `ops.aten` accepts for it (`int` takes a
 * number or a boolean, as Python's int takes a bool; `Scalar` also takes a {@linkcode Float}); a type no JavaScript
 * value can be passed for (`Generator`, `Storage`, ...) maps to `never`, so only `null` fits where it is optional.
 * Keyword-only arguments, and defaulted positional arguments not given by position, go in a trailing options
 * object with camelCase keys.
 *
 * @module
 */

import { buildInfo, cstr, lib, readString } from "../../ffi/native.ts";
import { NUMBERS_AS_TENSORS } from "../../tensor/aten.ts";
import { op, type OpSchema, overloadsOf, type SchemaArg } from "../../tensor/operator.ts";
import type { GeneratedFile, Generator } from "./generator.ts";

/** Where the declarations go, relative to the repository root. */
export const ATEN_TYPES_PATH = "tensor/aten_types.ts";

/** One overload of an operator, as the generator reads it from the shim. */
export interface AtenOverload {
  /** The overload name (`Tensor`, or `""`). */
  overload: string;
  /** The schema with its arguments. */
  schema: OpSchema;
}

/** One operator with its overloads in `torch.ops.aten`'s order. */
export interface AtenOperator {
  /** The name without the namespace (`add`). */
  name: string;
  /** Its overloads, in the order `ops.aten` tries them. */
  overloads: AtenOverload[];
}

/** Reads every `aten::` operator and its overloads from the linked LibTorch. */
export function readAtenOperators(): AtenOperator[] {
  const names = readString((out, cap) => lib.tt_op_names(cstr("aten::"), out, cap)).split("\n").filter((n) => n);
  return names.map((qualified) => ({
    name: qualified.slice("aten::".length),
    overloads: overloadsOf(qualified).map((overload) => ({ overload, schema: op(qualified, overload).schema() })),
  }));
}

const RESERVED = new Set(
  ("break case catch class const continue debugger default delete do else enum export extends false finally for " +
    "function if import in instanceof new null return super switch this throw true try typeof var void while with " +
    "yield let static implements interface package private protected public await arguments eval").split(" "),
);

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const IDENT = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** The options key of argument `name`: camelCase where `ops.aten` maps it back (`pin_memory` -> `pinMemory`). */
function optionKey(name: string): string {
  const camel = name.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());
  const key = !name.startsWith("_") && snake(camel) === name ? camel : name;
  return IDENT.test(key) ? key : JSON.stringify(key);
}

/** A positional parameter's name, valid in TypeScript: its options key where that is an identifier. */
function paramName(name: string): string {
  const key = optionKey(name);
  const id = IDENT.test(key) ? key : name.replace(/[^A-Za-z0-9_$]/g, "_");
  return RESERVED.has(id) || !IDENT.test(id) ? `${id}_` : id;
}

/** A member name: bare when it is an identifier, else quoted (`"add.Tensor"`). */
const memberName = (name: string) => IDENT.test(name) ? name : JSON.stringify(name);

/** The aliases of schema types no JavaScript value is passed for (`never`: only `null` fits an optional one). */
const UNPASSABLE = new Set(["AtenGenerator", "AtenUnsupported"]);

/** The TypeScript type of an argument of schema type `type` (`n`: the fixed size of an `int[N]`). */
export function argumentType(type: string, n: number, numbersAsTensors: boolean): string {
  if (type.endsWith("?")) {
    return `${argumentType(type.slice(0, -1), n, numbersAsTensors)} | null`;
  }
  const list = /^(.+)\[\]$/.exec(type);
  if (list) {
    const elem = argumentType(list[1], -1, false);
    if (UNPASSABLE.has(elem)) return elem;
    const array = elem.includes(" ") ? `(${elem})[]` : `${elem}[]`;
    // a single number for a fixed-size int[N] or float[N], as PyTorch repeats it N times
    return n > 0 && (list[1] === "int" || list[1] === "SymInt" || list[1] === "float") ? `${elem} | ${array}` : array;
  }
  switch (type) {
    case "Tensor":
      return numbersAsTensors ? "AtenTensorOrNumber" : "Tensor";
    case "int":
    case "SymInt":
      return "AtenInt";
    case "float":
      return "AtenFloat";
    case "Scalar":
      return "AtenScalar";
    case "bool":
      return "AtenBool";
    case "str":
      return "string";
    case "ScalarType":
      return "AtenScalarType";
    case "Device":
      return "Device";
    case "MemoryFormat":
      return "AtenMemoryFormat";
    case "Layout":
      return "AtenLayout";
    case "Generator":
      return "AtenGenerator";
    default:
      return "AtenUnsupported"; // Storage, Stream, TorchScript classes: no JavaScript value is passed for them
  }
}

/** Splits `text` at top-level commas (outside parentheses and brackets). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") depth--;
    else if (c === "," && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  const last = text.slice(start).trim();
  if (last !== "") parts.push(last);
  return parts;
}

/** The schema types of the returns in a schema's text (`-> (Tensor(a!) values, Tensor indices)`). */
export function returnTypes(schemaText: string): string[] {
  // the returns follow the argument list's closing parenthesis
  let depth = 0, i = schemaText.indexOf("(");
  for (; i < schemaText.length; i++) {
    if (schemaText[i] === "(") depth++;
    else if (schemaText[i] === ")" && --depth === 0) break;
  }
  const rest = schemaText.slice(i + 1).trim();
  if (!rest.startsWith("->")) throw new Error(`no returns in schema ${schemaText}`);
  let text = rest.slice(2).trim().replace(/Tensor\([^)]*\)/g, "Tensor"); // alias annotations: Tensor(a!) -> Tensor
  const tuple = text.startsWith("(");
  if (tuple) text = text.slice(1, -1);
  return splitTopLevel(text).map((item) => {
    // a named return: "Tensor values", "Tensor[] self_out"
    let depth = 0, cut = -1;
    for (let j = 0; j < item.length; j++) {
      if (item[j] === "(" || item[j] === "[") depth++;
      else if (item[j] === ")" || item[j] === "]") depth--;
      else if (item[j] === " " && depth === 0) cut = j;
    }
    return cut < 0 ? item : item.slice(0, cut);
  });
}

/** The TypeScript type of a result of schema type `type`, as `ops.aten` decodes it. */
export function resultType(type: string): string {
  if (type.endsWith("?")) {
    const inner = resultType(type.slice(0, -1));
    return inner === "unknown" ? "unknown" : `${inner} | null`;
  }
  const list = /^(.+)\[\]$/.exec(type);
  if (list) {
    const elem = resultType(list[1]);
    return elem === "unknown" ? "unknown[]" : elem.includes(" ") ? `(${elem})[]` : `${elem}[]`;
  }
  switch (type) {
    case "Tensor":
      return "Tensor";
    case "int":
    case "SymInt":
    case "float":
    case "ScalarType": // a ScalarType, Layout, MemoryFormat or QScheme result is its code
    case "Layout":
    case "MemoryFormat":
    case "QScheme":
      return "number";
    case "Scalar":
      return "number | boolean";
    case "bool":
      return "boolean";
    case "str":
      return "string";
    case "Device":
      return "Device";
    default:
      return "unknown"; // dictionaries, TorchScript classes
  }
}

/** The return type of an overload: `void`, one result, or a tuple. */
function returnsOf(schema: OpSchema): string {
  const types = returnTypes(schema.text);
  if (types.length !== schema.returns) {
    throw new Error(`${schema.text}: read ${types.length} returns, the schema has ${schema.returns}`);
  }
  if (types.length === 0) return "void";
  if (types.length === 1) return resultType(types[0]);
  return `[${types.map(resultType).join(", ")}]`;
}

/**
 * The TypeScript call signatures of one overload: positional arguments, then an options object with the
 * keyword-only arguments and the defaulted positional ones not given by position (one signature per number of
 * defaulted positional arguments given, since the options object follows the last one given).
 */
export function signatures(schema: OpSchema, numbersAsTensors: boolean): string[] {
  const positional = schema.args.filter((a) => !a.kwargOnly);
  const keyword = schema.args.filter((a) => a.kwargOnly);
  let required = 0; // positional arguments up to the last one without a default must be given by position
  positional.forEach((a, i) => {
    if (!a.hasDefault) required = i + 1;
  });
  const ret = returnsOf(schema);
  const param = (a: SchemaArg, optional: boolean) =>
    `${paramName(a.name)}${optional ? "?" : ""}: ${argumentType(a.type, a.n, numbersAsTensors)}`;
  const options = (args: SchemaArg[]) => {
    if (args.length === 0) return null;
    const fields = args.map((a) =>
      `${optionKey(a.name)}${a.hasDefault ? "?" : ""}: ${argumentType(a.type, a.n, numbersAsTensors)}`
    );
    const optional = args.every((a) => a.hasDefault);
    return `options${optional ? "?" : ""}: AtenOptions<{ ${fields.join("; ")} }>`;
  };
  const out: string[] = [];
  const defaulted = positional.length - required;
  if (keyword.length === 0 && defaulted === 0) {
    return [`(${positional.map((a) => param(a, false)).join(", ")}): ${ret}`];
  }
  for (let given = 0; given <= defaulted; given++) {
    const params = positional.slice(0, required + given).map((a) => param(a, false));
    const o = options([...positional.slice(required + given), ...keyword]);
    if (o !== null) params.push(o);
    out.push(`(${params.join(", ")}): ${ret}`);
  }
  return out;
}

const HEADER = `/**
 * Types of \`ops.aten\`: every ATen operator of the linked LibTorch with its overloads, in the order \`ops.aten\` tries
 * them. A schema type maps to the JavaScript values \`ops.aten\` accepts for it (see the \`Aten*\` aliases); keyword-only
 * arguments, and defaulted positional ones not given by position, go in a trailing options object with camelCase
 * keys. A qualified name (\`ops.aten["add.Tensor"]\`, one overload) is untyped ({@linkcode AtenUntypedOp}), and so is a
 * misspelt one, which fails when called.
 *
 * @example
 * \`\`\`ts
 * import { ops, ones } from "../mod.ts";
 * const y = ops.aten.add(ones([2]), ones([2]), { alpha: 2 }); // Tensor [3, 3]
 * const [values, indices] = ops.aten.max(ones([2, 3]), 1); // [Tensor, Tensor]
 * \`\`\`
 *
 * @module
 */
`;

/** The hand-written aliases of `tensor/aten_aliases.ts` the declarations may use. */
const ALIASES = [
  "AtenInt",
  "AtenFloat",
  "AtenScalar",
  "AtenBool",
  "AtenTensorOrNumber",
  "AtenScalarType",
  "AtenMemoryFormat",
  "AtenLayout",
  "AtenGenerator",
  "AtenUnsupported",
  "AtenOptions",
  "AtenUntypedOp",
];

/** Renders the declarations of `operators` (read from LibTorch `torch`). */
export function renderAtenTypes(operators: AtenOperator[], torch: string): string {
  const count = operators.reduce((n, o) => n + o.overloads.length, 0);
  const lines: string[] = [
    "\n/** Every ATen operator by name, `ops.aten.add(...)`, its overloads as TypeScript overloads in `ops.aten`'s order. */\n",
    "export interface AtenOps {\n",
  ];
  for (const { name, overloads } of operators) {
    const numbersAsTensors = NUMBERS_AS_TENSORS.has(name);
    for (const { overload, schema } of overloads) {
      const comment = `  /** \`aten::${overload === "" ? name : `${name}.${overload}`}\` */\n`;
      for (const sig of signatures(schema, numbersAsTensors)) lines.push(comment, `  ${memberName(name)}${sig};\n`);
    }
  }
  lines.push(
    '  /** A name without declarations here: a qualified one (`"add.Tensor"`), untyped, or a misspelt one. */\n',
  );
  lines.push("  [name: string]: AtenUntypedOp;\n}\n");
  const body = lines.join("");
  const uses = (name: string) => new RegExp(`\\b${name}\\b`).test(body);
  const typeImport = (names: string[], from: string) =>
    names.length === 0
      ? ""
      : names.length === 1
      ? `import type { ${names[0]} } from "${from}";\n`
      : `import type {\n${names.map((n) => `  ${n},\n`).join("")}} from "${from}";\n`;
  return [
    `// Generated by scripts/gen/aten_types.ts from the operator schemas of LibTorch ${torch} ` +
    `(${operators.length} operators, ${count} overloads). Do not edit; run \`deno task gen\`.\n`,
    HEADER,
    "\n",
    typeImport(ALIASES.filter(uses), "./aten_aliases.ts"),
    ...[["Device", "./device.ts"], ["DType", "./dtype.ts"], ["Float", "./python_float.ts"], ["Tensor", "./tensor.ts"]]
      .map(([n, from]) => typeImport(uses(n) ? [n] : [], from)),
    body,
  ].join("");
}

/** `deno task gen`'s generator of `tensor/aten_types.ts`. */
export const atenTypes: Generator = {
  name: "aten_types",
  source: "the linked LibTorch's operator schemas",
  generate(): Promise<GeneratedFile[]> {
    return Promise.resolve([{ path: ATEN_TYPES_PATH, text: renderAtenTypes(readAtenOperators(), buildInfo().torch) }]);
  },
};
