import assert from "node:assert/strict";
import {
  arange,
  empty,
  eye,
  fillBytes,
  full,
  fullLike,
  linspace,
  liveTensors,
  ones,
  onesLike,
  tensor,
  TorchError,
  zeros,
  zerosLike,
} from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("tensor/ops");
const expect = (name: string) => fixtureTensor(fx, name);

Deno.test("factories equal PyTorch's values, dtypes and shapes", () => {
  assertTensorExact(arange(10), expect("arange10"), "arange(10)");
  assertTensorExact(arange(0, 1, 0.125), expect("arange_float"), "arange(0, 1, 0.125)");
  assertTensorExact(arange(5, -3, -2), expect("arange_neg"), "arange(5, -3, -2)");
  assertTensorExact(linspace(-1, 1, 7), expect("linspace"), "linspace");
  assertTensorExact(eye(3, 4), expect("eye3x4"), "eye");
  assertTensorExact(full([2, 3], 2.5), expect("full"), "full");
  assertTensorExact(tensor([[1, 2, 3], [4, 5, 6]]), expect("nested_int"), "nested ints");
  assertTensorExact(tensor([[0.1, 0.2], [1e-3, 3.5]]), expect("nested_float"), "nested floats");
  assertTensorExact(tensor([true, false, true]), expect("nested_bool"), "nested bools");
});

Deno.test("zeros, ones, empty and the *Like forms honour dtype, shape and requiresGrad", () => {
  const z = zeros([2, 3], { dtype: "float64" });
  assert.deepEqual(z.shape, [2, 3]);
  assert.equal(z.dtype, "float64");
  assert.equal(z.device, "cpu");
  assert.deepEqual(z.toArray(), [[0, 0, 0], [0, 0, 0]]);
  assert.deepEqual(ones([2], { dtype: "int32" }).toArray(), [1, 1]);
  assert.equal(ones([2], { dtype: "int32" }).dtype, "int32");
  assert.deepEqual(empty([4, 0, 2]).shape, [4, 0, 2]);
  const g = ones([3], { requiresGrad: true });
  assert.equal(g.requiresGrad, true);
  assert.equal(g.isLeaf, true);
  assert.deepEqual(zerosLike(z).shape, [2, 3]);
  assert.equal(zerosLike(z).dtype, "float64");
  assert.equal(onesLike(z, { dtype: "int64" }).dtype, "int64");
  assert.deepEqual(fullLike(z, 7).toArray(), [[7, 7, 7], [7, 7, 7]]);
  assert.equal(full([1], true).dtype, "bool");
  assert.equal(full([1], 3, { dtype: "int64" }).item(), 3);
});

Deno.test("tensor() infers shape and dtype from JS data", () => {
  assert.equal(tensor(3.5).ndim, 0);
  assert.equal(tensor(3.5).item(), 3.5);
  assert.equal(tensor(7).dtype, "int64");
  assert.equal(tensor(true).dtype, "bool");
  assert.deepEqual(tensor([[[1], [2]]]).shape, [1, 2, 1]);
  assert.equal(tensor([]).dtype, "float32");
  assert.deepEqual(tensor([]).shape, [0]);
  const t = tensor(new Float32Array([1, 2, 3, 4, 5, 6]), { shape: [2, 3] });
  assert.deepEqual(t.shape, [2, 3]);
  assert.deepEqual(t.toArray(), [[1, 2, 3], [4, 5, 6]]);
  assert.equal(tensor(new Int32Array([1, 2])).dtype, "int32");
  assert.equal(tensor(new BigInt64Array([1n, -2n])).dtype, "int64");
  assert.deepEqual(tensor(new BigInt64Array([1n, -2n])).toArray(), [1, -2]);
  assert.equal(tensor(new Uint8Array([0, 2, 1]), { dtype: "bool" }).dtype, "bool");
  assert.deepEqual(tensor(new Uint8Array([0, 2, 1]), { dtype: "bool" }).toArray(), [false, true, true]);
  assert.equal(tensor([1, 2], { dtype: "float64" }).dtype, "float64");
  assert.deepEqual(tensor([1.5, 2], { dtype: "int64" }).toArray(), [1, 2]);
  const r = tensor([1, 2], { dtype: "float32", requiresGrad: true });
  assert.equal(r.requiresGrad, true);
});

Deno.test("tensor() rejects bad data with messages that name the problem", () => {
  assert.throws(() => tensor([[1, 2], [3]]), /ragged nested array: at \[1\] expected 2 items, got 1/);
  assert.throws(() => tensor([1, "a" as unknown as number]), /element at \[1\] is string/);
  assert.throws(() => tensor([true, 1]), /mixed booleans and numbers/);
  assert.throws(
    () => tensor(new Float32Array(5), { shape: [2, 3] }),
    /shape \[2, 3\] needs 6 elements but the data has 5/,
  );
  assert.throws(() => zeros([2, -1]), /shape must be an array of non-negative integers, got \[2,-1\]/);
  assert.throws(() => zeros([2], { dtype: "float128" as never }), /unknown dtype "float128"/);
  assert.throws(() => zeros([2], { device: "tpu" as never }), /unknown device "tpu"/);
  assert.throws(() => tensor([1, 2], { dtype: "int64", requiresGrad: true }), TorchError);
  assert.throws(() => arange(0, Infinity), /end must be a finite number/);
});

Deno.test("properties: shape, size, ndim, numel, stride, dtype, device", () => {
  const t = zeros([2, 3, 4]);
  assert.deepEqual(t.shape, [2, 3, 4]);
  assert.equal(t.size(-1), 4);
  assert.deepEqual(t.size(), [2, 3, 4]);
  assert.equal(t.ndim, 3);
  assert.equal(t.dim(), 3);
  assert.equal(t.numel(), 24);
  assert.deepEqual(t.stride(), [12, 4, 1]);
  assert.deepEqual(t.transpose(0, 2).stride(), [1, 4, 12]);
  assert.throws(() => t.size(3), /dimension out of range/);
  assert.equal(t.isFloatingPoint, true);
  assert.equal(t.isCuda, false);
});

Deno.test("fillBytes writes a new tensor's memory in place; a failing fill frees it", () => {
  const t = fillBytes("float32", [2], (bytes) => bytes.set(new Uint8Array(new Float32Array([1.5, -2]).buffer)));
  assert.deepEqual(t.toArray(), [1.5, -2]);
  assert.deepEqual(fillBytes("uint8", [0, 3], (bytes) => assert.equal(bytes.length, 0)).shape, [0, 3]);
  const before = liveTensors();
  assert.throws(() =>
    fillBytes("uint8", [4], () => {
      throw new Error("read failed");
    }), /read failed/);
  assert.equal(liveTensors(), before);
});
