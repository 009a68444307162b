import assert from "node:assert/strict";
import { arange, manualSeed, randn, tensor, zeros } from "../../mod.ts";
import { loadFixture } from "../fixture.ts";

const fx = loadFixture("tensor/ops");
const repr = (k: string) => fx.values[`repr_${k}`] as string;

Deno.test("toString() prints as PyTorch's repr", () => {
  manualSeed(0);
  const rg = tensor([1.0, 2.0], { requiresGrad: true });
  const cases: [string, string][] = [
    ["randn_3x4", randn([3, 4]).toString()],
    ["ints", tensor([[1, 2], [3, 40]]).toString()],
    ["float_ints", tensor([1.0, -2.0, 3.0], { dtype: "float32" }).toString()],
    ["small", tensor([1e-5, 1.0, 1000.0]).toString()],
    ["large", tensor([1e9, 2.0], { dtype: "float32" }).toString()],
    ["f64", tensor([0.5, 1.25], { dtype: "float64" }).toString()],
    ["bools", tensor([true, false]).toString()],
    ["scalar", tensor(3.5).toString()],
    ["int_scalar", tensor(7).toString()],
    ["empty", zeros([0]).toString()],
    ["empty2d", zeros([2, 0]).toString()],
    ["empty_int", zeros([0], { dtype: "int64" }).toString()],
    ["nonfinite", tensor([NaN, Infinity, -Infinity, 1.5]).toString()],
    ["summarized", arange(2000).toString()],
    ["summarized2d", arange(3000, { dtype: "float32" }).reshape(30, 100).div(7).toString()],
    ["wide", arange(40, { dtype: "float32" }).div(3).toString()],
    ["requires_grad", rg.toString()],
    ["grad_fn", rg.mul(2).toString()],
    ["int32", tensor([1, 2], { dtype: "int32" }).toString()],
    ["uint8", tensor([0, 255], { dtype: "uint8" }).toString()],
    ["half", tensor([0.5, 1.0], { dtype: "float16" }).toString()],
    ["neg_zero", tensor([-0.0, 0.0, 1.5]).toString()],
    ["3d", arange(12, { dtype: "float32" }).reshape(2, 2, 3).toString()],
  ];
  for (const [key, actual] of cases) assert.equal(actual, repr(key), key);
});

Deno.test("Deno's inspect uses the same rendering", () => {
  assert.equal(Deno.inspect(tensor([1, 2])), "tensor([1, 2])");
});
