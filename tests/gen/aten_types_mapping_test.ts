// How scripts/gen/aten_types.ts maps schema types and arguments to TypeScript, on hand-written schemas (so these
// hold on any LibTorch).

import assert from "node:assert/strict";
import { argumentType, resultType, returnTypes, signatures } from "../../scripts/gen/aten_types.ts";
import type { OpSchema, SchemaArg } from "../../tensor/operator.ts";

const arg = (name: string, type: string, extra: Partial<SchemaArg> = {}): SchemaArg => ({
  name,
  type,
  kwargOnly: false,
  hasDefault: false,
  writes: false,
  n: -1,
  ...extra,
});

Deno.test("aten_types: schema argument types map to what ops.aten accepts for them", () => {
  const cases: [string, number, boolean, string][] = [
    ["Tensor", -1, false, "Tensor"],
    ["Tensor", -1, true, "AtenTensorOrNumber"],
    ["Tensor?", -1, false, "Tensor | null"],
    ["Tensor[]", -1, true, "Tensor[]"], // list elements never take numbers
    ["Tensor?[]", -1, false, "(Tensor | null)[]"],
    ["int", -1, false, "AtenInt"],
    ["SymInt", -1, false, "AtenInt"],
    ["int[]", -1, false, "AtenInt[]"],
    ["int[]", 2, false, "AtenInt | AtenInt[]"], // int[2]: one int stands for both
    ["SymInt[]?", 1, false, "AtenInt | AtenInt[] | null"],
    ["float[]?", -1, false, "AtenFloat[] | null"],
    ["float", -1, false, "AtenFloat"],
    ["Scalar", -1, false, "AtenScalar"],
    ["Scalar[]", -1, false, "AtenScalar[]"],
    ["bool", -1, false, "AtenBool"],
    ["bool[]", 3, false, "AtenBool[]"], // only int and float lists take a single value
    ["str", -1, false, "string"],
    ["str[]?", -1, false, "string[] | null"],
    ["ScalarType?", -1, false, "AtenScalarType | null"],
    ["Device?", -1, false, "Device | null"],
    ["Layout?", -1, false, "AtenLayout | null"],
    ["MemoryFormat", -1, false, "AtenMemoryFormat"],
    ["Generator?", -1, false, "AtenGenerator | null"],
    ["Storage", -1, false, "AtenUnsupported"],
    ["Stream", -1, false, "AtenUnsupported"],
    ["__torch__.torch.classes.rnn.CellParamsBase[]", -1, false, "AtenUnsupported"],
  ];
  for (const [type, n, numbers, expected] of cases) {
    assert.equal(argumentType(type, n, numbers), expected, `${type} (N ${n}, numbers ${numbers})`);
  }
});

Deno.test("aten_types: returns are read from the schema text, alias annotations and names dropped", () => {
  assert.deepEqual(returnTypes("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor"), ["Tensor"]);
  assert.deepEqual(returnTypes("aten::add_.Tensor(Tensor(a!) self, Tensor other, *, Scalar alpha=1) -> Tensor(a!)"), [
    "Tensor",
  ]);
  assert.deepEqual(
    returnTypes(
      "aten::max.dim_max(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) max, Tensor(b!) max_values)" +
        " -> (Tensor(a!) values, Tensor(b!) indices)",
    ),
    ["Tensor", "Tensor"],
  );
  assert.deepEqual(returnTypes("aten::unbind.int(Tensor(a -> *) self, int dim=0) -> Tensor(a)[]"), ["Tensor[]"]);
  assert.deepEqual(returnTypes("aten::_foreach_add_.Scalar(Tensor(a!)[] self, Scalar scalar) -> ()"), []);
  assert.deepEqual(returnTypes("aten::x(Tensor self) -> Tensor[] self_out"), ["Tensor[]"]);
  assert.deepEqual(returnTypes("aten::x(Tensor self) -> (Tensor, Tensor[], float, int)"), [
    "Tensor",
    "Tensor[]",
    "float",
    "int",
  ]);
  assert.deepEqual(returnTypes("aten::x(Tensor self) -> Dict(Tensor, Tensor)"), ["Dict(Tensor, Tensor)"]);
  assert.throws(() => returnTypes("aten::x(Tensor self)"), /no returns in schema aten::x\(Tensor self\)/);
});

Deno.test("aten_types: result types are what ops.aten decodes", () => {
  const cases: [string, string][] = [
    ["Tensor", "Tensor"],
    ["Tensor?", "Tensor | null"],
    ["Tensor[]", "Tensor[]"],
    ["Tensor?[]", "(Tensor | null)[]"],
    ["int", "number"],
    ["float", "number"],
    ["ScalarType", "number"], // its code
    ["Scalar", "number | boolean"],
    ["bool", "boolean"],
    ["bool[]", "boolean[]"],
    ["str", "string"],
    ["Device", "Device"],
    ["Dict(Tensor, Tensor)", "unknown"],
  ];
  for (const [type, expected] of cases) assert.equal(resultType(type), expected, type);
});

const schema = (text: string, args: SchemaArg[], returns: number): OpSchema => ({ text, args, returns });

Deno.test("aten_types: keyword-only and defaulted arguments go in the options object, one signature per split", () => {
  const add = schema("aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor", [
    arg("self", "Tensor"),
    arg("other", "Tensor"),
    arg("alpha", "Scalar", { kwargOnly: true, hasDefault: true }),
  ], 1);
  assert.deepEqual(signatures(add, true), [
    "(self: AtenTensorOrNumber, other: AtenTensorOrNumber, options?: AtenOptions<{ alpha?: AtenScalar }>): Tensor",
  ]);
  const sum = schema(
    "aten::sum.dim_IntList(Tensor self, int[1]? dim, bool keepdim=False, *, ScalarType? dtype=None) -> Tensor",
    [
      arg("self", "Tensor"),
      arg("dim", "int[]?", { n: 1 }),
      arg("keepdim", "bool", { hasDefault: true }),
      arg("dtype", "ScalarType?", { kwargOnly: true, hasDefault: true }),
    ],
    1,
  );
  assert.deepEqual(signatures(sum, false), [
    "(self: Tensor, dim: AtenInt | AtenInt[] | null, options?: AtenOptions<{ keepdim?: AtenBool; dtype?: AtenScalarType | null }>): Tensor",
    "(self: Tensor, dim: AtenInt | AtenInt[] | null, keepdim: AtenBool, options?: AtenOptions<{ dtype?: AtenScalarType | null }>): Tensor",
  ]);
  // a required keyword-only argument (out=) makes the options object required; snake_case names become camelCase
  const out = schema(
    "aten::max.dim_max(Tensor self, int dim, bool keepdim=False, *, Tensor(a!) max, Tensor(b!) max_values) -> " +
      "(Tensor(a!) values, Tensor(b!) indices)",
    [
      arg("self", "Tensor"),
      arg("dim", "int"),
      arg("keepdim", "bool", { hasDefault: true }),
      arg("max", "Tensor", { kwargOnly: true, writes: true }),
      arg("max_values", "Tensor", { kwargOnly: true, writes: true }),
    ],
    2,
  );
  assert.deepEqual(signatures(out, false), [
    "(self: Tensor, dim: AtenInt, options: AtenOptions<{ keepdim?: AtenBool; max: Tensor; maxValues: Tensor }>): [Tensor, Tensor]",
    "(self: Tensor, dim: AtenInt, keepdim: AtenBool, options: AtenOptions<{ max: Tensor; maxValues: Tensor }>): [Tensor, Tensor]",
  ]);
  // no options when nothing is keyword-only or defaulted; reserved words and leading underscores stay valid
  const plain = schema("aten::x(Tensor in, int _random_samples) -> ()", [
    arg("in", "Tensor"),
    arg("_random_samples", "int"),
  ], 0);
  assert.deepEqual(signatures(plain, false), ["(in_: Tensor, _random_samples: AtenInt): void"]);
  const miscounted = schema("aten::x(Tensor self) -> (Tensor, Tensor)", [arg("self", "Tensor")], 1);
  assert.throws(() => signatures(miscounted, false), /read 2 returns, the schema has 1/);
});
