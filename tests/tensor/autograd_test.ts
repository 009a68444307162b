import assert from "node:assert/strict";
import {
  backward,
  enableGrad,
  grad,
  isGradEnabled,
  noGrad,
  ones,
  setGradEnabled,
  tensor,
  TorchError,
} from "../../mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("tensor/ops");
const e = (name: string) => fixtureTensor(fx, name);

Deno.test("a composite expression gives PyTorch's value and gradients exactly", () => {
  const a = e("expr_a").requiresGrad_(), b = e("expr_b").requiresGrad_();
  let c = a.add(b);
  let d = a.mul(b).add(b.pow(3));
  c = c.add(c).add(1);
  c = c.add(1).add(c).add(a.neg());
  d = d.add(d.mul(2)).add(b.add(a).relu());
  d = d.add(d.mul(3)).add(b.sub(a).relu());
  const ee = c.sub(d);
  const f = ee.pow(2);
  let g = f.div(2.0);
  g = g.add(f.reciprocal().mul(10.0));
  const weights = tensor([1.0, 0.5, 2.0], { dtype: "float64" });
  const out = g.mul(weights).sum()
    .add(a.sigmoid().mul(b.tanh()).sum())
    .add(a.exp().add(b.abs().sqrt()).log().mean());
  out.backward();
  assertTensorExact(out.detach(), e("expr_out"), "value");
  assertTensorExact(a.grad!, e("expr_grad_a"), "grad a");
  assertTensorExact(b.grad!, e("expr_grad_b"), "grad b");
  assert.equal(out.gradFn, "AddBackward0");
  assert.equal(a.gradFn, null);
});

Deno.test("grad() computes first and second derivatives like torch.autograd.grad", () => {
  const x = tensor([2.0, -1.0], { dtype: "float32", requiresGrad: true });
  const [gx] = grad(x.pow(3).sum(), x, { createGraph: true });
  assertTensorExact(gx!.detach(), e("grad_first"), "first");
  const [ggx] = grad(gx!.sum(), x);
  assertTensorExact(ggx!, e("grad_second"), "second");
  assert.equal(x.grad, null); // grad() does not accumulate
  const unused = tensor([1.0], { requiresGrad: true });
  assert.deepEqual(grad(x.sum(), [x, unused], { allowUnused: true })[1], null);
  assert.throws(() => grad(x.sum(), unused), /appears to not have been used in the graph/);
});

Deno.test("backward accumulates, needs a gradient for non-scalars, and honours retainGraph", () => {
  const w = tensor([1, 2, 3], { dtype: "float32", requiresGrad: true });
  const y = w.mul(w);
  assert.throws(() => y.backward(), /grad can be implicitly created only for scalar outputs/);
  y.backward(ones([3]), { retainGraph: true });
  y.backward(ones([3]));
  assert.deepEqual(w.grad!.toArray(), [4, 8, 12]);
  assert.throws(() => y.backward(ones([3])), /Trying to backward through the graph a second time/);
  w.grad = null;
  backward([w.sum(), w.mul(2).sum()]);
  assert.deepEqual(w.grad!.toArray(), [3, 3, 3]);
  assert.throws(() => (w.grad = ones([2])), /assigned grad has data of a different size/);
});

Deno.test("noGrad and enableGrad switch recording, also around async functions", async () => {
  const w = ones([2], { requiresGrad: true });
  assert.equal(isGradEnabled(), true);
  const y = noGrad(() => w.mul(2));
  assert.equal(y.requiresGrad, false);
  assert.equal(isGradEnabled(), true);
  const z = noGrad(() => enableGrad(() => w.mul(2)));
  assert.equal(z.requiresGrad, true);
  assert.throws(() =>
    noGrad(() => {
      throw new Error("boom");
    }), /boom/);
  assert.equal(isGradEnabled(), true);
  const v = await noGrad(async () => {
    await new Promise((r) => setTimeout(r, 1));
    return w.mul(3);
  });
  assert.equal(v.requiresGrad, false);
  assert.equal(isGradEnabled(), true);
  setGradEnabled(false);
  assert.equal(w.mul(2).requiresGrad, false);
  setGradEnabled(true);
});

Deno.test("requiresGrad, retainGrad, detach", () => {
  const x = tensor([1.0, 2.0], { dtype: "float32" });
  x.requiresGrad = true;
  const h = x.mul(3);
  h.retainGrad();
  h.sum().backward();
  assert.deepEqual(h.grad!.toArray(), [1, 1]);
  assert.equal(h.detach().requiresGrad, false);
  assert.throws(() => (h.requiresGrad = false), TorchError);
  assert.throws(
    () => tensor([1, 2]).requiresGrad_(),
    /Only Tensors of floating point and complex dtype can require gradients/,
  );
});
