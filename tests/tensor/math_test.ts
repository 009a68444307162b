import assert from "node:assert/strict";
import { bucketize, cat, ops, stack, type Tensor, tensor, TorchError, where, zeros } from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("tensor/ops");
const e = (name: string) => fixtureTensor(fx, name);
const x = e("x"), y = e("y"), i = e("i");

function check(cases: [Tensor, string][]) {
  for (const [actual, name] of cases) assertTensorExact(actual, e(name), name);
}

Deno.test("broadcasting arithmetic and type promotion equal PyTorch", () => {
  check([
    [x.add(y), "x_add_y"],
    [x.sub(y), "x_sub_y"],
    [x.mul(y), "x_mul_y"],
    [x.div(y), "x_div_y"],
    [x.pow(2), "x_pow_2"],
    [x.abs().pow(y), "x_pow_y"],
    [x.add(y, { alpha: 0.5 }), "x_add_y_alpha"],
    [x.add(3), "x_add_3"],
    [x.mul(0.1), "x_mul_0p1"],
    [i.add(2), "i_add_2"],
    [i.add(2.5), "i_add_2p5"],
    [i.div(2), "i_div_2"],
    [i.div(2, { roundingMode: "floor" }), "i_floordiv_2"],
    [i.remainder(4), "i_remainder_4"],
    [i.add(x), "i_add_x"],
  ]);
});

Deno.test("pointwise functions, comparisons and where equal PyTorch", () => {
  check([
    [x.exp(), "x_exp"],
    [x.abs().log(), "x_abs_log"],
    [x.abs().sqrt(), "x_abs_sqrt"],
    [x.sigmoid(), "x_sigmoid"],
    [x.tanh(), "x_tanh"],
    [x.clamp(-1.0, 2.0), "x_clamp"],
    [x.clamp({ min: 0 }), "x_clamp_min"],
    [x.gt(y), "x_gt_y"],
    [x.eq(0.5), "x_eq_0p5"],
    [where(x.gt(0), x, y), "where_x_gt0"],
    [x.maximum(y), "x_max_y"],
  ]);
});

Deno.test("reductions equal PyTorch, with dim, keepdim and indices", () => {
  const mx = x.max(1), mn = x.min(0);
  check([
    [x.sum(), "x_sum"],
    [x.sum(0), "x_sum_0"],
    [x.sum(1, { keepdim: true }), "x_sum_1_keep"],
    [x.mean(), "x_mean"],
    [x.mean(1), "x_mean_1"],
    [mx.values, "x_max_1_values"],
    [mx.indices, "x_max_1_indices"],
    [mn.values, "x_min_0_values"],
    [mn.indices, "x_min_0_indices"],
    [x.max(), "x_max"],
    [x.argmax(), "x_argmax"],
    [x.argmax(1), "x_argmax_1"],
    [x.std(), "x_std"],
    [x.std(1, { correction: 0 }), "x_std_1_pop"],
    [x.var(0), "x_var_0"],
    [x.logsumexp(1), "x_logsumexp_1"],
    [x.prod(1), "x_prod_1"],
    [x.cumsum(1), "x_cumsum_1"],
    [i.sum(), "i_sum"],
    [x.norm(), "x_norm"],
  ]);
});

Deno.test("matmul, mm, bmm and dot equal PyTorch", () => {
  const m1 = e("m1"), m2 = e("m2"), mb = e("mb"), v1 = e("v1");
  check([
    [m1.mm(m2), "m1_mm_m2"],
    [m1.matmul(m2), "m1_mm_m2"],
    [mb.matmul(m2), "mb_matmul_m2"],
    [m1.matmul(v1), "m1_matmul_v1"],
    [v1.dot(v1), "v1_dot_v1"],
    [mb.bmm(mb.transpose(1, 2)), "mb_bmm"],
  ]);
});

Deno.test("indexing and shape operations equal PyTorch", () => {
  const z = e("z");
  const sorted = tensor([3, 1, 2, 1], { dtype: "float32" }).sort(0, { descending: true });
  const top = tensor([3, 1, 4, 1, 5], { dtype: "float32" }).topk(2);
  check([
    [z.select(1, 2), "z_select_1_2"],
    [z.narrow(2, 1, 2), "z_narrow_2_1_2"],
    [z.slice(2, 0, 4, 2), "z_slice_2_step2"],
    [z.index([tensor([1, 0, 1])]), "z_index_idx"],
    [z.index([z.remainder(3).eq(0)]), "z_index_mask"],
    [z.permute(2, 0, 1).contiguous(), "z_permute"],
    [z.transpose(0, 2).contiguous(), "z_transpose"],
    [z.flatten(1), "z_flatten_1"],
    [z.gather(2, tensor([[[0], [3], [1]], [[2], [2], [0]]])), "z_gather"],
    [
      zeros([5]).scatterAdd(0, tensor([0, 1, 1, 4, 4, 4]), tensor([1, 1, 1, 1, 1, 1], { dtype: "float32" })),
      "scatter_add",
    ],
    [bucketize(tensor([0, 0.1, 0.5, 0.55, 1], { dtype: "float32" }), tensor([0.1, 0.5, 1])), "bucketize"],
    [
      bucketize(tensor([0, 0.1, 0.5, 0.55, 1], { dtype: "float32" }), tensor([0.1, 0.5, 1]), { right: true }),
      "bucketize_right",
    ],
    [cat([x, y.unsqueeze(0)], 0), "cat_0"],
    [stack([x, x.mul(2)], 1), "stack_1"],
    [stack(tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).split(4).slice(0, 2)), "split_2"],
    [tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]).chunk(3)[2], "chunk_last"],
    [y.unsqueeze(0).expand(3, 3).contiguous(), "expand"],
    [y.repeat(2, 2), "repeat"],
    [z.flip(0, 2), "flip"],
    [sorted.values, "sort_values"],
    [sorted.indices, "sort_indices"],
    [top.values, "topk_values"],
    [top.indices, "topk_indices"],
  ]);
  assert.deepEqual(z.reshape(6, 4).shape, [6, 4]);
  assert.deepEqual(z.view([4, -1]).shape, [4, 6]);
  assert.deepEqual(z.unsqueeze(0).squeeze().shape, [2, 3, 4]);
});

Deno.test("in-place operators modify the tensor and return it", () => {
  const t = tensor([1, 2, 3], { dtype: "float32" });
  assert.equal(t.add_(1), t);
  assert.deepEqual(t.toArray(), [2, 3, 4]);
  t.mul_(tensor([1, 0.5, 2], { dtype: "float32" })).sub_(1, { alpha: 2 });
  assert.deepEqual(t.toArray(), [0, -0.5, 6]);
  t.clamp_(0, 1);
  assert.deepEqual(t.toArray(), [0, 0, 1]);
  t.fill_(2).div_(4);
  assert.deepEqual(t.toArray(), [0.5, 0.5, 0.5]);
  t.copy_(tensor([1, 2, 3]));
  assert.deepEqual(t.toArray(), [1, 2, 3]);
  t.addcmul_(t, t, { value: 0.5 });
  assert.deepEqual(t.toArray(), [1.5, 4, 7.5]);
  t.zero_();
  assert.deepEqual(t.toArray(), [0, 0, 0]);
});

Deno.test("ops.aten reaches any operator, choosing the overload from the argument types", () => {
  const a = tensor([1, 2], { dtype: "float32" });
  const r = ops.aten.addcdiv(a, a, tensor([2, 4], { dtype: "float32" }), { value: 2 }) as Tensor;
  assert.deepEqual(r.toArray(), [2, 3]);
  assert.deepEqual((ops.aten.add(a, 1) as Tensor).toArray(), [2, 3]); // add.Scalar
  assert.deepEqual((ops.aten.add(a, a, { alpha: 3 }) as Tensor).toArray(), [4, 8]); // add.Tensor
  assert.deepEqual((ops.aten["add.Tensor"](a, a) as Tensor).toArray(), [2, 4]);
  const [values, indices] = ops.aten.max(tensor([[1, 5], [7, 2]]), 1) as Tensor[];
  assert.deepEqual(values.toArray(), [5, 7]);
  assert.deepEqual(indices.toArray(), [1, 0]);
  assert.equal((ops.aten.zeros([2], { dtype: "float64" }) as Tensor).dtype, "float64");
  assert.deepEqual((ops.aten.hardtanh(tensor([-2, 0.25, 2]), -0.5, 0.5) as Tensor).toArray(), [-0.5, 0.25, 0.5]);
  assert.equal(ops.aten.is_nonzero(tensor([1])), true);
  // @ts-expect-error: a wrong argument type on purpose (ops.aten is typed); the runtime check is what is tested
  assert.throws(() => ops.aten.add(a, "x"), /aten::add: no overload matches these arguments/);
  assert.throws(() => ops.aten.no_such_op(a), /unknown operator aten::no_such_op/);
  // @ts-expect-error: a wrong argument type on purpose (ops.aten is typed); the runtime check is what is tested
  assert.throws(() => ops.aten.add(a, a, { beta: 1 }), /no argument named 'beta'/);
  assert.ok(ops.schemas("aten::add").some((s) => s.startsWith("aten::add.Tensor(")));
  assert.throws(() => ops.aten.mm(a, a), TorchError);
});
