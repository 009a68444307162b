import assert from "node:assert/strict";
import { type DType, tensor } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("tensor/ops");

Deno.test("every dtype round-trips through data() and toArray()", () => {
  const cases: [DType, number[] | boolean[], string][] = [
    ["float32", [1.5, -2.25, 0], "Float32Array"],
    ["float64", [1.5, -2.25, 1e-300], "Float64Array"],
    ["float16", [1.5, -2.25, 0.5], "Float32Array"],
    ["bfloat16", [1.5, -2.25, 0.5], "Float32Array"],
    ["int64", [1, -2, 2 ** 40], "BigInt64Array"],
    ["int32", [1, -2, 2 ** 30], "Int32Array"],
    ["int16", [1, -2, 300], "Int16Array"],
    ["int8", [1, -2, 100], "Int8Array"],
    ["uint8", [1, 2, 255], "Uint8Array"],
    ["bool", [true, false, true], "Uint8Array"],
  ];
  for (const [dtype, values, arrayType] of cases) {
    const t = tensor(values, { dtype });
    assert.equal(t.dtype, dtype);
    assert.equal(t.data().constructor.name, arrayType, dtype);
    assert.deepEqual(t.toArray(), values, dtype);
    assert.equal(t.clone().dtype, dtype);
  }
});

Deno.test("conversions between dtypes equal PyTorch's (rounding, truncation, wrap-around)", () => {
  const src = fixtureTensor(fx, "convert_src");
  for (const d of ["float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool"] as DType[]) {
    assertTensorExact(src.to(d), fixtureTensor(fx, `convert_${d}`), `to(${d})`);
  }
  assert.equal(src.double().dtype, "float64");
  assert.equal(src.long().dtype, "int64");
  assert.equal(src.int().dtype, "int32");
  assert.equal(src.half().dtype, "float16");
  assert.equal(src.bool().dtype, "bool");
});

Deno.test("item() returns numbers and booleans, and rejects multi-element tensors", () => {
  assert.equal(tensor([2.5]).item(), 2.5);
  assert.equal(tensor(5).item(), 5);
  assert.equal(tensor(true).item(), true as unknown as number);
  assert.throws(() => tensor([1, 2]).item(), /a Tensor with 2 elements cannot be converted to a number/);
});
