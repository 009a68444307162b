// Parity of the added losses (L1Loss ... CTCLoss) with PyTorch's, for every reduction: values and the
// gradients of every differentiable input to the bit, as functions and as layers; printouts and state-dict
// keys of the layers; argument errors. Fixtures: scripts/fixtures/gen_surface.py (loss_cases).

import { deepStrictEqual as assertEquals, throws as assertThrows } from "node:assert/strict";
import { liveTensors, type Tensor, tensor, tidy } from "../../mod.ts";
import {
  CosineEmbeddingLoss,
  CTCLoss,
  GaussianNLLLoss,
  HuberLoss,
  KLDivLoss,
  L1Loss,
  MarginRankingLoss,
  type Module,
  MultiLabelSoftMarginLoss,
  PoissonNLLLoss,
  SmoothL1Loss,
  TripletMarginLoss,
} from "../../nn/mod.ts";
import * as F from "../../nn/functional.ts";
import { type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact } from "./helpers.ts";

const f = loadFixture("nn/losses_more");

// deno-lint-ignore no-explicit-any
type R = any;
type Call = (xs: Tensor[], reduction: R) => Tensor;

const layer = (m: Module) => (xs: Tensor[]) => m.forward(...xs) as Tensor;

/** The twins of gen_surface.py's loss cases: [function form, layer form]. */
const CASES: Record<string, [Call, Call]> = {
  l1: [([x, t], reduction) => F.l1Loss(x, t, { reduction }), (xs, reduction) => layer(new L1Loss({ reduction }))(xs)],
  l1_broadcast: [
    ([x, t], reduction) => F.l1Loss(x, t, { reduction }),
    (xs, reduction) => layer(new L1Loss({ reduction }))(xs),
  ],
  smooth_l1: [
    ([x, t], reduction) => F.smoothL1Loss(x, t, { reduction }),
    (xs, reduction) => layer(new SmoothL1Loss({ reduction }))(xs),
  ],
  smooth_l1_beta: [
    ([x, t], reduction) => F.smoothL1Loss(x, t, { reduction, beta: 0.4 }),
    (xs, reduction) => layer(new SmoothL1Loss({ reduction, beta: 0.4 }))(xs),
  ],
  smooth_l1_beta0: [
    ([x, t], reduction) => F.smoothL1Loss(x, t, { reduction, beta: 0 }),
    (xs, reduction) => layer(new SmoothL1Loss({ reduction, beta: 0 }))(xs),
  ],
  huber: [
    ([x, t], reduction) => F.huberLoss(x, t, { reduction }),
    (xs, reduction) => layer(new HuberLoss({ reduction }))(xs),
  ],
  huber_delta: [
    ([x, t], reduction) => F.huberLoss(x, t, { reduction, delta: 0.3 }),
    (xs, reduction) => layer(new HuberLoss({ reduction, delta: 0.3 }))(xs),
  ],
  kl_div: [
    ([x, t], reduction) => F.klDiv(x, t, { reduction }),
    (xs, reduction) => layer(new KLDivLoss({ reduction }))(xs),
  ],
  kl_div_log_target: [
    ([x, t], reduction) => F.klDiv(x, t, { reduction, logTarget: true }),
    (xs, reduction) => layer(new KLDivLoss({ reduction, logTarget: true }))(xs),
  ],
  cosine_embedding: [
    ([a, b, y], reduction) => F.cosineEmbeddingLoss(a, b, y, { reduction }),
    (xs, reduction) => layer(new CosineEmbeddingLoss({ reduction }))(xs),
  ],
  cosine_embedding_margin: [
    ([a, b, y], reduction) => F.cosineEmbeddingLoss(a, b, y, { reduction, margin: -0.2 }),
    (xs, reduction) => layer(new CosineEmbeddingLoss({ reduction, margin: -0.2 }))(xs),
  ],
  margin_ranking: [
    ([a, b, y], reduction) => F.marginRankingLoss(a, b, y, { reduction, margin: 0.3 }),
    (xs, reduction) => layer(new MarginRankingLoss({ reduction, margin: 0.3 }))(xs),
  ],
  triplet_margin: [
    ([a, p, n], reduction) => F.tripletMarginLoss(a, p, n, { reduction }),
    (xs, reduction) => layer(new TripletMarginLoss({ reduction }))(xs),
  ],
  triplet_margin_options: [
    ([a, p, n], reduction) => F.tripletMarginLoss(a, p, n, { margin: 2.5, p: 1, eps: 1e-3, swap: true, reduction }),
    (xs, reduction) => layer(new TripletMarginLoss({ margin: 2.5, p: 1, eps: 1e-3, swap: true, reduction }))(xs),
  ],
  poisson_nll: [
    ([x, t], reduction) => F.poissonNllLoss(x, t, { reduction }),
    (xs, reduction) => layer(new PoissonNLLLoss({ reduction }))(xs),
  ],
  poisson_nll_full: [
    ([x, t], reduction) => F.poissonNllLoss(x, t, { logInput: false, full: true, eps: 1e-4, reduction }),
    (xs, reduction) => layer(new PoissonNLLLoss({ logInput: false, full: true, eps: 1e-4, reduction }))(xs),
  ],
  gaussian_nll: [
    ([x, t, v], reduction) => F.gaussianNllLoss(x, t, v, { reduction }),
    (xs, reduction) => layer(new GaussianNLLLoss({ reduction }))(xs),
  ],
  gaussian_nll_homoscedastic: [
    ([x, t, v], reduction) => F.gaussianNllLoss(x, t, v, { full: true, eps: 1e-4, reduction }),
    (xs, reduction) => layer(new GaussianNLLLoss({ full: true, eps: 1e-4, reduction }))(xs),
  ],
  gaussian_nll_var1: [
    ([x, t, v], reduction) => F.gaussianNllLoss(x, t, v, { reduction }),
    (xs, reduction) => layer(new GaussianNLLLoss({ reduction }))(xs),
  ],
  multilabel_soft_margin: [
    ([x, t], reduction) => F.multilabelSoftMarginLoss(x, t, { reduction }),
    (xs, reduction) => layer(new MultiLabelSoftMarginLoss({ reduction }))(xs),
  ],
  multilabel_soft_margin_weight: [
    ([x, t, weight], reduction) => F.multilabelSoftMarginLoss(x, t, { weight, reduction }),
    ([x, t, weight], reduction) => {
      const m = new MultiLabelSoftMarginLoss({ weight, reduction }); // its buffer is kept: dispose the layer
      try {
        return m.forward(x, t);
      } finally {
        m.dispose();
      }
    },
  ],
  ctc: [
    ([lp, t, il, tl], reduction) => F.ctcLoss(lp, t, il, tl, { reduction }),
    // lengths as arrays: the IntList overload, as PyTorch takes for Python lists
    ([lp, t, il, tl], reduction) =>
      new CTCLoss({ reduction }).forward(lp, t, il.toArray() as number[], tl.toArray() as number[]),
  ],
  ctc_concatenated_blank: [
    ([lp, t, il, tl], reduction) => F.ctcLoss(lp, t, il, tl, { blank: 3, reduction, zeroInfinity: true }),
    (xs, reduction) => layer(new CTCLoss({ blank: 3, reduction, zeroInfinity: true }))(xs),
  ],
  ctc_infinite: [
    ([lp, t, il, tl], reduction) => F.ctcLoss(lp, t, il, tl, { reduction }),
    (xs, reduction) => layer(new CTCLoss({ reduction }))(xs),
  ],
  ctc_zero_infinity: [
    ([lp, t, il, tl], reduction) => F.ctcLoss(lp, t, il, tl, { reduction, zeroInfinity: true }),
    (xs, reduction) => layer(new CTCLoss({ reduction, zeroInfinity: true }))(xs),
  ],
};

function check(fx: Fixture, name: string, r: string, call: Call) {
  tidy(() => {
    const { inputs, diff } = fx.values[name] as { inputs: number; diff: number[] };
    const xs = Array.from({ length: inputs }, (_, i) => {
      const t = fixtureTensor(fx, `${name}.in${i}`);
      return diff.includes(i) ? t.requiresGrad_() : t;
    });
    const out = call(xs, r);
    out.backward(fixtureTensor(fx, `${name}.${r}.g`));
    assertFixtureExact(out, fx, `${name}.${r}.out`);
    for (const i of diff) assertFixtureExact(xs[i].grad, fx, `${name}.${r}.grad${i}`);
  });
}

Deno.test("losses (more): every fixture case has a TypeScript twin", () => {
  assertEquals(Object.keys(CASES).sort(), Object.keys(f.values).filter((k) => k !== "modules").sort());
});

for (const [name, [fn, make]] of Object.entries(CASES)) {
  for (const r of f.values[name].reductions as string[]) {
    Deno.test(`losses (more): ${name} (reduction ${r}) matches PyTorch to the bit, as a function and as a layer`, () => {
      const before = liveTensors();
      check(f, name, r, fn);
      check(f, name, r, make);
      assertEquals(liveTensors(), before);
    });
  }
}

Deno.test("losses (more): layers print and register their buffers as PyTorch's", () => {
  tidy(() => {
    const layers: Record<string, Module> = {
      L1Loss: new L1Loss({ reduction: "sum" }),
      SmoothL1Loss: new SmoothL1Loss({ beta: 0.5 }),
      HuberLoss: new HuberLoss({ delta: 2 }),
      KLDivLoss: new KLDivLoss({ reduction: "batchmean", logTarget: true }),
      CosineEmbeddingLoss: new CosineEmbeddingLoss({ margin: 0.1 }),
      MarginRankingLoss: new MarginRankingLoss({ margin: 0.2 }),
      TripletMarginLoss: new TripletMarginLoss({ margin: 0.5, p: 1, swap: true }),
      PoissonNLLLoss: new PoissonNLLLoss({ logInput: false, full: true }),
      GaussianNLLLoss: new GaussianNLLLoss({ full: true, eps: 1e-3 }),
      MultiLabelSoftMarginLoss: new MultiLabelSoftMarginLoss({ weight: tensor([1, 1, 1], { dtype: "float32" }) }),
      CTCLoss: new CTCLoss({ blank: 1, zeroInfinity: true }),
    };
    assertEquals(Object.keys(layers).sort(), Object.keys(f.values.modules).sort());
    for (const [k, m] of Object.entries(layers)) {
      const expected = f.values.modules[k];
      assertEquals(m.toString(), expected.repr, k);
      assertEquals(Object.keys(m.stateDict()), expected.keys, k);
    }
  });
});

Deno.test("losses (more): bad arguments are clear errors", () => {
  tidy(() => {
    const x = tensor([[0.5, 1], [2, 3]], { dtype: "float32" });
    assertThrows(() => F.l1Loss(x, x, { reduction: "avg" as R }), /l1Loss: reduction must be one of/);
    assertThrows(() => F.smoothL1Loss(x, x, { beta: -1 }), /smoothL1Loss: beta must be >= 0, got -1/);
    assertThrows(() => F.huberLoss(x, x, { delta: 0 }), /huberLoss: delta must be positive/);
    assertThrows(() => new KLDivLoss({ reduction: "avg" as R }), /KLDivLoss: reduction must be one of/);
    assertThrows(() => F.klDiv(x, 3 as R), /klDiv: target must be a Tensor, got 3/);
    assertThrows(
      () => F.gaussianNllLoss(x, x, tensor([1, 2, 3], { dtype: "float32" })),
      /gaussianNllLoss: var is of incorrect size/,
    );
    assertThrows(
      () => F.gaussianNllLoss(x, x, tensor([[1, -2], [1, 1]], { dtype: "float32" })),
      /gaussianNllLoss: var has negative entry/,
    );
    assertThrows(
      () => F.marginRankingLoss(x, x, tensor([1, -1], { dtype: "float32" })),
      /marginRankingLoss: All input tensors should have same dimension but got sizes: input1: \[2, 2\]/,
    );
    assertThrows(
      () => F.tripletMarginLoss(x, x, tensor([1, 2], { dtype: "float32" })),
      /tripletMarginLoss: The anchor, positive, and negative tensors are expected to have the same number of dim/,
    );
    assertThrows(
      () => F.ctcLoss(x.unsqueeze(1), tensor([[1]]), [2], tensor([1])),
      /ctcLoss: inputLengths and targetLengths must both be Tensors or both be arrays/,
    );
    assertThrows(() => F.ctcLoss(x.unsqueeze(1), tensor([[1]]), [2.5], [1]), /ctcLoss: inputLengths must be/);
    assertThrows(() => new CTCLoss({ blank: -1 }), /CTCLoss: blank must be a non-negative integer, got -1/);
    // a LibTorch error becomes a TorchError naming the operator, never a crash
    assertThrows(() => F.cosineEmbeddingLoss(x, x.reshape(-1), tensor([1, 1], { dtype: "float32" })));
  });
});
