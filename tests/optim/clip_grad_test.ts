// clipGradNorm_ and clipGradValue_ against torch.nn.utils 1.13: the total norms and the clipped
// gradients to the bit, for p = 1, 2, 3 and infinity, one tensor or many. Fixture: gen_surface.py.

import assert from "node:assert/strict";
import { liveTensors, type Tensor, tensor, tidy } from "../../mod.ts";
import { clipGradNorm_, clipGradValue_ } from "../../optim/mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";
import { data, NAMES, Net } from "./harness.ts";

const fx = loadFixture("optim/clip_grad");

/** The harness network with the gradients of batch `i` (as the generator computes them). */
function netWithGrads(i: number): Net {
  const net = new Net();
  tidy(() => {
    const x = fixtureTensor(data, "x").select(0, i), y = fixtureTensor(data, "y").select(0, i);
    net.forward(x).sub(y).pow(2).mean().backward();
  });
  return net;
}

function assertGrads(net: Net, prefix: string): void {
  for (const n of NAMES) assertTensorExact(net[n].grad!, fixtureTensor(fx, `${prefix}.grad.${n}`), `${prefix}.${n}`);
}

for (const [name, c] of Object.entries(fx.values.cases as Record<string, { max_norm: number; norm_type: string }>)) {
  const normType = c.norm_type === "inf" ? Infinity : Number(c.norm_type);
  for (const single of [false, true]) {
    const key = name + (single ? ".single" : "");
    Deno.test(`clipGradNorm_ ${key}: the total norm and the clipped gradients equal PyTorch's to the bit`, () => {
      const before = liveTensors();
      tidy(() => {
        const net = netWithGrads(0);
        const total = clipGradNorm_(single ? net.w1 : net.parameters(), c.max_norm, { normType });
        assertTensorExact(total, fixtureTensor(fx, `${key}.total`), `${key}.total`);
        assertGrads(net, key);
        net.dispose();
      });
      assert.equal(liveTensors(), before);
    });
  }
}

Deno.test("clipGradValue_: clamps every gradient as PyTorch does", () => {
  tidy(() => {
    const net = netWithGrads(1);
    clipGradValue_(net.parameters(), 0.01);
    assertGrads(net, "value");
    net.dispose();
  });
});

Deno.test("clipGradNorm_: no gradients gives 0; bad arguments and non-finite norms are clear errors", () => {
  tidy(() => {
    const p = tensor([1, 2], { dtype: "float32" }).requiresGrad_();
    assert.equal(clipGradNorm_([p], 1).item(), 0);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => clipGradNorm_(3 as any, 1), /clipGradNorm_: parameters must be a Tensor or an iterable/);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => clipGradNorm_([p, 3 as any], 1), /clipGradNorm_: parameters\[1\] must be a Tensor/);
    // deno-lint-ignore no-explicit-any
    assert.throws(() => clipGradValue_([p], "1" as any), /clipGradValue_: clipValue must be a number/);
    p.sum().mul(Infinity).backward();
    assert.throws(
      () => clipGradNorm_([p], 1, { errorIfNonfinite: true }),
      /clipGradNorm_: The total norm of order 2 for gradients from `parameters` is non-finite/,
    );
    const total: Tensor = clipGradNorm_([p], 1);
    assert.equal(total.item(), Infinity);
  });
});
