// Calls through the typed ops.aten (tensor/aten_types.ts): the results have the declared types and PyTorch's values,
// and the calls the declarations reject (each `@ts-expect-error` below, which `deno check` verifies: it fails when a
// line stops being an error) are calls ops.aten refuses at run time too.

import assert from "node:assert/strict";
import { Float, liveTensors, ones, ops, type Tensor, tensor, tidy, zeros } from "../../mod.ts";

/** `true` exactly when `A` and `B` are the same type. */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false;
/** Compiles only when the two types are the same. */
function sameType<A, B>(_proof: Equal<A, B>): void {}

Deno.test("typed ops.aten: add with alpha, ints and Floats, as torch.ops.aten.add", () => {
  const before = liveTensors();
  tidy(() => {
    const a = tensor([1, 2], { dtype: "float32" }), b = tensor([3, 4], { dtype: "float32" });
    const r = ops.aten.add(a, b, { alpha: 2 });
    sameType<typeof r, Tensor>(true);
    assert.deepEqual(r.toArray(), [7, 10]);
    const i = tensor([1, 2], { dtype: "int64" });
    assert.equal(ops.aten.add(i, 1).dtype, "int64"); // a whole number is an int
    assert.equal(ops.aten.add(i, new Float(1)).dtype, "float32"); // a Float is a float
    assert.deepEqual(ops.aten.add(1, b).toArray(), [4, 5]); // add takes a number for any Tensor argument
  });
  assert.equal(liveTensors(), before);
});

Deno.test("typed ops.aten: tuples, lists, numbers, booleans and void come back as declared", () => {
  const before = liveTensors();
  tidy(() => {
    const x = tensor([[1, 5], [7, 2]], { dtype: "float32" });
    const [values, indices] = ops.aten.max(x, 1); // max.dim: (Tensor values, Tensor indices)
    sameType<typeof values, Tensor>(true);
    assert.deepEqual(values.toArray(), [5, 7]);
    assert.deepEqual(indices.toArray(), [1, 0]);
    const kept = ops.aten.max(x, 1, { keepdim: true }); // keepdim given by name
    sameType<typeof kept, [Tensor, Tensor]>(true);
    assert.deepEqual(kept[0].shape, [2, 1]);
    const whole = ops.aten.max(x); // the overload without dim: one tensor
    sameType<typeof whole, Tensor>(true);
    assert.deepEqual(whole.toArray(), 7);

    const parts = ops.aten.unbind(x, 1);
    sameType<typeof parts, Tensor[]>(true);
    assert.deepEqual(parts.map((p) => p.toArray()), [[1, 7], [5, 2]]);
    const chunks = ops.aten.split(tensor([1, 2, 3, 4, 5]), 2);
    assert.deepEqual(chunks.map((c) => c.toArray()), [[1, 2], [3, 4], [5]]);

    const size = ops.aten.size(x, 1);
    sameType<typeof size, number>(true);
    assert.equal(size, 2);
    const nonzero = ops.aten.is_nonzero(tensor([3]));
    sameType<typeof nonzero, boolean>(true);
    assert.equal(nonzero, true);
    const item = ops.aten.item(tensor([true]));
    sameType<typeof item, number | boolean>(true);
    assert.equal(item, true);
    const code = ops.aten.result_type(x, tensor([1], { dtype: "float64" })); // a ScalarType: its code
    sameType<typeof code, number>(true);
    assert.equal(code, 7); // float64

    const acc = zeros([2]);
    const none = ops.aten._foreach_add_([acc], 1.5);
    sameType<typeof none, void>(true);
    assert.equal(none, undefined);
    assert.deepEqual(acc.toArray(), [1.5, 1.5]);
  });
  assert.equal(liveTensors(), before);
});

Deno.test("typed ops.aten: defaulted positional arguments also go by name in the options object", () => {
  tidy(() => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float32" });
    const s = ops.aten.sum(x, [1], { keepdim: true, dtype: "float64" });
    assert.deepEqual([s.shape, s.dtype, s.toArray()], [[2, 1], "float64", [[6], [15]]]);
    const s2 = ops.aten.sum(x, [0], true, { dtype: "int64" });
    assert.deepEqual([s2.shape, s2.dtype, s2.toArray()], [[1, 3], "int64", [[5, 7, 9]]]);
    // a 3x3 window of ones over a 4x4 image of ones, stride 2 and padding 1: 4, 6, 6 and 9 ones under it
    const y = ops.aten.conv2d(ones([1, 1, 4, 4]), ones([1, 1, 3, 3]), { stride: 2, padding: [1, 1] });
    assert.deepEqual(y.toArray(), [[[[4, 6], [6, 9]]]]);
    const r = ops.aten.arange(0, 10, { step: 4, dtype: "torch.int32" });
    assert.deepEqual([r.dtype, r.toArray()], ["int32", [0, 4, 8]]);
  });
});

Deno.test("typed ops.aten: what the declarations reject, ops.aten refuses", () => {
  tidy(() => {
    const x = ones([2, 2]);
    // @ts-expect-error: no overload of add takes a string
    assert.throws(() => ops.aten.add(x, "x"), /aten::add: no overload matches these arguments/);
    // @ts-expect-error: add has no argument beta
    assert.throws(() => ops.aten.add(x, x, { beta: 1 }), /no argument named 'beta'/);
    // @ts-expect-error: maximum does not take a number for a Tensor (only add, sub, mul, div, ... do)
    assert.throws(() => ops.aten.maximum(x, 1), /argument 'other' expects Tensor, got 1/);
    // @ts-expect-error: mm takes two tensors
    assert.throws(() => ops.aten.mm(x), /missing argument 'mat2'/);
    // @ts-expect-error: "float33" is no dtype
    assert.throws(() => ops.aten.sum(x, [1], { dtype: "float33" }), /dtype/);
    // @ts-expect-error: a Generator cannot be passed from JavaScript; only null (the default) fits
    assert.throws(() => ops.aten.bernoulli(x, { generator: {} }), /argument 'generator' expects Generator\?/);
    // @ts-expect-error: stride is a list of ints
    assert.throws(() => ops.aten.conv2d(ones([1, 1, 3, 3]), x.view(1, 1, 2, 2), { stride: "2" }), /stride/);
    // @ts-expect-error: too many positional arguments
    assert.throws(() => ops.aten.relu(x, x), /too many positional arguments/);
    // @ts-expect-error: a Tensor is no options object (sum has no overload taking a Tensor for dim)
    assert.throws(() => ops.aten.sum(x, x), /aten::sum: no overload matches/);
    // @ts-expect-error: the options object comes last
    assert.throws(() => ops.aten.add(x, x, 1, { out: x }, 2), /no overload matches/);
  });
});

Deno.test("typed ops.aten: qualified and unknown names stay untyped", () => {
  tidy(() => {
    const a = tensor([1, 2], { dtype: "float32" });
    const r = ops.aten["add.Tensor"](a, a);
    sameType<typeof r, unknown>(true);
    assert.deepEqual((r as Tensor).toArray(), [2, 4]);
    const name: string = "neg";
    const n = ops.aten[name](a);
    sameType<typeof n, unknown>(true);
    assert.deepEqual((n as Tensor).toArray(), [-1, -2]);
    assert.throws(() => ops.aten.no_such_op(a, 5n), /unknown operator aten::no_such_op/);
  });
});

/** Type-level only (never called): results assigned to the wrong types fail `deno check`. */
export function wrongResultTypes(x: Tensor): void {
  // @ts-expect-error: max.dim gives two tensors
  const one: Tensor = ops.aten.max(x, 1);
  // @ts-expect-error: is_nonzero gives a boolean
  const count: number = ops.aten.is_nonzero(x);
  // @ts-expect-error: _foreach_add_ gives nothing
  const nothing: Tensor = ops.aten._foreach_add_([x], 1);
  // @ts-expect-error: unbind gives a list of any length, not a pair
  const pair: [Tensor, Tensor] = ops.aten.unbind(x);
  // @ts-expect-error: the options object holds the keyword arguments: alpha is a Scalar
  ops.aten.add(x, x, { alpha: x });
  // @ts-expect-error: the out= overload needs its out tensor
  ops.aten.add(x, x, { alpha: 1, out: undefined as unknown as string });
  void [one, count, nothing, pair];
}
