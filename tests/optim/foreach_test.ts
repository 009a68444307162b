// The multi-tensor (`_foreach_*`) implementations of Adam, AdamW and SGD, the default, against their
// single-tensor ones (`foreach: false`, the operations the PyTorch fixtures of adam_test.ts and sgd_test.ts
// check): over several steps of a LeNet-5 with two parameter groups, a float64 parameter beside float32
// ones, and a parameter left without a gradient now and then (so that the parameters of one group have
// taken different numbers of steps), every loss, parameter, buffer and state tensor is the same to the bit.
import assert from "node:assert/strict";
import {
  binaryCrossEntropyWithLogits,
  LeNet,
  liveTensors,
  manualSeed,
  ones,
  randint,
  randn,
  type Tensor,
  tidy,
  zeros,
} from "../../mod.ts";
import { Adam, AdamW, type Optimizer, type OptimizerStateDict, SGD } from "../../optim/mod.ts";
import { assertTensorExact, assertValuesExact } from "../fixture.ts";
import { TORCH2 } from "../../optim/torch_release.ts";

type Make = (groups: { params: Tensor[]; [k: string]: unknown }[], foreach: boolean | undefined) => Optimizer<object>;

interface Run {
  losses: number[];
  tensors: [string, Tensor][];
  state: OptimizerStateDict;
}

const STEPS = 7;

function run(make: Make, foreach: boolean | undefined): Run {
  manualSeed(0);
  const model = new LeNet({ dropout: 0 });
  const extra = randn([5], { dtype: "float64" }).requiresGrad_();
  const x = randn([8, 3, 32, 32]), y = tidy(() => randint(2, [8, 1]).float());
  const late = model.classifier.parameters()[0]; // without a gradient on some steps
  const opt = make([
    { params: model.features.parameters() },
    { params: [...model.classifier.parameters(), extra], lr: 0.02 },
  ], foreach);
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    tidy(() => {
      opt.zeroGrad();
      const loss = binaryCrossEntropyWithLogits(model.forward(x), y).add(extra.pow(2).sum().float());
      loss.backward();
      if (s % 3 === 1) late.grad = null;
      opt.step();
      losses.push(loss.item());
    });
  }
  const tensors: [string, Tensor][] = [...Object.entries(model.stateDict()), ["extra", extra.detach()]];
  const state = opt.stateDict();
  opt.dispose();
  model.dispose();
  for (const t of [extra, x, y]) t.dispose();
  return { losses, tensors, state };
}

function assertSameRuns(name: string, make: Make): void {
  const multi = run(make, undefined);
  const single = run(make, false);
  assertValuesExact(multi.losses, single.losses, `${name}: losses`);
  assert.equal(multi.tensors.length, single.tensors.length);
  multi.tensors.forEach(([key, t], i) => {
    assert.equal(key, single.tensors[i][0]);
    assertTensorExact(t, single.tensors[i][1], `${name}: ${key}`);
  });
  assert.deepEqual([...multi.state.state.keys()], [...single.state.state.keys()], `${name}: state indices`);
  for (const [i, s] of multi.state.state) {
    const other = single.state.state.get(i)!;
    assert.deepEqual(Object.keys(s), Object.keys(other), `${name}: state[${i}] keys`);
    for (const [k, v] of Object.entries(s)) {
      const w = other[k];
      if (v === null || w === null) assert.equal(v, w, `${name}: state[${i}].${k}`);
      else assertTensorExact(v as Tensor, w as Tensor, `${name}: state[${i}].${k}`);
    }
  }
  // the group keys are the same but for foreach itself (null by default, false as asked)
  multi.state.param_groups.forEach((g, i) => {
    assert.deepEqual({ ...g, foreach: false }, single.state.param_groups[i]);
    assert.equal(g.foreach, null);
  });
  for (const r of [multi, single]) {
    for (const [, t] of r.tensors) t.dispose();
    for (const s of r.state.state.values()) for (const v of Object.values(s)) (v as Tensor | null)?.dispose();
  }
}

const f = (foreach: boolean | undefined) => (foreach === undefined ? {} : { foreach });

const CASES: [string, Make][] = [
  ["Adam", (g, fe) => new Adam(g, { lr: 0.01, ...f(fe) })],
  ["Adam betas eps", (g, fe) => new Adam(g, { lr: 0.02, betas: [0.8, 0.99], eps: 1e-6, ...f(fe) })],
  ["Adam amsgrad", (g, fe) => new Adam(g, { lr: 0.01, amsgrad: true, ...f(fe) })],
  ["Adam weightDecay", (g, fe) => new Adam(g, { lr: 0.01, weightDecay: 0.1, ...f(fe) })],
  ["Adam maximize", (g, fe) => new Adam(g, { lr: 0.003, maximize: true, weightDecay: 0.01, ...f(fe) })],
  ["AdamW", (g, fe) => new AdamW(g, { lr: 0.01, ...f(fe) })],
  ["AdamW amsgrad", (g, fe) => new AdamW(g, { lr: 0.01, amsgrad: true, weightDecay: 0.1, ...f(fe) })],
  ["AdamW maximize", (g, fe) => new AdamW(g, { lr: 0.003, maximize: true, ...f(fe) })],
  ["SGD", (g, fe) => new SGD(g, { lr: 0.05, ...f(fe) })],
  ["SGD momentum", (g, fe) => new SGD(g, { lr: 0.05, momentum: 0.9, ...f(fe) })],
  ["SGD dampening", (g, fe) => new SGD(g, { lr: 0.05, momentum: 0.8, dampening: 0.3, ...f(fe) })],
  ["SGD nesterov", (g, fe) => new SGD(g, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01, ...f(fe) })],
  [
    "SGD maximize",
    (g, fe) => new SGD(g, { lr: 0.01, momentum: 0.5, weightDecay: 0.1, maximize: true, ...f(fe) }),
  ],
];

for (const [name, make] of CASES) {
  Deno.test(`${name}: the multi-tensor step (the default) equals foreach: false to the bit`, () => {
    const before = liveTensors();
    assertSameRuns(name, make);
    assert.equal(liveTensors(), before, "tensors left behind");
  });
}

Deno.test("foreach: checked, kept per group, exported in the state dict where PyTorch keeps it", () => {
  tidy(() => {
    const p = zeros([3], { requiresGrad: true }), q = zeros([2], { requiresGrad: true });
    assert.throws(() => new Adam([p], { foreach: 1 as unknown as boolean }), {
      name: "TypeError",
      message: "Adam: foreach must be a boolean, got number 1",
    });
    assert.throws(() => new SGD([p], { lr: 0.1, foreach: "yes" as unknown as boolean }), {
      name: "TypeError",
      message: 'SGD: foreach must be a boolean, got "yes"',
    });
    assert.throws(() => new AdamW([{ params: [p], foreach: 0 as unknown as boolean }]), {
      name: "TypeError",
      message: "AdamW (param group 0): foreach must be a boolean, got number 0",
    });
    const opt = new Adam([{ params: [p] }, { params: [q], foreach: true }], { foreach: false });
    const groups = opt.stateDict().param_groups;
    assert.deepEqual(groups.map((g) => g.foreach), [false, true]);
    assert.deepEqual(Object.keys(groups[0]), [
      "lr",
      "betas",
      "eps",
      "weight_decay",
      "amsgrad",
      "maximize",
      "foreach",
      "capturable",
      "differentiable",
      "fused",
      "params",
    ]);
    assert.equal(new SGD([p], { lr: 0.1 }).stateDict().param_groups[0].foreach, null);
    const sgd = new SGD([p], { lr: 0.1, foreach: true });
    assert.deepEqual(
      Object.keys(sgd.stateDict().param_groups[0]),
      TORCH2
        ? ["lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused"]
          .concat("params")
        : [
          "lr",
          "momentum",
          "dampening",
          "weight_decay",
          "nesterov",
          "maximize",
          "foreach",
          "differentiable",
          "params",
        ],
    );
  });
});

Deno.test("a multi-tensor step updates only the parameters that have gradients and frees its temporaries", () => {
  const a = ones([4], { requiresGrad: true }), b = ones([2, 2], { requiresGrad: true });
  const opt = new Adam([a, b], { lr: 0.5 });
  const step = () =>
    tidy(() => {
      opt.zeroGrad();
      a.mul(2).sum().backward();
      opt.step();
    });
  step();
  const live = liveTensors();
  step();
  assert.equal(liveTensors(), live, "a step leaves no tensor behind");
  assert.equal(opt.state.has(b), false, "no state for a parameter that never had a gradient");
  assert.deepEqual(Array.from(b.data() as Float32Array), [1, 1, 1, 1]);
  assert.equal(opt.state.get(a)!.step, 2);
  opt.dispose();
  a.dispose();
  b.dispose();
});
