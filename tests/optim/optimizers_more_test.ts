// Parity of RMSprop, Adagrad, Adadelta, Adamax, NAdam and RAdam with torch.optim 1.13: every loss of a
// 30-step run, the final parameters and the state dicts (fresh, mid-run, final) to the bit; PyTorch's
// mid-run state dict loads and training continues exactly as PyTorch's; options are checked.
// Fixtures: scripts/fixtures/gen_surface.py (optimizer_cases).

import assert from "node:assert/strict";
import { type DType, liveTensors, type Tensor, tidy } from "../../mod.ts";
import { type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";
import { Adadelta, Adagrad, Adamax, NAdam, type Optimizer, RAdam, RMSprop } from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, fromTorch, Net, train } from "./harness.ts";

const fx = loadFixture("optim/optimizers_more");
const STEPS: number = fx.values.steps;
const HALF = Math.floor(STEPS / 2);

/** [w1, w2] and [b1, b2] as two groups, the second with `extra` overrides (gen_surface.py's `groups`). */
// deno-lint-ignore no-explicit-any
const groups = (n: Net, extra: Record<string, unknown>): any => [
  { params: [n.w1, n.w2] },
  { params: [n.b1, n.b2], ...extra },
];

const cases: [string, DType, (n: Net) => Optimizer<object>][] = [
  ["rmsprop", "float32", (n) => new RMSprop(n.parameters(), { lr: 0.01 })],
  [
    "rmsprop_centered_momentum",
    "float32",
    (n) =>
      new RMSprop(n.parameters(), {
        lr: 0.005,
        alpha: 0.9,
        eps: 1e-6,
        momentum: 0.8,
        centered: true,
        weightDecay: 0.01,
      }),
  ],
  ["rmsprop_maximize", "float32", (n) => new RMSprop(n.parameters(), { lr: 0.001, maximize: true, momentum: 0.5 })],
  ["rmsprop_f64", "float64", (n) => new RMSprop(n.parameters(), { lr: 0.01, centered: true })],
  ["adagrad", "float32", (n) => new Adagrad(n.parameters(), { lr: 0.05 })],
  [
    "adagrad_options",
    "float32",
    (n) =>
      new Adagrad(n.parameters(), {
        lr: 0.1,
        lrDecay: 0.01,
        weightDecay: 0.02,
        initialAccumulatorValue: 0.3,
        eps: 1e-8,
      }),
  ],
  ["adagrad_maximize_groups", "float32", (n) => new Adagrad(groups(n, { lr: 0.02 }), { lr: 0.05, maximize: true })],
  ["adadelta", "float32", (n) => new Adadelta(n.parameters())],
  [
    "adadelta_options",
    "float32",
    (n) => new Adadelta(n.parameters(), { lr: 0.5, rho: 0.8, eps: 1e-5, weightDecay: 0.1 }),
  ],
  ["adadelta_maximize", "float32", (n) => new Adadelta(n.parameters(), { lr: 0.1, maximize: true })],
  ["adamax", "float32", (n) => new Adamax(n.parameters(), { lr: 0.01 })],
  [
    "adamax_options",
    "float32",
    (n) => new Adamax(n.parameters(), { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.05 }),
  ],
  ["adamax_maximize_f64", "float64", (n) => new Adamax(n.parameters(), { lr: 0.003, maximize: true })],
  ["nadam", "float32", (n) => new NAdam(n.parameters(), { lr: 0.01 })],
  [
    "nadam_options",
    "float32",
    (n) =>
      new NAdam(n.parameters(), { lr: 0.02, betas: [0.85, 0.995], eps: 1e-6, weightDecay: 0.01, momentumDecay: 0.01 }),
  ],
  ["nadam_f64_groups", "float64", (n) => new NAdam(groups(n, { lr: 0.005 }), { lr: 0.01 })],
  ["radam", "float32", (n) => new RAdam(n.parameters(), { lr: 0.01 })],
  [
    "radam_options",
    "float32",
    (n) => new RAdam(n.parameters(), { lr: 0.03, betas: [0.7, 0.9], eps: 1e-6, weightDecay: 0.02 }),
  ],
  ["radam_f64", "float64", (n) => new RAdam(n.parameters(), { lr: 0.01 })],
];

function fixtureLosses(f: Fixture, name: string): number[] {
  const t = fixtureTensor(f, `${name}.losses`);
  const d = Array.from(t.data() as Float32Array | Float64Array);
  t.dispose();
  return d;
}

Deno.test("optimizers (more): every fixture run has a TypeScript twin", () => {
  const names = Object.keys(fx.values).filter((k) => k.endsWith(".state_dict")).map((k) => k.slice(0, -11));
  assert.deepEqual(cases.map(([n]) => n).sort(), names.sort());
});

for (const [name, dtype, make] of cases) {
  Deno.test(`${name}: every loss, the parameters and the state dicts equal PyTorch's exactly`, () => {
    const before = liveTensors();
    tidy(() => run(name, dtype, make));
    assert.equal(liveTensors(), before, "every tensor freed");
  });

  Deno.test(`${name}: PyTorch's mid-run state dict loads and training continues exactly as PyTorch's`, () => {
    const net = new Net(dtype, fx, `${name}.snapshot_params.`);
    const opt = make(net);
    opt.loadStateDict(fromTorch(fx.values[`${name}.snapshot`], fx));
    assertLikeTorch(opt.stateDict(), fx.values[`${name}.snapshot`], fx, `${name}.snapshot (reloaded)`);
    const losses = train(net, opt, { from: HALF });
    assertRun(fx, name, [...fixtureLosses(fx, name).slice(0, HALF), ...losses], net);
  });
}

/** A whole run from the fixture's initial weights, checked at the start and the end. */
function run(name: string, dtype: DType, make: (n: Net) => Optimizer<object>): void {
  const net = new Net(dtype);
  const opt = make(net);
  const sd0 = opt.stateDict();
  assertLikeTorch(sd0, fx.values[`${name}.initial_state_dict`], fx, `${name}.initial_state_dict`);
  for (const s of sd0.state.values()) for (const v of Object.values(s)) (v as Tensor).dispose?.();
  assertRun(fx, name, train(net, opt), net);
  const sd = opt.stateDict();
  assertLikeTorch(sd, fx.values[`${name}.state_dict`], fx, `${name}.state_dict`);
  for (const s of sd.state.values()) for (const v of Object.values(s)) (v as Tensor).dispose?.();
  opt.dispose();
  net.dispose();
}

Deno.test("optimizers (more): options are checked as PyTorch checks them", () => {
  const net = new Net();
  const ps = net.parameters();
  assert.throws(() => new RMSprop(ps, { alpha: -1 }), /RMSprop: alpha must be >= 0, got -1/);
  assert.throws(() => new RMSprop(ps, { momentum: -0.5 }), /RMSprop: momentum must be >= 0/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new RMSprop(ps, { nesterov: true } as any), /RMSprop: unknown option 'nesterov'/);
  assert.throws(() => new Adagrad(ps, { lrDecay: -1 }), /Adagrad: lrDecay must be >= 0/);
  assert.throws(() => new Adagrad(ps, { initialAccumulatorValue: -0.1 }), /initialAccumulatorValue must be >= 0/);
  assert.throws(() => new Adadelta(ps, { rho: 1.5 }), /Adadelta: rho must be in \[0, 1\], got 1.5/);
  assert.throws(() => new Adamax(ps, { betas: [0.9, 1] }), /Adamax: betas\[1\] must be in \[0, 1\), got 1/);
  assert.throws(() => new NAdam(ps, { momentumDecay: -1 }), /NAdam: momentumDecay must be >= 0/);
  // deno-lint-ignore no-explicit-any
  assert.throws(() => new RAdam(ps, { lr: "0.1" } as any), /RAdam: lr must be a number/);
  assert.throws(() => new RAdam(ps).step(), /RAdam.step: none of the 4 parameters has a gradient/);
  net.dispose();
});
