import assert from "node:assert/strict";
import { randn, tensor, TorchError, zeros } from "../../mod.ts";

Deno.test("LibTorch failures become TorchErrors with LibTorch's message, and the process goes on", () => {
  const err = assert.throws(() => randn([2, 3]).matmul(randn([4, 5])), TorchError) as unknown;
  void err;
  try {
    randn([2, 3]).matmul(randn([4, 5]));
  } catch (e) {
    assert.ok(e instanceof TorchError);
    assert.equal(e.message, "aten::matmul: mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)");
    assert.match(e.fullMessage, /mat1 and mat2 shapes cannot be multiplied/);
    assert.equal(e.op, "aten::matmul");
  }
  assert.throws(
    () => randn([2, 3]).sum(5),
    /Dimension out of range \(expected to be in range of \[-2, 1\], but got 5\)/,
  );
  assert.throws(
    () => tensor([1, 2], { dtype: "float32" }).add(tensor([1, 2, 3], { dtype: "float32" })),
    /The size of tensor a \(2\) must match the size of tensor b \(3\)/,
  );
  assert.throws(() => zeros([2], { dtype: "float64" }).copy_(zeros([3])), TorchError);
  assert.throws(
    () => tensor([1, 2], { dtype: "float32" }).mm(tensor([[1, 2]], { dtype: "float64" })),
    /expected .*(Float|Double)|self must be a matrix/,
  );
  assert.throws(() => randn([2]).view(3), /shape '\[3\]' is invalid for input of size 2/);
  // still working afterwards
  assert.deepEqual(tensor([1, 2]).add(1).toArray(), [2, 3]);
});

Deno.test("a dtype mismatch where LibTorch requires equal dtypes is a TorchError", () => {
  const a = tensor([1.5], { dtype: "float32" }), idx = tensor([0.5]);
  assert.throws(() => a.indexSelect(0, idx), /index_select\(\): Expected dtype int32 or int64 for index/);
});

Deno.test("using a disposed tensor throws a clear error", () => {
  const t = tensor([1, 2]);
  t.dispose();
  t.dispose(); // a second dispose does nothing
  assert.equal(t.isDisposed, true);
  assert.throws(() => t.add(1), /this Tensor was disposed/);
  assert.throws(() => t.shape, /this Tensor was disposed/);
  assert.equal(t.toString(), "Tensor(disposed)");
  {
    using u = tensor([3]);
    assert.equal(u.item(), 3);
  }
});

Deno.test("argument validation in TypeScript names the argument and the value", () => {
  assert.throws(
    () => tensor(new Float32Array(3), { shape: [2, 2] }),
    /shape \[2, 2\] needs 4 elements but the data has 3/,
  );
  assert.throws(() => zeros([2]).reshape(1.5), /reshape: expected integers, got \[1.5\]/);
  assert.throws(() => zeros([2]).to("gpu" as never), /to: unknown dtype "gpu"/);
  assert.throws(() => zeros([2]).max(0.5), /max: dim must be an integer, got 0.5/);
  assert.throws(() => zeros([2]).clamp(), /at least one of min and max/);
});
