// Parity of nn/init.ts with torch.nn.init: the values drawn after the same seed, to the bit, and the
// gains and fans computed with Python's float arithmetic. Fixtures: gen_nn.py (init_cases).

import { deepStrictEqual as assertEquals, strictEqual } from "node:assert/strict";
import { empty, manualSeed, ones, type Tensor, tidy } from "../../mod.ts";
import * as init from "../../nn/init.ts";
import { loadFixture } from "../fixture.ts";
import { assertFixtureExact } from "./helpers.ts";

const f = loadFixture("nn/init");

/** The twins of gen_nn.py's init cases: shape and call (seeded with 100 + position). */
const CASES: Record<string, [number[], (t: Tensor) => Tensor]> = {
  kaiming_uniform_default: [[6, 3, 5, 5], (t) => init.kaimingUniform_(t)],
  kaiming_uniform_sqrt5: [[12, 40], (t) => init.kaimingUniform_(t, { a: Math.sqrt(5) })],
  kaiming_uniform_fan_out_relu: [
    [8, 4, 3, 3],
    (t) => init.kaimingUniform_(t, { mode: "fan_out", nonlinearity: "relu" }),
  ],
  kaiming_normal_default: [[16, 6, 5, 5], (t) => init.kaimingNormal_(t)],
  kaiming_normal_fan_out_leaky: [
    [10, 20],
    (t) => init.kaimingNormal_(t, { a: 0.2, mode: "fan_out", nonlinearity: "leaky_relu" }),
  ],
  xavier_uniform: [[30, 20], (t) => init.xavierUniform_(t)],
  xavier_uniform_gain: [[6, 3, 5, 5], (t) => init.xavierUniform_(t, init.calculateGain("tanh"))],
  xavier_normal: [[30, 20], (t) => init.xavierNormal_(t)],
  xavier_normal_gain: [[4, 2, 3], (t) => init.xavierNormal_(t, 0.7)],
  uniform: [[50], (t) => init.uniform_(t, -0.5, 2.0)],
  uniform_default: [[3, 7], (t) => init.uniform_(t)],
  normal: [[50], (t) => init.normal_(t, 1.0, 0.5)],
  normal_default: [[3, 7], (t) => init.normal_(t)],
  constant: [[4, 3], (t) => init.constant_(t, 0.3)],
  ones: [[4, 3], (t) => init.ones_(t)],
  zeros: [[4, 3], (t) => init.zeros_(t)],
  kaiming_uniform_f64: [[5, 7], (t) => init.kaimingUniform_(t)],
};

Deno.test("init: every fixture case has a TypeScript twin, in the same order (seeds)", () => {
  assertEquals(Object.keys(CASES), f.values.cases);
});

Object.entries(CASES).forEach(([name, [shape, fn]], i) => {
  Deno.test(`init: ${name} draws PyTorch's values to the bit`, () => {
    tidy(() => {
      manualSeed(100 + i);
      const t = empty(shape, { dtype: name.endsWith("_f64") ? "float64" : "float32" });
      strictEqual(fn(t), t);
      assertFixtureExact(t, f, name);
    });
  });
});

Deno.test("init: calculateGain equals Python's to the bit", () => {
  for (const [nl, param, expected] of f.values.gains) {
    strictEqual(init.calculateGain(nl, param), expected, `${nl} ${param}`);
  }
});

Deno.test("init: calculateFanInAndFanOut equals PyTorch's", () => {
  tidy(() => {
    for (const [shape, fans] of f.values.fans) assertEquals(init.calculateFanInAndFanOut(empty(shape)), fans);
  });
});

Deno.test("init: runs without recording gradients on leaves that require them, and skips empty tensors", () => {
  tidy(() => {
    const w = empty([3, 4], { requiresGrad: true });
    init.kaimingUniform_(w);
    strictEqual(w.isLeaf, true);
    strictEqual(w.gradFn, null);
    const e = ones([0, 3]);
    strictEqual(init.kaimingNormal_(e), e);
  });
});
