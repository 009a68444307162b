// Parity of the added learning-rate schedulers with torch.optim.lr_scheduler 1.13: every learning rate
// (and cycled momentum / beta1) of each step, exactly, and the state dicts; PyTorch's mid-run state dict
// loads and the schedule continues exactly; step(epoch) uses PyTorch's closed forms.
// Fixture: scripts/fixtures/gen_surface.py (scheduler_cases).

import assert from "node:assert/strict";
import { tensor } from "../../mod.ts";
import { cmath } from "../../tensor/runtime.ts";
import {
  Adam,
  ChainedScheduler,
  ConstantLR,
  CosineAnnealingLR,
  CosineAnnealingWarmRestarts,
  CyclicLR,
  ExponentialLR,
  LambdaLR,
  LinearLR,
  type LRScheduler,
  MultiplicativeLR,
  MultiStepLR,
  OneCycleLR,
  type Optimizer,
  SequentialLR,
  SGD,
  StepLR,
} from "../../optim/mod.ts";
import { loadFixture } from "../fixture.ts";
import { assertLikeTorch, fromTorch } from "./harness.ts";

const fx = loadFixture("optim/schedulers_more");

function params() {
  return [
    tensor([0, 0], { dtype: "float32" }).requiresGrad_(),
    tensor([0, 0, 0], { dtype: "float32" }).requiresGrad_(),
  ];
}
/** SGD with two groups (lr 0.1 and 0.03), as the generator's `sgd`. */
function sgd(momentum = 0): SGD {
  const [a, b] = params();
  return new SGD([{ params: [a] }, { params: [b], lr: 0.03 }], { lr: 0.1, momentum });
}
function adam(): Adam {
  const [a, b] = params();
  return new Adam([{ params: [a] }, { params: [b], lr: 0.03 }], { lr: 0.1 });
}

/** The twins of the generator's `record` cases. */
const CASES: Record<string, () => LRScheduler> = {
  lambda: () => new LambdaLR(sgd(), { lrLambda: [(e) => 1 / (e + 1), (e) => e < 3 ? 0.5 : 0.25] }),
  lambda_one: () => new LambdaLR(sgd(), { lrLambda: (e) => cmath.pow(0.9, e) }),
  multiplicative: () => new MultiplicativeLR(sgd(), { lrLambda: () => 0.95 }),
  multiplicative_two: () => new MultiplicativeLR(sgd(), { lrLambda: [() => 0.9, (e) => 1 - 0.01 * e] }),
  multistep: () => new MultiStepLR(sgd(), { milestones: [2, 5, 5, 9], gamma: 0.3 }),
  exponential: () => new ExponentialLR(sgd(), { gamma: 0.87 }),
  linear: () => new LinearLR(sgd(), { startFactor: 0.25, endFactor: 0.9, totalIters: 6 }),
  linear_default: () => new LinearLR(sgd()),
  constant: () => new ConstantLR(sgd(), { factor: 0.4, totalIters: 4 }),
  constant_default: () => new ConstantLR(sgd()),
  cyclic_triangular: () => new CyclicLR(sgd(0.9), { baseLr: 0.01, maxLr: [0.1, 0.05], stepSizeUp: 3 }),
  cyclic_triangular2: () =>
    new CyclicLR(sgd(0.9), {
      baseLr: 0.001,
      maxLr: 0.1,
      stepSizeUp: 2,
      stepSizeDown: 4,
      mode: "triangular2",
      baseMomentum: 0.7,
      maxMomentum: 0.95,
    }),
  cyclic_exp_range: () =>
    new CyclicLR(sgd(0.5), { baseLr: 0.01, maxLr: 0.2, stepSizeUp: 5, mode: "exp_range", gamma: 0.97 }),
  cyclic_custom: () =>
    new CyclicLR(sgd(), {
      baseLr: 0.01,
      maxLr: 0.2,
      stepSizeUp: 3,
      scaleFn: (x) => 1 / (x + 1),
      scaleMode: "iterations",
      cycleMomentum: false,
    }),
  onecycle: () => new OneCycleLR(sgd(0.9), { maxLr: [1, 0.5], totalSteps: 20 }),
  onecycle_linear_three: () =>
    new OneCycleLR(sgd(0.9), {
      maxLr: 0.3,
      epochs: 3,
      stepsPerEpoch: 5,
      pctStart: 0.25,
      annealStrategy: "linear",
      threePhase: true,
      divFactor: 10,
      finalDivFactor: 100,
    }),
  onecycle_adam: () => new OneCycleLR(adam(), { maxLr: 0.01, totalSteps: 12, baseMomentum: 0.8, maxMomentum: 0.9 }),
  onecycle_no_momentum: () => new OneCycleLR(sgd(), { maxLr: 0.2, totalSteps: 10, cycleMomentum: false }),
  warm_restarts: () => new CosineAnnealingWarmRestarts(sgd(), { t0: 4, etaMin: 0.001 }),
  warm_restarts_mult: () => new CosineAnnealingWarmRestarts(sgd(), { t0: 3, tMult: 2 }),
  sequential: () => {
    const o = sgd();
    return new SequentialLR(o, {
      schedulers: [
        new LinearLR(o, { startFactor: 0.1, totalIters: 4 }),
        new ExponentialLR(o, { gamma: 0.9 }),
        new StepLR(o, { stepSize: 3, gamma: 0.5 }),
      ],
      milestones: [4, 9],
    });
  },
  sequential_cosine: () => {
    const o = sgd();
    return new SequentialLR(o, {
      schedulers: [
        new ConstantLR(o, { factor: 0.5, totalIters: 3 }),
        new CosineAnnealingLR(o, { tMax: 5, etaMin: 0.01 }),
        new MultiStepLR(o, { milestones: [2, 4], gamma: 0.5 }),
      ],
      milestones: [3, 8],
    });
  },
  sequential_restarts: () => {
    const o = sgd();
    return new SequentialLR(o, {
      schedulers: [
        new LambdaLR(o, { lrLambda: (e) => (e + 1) / 4 }),
        new CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2, etaMin: 0.002 }),
      ],
      milestones: [3],
    });
  },
  chained: () => {
    const o = sgd();
    return new ChainedScheduler([
      new ConstantLR(o, { factor: 0.1, totalIters: 2 }),
      new ExponentialLR(o, { gamma: 0.9 }),
    ]);
  },
  chained_three: () => {
    const o = sgd();
    return new ChainedScheduler([
      new LinearLR(o, { startFactor: 0.5, totalIters: 3 }),
      new MultiStepLR(o, { milestones: [4, 6], gamma: 0.5 }),
      new MultiplicativeLR(o, { lrLambda: () => 0.98 }),
    ]);
  },
};

type Row = [number[], (number | null)[], (number | null)[]];

function now(opt: Optimizer<object>): Row {
  const g = opt.paramGroups as Record<string, unknown>[];
  return [
    g.map((x) => x.lr as number),
    g.map((x) => (x.momentum ?? null) as number | null),
    g.map((x) => x.betas === undefined ? null : (x.betas as number[])[0]),
  ];
}

/** Steps `sched` from row `from` to the end of `expected`, asserting every row. */
function run(name: string, sched: LRScheduler, expected: Row[], from = 0): void {
  assert.deepEqual(now(sched.optimizer), expected[from], `${name}: step ${from}`);
  for (let i = from + 1; i < expected.length; i++) {
    sched.step();
    assert.deepEqual(now(sched.optimizer), expected[i], `${name}: step ${i}`);
  }
}

Deno.test("schedulers (more): every fixture case has a TypeScript twin", () => {
  const names = Object.keys(fx.values).filter((k) => Array.isArray(fx.values[k]));
  assert.deepEqual(Object.keys(CASES).sort(), names.sort());
});

for (const [name, make] of Object.entries(CASES)) {
  Deno.test(`${name}: every learning rate (and momentum) and the state dict equal PyTorch's exactly`, () => {
    const sched = make();
    run(name, sched, fx.values[name]);
    assertLikeTorch(sched.stateDict(), fx.values[`${name}.state_dict`], fx, `${name}.state_dict`);
    assert.deepEqual(sched.getLastLr(), (fx.values[name] as Row[]).at(-1)![0]);
  });
  if (`${name}.snapshot` in fx.values) {
    Deno.test(`${name}: PyTorch's mid-run state dict loads and the schedule continues exactly`, () => {
      const rows = fx.values[name] as Row[];
      const snapshot = fx.values[`${name}.snapshot`];
      const k = rows.findIndex((_, i) => i === snapshotIndex(name));
      const sched = make();
      // the optimizer's part of resuming: its groups' learning rates and momenta as they were
      const groups = sched.optimizer.paramGroups as Record<string, unknown>[];
      groups.forEach((g, i) => {
        g.lr = rows[k][0][i];
        if (rows[k][1][i] !== null) g.momentum = rows[k][1][i];
      });
      sched.loadStateDict(fromTorch(snapshot, fx));
      assertLikeTorch(sched.stateDict(), snapshot, fx, `${name}.snapshot (reloaded)`);
      run(name, sched, rows, k);
    });
  }
}

/** The step before which the generator took the snapshot. */
function snapshotIndex(name: string): number {
  const at: Record<string, number> = {
    lambda: 5,
    multiplicative: 6,
    multistep: 4,
    exponential: 10,
    linear: 3,
    constant: 2,
    cyclic_triangular: 7,
    onecycle: 8,
    warm_restarts: 6,
    warm_restarts_mult: 11,
    sequential: 6,
    chained: 4,
  };
  return at[name];
}

Deno.test("CosineAnnealingWarmRestarts.step(epoch) with fractional epochs equals PyTorch's", () => {
  const c = fx.values.warm_restarts_epochs;
  const s = new CosineAnnealingWarmRestarts(sgd(), { t0: 3, tMult: 2, etaMin: 0.01 });
  (c.epochs as number[]).forEach((e, i) => {
    s.step(e);
    assert.deepEqual(s.getLastLr(), c.lrs[i], `epoch ${e}`);
  });
  assertLikeTorch(s.stateDict(), c.state_dict, fx, "warm_restarts_epochs.state_dict");
  assert.throws(() => s.step(-1), /Expected non-negative epoch, but got -1/);
});

Deno.test("step(epoch) uses PyTorch's closed forms", () => {
  const makers: Record<string, (o: SGD) => LRScheduler> = {
    multistep: (o) => new MultiStepLR(o, { milestones: [2, 5, 5, 9], gamma: 0.3 }),
    exponential: (o) => new ExponentialLR(o, { gamma: 0.87 }),
    linear: (o) => new LinearLR(o, { startFactor: 0.25, endFactor: 0.9, totalIters: 6 }),
    constant: (o) => new ConstantLR(o, { factor: 0.4, totalIters: 4 }),
    step: (o) => new StepLR(o, { stepSize: 3, gamma: 0.5 }),
    cosine: (o) => new CosineAnnealingLR(o, { tMax: 5, etaMin: 0.01 }),
  };
  assert.deepEqual(Object.keys(makers).sort(), Object.keys(fx.values.closed_forms).sort());
  for (const [name, make] of Object.entries(makers)) {
    const s = make(sgd());
    [3, 7, 1, 12, 5, 0].forEach((e, i) => {
      s.step(e);
      assert.deepEqual(s.getLastLr(), fx.values.closed_forms[name][i], `${name} step(${e})`);
    });
  }
});

Deno.test("schedulers (more): bad options are clear errors", () => {
  const o = sgd();
  // deno-lint-ignore no-explicit-any
  const any = (v: unknown) => v as any;
  assert.throws(() => new LambdaLR(o, { lrLambda: [() => 1] }), /LambdaLR: Expected 2 lr_lambdas, but got 1/);
  assert.throws(() => new LambdaLR(o, { lrLambda: any(3) }), /LambdaLR: lrLambda must be a function/);
  assert.throws(() => new LambdaLR(sgd(), { lrLambda: any(() => "x") }), /lrLambda\(0\) must return a number/);
  assert.throws(
    () => new MultiStepLR(o, { milestones: [1.5] }),
    /MultiStepLR: milestones must be an array of integers/,
  );
  assert.throws(() => new LinearLR(o, { startFactor: 1.5 }), /LinearLR: startFactor must be in \[0, 1\], got 1.5/);
  assert.throws(() => new ConstantLR(o, { factor: -1 }), /ConstantLR: factor must be in \[0, 1\]/);
  assert.throws(() => new CyclicLR(adam(), { baseLr: 0.1, maxLr: 1 }), /CyclicLR: optimizer must support momentum/);
  assert.throws(() => new CyclicLR(o, { baseLr: [0.1], maxLr: 1 }), /CyclicLR: expected 2 values for baseLr, got 1/);
  assert.throws(() => new CyclicLR(o, { baseLr: 0.1, maxLr: 1, mode: any("sine") }), /CyclicLR: mode must be one of/);
  assert.throws(() => new OneCycleLR(o, { maxLr: 1 }), /OneCycleLR: You must define either totalSteps OR/);
  assert.throws(
    () => new OneCycleLR(o, { maxLr: 1, totalSteps: 0 }),
    /Expected positive integer totalSteps, but got 0/,
  );
  assert.throws(() => new OneCycleLR(o, { maxLr: 1, totalSteps: 5, annealStrategy: any("exp") }), /annealStrategy/);
  const one = new OneCycleLR(sgd(0.9), { maxLr: 1, totalSteps: 2 });
  one.step();
  one.step();
  assert.throws(() => one.step(), /OneCycleLR: Tried to step 4 times. The specified number of total steps is 2/);
  assert.throws(() => new CosineAnnealingWarmRestarts(o, { t0: 0 }), /Expected positive integer t0, but got 0/);
  assert.throws(() => new CosineAnnealingWarmRestarts(o, { t0: 2, tMult: 1.5 }), /Expected integer tMult >= 1/);
  const other = sgd();
  assert.throws(
    () => new SequentialLR(o, { schedulers: [new ExponentialLR(other, { gamma: 0.9 })], milestones: [] }),
    /SequentialLR: Sequential Schedulers expects all schedulers to belong to the same optimizer/,
  );
  assert.throws(
    () => new SequentialLR(o, { schedulers: [new ExponentialLR(o, { gamma: 0.9 })], milestones: [2] }),
    /expects number of schedulers provided to be one more than the number of milestone points/,
  );
  assert.throws(
    () => new ChainedScheduler([new ExponentialLR(o, { gamma: 0.9 }), new ExponentialLR(other, { gamma: 0.9 })]),
    /ChainedScheduler expects all schedulers to belong to the same optimizer/,
  );
  assert.throws(() => new ChainedScheduler([]), /ChainedScheduler: schedulers must be a non-empty array/);
});

Deno.test("schedulers (more): where Python divides by zero, a RangeError instead of Infinity or NaN", () => {
  const l = new LinearLR(sgd(), { totalIters: 0 }); // the recursive form never divides by it; the closed one does
  l.step();
  assert.throws(() => l.step(3), /LinearLR: float division by zero/);
  const c = new ConstantLR(sgd(), { factor: 0, totalIters: 2 });
  c.step();
  assert.throws(() => c.step(), /ConstantLR: float division by zero/);
  assert.throws(
    () => new CyclicLR(sgd(0.9), { baseLr: 0.1, maxLr: 1, stepSizeUp: 0, stepSizeDown: 0 }),
    /division by zero/,
  );
  assert.throws(() => new OneCycleLR(sgd(0.9), { maxLr: 1, totalSteps: 5, divFactor: 0 }), /division by zero/);
});
