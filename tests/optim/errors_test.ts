import assert from "node:assert/strict";
import { ones, zeros } from "../../mod.ts";
import {
  Adam,
  AdamW,
  CosineAnnealingLR,
  LBFGS,
  type Optimizer,
  ReduceLROnPlateau,
  SGD,
  StepLR,
} from "../../optim/mod.ts";

const leaf = () => zeros([3], { requiresGrad: true });

function throws(fn: () => unknown, name: "TypeError" | "RangeError", message: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.equal(e.name, name, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

Deno.test("bad hyperparameters throw a RangeError or TypeError naming the option and the value", () => {
  const p = [leaf()];
  throws(() => new Adam(p, { lr: -1 }), "RangeError", /^Adam: lr must be >= 0, got -1$/);
  throws(() => new AdamW(p, { lr: NaN }), "RangeError", /^AdamW: lr must be >= 0, got NaN$/);
  throws(() => new Adam(p, { betas: [1, 0.9] }), "RangeError", /^Adam: betas\[0\] must be in \[0, 1\), got 1$/);
  throws(() => new Adam(p, { betas: [0.9, -0.1] }), "RangeError", /betas\[1\] must be in \[0, 1\), got -0.1/);
  throws(() => new Adam(p, { betas: [0.9] as never }), "TypeError", /betas must be a pair/);
  throws(() => new Adam(p, { eps: -1e-8 }), "RangeError", /eps must be >= 0, got -1e-8/);
  throws(() => new Adam(p, { weightDecay: -0.1 }), "RangeError", /weightDecay must be >= 0, got -0.1/);
  throws(() => new Adam(p, { amsgrad: 1 as never }), "TypeError", /amsgrad must be a boolean, got number 1/);
  throws(() => new Adam(p, { lr: "0.1" as never }), "TypeError", /lr must be a number, got "0.1"/);
  throws(() => new Adam(p, { learningRate: 0.1 } as never), "TypeError", /unknown option 'learningRate'/);
  throws(() => new SGD(p), "TypeError", /SGD \(param group 0\): lr is required/);
  throws(() => new SGD(p, { lr: 0.1, momentum: -0.5 }), "RangeError", /momentum must be >= 0, got -0.5/);
  throws(() => new SGD(p, { lr: 0.1, nesterov: true }), "RangeError", /nesterov needs momentum > 0 and dampening 0/);
  throws(
    () => new SGD(p, { lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true }),
    "RangeError",
    /got momentum 0.9 and dampening 0.1/,
  );
  throws(() => new LBFGS(p, { historySize: 0 }), "RangeError", /historySize must be >= 1, got 0/);
  throws(() => new LBFGS(p, { maxIter: 2.5 }), "RangeError", /maxIter must be an integer, got 2.5/);
  throws(() => new LBFGS(p, { lineSearchFn: "wolfe" as never }), "RangeError", /lineSearchFn must be one of/);
  // a group's overrides are checked too, and named
  throws(
    () => new Adam([{ params: [leaf()] }, { params: [leaf()], lr: -0.5 }]),
    "RangeError",
    /^Adam \(param group 1\): lr must be >= 0, got -0.5$/,
  );
  // SGD's lr may come from every group instead of the defaults
  assert.equal(new SGD([{ params: [leaf()], lr: 0.2 }]).paramGroups[0].lr, 0.2);
});

Deno.test("bad parameters: not tensors, not leaves, empty, a single tensor, a Set, duplicates", () => {
  const w = leaf();
  throws(() => new Adam([]), "RangeError", /Adam: got an empty parameter list/);
  throws(() => new Adam(w as never), "TypeError", /got a single Tensor/);
  throws(() => new Adam([w, 3] as never), "TypeError", /params\[1\] must be a Tensor, got number 3/);
  throws(
    () => new Adam([w.mul(2)]),
    "TypeError",
    /params\[0\] is not a leaf Tensor \(it was computed by MulBackward0\)/,
  );
  throws(() => new Adam([{ params: new Set([w]) }]), "TypeError", /not a Set/);
  throws(() => new Adam([w, w]), "TypeError", /params\[1\] appears twice/);
  throws(() => new Adam([{ params: [w] }, { params: [w] }]), "TypeError", /already in param group 0/);
  throws(() => new Adam([{ lr: 0.1 }] as never), "TypeError", /a parameter group must be an object with 'params'/);
  throws(() => new LBFGS([{ params: [w] }, { params: [leaf()] }]), "TypeError", /LBFGS doesn't support/);
  // a tensor that does not require grad is accepted (and skipped while it has no gradient)
  new Adam([ones([2])]).dispose();
});

Deno.test("a step without gradients or without a needed closure throws", () => {
  const w = leaf();
  for (const opt of [new SGD([w], { lr: 0.1 }), new Adam([w]), new AdamW([w])] as Optimizer<object>[]) {
    throws(() => opt.step(), "TypeError", /none of the 1 parameters has a gradient; call loss.backward\(\)/);
  }
  throws(() => new LBFGS([w]).step(), "TypeError", /LBFGS.step: a closure .* is required/);
  throws(() => new Adam([w]).step(42 as never), "TypeError", /closure must be a function/);
  const h = zeros([2], { dtype: "float16", requiresGrad: true });
  throws(
    () => new LBFGS([h]).step(() => h.float().sum()),
    "TypeError",
    /LBFGS: the parameters must be float32 or float64, got float16/,
  );
});

Deno.test("bad scheduler options throw naming the option and the value", () => {
  const opt = new SGD([leaf()], { lr: 0.1 });
  throws(() => new StepLR({} as never, { stepSize: 1 }), "TypeError", /StepLR: expected an Optimizer/);
  throws(() => new StepLR(opt, { stepSize: 0 }), "RangeError", /stepSize must be >= 1, got 0/);
  throws(() => new StepLR(opt, {} as never), "TypeError", /stepSize must be a number, got undefined/);
  throws(() => new CosineAnnealingLR(opt, { tMax: 0 }), "RangeError", /tMax must be > 0, got 0/);
  throws(
    () => new CosineAnnealingLR(new SGD([leaf()], { lr: 0.1 }), { tMax: 5, lastEpoch: 3 }),
    "TypeError",
    /param group 0 has no initialLr, which resuming \(lastEpoch 3\) needs/,
  );
  throws(() => new ReduceLROnPlateau(opt, { factor: 1 }), "RangeError", /factor must be in \[0, 1\), got 1/);
  throws(
    () => new ReduceLROnPlateau(opt, { mode: "mid" as never }),
    "RangeError",
    /mode must be one of "min", "max", got "mid"/,
  );
  throws(() => new ReduceLROnPlateau(opt, { thresholdMode: "x" as never }), "RangeError", /thresholdMode/);
  throws(
    () => new ReduceLROnPlateau(opt, { minLr: [0, 0] }),
    "RangeError",
    /minLr has 2 values, expected one per param group \(1\)/,
  );
  throws(() => new ReduceLROnPlateau(opt, { patience: -1 }), "RangeError", /patience must be >= 0, got -1/);
  throws(() => new ReduceLROnPlateau(opt).step("0.5" as never), "TypeError", /metric must be a number or a Tensor/);
});
