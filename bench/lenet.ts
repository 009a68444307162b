/**
 * LeNet-5 benchmark, denotorch side: one training epoch over the bird/cat training split (batch 64, Adam
 * lr 1e-3, BCE-with-logits; the data preloaded and normalised once, a new permutation each epoch),
 * inference over the test split (batch 256, evaluation mode), the process's peak memory and its resident
 * memory after loading (once `releaseMemory` has returned what decoding freed).
 * Prints `{"train_epoch_s": [...], "infer_s": [...], "peak_rss_mib": [x], "rss_after_load_mib": [x]}`.
 *
 * @module
 */

import { BCEWithLogitsLoss, LeNet, manualSeed, noGrad, randperm, type Tensor, tidy } from "../mod.ts";
import { releaseMemory } from "../tensor/runtime.ts";
import { Adam } from "../optim/mod.ts";
import { benchArgs, peakRssMiB, readSplit, rssMiB } from "./common.ts";

const a = benchArgs({ limit: "0", mode: "both" });
const limit = Number(a.opt.limit);
// in place on the float copy: a tidy scope frees its temporaries only at its end, so out-of-place steps
// on the whole split would hold four 120 MB copies at once (Python frees each as soon as it is unused)
const prep = (x: Tensor) => x.float().div_(255).sub_(0.5).div_(0.25);
const train = readSplit(a.data, "train", limit), test = readSplit(a.data, "test", limit);
const x = prep(train.images), y = train.labels.float(), xt = prep(test.images);
releaseMemory(); // as the study does after loading its data
const rssAfterLoad = rssMiB();
manualSeed(0);
const model = new LeNet();
const opt = new Adam(model.parameters(), { lr: 1e-3 });
const lossFn = new BCEWithLogitsLoss();
const n = x.shape[0];

let lastLoss = NaN;
function epoch(): number {
  const t0 = performance.now();
  model.train();
  using perm = randperm(n);
  for (let s = 0; s < n; s += 64) {
    tidy(() => {
      const idx = perm.narrow(0, s, Math.min(64, n - s));
      opt.zeroGrad();
      const loss = lossFn.forward(model.forward(x.indexSelect(0, idx)).squeeze(1), y.indexSelect(0, idx));
      loss.backward();
      opt.step();
      if (s + 64 >= n) lastLoss = loss.item();
    });
  }
  return (performance.now() - t0) / 1000;
}

function infer(): number {
  const t0 = performance.now();
  model.eval();
  noGrad(() => {
    for (let s = 0; s < xt.shape[0]; s += 256) {
      tidy(() => void model.forward(xt.narrow(0, s, Math.min(256, xt.shape[0] - s))));
    }
  });
  return (performance.now() - t0) / 1000;
}

const result: Record<string, number[]> = {};
if (a.opt.mode !== "infer") {
  epoch(); // warm-up
  result.train_epoch_s = Array.from({ length: a.repeats }, epoch);
  result.final_loss = [lastLoss];
}
if (a.opt.mode !== "train") {
  infer();
  result.infer_s = Array.from({ length: a.repeats }, infer);
}
result.peak_rss_mib = [peakRssMiB()];
result.rss_after_load_mib = [rssAfterLoad];
console.log(JSON.stringify(result));
