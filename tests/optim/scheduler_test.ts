import assert from "node:assert/strict";
import { zeros } from "../../mod.ts";
import { loadFixture } from "../fixture.ts";
import {
  Adam,
  CosineAnnealingLR,
  type LRScheduler,
  ReduceLROnPlateau,
  type ReduceLROnPlateauOptions,
  SGD,
  StepLR,
} from "../../optim/mod.ts";
import { assertLikeTorch, assertRun, fromTorch, Net, train } from "./harness.ts";

const fx = loadFixture("optim/schedulers");

/** The generator's two-group SGD: lr 0.1 and 0.03. */
function opt2(): SGD {
  const a = zeros([2], { requiresGrad: true }), b = zeros([3], { requiresGrad: true });
  return new SGD([{ params: [a] }, { params: [b], lr: 0.03 }], { lr: 0.1 });
}

function sequence(sched: LRScheduler | ReduceLROnPlateau, n: number, metrics?: number[]): number[][] {
  const out = [sched.getLastLr()];
  for (let i = 0; i < n; i++) {
    if (metrics === undefined) (sched as LRScheduler).step();
    else (sched as ReduceLROnPlateau).step(metrics[i]);
    out.push(sched.getLastLr());
  }
  return out;
}

Deno.test("StepLR gives PyTorch's lr sequence exactly, and its state dict", () => {
  const s = new StepLR(opt2(), { stepSize: 3, gamma: 0.5 });
  assert.deepEqual(sequence(s, 20), fx.values.step_lr);
  assertLikeTorch(s.stateDict(), fx.values["step_lr.state_dict"], fx, "step_lr");
  assert.deepEqual(sequence(new StepLR(opt2(), { stepSize: 1, gamma: 0.9 }), 40), fx.values.step_lr_every);
});

Deno.test("CosineAnnealingLR gives PyTorch's lr sequence exactly, past tMax and when resumed", () => {
  const s = new CosineAnnealingLR(opt2(), { tMax: 10, etaMin: 0.001 });
  assert.deepEqual(sequence(s, 45), fx.values.cosine);
  assertLikeTorch(s.stateDict(), fx.values["cosine.state_dict"], fx, "cosine");
  assert.deepEqual(sequence(new CosineAnnealingLR(opt2(), { tMax: 7 }), 30), fx.values.cosine_t7);
  const o = opt2();
  for (const g of o.paramGroups) g.initialLr = g.lr;
  const resumed = new CosineAnnealingLR(o, { tMax: 10, etaMin: 0.001, lastEpoch: 4 });
  assert.deepEqual(sequence(resumed, 10), fx.values.cosine_resumed);
});

const plateaus: [string, ReduceLROnPlateauOptions][] = [
  ["plateau_min_rel", { patience: 2, factor: 0.5, cooldown: 1, minLr: 0.01 }],
  ["plateau_min_abs", { mode: "min", threshold: 0.1, thresholdMode: "abs", patience: 1, minLr: [0.02, 0.001] }],
  ["plateau_max_rel", { mode: "max", patience: 0, factor: 0.3, eps: 1e-3 }],
  ["plateau_max_abs", { mode: "max", threshold: 0.05, thresholdMode: "abs", patience: 1, cooldown: 2 }],
];

for (const [name, options] of plateaus) {
  Deno.test(`ReduceLROnPlateau ${name} gives PyTorch's lr sequence exactly`, () => {
    const s = new ReduceLROnPlateau(opt2(), options);
    const metrics: number[] = fx.values.plateau_metrics;
    assert.deepEqual(sequence(s, metrics.length, metrics), fx.values[name]);
    const sd = fx.values[`${name}.state_dict`];
    if (sd !== undefined) assertLikeTorch(s.stateDict(), sd, fx, name);
  });
}

Deno.test("schedulers resume from their state dicts (ours and PyTorch's) and continue identically", () => {
  const metrics: number[] = fx.values.plateau_metrics;
  // StepLR: 7 steps, save, a new scheduler loads, 13 more == 20 uninterrupted
  const a = new StepLR(opt2(), { stepSize: 3, gamma: 0.5 });
  const first = sequence(a, 7);
  const o = opt2();
  const b = new StepLR(o, { stepSize: 1 });
  b.loadStateDict(a.stateDict());
  o.paramGroups.forEach((g, i) => (g.lr = a.getLastLr()[i]));
  assert.deepEqual([...first, ...sequence(b, 13).slice(1)], fx.values.step_lr);
  // CosineAnnealingLR from PyTorch's final state (epoch 45) continues like a fresh one would
  const c = new CosineAnnealingLR(opt2(), { tMax: 3 });
  c.loadStateDict(fromTorch(fx.values["cosine.state_dict"], fx));
  assert.equal(c.tMax, 10);
  assert.equal(c.lastEpoch, 45);
  assert.deepEqual(c.baseLrs, [0.1, 0.03]);
  // ReduceLROnPlateau: split at 11 (mid-cooldown)
  const p = new ReduceLROnPlateau(opt2(), plateaus[0][1]);
  const head = sequence(p, 11, metrics);
  const o2 = opt2();
  const q = new ReduceLROnPlateau(o2, { mode: "max" });
  q.loadStateDict(p.stateDict());
  o2.paramGroups.forEach((g, i) => (g.lr = p.getLastLr()[i]));
  assert.deepEqual(
    [...head, ...sequence(q, metrics.length - 11, metrics.slice(11)).slice(1)],
    fx.values.plateau_min_rel,
  );
  // and PyTorch's final state loads with infinities and all
  const r = new ReduceLROnPlateau(opt2());
  r.loadStateDict(fromTorch(fx.values["plateau_max_abs.state_dict"], fx));
  assertLikeTorch(r.stateDict(), fx.values["plateau_max_abs.state_dict"], fx, "plateau_max_abs reloaded");
});

Deno.test("schedulers driving training: Adam + StepLR and SGD + CosineAnnealingLR match PyTorch exactly", () => {
  {
    const net = new Net();
    const opt = new Adam(net.parameters(), { lr: 0.02 });
    const sched = new StepLR(opt, { stepSize: 4, gamma: 0.7 });
    const lrs: number[][] = [];
    const losses = train(net, opt, {
      afterStep: () => {
        sched.step();
        lrs.push(sched.getLastLr());
      },
    });
    assertRun(fx, "adam_steplr", losses, net);
    assert.deepEqual(lrs, fx.values["adam_steplr.lrs"]);
    assertLikeTorch(opt.stateDict(), fx.values["adam_steplr.state_dict"], fx, "adam_steplr.state_dict");
  }
  {
    const net = new Net();
    const opt = new SGD(net.parameters(), { lr: 0.2, momentum: 0.9 });
    const sched = new CosineAnnealingLR(opt, { tMax: 8, etaMin: 0.01 });
    const lrs: number[][] = [];
    const losses = train(net, opt, {
      afterStep: () => {
        sched.step();
        lrs.push(sched.getLastLr());
      },
    });
    assertRun(fx, "sgd_cosine", losses, net);
    assert.deepEqual(lrs, fx.values["sgd_cosine.lrs"]);
    assertLikeTorch(opt.stateDict(), fx.values["sgd_cosine.state_dict"], fx, "sgd_cosine.state_dict");
  }
});
