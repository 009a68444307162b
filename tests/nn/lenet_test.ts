// The LeNet-5 of models/lenet.ts against scripts/fixtures/lenet_ref.py: after manualSeed(0) every entry
// of the state dict equals PyTorch's to the bit, the printout equals str(model), and a training step
// (dropout masks included) and an evaluation pass give PyTorch's numbers to the bit; a forward and
// backward pass inside tidy frees everything it does not return.

import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import { liveTensors, manualSeed, noGrad, tidy } from "../../mod.ts";
import { LeNet } from "../../models/lenet.ts";
import { binaryCrossEntropyWithLogits } from "../../nn/functional.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact, assertStateDictExact } from "./helpers.ts";

const f = loadFixture("nn/lenet");

Deno.test("lenet: after manualSeed(0) every state dict entry equals PyTorch's exactly", () => {
  manualSeed(0);
  using model = new LeNet();
  assertStateDictExact(model, f, "init.", f.values.keys);
  assertEquals(model.namedParameters().map(([k]) => k), f.values.params);
});

Deno.test("lenet: toString() equals Python's str(model)", () => {
  using model = new LeNet();
  strictEqual(model.toString(), f.values.repr);
  using model2 = new LeNet({ dropout: 0.2 });
  strictEqual(model2.toString(), f.values["repr_dropout_0.2"]);
});

Deno.test("lenet: a training step and an evaluation pass equal PyTorch's to the bit", () => {
  manualSeed(0);
  using model = new LeNet();
  tidy(() => {
    const x = fixtureTensor(f, "x").requiresGrad_();
    const target = fixtureTensor(f, "target");
    model.train();
    manualSeed(1);
    const out = model.forward(x);
    const loss = binaryCrossEntropyWithLogits(out, target);
    loss.backward();
    assertFixtureExact(out, f, "train.out");
    assertFixtureExact(loss, f, "train.loss");
    assertFixtureExact(x.grad, f, "train.x.grad");
    for (const [k, p] of model.namedParameters()) assertFixtureExact(p.grad, f, `train.grad.${k}`);
    for (const [k, b] of model.namedBuffers()) assertFixtureExact(b, f, `train.after.${k}`);
    model.eval();
    assertFixtureExact(noGrad(() => model.forward(x)), f, "eval.out");
  });
});

Deno.test("lenet: dropout 0.2 draws PyTorch's masks", () => {
  manualSeed(0);
  using model = new LeNet({ dropout: 0.2 });
  tidy(() => {
    manualSeed(2);
    assertFixtureExact(model.forward(fixtureTensor(f, "x")), f, "dropout_0.2.out");
  });
});

Deno.test("lenet: forward and backward inside tidy leave liveTensors() unchanged but for the result", () => {
  manualSeed(0);
  using model = new LeNet();
  using x = fixtureTensor(f, "x");
  using target = fixtureTensor(f, "target");
  model.forward(x).dispose(); // resolves the operators once
  const before = liveTensors();
  const loss = tidy(() => {
    const out = model.forward(x);
    const l = binaryCrossEntropyWithLogits(out, target);
    l.backward();
    return l;
  });
  strictEqual(liveTensors(), before + 1);
  loss.dispose();
  strictEqual(liveTensors(), before);
  model.zeroGrad();
  strictEqual(liveTensors(), before);
});
