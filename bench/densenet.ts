/**
 * DenseNet-121 forward throughput, denotorch side: images per second of a TorchScript export (random
 * weights are fine) at the given sizes, batch 16, evaluation mode, no gradients, on `--device` (cpu or
 * cuda; CUDA work is synchronised before each timing ends).
 * Prints `{"densenet_64": [img/s per repeat], "densenet_224": [...]}`.
 *
 * @module
 */

import { cuda, jit, noGrad, randn, tidy } from "../mod.ts";
import { benchArgs } from "./common.ts";

const a = benchArgs({ weights: "", sizes: "64,224", batch: "16", device: "cpu" });
const batch = Number(a.opt.batch);
const device = a.opt.device as "cpu" | "cuda";
const model = jit.load(a.opt.weights, { device });
model.eval();
const result: Record<string, number[]> = {};
for (const size of a.opt.sizes.split(",").map(Number)) {
  using x = randn([batch, 3, size, size], { device });
  // each repeat runs batches for at least a second, so a noisy machine averages out within it
  const once = () => {
    const t0 = performance.now();
    let images = 0;
    do {
      noGrad(() => tidy(() => void model.forward(x)));
      if (device !== "cpu") cuda.synchronize();
      images += batch;
    } while (performance.now() - t0 < 1000);
    return images / ((performance.now() - t0) / 1000);
  };
  once(); // warm-up: the TorchScript profiling runs
  once();
  result[`densenet_${size}`] = Array.from({ length: a.repeats }, once);
}
console.log(JSON.stringify(result));
