import assert from "node:assert/strict";
import { BCEWithLogitsLoss, LeNet, manualSeed, setNumThreads, type Tensor, tidy } from "../../mod.ts";
import { Adam, type Optimizer, SGD } from "../../optim/mod.ts";
import { assertTensorExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("models/lenet_training");
const pool = fixtureTensor(fx, "pool");
const labels = fixtureTensor(fx, "labels");
const steps = fixtureTensor(fx, "steps");

function batch(k: number): [Tensor, Tensor] {
  return tidy(() => {
    const idx = steps.select(0, k);
    const x = pool.index([idx]).float().div(255).sub(0.5).div(0.25);
    return [x, labels.index([idx])] as [Tensor, Tensor];
  });
}

function train(makeOpt: (model: LeNet) => Optimizer, n: number): { losses: Tensor[]; model: LeNet } {
  setNumThreads(1);
  manualSeed(0);
  const model = new LeNet();
  model.train();
  const opt = makeOpt(model);
  const lossFn = new BCEWithLogitsLoss();
  const losses: Tensor[] = [];
  for (let k = 0; k < n; k++) {
    losses.push(tidy(() => {
      const [x, y] = batch(k);
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(x).squeeze(1), y);
      loss.backward();
      opt.step();
      return loss.detach();
    }));
  }
  return { losses, model };
}

function checkRun(prefix: string, losses: Tensor[], model: LeNet, expected: Tensor) {
  const e = expected.data() as Float32Array;
  losses.forEach((l, k) => {
    const v = (l.data() as Float32Array)[0];
    assert.ok(Object.is(v, e[k]), `${prefix} loss at step ${k}: ${v} vs PyTorch ${e[k]}`);
  });
  const sd = model.stateDict();
  assert.deepEqual(Object.keys(sd), fx.values.keys);
  for (const [key, t] of Object.entries(sd)) assertTensorExact(t, fixtureTensor(fx, `${prefix}.${key}`), key);
}

Deno.test("200 Adam steps of the LeNet give PyTorch's losses and final parameters bit for bit", () => {
  const { losses, model } = train((m) => new Adam(m.parameters(), { lr: 1e-3 }), 200);
  checkRun("adam", losses, model, fixtureTensor(fx, "adam_losses"));
});

Deno.test("50 SGD-with-momentum steps of the LeNet give PyTorch's losses and parameters bit for bit", () => {
  const { losses, model } = train((m) => new SGD(m.parameters(), { lr: 0.01, momentum: 0.9 }), 50);
  checkRun("sgd", losses, model, fixtureTensor(fx, "sgd_losses"));
});
