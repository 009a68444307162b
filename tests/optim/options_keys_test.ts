// Every optimizer, scheduler, sampler and loader constructor (and clipGradNorm_) rejects an unknown option key
// with a TypeError naming the key and the nearest known one; the samplers and clipGradNorm_ also take
// PyTorch's positional forms.
import assert from "node:assert/strict";
import { DistributedSampler, manualSeed, ones, tensor, tidy, zeros } from "../../mod.ts";
import { DataLoader, RandomSampler, TensorDataset } from "../../datasets/data/mod.ts";
import * as optim from "../../optim/mod.ts";
import { SeededGenerator } from "../../datasets/seeded.ts";
import * as dist from "../../distributed/mod.ts";

type Make = (p: ReturnType<typeof zeros>, options: Record<string, unknown>) => unknown;

const sgd = (p: ReturnType<typeof zeros>) => new optim.SGD([p], { lr: 0.1 });

// [owner in the message, constructor with the options object last, misspelt key, the key it suggests]
const CASES: [string, Make, string, string][] = [
  ["SGD", (p, o) => new optim.SGD([p], { lr: 0.1, ...o }), "weight_decay", "weightDecay"],
  ["Adam", (p, o) => new optim.Adam([p], o), "amsgard", "amsgrad"],
  ["AdamW", (p, o) => new optim.AdamW([p], o), "betas2", "betas"],
  ["RMSprop", (p, o) => new optim.RMSprop([p], o), "centred", "centered"],
  ["Adagrad", (p, o) => new optim.Adagrad([p], o), "lr_decay", "lrDecay"],
  ["Adadelta", (p, o) => new optim.Adadelta([p], o), "rhoo", "rho"],
  ["Adamax", (p, o) => new optim.Adamax([p], o), "weight_decay", "weightDecay"],
  ["NAdam", (p, o) => new optim.NAdam([p], o), "momentum_decay", "momentumDecay"],
  ["RAdam", (p, o) => new optim.RAdam([p], o), "epss", "eps"],
  ["LBFGS", (p, o) => new optim.LBFGS([p], o), "max_iter", "maxIter"],
  ["StepLR", (p, o) => new optim.StepLR(sgd(p), { stepSize: 1, ...o }), "gama", "gamma"],
  ["MultiStepLR", (p, o) => new optim.MultiStepLR(sgd(p), { milestones: [1], ...o }), "milestone", "milestones"],
  ["ExponentialLR", (p, o) => new optim.ExponentialLR(sgd(p), { gamma: 0.5, ...o }), "last_epoch", "lastEpoch"],
  ["CosineAnnealingLR", (p, o) => new optim.CosineAnnealingLR(sgd(p), { tMax: 2, ...o }), "eta_min", "etaMin"],
  [
    "CosineAnnealingWarmRestarts",
    (p, o) => new optim.CosineAnnealingWarmRestarts(sgd(p), { t0: 2, ...o }),
    "t_mult",
    "tMult",
  ],
  ["CyclicLR", (p, o) => new optim.CyclicLR(sgd(p), { baseLr: 0.01, maxLr: 0.1, ...o }), "step_size_up", "stepSizeUp"],
  ["OneCycleLR", (p, o) => new optim.OneCycleLR(sgd(p), { maxLr: 0.1, totalSteps: 10, ...o }), "pct_start", "pctStart"],
  ["LambdaLR", (p, o) => new optim.LambdaLR(sgd(p), { lrLambda: () => 1, ...o }), "lr_lambda", "lrLambda"],
  [
    "MultiplicativeLR",
    (p, o) => new optim.MultiplicativeLR(sgd(p), { lrLambda: () => 1, ...o }),
    "lastEpoc",
    "lastEpoch",
  ],
  ["LinearLR", (p, o) => new optim.LinearLR(sgd(p), o), "start_factor", "startFactor"],
  ["ConstantLR", (p, o) => new optim.ConstantLR(sgd(p), o), "total_iters", "totalIters"],
  [
    "SequentialLR",
    (p, o) => {
      const opt = sgd(p);
      return new optim.SequentialLR(opt, {
        schedulers: [new optim.ConstantLR(opt), new optim.ExponentialLR(opt, { gamma: 0.5 })],
        milestones: [1],
        ...o,
      });
    },
    "milestone",
    "milestones",
  ],
  ["ReduceLROnPlateau", (p, o) => new optim.ReduceLROnPlateau(sgd(p), o), "min_lr", "minLr"],
  ["clipGradNorm_", (p, o) => optim.clipGradNorm_([p], 1, o), "norm_type", "normType"],
  ["DataLoader", (p, o) => new DataLoader(new TensorDataset(p), o), "batch_size", "batchSize"],
  ["RandomSampler", (p, o) => new RandomSampler(new TensorDataset(p), o), "num_samples", "numSamples"],
  [
    "DistributedSampler",
    (_p, o) => new DistributedSampler(8, { numReplicas: 2, rank: 0, ...o }),
    "drop_last",
    "dropLast",
  ],
];

Deno.test("every optimizer, scheduler, sampler and loader names an unknown option key and the nearest known one", () => {
  tidy(() => {
    const p = zeros([4], { requiresGrad: true });
    for (const [owner, make, key, near] of CASES) {
      assert.throws(() => make(p, { [key]: 1 }), (e: Error) => {
        assert.ok(e instanceof TypeError, `${owner}: ${e.name}: ${e.message}`);
        assert.ok(
          e.message.includes(`${owner}: unknown option '${key}' (did you mean '${near}'?)`),
          `${owner}: the message was: ${e.message}`,
        );
        return true;
      });
      assert.doesNotThrow(() => make(p, {}), `${owner} with known options only`);
    }
  });
});

Deno.test("the samplers and clipGradNorm_ take PyTorch's positional forms", () => {
  const ds = { length: 10 };
  const positional = [...new RandomSampler(ds, true, 5, new SeededGenerator(3))];
  const named = [...new RandomSampler(ds, { replacement: true, numSamples: 5, generator: new SeededGenerator(3) })];
  assert.equal(positional.length, 5);
  assert.deepEqual(positional, named);
  const s = new DistributedSampler(10, 2, 1, false, 0, true);
  assert.equal(s.numReplicas, 2);
  assert.equal(s.rank, 1);
  assert.equal(s.dropLast, true);
  assert.deepEqual([...s], [
    ...new DistributedSampler(10, { numReplicas: 2, rank: 1, shuffle: false, dropLast: true }),
  ]);
  assert.deepEqual([...s], [1, 3, 5, 7, 9]);
  assert.throws(
    () => new DistributedSampler(10, 2, { numReplicas: 2 } as never),
    /DistributedSampler: got two values for 'numReplicas'/,
  );
  tidy(() => {
    manualSeed(0);
    const a = tensor([3, 4], { dtype: "float32", requiresGrad: true });
    a.grad = ones([2]).mul(3);
    const b = tensor([3, 4], { dtype: "float32", requiresGrad: true });
    b.grad = ones([2]).mul(3);
    const na = optim.clipGradNorm_([a], 1, Infinity);
    const nb = optim.clipGradNorm_([b], 1, { normType: Infinity });
    assert.equal(na.item(), 3);
    assert.ok(na.equal(nb));
    assert.ok(a.grad.equal(b.grad));
  });
});

Deno.test("the collectives' options are checked first, before the process group", () => {
  const t = null as never;
  const cases: [string, () => unknown, string, string][] = [
    ["allReduce", () => dist.allReduce(t, { opp: "sum" } as never), "opp", "op"],
    ["reduceScatter", () => dist.reduceScatter(t, [], { opp: "sum" } as never), "opp", "op"],
    ["send", () => dist.send(t, 1, { tga: 1 } as never), "tga", "tag"],
    ["recv", () => dist.recv(t, 1, { tga: 1 } as never), "tga", "tag"],
  ];
  for (const [owner, call, key, near] of cases) {
    assert.throws(call, (e: Error) => {
      assert.ok(e instanceof TypeError, `${owner}: ${e.name}: ${e.message}`);
      assert.ok(e.message.includes(`${owner}: unknown option '${key}' (did you mean '${near}'?)`), e.message);
      return true;
    });
  }
});
