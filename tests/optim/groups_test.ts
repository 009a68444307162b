import assert from "node:assert/strict";
import { noGrad } from "../../mod.ts";
import { loadFixture } from "../fixture.ts";
import { Adam, SGD } from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, Net, train } from "./harness.ts";

const sgdFx = loadFixture("optim/sgd");
const adamFx = loadFixture("optim/adam");

Deno.test("parameter groups with their own lr and momentum match PyTorch exactly (SGD)", () => {
  const net = new Net();
  const opt = new SGD([{ params: [net.w1, net.b1] }, { params: [net.w2, net.b2], lr: 0.01, momentum: 0.5 }], {
    lr: 0.1,
    momentum: 0.9,
  });
  assert.equal(opt.paramGroups[0].lr, 0.1);
  assert.equal(opt.paramGroups[1].momentum, 0.5);
  assertRun(sgdFx, "groups", train(net, opt), net);
  assertLikeTorch(opt.stateDict(), sgdFx.values["groups.state_dict"], sgdFx, "groups.state_dict");
});

Deno.test("parameter groups with their own lr, betas and amsgrad match PyTorch exactly (Adam)", () => {
  const net = new Net();
  const opt = new Adam([
    { params: [net.w1, net.b1], lr: 0.03 },
    { params: [net.w2, net.b2], betas: [0.5, 0.9], amsgrad: true },
  ], { lr: 0.01 });
  assertRun(adamFx, "adam_groups", train(net, opt), net);
  assertLikeTorch(opt.stateDict(), adamFx.values["adam_groups.state_dict"], adamFx, "adam_groups.state_dict");
});

Deno.test("addParamGroup: a group added later gets the defaults and its overrides", () => {
  const net = new Net();
  const opt = new Adam([net.w1, net.b1], { lr: 0.03 });
  opt.addParamGroup({ params: [net.w2, net.b2], lr: 0.01, betas: [0.5, 0.9], amsgrad: true });
  assert.equal(opt.paramGroups[1].eps, 1e-8);
  assertRun(adamFx, "adam_groups", train(net, opt), net);
  assertLikeTorch(opt.stateDict(), adamFx.values["adam_groups.state_dict"], adamFx, "adam_groups.state_dict");
});

Deno.test("step(closure) evaluates the closure with grad enabled and returns its loss (SGD, Adam)", () => {
  for (
    const [fx, name, make] of [
      [sgdFx, "closure", (n: Net) => new SGD(n.parameters(), { lr: 0.1, momentum: 0.9 })],
      [adamFx, "adam_closure", (n: Net) => new Adam(n.parameters(), { lr: 0.01 })],
    ] as const
  ) {
    const net = new Net();
    const opt = make(net);
    assertRun(fx, name, train(net, opt, { closure: true }), net);
  }
});

Deno.test("parameters without a gradient are skipped and get no state", () => {
  const net = new Net();
  net.w1.requiresGrad = false;
  const before = net.w1.clone();
  const opt = new Adam(net.parameters());
  train(net, opt, { steps: 3 });
  assert.ok(net.w1.equal(before));
  assert.equal(opt.state.has(net.w1), false);
  assert.deepEqual([...opt.stateDict().state.keys()], [1, 2, 3]);
});

Deno.test("zeroGrad sets gradients to null by default, or zeroes them in place", () => {
  const net = new Net();
  const opt = new SGD(net.parameters(), { lr: 0.1 });
  net.loss(0).backward();
  opt.zeroGrad({ setToNone: false });
  const g = net.w1.grad!;
  assert.equal(g.abs().sum().item(), 0);
  assert.deepEqual(g.shape, [8, 16]);
  opt.zeroGrad();
  assert.equal(net.w1.grad, null);
});

Deno.test("toString lists each group's hyperparameters like PyTorch's repr", () => {
  const net = new Net();
  const opt = new SGD([{ params: [net.w1] }, { params: [net.b1], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
  assert.equal(
    opt.toString(),
    "SGD (\nParameter Group 0\n    dampening: 0\n    lr: 0.1\n    maximize: false\n    momentum: 0.9\n" +
      "    nesterov: false\n    weightDecay: 0\n\nParameter Group 1\n    dampening: 0\n    lr: 0.5\n" +
      "    maximize: false\n    momentum: 0.9\n    nesterov: false\n    weightDecay: 0\n)",
  );
});

Deno.test("the closure runs with gradients enabled even when step() is called under noGrad", () => {
  const net = new Net();
  const opt = new SGD(net.parameters(), { lr: 0.1 });
  const loss = noGrad(() =>
    opt.step(() => {
      opt.zeroGrad();
      const l = net.loss(0);
      l.backward();
      return l;
    })
  );
  assert.ok(loss !== null && loss.requiresGrad);
});

Deno.test("groups never share their betas with each other or with the defaults", () => {
  const net = new Net();
  const opt = new Adam([{ params: [net.w1] }, { params: [net.b1] }]);
  opt.paramGroups[0].betas[0] = 0.5;
  assert.deepEqual(opt.paramGroups[1].betas, [0.9, 0.999]);
  assert.deepEqual(opt.defaults.betas, [0.9, 0.999]);
});
