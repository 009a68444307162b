// CUDA checks: they run where LibTorch has CUDA and a GPU is present (bench/gpu.sh runs them on a GPU
// machine), and are ignored elsewhere. Results on the GPU must agree with the CPU's (to float tolerance:
// CUDA kernels are not bit-identical to CPU ones).

import assert from "node:assert/strict";
import {
  Adam,
  BCEWithLogitsLoss,
  cuda,
  getRngState,
  LeNet,
  manualSeed,
  randn,
  setRngState,
  tensor,
  tidy,
} from "../../mod.ts";
import { expectedCalibrationError } from "../../calibration/mod.ts";
import { jit } from "../../mod.ts";
import { assertTensorClose, fixturePath } from "../fixture.ts";

const ignore = !cuda.isAvailable();

Deno.test({ name: "CUDA tensors: creation, arithmetic and reductions agree with the CPU", ignore }, () => {
  tidy(() => {
    manualSeed(0);
    const a = randn([64, 32]), b = randn([32, 16]);
    const ga = a.cuda(), gb = b.to("cuda:0");
    assert.equal(ga.device, "cuda:0");
    assertTensorClose(ga.matmul(gb).cpu(), a.matmul(b), { rtol: 1e-4, atol: 1e-5 });
    assertTensorClose(ga.exp().sum(1).cpu(), a.exp().sum(1), { rtol: 1e-5 });
    assert.deepEqual(tensor([1, 2], { device: "cuda" }).add(1).toArray(), [2, 3]);
    assert.ok(cuda.deviceCount() >= 1);
    cuda.synchronize();
  });
});

Deno.test({ name: "CUDA autograd and a LeNet training step agree with the CPU", ignore }, () => {
  tidy(() => {
    manualSeed(0);
    const cpuModel = new LeNet({ dropout: 0 });
    manualSeed(0);
    const gpuModel = new LeNet({ dropout: 0 }).to("cuda");
    const x = randn([8, 3, 32, 32]), y = tensor([0, 1, 0, 1, 1, 0, 1, 0], { dtype: "float32" });
    const loss = new BCEWithLogitsLoss();
    for (const [m, dev] of [[cpuModel, "cpu"], [gpuModel, "cuda"]] as const) {
      const opt = new Adam(m.parameters(), { lr: 1e-3 });
      opt.zeroGrad();
      loss.forward(m.forward(x.to(dev)).squeeze(1), y.to(dev)).backward();
      opt.step();
    }
    const a = cpuModel.stateDict(), b = gpuModel.stateDict();
    for (const k of Object.keys(a)) assertTensorClose(b[k].cpu(), a[k], { rtol: 1e-4, atol: 1e-5 }, k);
  });
});

Deno.test({ name: "CUDA random state, TorchScript and calibration on the GPU", ignore }, () => {
  tidy(() => {
    manualSeed(3);
    const state = getRngState("cuda");
    const first = randn([4], { device: "cuda" }).cpu().toArray();
    setRngState(state, "cuda");
    assert.deepEqual(randn([4], { device: "cuda" }).cpu().toArray(), first);
    using m = jit.load(fixturePath("densenet/tiny_densenet.pt"), { device: "cuda" });
    m.eval();
    const x = randn([2, 3, 32, 32]);
    using cpuModel = jit.load(fixturePath("densenet/tiny_densenet.pt"));
    cpuModel.eval();
    assertTensorClose(m.forward(x.cuda()).cpu(), cpuModel.forward(x), { rtol: 1e-4, atol: 1e-5 });
    const logits = randn([500]), labels = logits.add(randn([500])).gt(0).long();
    const e1 = expectedCalibrationError(logits, labels, { input: "logits" });
    const e2 = expectedCalibrationError(logits.cuda(), labels.cuda(), { input: "logits" });
    assert.ok(Math.abs(e1 - e2) < 1e-6, `${e1} vs ${e2}`);
  });
});
