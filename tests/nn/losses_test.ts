// Parity of the loss functions and layers with PyTorch's, for every reduction: values and input
// gradients to the bit; buffers and printouts of the loss layers. Fixtures: gen_nn.py (loss_cases).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { type Tensor, tidy } from "../../mod.ts";
import {
  BCELoss,
  BCEWithLogitsLoss,
  CrossEntropyLoss,
  type Loss,
  MSELoss,
  NLLLoss,
  type Reduction,
} from "../../nn/mod.ts";
import * as F from "../../nn/functional.ts";
import { type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact } from "./helpers.ts";

const f = loadFixture("nn/losses");

type LossFn = (x: Tensor, t: Tensor, extra: Tensor[], reduction: Reduction) => Tensor;

/** The twins of gen_nn.py's loss cases, as functions and as layers. */
const CASES: Record<string, [LossFn, (extra: Tensor[], reduction: Reduction) => Loss]> = {
  bce: [
    (x, t, _, reduction) => F.binaryCrossEntropy(x, t, { reduction }),
    (_, reduction) => new BCELoss({ reduction }),
  ],
  bce_soft_weight: [
    (x, t, [weight], reduction) => F.binaryCrossEntropy(x, t, { weight, reduction }),
    ([weight], reduction) => new BCELoss({ weight, reduction }),
  ],
  bce_logits: [
    (x, t, _, reduction) => F.binaryCrossEntropyWithLogits(x, t, { reduction }),
    (_, reduction) => new BCEWithLogitsLoss({ reduction }),
  ],
  bce_logits_weights: [
    (x, t, [weight, posWeight], reduction) => F.binaryCrossEntropyWithLogits(x, t, { weight, posWeight, reduction }),
    ([weight, posWeight], reduction) => new BCEWithLogitsLoss({ weight, posWeight, reduction }),
  ],
  cross_entropy: [
    (x, t, _, reduction) => F.crossEntropy(x, t, { reduction }),
    (_, reduction) => new CrossEntropyLoss({ reduction }),
  ],
  cross_entropy_weight_ignore: [
    (x, t, [weight], reduction) => F.crossEntropy(x, t, { weight, ignoreIndex: -1, reduction }),
    ([weight], reduction) => new CrossEntropyLoss({ weight, ignoreIndex: -1, reduction }),
  ],
  cross_entropy_smoothing: [
    (x, t, [weight], reduction) => F.crossEntropy(x, t, { weight, ignoreIndex: -1, reduction, labelSmoothing: 0.15 }),
    ([weight], reduction) => new CrossEntropyLoss({ weight, ignoreIndex: -1, reduction, labelSmoothing: 0.15 }),
  ],
  cross_entropy_probs: [
    (x, t, _, reduction) => F.crossEntropy(x, t, { reduction, labelSmoothing: 0.1 }),
    (_, reduction) => new CrossEntropyLoss({ reduction, labelSmoothing: 0.1 }),
  ],
  cross_entropy_kdim: [
    (x, t, _, reduction) => F.crossEntropy(x, t, { reduction }),
    (_, reduction) => new CrossEntropyLoss({ reduction }),
  ],
  nll: [(x, t, _, reduction) => F.nllLoss(x, t, { reduction }), (_, reduction) => new NLLLoss({ reduction })],
  nll_weight_ignore: [
    (x, t, [weight], reduction) => F.nllLoss(x, t, { weight, ignoreIndex: -1, reduction }),
    ([weight], reduction) => new NLLLoss({ weight, ignoreIndex: -1, reduction }),
  ],
  nll_4d: [(x, t, _, reduction) => F.nllLoss(x, t, { reduction }), (_, reduction) => new NLLLoss({ reduction })],
  mse: [(x, t, _, reduction) => F.mseLoss(x, t, { reduction }), (_, reduction) => new MSELoss({ reduction })],
};

const REDUCTIONS: Reduction[] = ["none", "mean", "sum"];

function check(fx: Fixture, name: string, r: Reduction, call: (x: Tensor, t: Tensor, extra: Tensor[]) => Tensor) {
  tidy(() => {
    const n = fx.values[name].inputs;
    const x = fixtureTensor(fx, `${name}.in0`).requiresGrad_();
    const t = fixtureTensor(fx, `${name}.in1`);
    const extra = Array.from({ length: n - 2 }, (_, i) => fixtureTensor(fx, `${name}.in${i + 2}`));
    const out = call(x, t, extra);
    out.backward(fixtureTensor(fx, `${name}.${r}.g`));
    assertFixtureExact(out, fx, `${name}.${r}.out`);
    assertFixtureExact(x.grad, fx, `${name}.${r}.grad`);
  });
}

Deno.test("losses: every fixture case has a TypeScript twin", () => {
  assertEquals(Object.keys(CASES).sort(), Object.keys(f.values).filter((k) => k !== "modules").sort());
});

for (const [name, [fn, make]] of Object.entries(CASES)) {
  for (const r of REDUCTIONS) {
    Deno.test(`losses: ${name} (reduction ${r}) matches PyTorch to the bit, as a function and as a layer`, () => {
      check(f, name, r, (x, t, extra) => fn(x, t, extra, r));
      check(f, name, r, (x, t, extra) => {
        const loss = make(extra, r);
        return loss.forward(x, t);
      });
    });
  }
}

Deno.test("losses: layers print and register their weights as PyTorch's (weight, pos_weight buffers)", () => {
  tidy(() => {
    const weight = fixtureTensor(f, "modules.weight"), posWeight = fixtureTensor(f, "modules.pos_weight");
    const layers: Record<string, Loss> = {
      BCELoss: new BCELoss(),
      BCELoss_weight: new BCELoss({ weight }),
      BCEWithLogitsLoss: new BCEWithLogitsLoss({ weight, posWeight, reduction: "sum" }),
      CrossEntropyLoss: new CrossEntropyLoss({ weight, ignoreIndex: 1, labelSmoothing: 0.2 }),
      NLLLoss: new NLLLoss({ reduction: "none" }),
      MSELoss: new MSELoss(),
    };
    for (const [k, m] of Object.entries(layers)) {
      const expected = f.values.modules[k];
      assertEquals(m.toString(), expected.repr, k);
      const sd = m.stateDict();
      assertEquals(Object.keys(sd), expected.keys, k);
    }
    assertEquals(layers.BCEWithLogitsLoss.reduction, "sum");
  });
});
