import assert from "node:assert/strict";
import { dispose, liveTensors, type Tensor, tidy } from "../../mod.ts";
import { type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";
import { Adam, AdamW, LBFGS, type Optimizer, SGD } from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, fromTorch, Net, train } from "./harness.ts";
import { TORCH2 } from "../../optim/torch_release.ts";

const sgdFx = loadFixture("optim/sgd");
const adamFx = loadFixture("optim/adam");
const lbfgsFx = loadFixture("optim/lbfgs");

type Make = (net: Net) => Optimizer<object>;

/** [fixture run, fixture, the run's optimizer, one with other hyperparameters (the state dict restores them)] */
const cases: [string, Fixture, Make, Make][] = [
  [
    "momentum",
    sgdFx,
    (n) => new SGD(n.parameters(), { lr: 0.05, momentum: 0.9 }),
    (n) => new SGD(n.parameters(), { lr: 1 }),
  ],
  ["adam", adamFx, (n) => new Adam(n.parameters(), { lr: 0.01 }), (n) => new Adam(n.parameters())],
  [
    "adam_amsgrad",
    adamFx,
    (n) => new Adam(n.parameters(), { lr: 0.01, amsgrad: true }),
    (n) => new Adam(n.parameters(), { lr: 0.5, betas: [0.5, 0.5] }),
  ],
  [
    "adamw",
    adamFx,
    (n) => new AdamW(n.parameters(), { lr: 0.01 }),
    (n) => new AdamW(n.parameters(), { weightDecay: 0 }),
  ],
];

for (const [name, fx, make, makeOther] of cases) {
  Deno.test(`${name}: N steps, stateDict, a new optimizer loads it, M more steps == N+M steps, bit for bit`, () => {
    const net = new Net();
    const opt = make(net);
    const head = train(net, opt, { steps: 11 });
    const sd = opt.stateDict();
    opt.dispose(); // the state dict's tensors are references of their own
    const fresh = makeOther(net);
    fresh.loadStateDict(sd);
    dispose([...sd.state.values()]); // the loaded state is a copy
    const tail = train(net, fresh, { from: 11 });
    assertRun(fx, name, [...head, ...tail], net);
    assertLikeTorch(fresh.stateDict(), fx.values[`${name}.state_dict`], fx, `${name}.state_dict`);
  });

  Deno.test(`${name}: PyTorch's state dict after 12 steps loads and training continues exactly as in PyTorch`, () => {
    const net = new Net("float32", fx, `${name}.snapshot_params.`);
    const opt = makeOther(net);
    const sd = fromTorch(fx.values[`${name}.snapshot`], fx);
    opt.loadStateDict(sd);
    assertLikeTorch(opt.stateDict(), fx.values[`${name}.snapshot`], fx, `${name}.snapshot (reloaded)`);
    const losses = train(net, opt, { from: 12 });
    assertRun(fx, name, [...fixtureLosses(fx, name).slice(0, 12), ...losses], net);
  });
}

/** The fixture's losses of a run, as numbers. */
function fixtureLosses(fx: Fixture, name: string): number[] {
  const t = fixtureTensor(fx, `${name}.losses`);
  const d = Array.from(t.data() as Float32Array);
  t.dispose();
  return d;
}

/** LBFGS steps, one batch each; every loss the closure returns is freed after the step. */
function trainLBFGS(net: Net, opt: LBFGS, from: number, to: number): number[] {
  const evals: number[] = [];
  for (let i = from; i < to; i++) {
    const returned: Tensor[] = [];
    opt.step(() =>
      tidy(() => {
        opt.zeroGrad();
        const loss = net.loss(i);
        loss.backward();
        evals.push(loss.item());
        returned.push(loss);
        return loss;
      })
    );
    dispose(returned);
  }
  return evals;
}

for (
  const [name, options] of [["plain", { historySize: 5 }], ["wolfe", {
    lineSearchFn: "strong_wolfe",
    historySize: 5,
  }]] as const
) {
  Deno.test(`LBFGS ${name}: state dict round trip and PyTorch's state dict continue exactly`, () => {
    // ours: 3 steps, save, new optimizer, load, 3 more
    const net = new Net();
    const opt = new LBFGS(net.parameters(), options);
    const head = trainLBFGS(net, opt, 0, 3);
    const sd = opt.stateDict();
    opt.dispose();
    const fresh = new LBFGS(net.parameters(), { lr: 0.1 });
    fresh.loadStateDict(sd);
    dispose([...sd.state.values()]);
    const tail = trainLBFGS(net, fresh, 3, 6);
    assertRun(lbfgsFx, name, [...head, ...tail], net, "evals");
    assertLikeTorch(fresh.stateDict(), lbfgsFx.values[`${name}.state_dict`], lbfgsFx, `${name}.state_dict`);
    // PyTorch's, after 3 steps
    const net2 = new Net("float32", lbfgsFx, `${name}.snapshot_params.`);
    const opt2 = new LBFGS(net2.parameters());
    opt2.loadStateDict(fromTorch(lbfgsFx.values[`${name}.snapshot`], lbfgsFx));
    assertLikeTorch(opt2.stateDict(), lbfgsFx.values[`${name}.snapshot`], lbfgsFx, `${name}.snapshot (reloaded)`);
    const tail2 = trainLBFGS(net2, opt2, 3, 6);
    assert.deepEqual(tail2, tail);
    assertRun(lbfgsFx, name, [...head, ...tail2], net2, "evals");
  });
}

Deno.test("stateDict has PyTorch's structure: step as a float32 0-dim tensor, snake_case groups, indices", () => {
  const net = new Net();
  const opt = new Adam([{ params: [net.w1, net.b1] }, { params: [net.w2], lr: 0.1 }], { weightDecay: 0.5 });
  train(net, opt, { steps: 2 });
  const sd = opt.stateDict();
  assert.deepEqual([...sd.state.keys()], [0, 1, 2]);
  const step = sd.state.get(0)!.step as import("../../mod.ts").Tensor;
  assert.equal(step.dtype, "float32");
  assert.deepEqual(step.shape, []);
  assert.equal(step.item(), 2);
  assert.deepEqual(sd.param_groups.map((g) => g.params), [[0, 1], [2]]);
  assert.deepEqual(sd.param_groups[1], {
    lr: 0.1,
    betas: [0.9, 0.999],
    eps: 1e-8,
    weight_decay: 0.5,
    amsgrad: false,
    maximize: false,
    foreach: null,
    capturable: false,
    differentiable: false,
    fused: TORCH2 ? null : false, // PyTorch 2 keeps None until fused is asked for
    params: [2],
  });
  dispose([...sd.state.values()]);
  opt.dispose();
});

Deno.test("loadStateDict rejects a state dict that does not fit, naming what differs", () => {
  const net = new Net();
  const opt = new Adam(net.parameters());
  train(net, opt, { steps: 1 });
  const sd = opt.stateDict();
  const two = new Adam([{ params: [net.w1] }, { params: [net.b1, net.w2, net.b2] }]);
  assert.throws(() => two.loadStateDict(sd), { name: "RangeError", message: /1 parameter groups, this optimizer 2/ });
  const fewer = new Adam([net.w1, net.b1]);
  assert.throws(() => fewer.loadStateDict(sd), {
    name: "RangeError",
    message: /has 4 parameters, this optimizer's group 2/,
  });
  const bad = { ...sd, param_groups: [{ ...sd.param_groups[0], betas: [1.5, 0.9] }] };
  assert.throws(() => new Adam(net.parameters()).loadStateDict(bad), { name: "RangeError", message: /betas\[0\]/ });
  assert.throws(() => new Adam(net.parameters()).loadStateDict(null as never), TypeError);
  dispose([...sd.state.values()]);
});

Deno.test("optimizer steps free their temporaries; dispose() frees the state", () => {
  const net = new Net();
  const makers = [
    (n: Net) => new Adam(n.parameters(), { amsgrad: true, weightDecay: 0.1, maximize: true }),
    (n: Net) => new AdamW(n.parameters()),
    (n: Net) => new SGD(n.parameters(), { lr: 0.1, momentum: 0.9, weightDecay: 0.1, maximize: true, nesterov: true }),
  ];
  for (const make of makers) {
    const start = liveTensors();
    const opt = make(net);
    const steps = (from: number, to: number) => {
      for (let i = from; i < to; i++) {
        tidy(() => {
          opt.zeroGrad();
          net.loss(i).backward();
        });
        opt.step(); // outside any scope: whatever it does not free stays alive
      }
    };
    steps(0, 2);
    const before = liveTensors();
    steps(2, 6);
    assert.equal(liveTensors(), before, `${opt.typeName}: no tensor leaks per step`);
    opt.zeroGrad();
    opt.dispose();
    assert.equal(liveTensors(), start, `${opt.typeName}: dispose() frees the state`);
  }
  const start = liveTensors();
  const opt = new LBFGS(net.parameters(), { lineSearchFn: "strong_wolfe", historySize: 3 });
  trainLBFGS(net, opt, 0, 3);
  const before = liveTensors();
  trainLBFGS(net, opt, 3, 6);
  assert.equal(liveTensors(), before, "LBFGS: no tensor leaks per step");
  opt.zeroGrad();
  opt.dispose();
  assert.equal(liveTensors(), start, "LBFGS: dispose() frees the state");
});

Deno.test("loadStateDict accepts dicts given as Maps (as a deserializer may give them)", () => {
  const net = new Net("float32", adamFx, "adam_amsgrad.snapshot_params.");
  const opt = new Adam(net.parameters());
  const sd = fromTorch(adamFx.values["adam_amsgrad.snapshot"], adamFx);
  const asMap = (o: Record<string, unknown>) => new Map(Object.entries(o));
  const state = new Map([...(sd.state as Map<number, Record<string, unknown>>)].map(([k, v]) => [k, asMap(v)]));
  opt.loadStateDict(new Map<string, unknown>([["state", state], ["param_groups", sd.param_groups.map(asMap)]]));
  assertLikeTorch(opt.stateDict(), adamFx.values["adam_amsgrad.snapshot"], adamFx, "adam_amsgrad.snapshot (from Maps)");
});
