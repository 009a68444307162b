import assert from "node:assert/strict";
import { liveTensors, tensor, tidy, zeros } from "../../mod.ts";

function typeError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof TypeError, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

const f32 = { dtype: "float32" } as const;

Deno.test("sum/mean/prod(dim, keepdim, dtype) by position as PyTorch, or by name", () => {
  const before = liveTensors();
  tidy(() => {
    const x = tensor([[1, 2, 3], [4, 5, 6]], f32);
    assert.deepEqual(x.sum(1, true).toArray(), [[6], [15]]);
    assert.deepEqual(x.sum(1, { keepdim: true }).toArray(), [[6], [15]]);
    assert.deepEqual(x.sum(1).toArray(), [6, 15]);
    assert.deepEqual(x.sum(null, true).toArray(), [[21]]); // torch: x.sum(dim=None, keepdim=True)
    assert.deepEqual(x.sum(0, false, "float64").dtype, "float64");
    assert.deepEqual(x.mean(0, true).toArray(), [[2.5, 3.5, 4.5]]);
    assert.deepEqual(x.mean(1, true, "float64").dtype, "float64");
    assert.deepEqual(x.prod(1, true).toArray(), [[6], [120]]);
    typeError(
      () => x.sum(1, { keep_dim: true } as never),
      /sum: unknown option 'keep_dim' \(did you mean 'keepdim'\?\)/,
    );
    typeError(() => x.sum(1, 1 as never), /sum: keepdim must be a boolean, got number 1/);
    typeError(() => x.prod(undefined, true), /prod: keepdim needs a dim/);
  });
  assert.equal(liveTensors(), before);
});

Deno.test("max/min/argmax/argmin/logsumexp/norm(..., keepdim) by position", () => {
  tidy(() => {
    const x = tensor([[1, 5, 3], [4, 2, 6]], f32);
    const m = x.max(1, true);
    assert.deepEqual(m.values.toArray(), [[5], [6]]);
    assert.deepEqual(m.indices.toArray(), [[1], [2]]);
    assert.deepEqual(x.min(0, true).values.toArray(), [[1, 2, 3]]);
    assert.deepEqual(x.max(1, { keepdim: true }).values.shape, [2, 1]);
    assert.deepEqual(x.argmax(1, true).toArray(), [[1], [2]]);
    assert.deepEqual(x.argmin(1, true).toArray(), [[0], [1]]);
    assert.deepEqual(x.logsumexp(1, true).shape, [2, 1]);
    assert.deepEqual(x.norm(1, 1, true).toArray(), [[9], [12]]);
    typeError(() => x.max(1, { keep: true } as never), /max: unknown option 'keep'/);
    const b = tensor([[true, false], [true, true]]);
    assert.deepEqual(b.all(1, true).toArray(), [[false], [true]]);
    assert.deepEqual(b.any(0, { keepdim: true }).toArray(), [[true, true]]);
    assert.deepEqual(b.all(1).toArray(), [false, true]);
  });
});

Deno.test("std/var(dim, unbiased, keepdim) by position, as PyTorch's second positional is unbiased", () => {
  tidy(() => {
    const x = tensor([[1, 3], [2, 6]], f32);
    // population variance of [1, 3] is 1, sample variance 2
    assert.deepEqual(x.var(1, false).toArray(), [1, 4]);
    assert.deepEqual(x.var(1, true).toArray(), [2, 8]);
    assert.deepEqual(x.var(1, false, true).toArray(), [[1], [4]]);
    assert.deepEqual(x.std(1, false, true).toArray(), [[1], [2]]);
    assert.deepEqual(x.var(1, { correction: 0, keepdim: true }).toArray(), [[1], [4]]);
    assert.deepEqual(x.var(1, { unbiased: false }).toArray(), [1, 4]);
    typeError(() => x.var(1, { unbiased: false, correction: 0 }), /var: give either unbiased or correction/);
    typeError(() => x.std(1, { corection: 0 } as never), /did you mean 'correction'/);
  });
});

Deno.test("sort/argsort(dim, descending), topk(k, dim, largest, sorted), softmax(dim, dtype) by position", () => {
  tidy(() => {
    const x = tensor([3, 1, 2], f32);
    assert.deepEqual(x.sort(0, true).values.toArray(), [3, 2, 1]);
    assert.deepEqual(x.argsort(0, true).toArray(), [0, 2, 1]);
    assert.deepEqual(x.argsort(0, { descending: true }).toArray(), [0, 2, 1]);
    assert.deepEqual(x.topk(2, 0, false).values.toArray(), [1, 2]);
    assert.deepEqual(x.topk(2, -1, { largest: false }).values.toArray(), [1, 2]);
    assert.equal(x.softmax(0, "float64").dtype, "float64");
    assert.equal(x.logSoftmax(0, { dtype: "float64" }).dtype, "float64");
    typeError(() => x.sort(0, { descend: true } as never), /did you mean 'descending'/);
    typeError(() => x.topk(2, 0, { large: false } as never), /did you mean 'largest'/);
  });
});

Deno.test("keyword-only options in PyTorch (alpha, value, roundingMode, dtype of cumsum) reject a positional value", () => {
  tidy(() => {
    const x = tensor([1, 2], f32);
    assert.deepEqual(x.add(x, { alpha: 2 }).toArray(), [3, 6]);
    typeError(() => x.add(x, 2 as never), /add: takes no positional options.*x\.add\(y, \{ alpha: 2 \}\)/);
    typeError(() => x.sub(x, { alhpa: 2 } as never), /sub: unknown option 'alhpa' \(did you mean 'alpha'\?\)/);
    typeError(() => x.clone().add_(x, 2 as never), /add_: takes no positional options/);
    typeError(() => x.addcmul(x, x, 0.5 as never), /addcmul: takes no positional options.*\{ value: 0\.5 \}/);
    typeError(() => x.div(x, "floor" as never), /div: takes no positional options.*roundingMode/);
    typeError(() => x.cumsum(0, "float64" as never), /cumsum: takes no positional options/);
    assert.deepEqual(x.div(tensor([0.75, 0.75], f32), { roundingMode: "floor" }).toArray(), [1, 2]);
  });
});

Deno.test("copy_(src, non_blocking), indexPut_(indices, values, accumulate), allclose(other, rtol, atol)", () => {
  tidy(() => {
    const x = zeros([3], f32);
    x.copy_(tensor([1, 2, 3], f32), false);
    assert.deepEqual(x.toArray(), [1, 2, 3]);
    x.indexPut_([tensor([0, 0])], tensor([1, 1], f32), true);
    assert.deepEqual(x.toArray(), [3, 2, 3]);
    assert.equal(x.allclose(tensor([3.1, 2, 3], f32), 0, 0.2), true);
    assert.equal(x.allclose(tensor([3.1, 2, 3], f32), 0, 0.01), false);
    assert.equal(x.allclose(tensor([3.1, 2, 3], f32), { atol: 0.2 }), true);
    typeError(() => x.allclose(x, { a_tol: 1 } as never), /did you mean 'atol'/);
    typeError(() => x.copy_(x, { non_blocking: true } as never), /did you mean 'nonBlocking'/);
  });
});

Deno.test("backward(gradient, retain_graph, create_graph) by position", () => {
  const w = tensor([2], { dtype: "float32", requiresGrad: true });
  const y = tidy(() => w.mul(w).sum());
  y.backward(null, true);
  y.backward(); // the graph was retained
  assert.deepEqual(w.grad?.toArray(), [8]);
  typeError(() => y.backward(null, { retain_graph: true } as never), /did you mean 'retainGraph'/);
  y.dispose();
  w.dispose();
});
