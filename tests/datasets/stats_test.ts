import assert from "node:assert/strict";
import { readCifar10 } from "../../datasets/cifar10/reader.ts";
import { channelStats } from "../../datasets/stats.ts";
import { tensor } from "../../mod.ts";
import { loadFixture } from "../fixture.ts";
import { sharedCifarDir } from "./helpers.ts";

const fx = loadFixture("datasets/cifar10");

Deno.test("per-channel mean/std of the 10,000 training images match Python", () => {
  using train = readCifar10(sharedCifarDir(), { split: "train" });
  const pop = channelStats(train.images);
  const bessel = channelStats(train.images, { correction: 1, chunk: 3000 });
  // Exact: the same integer sums and float64 steps as the fixture's Python (population and Bessel).
  assert.deepEqual(pop.mean, fx.values.mean_exact);
  assert.deepEqual(pop.std, fx.values.std_exact_population);
  assert.deepEqual(bessel.mean, fx.values.mean_exact, "chunking does not change integer sums");
  assert.deepEqual(bessel.std, fx.values.std_exact_bessel);
  // Close to torch's float64 two-pass reduction over x / 255, which has its own rounding (~1e-16 relative
  // per step, summation order depending on threads), hence 1e-12.
  for (let c = 0; c < 3; c++) {
    assert.ok(Math.abs(pop.mean[c] - fx.values.mean_f64[c]) < 1e-12, `mean ${c}`);
    assert.ok(Math.abs(pop.std[c] - fx.values.std_f64_population[c]) < 1e-12, `population std ${c}`);
    assert.ok(Math.abs(bessel.std[c] - fx.values.std_f64_bessel[c]) < 1e-12, `Bessel std ${c}`);
  }
});

Deno.test("channelStats on a tiny batch, and its errors", () => {
  const x = tensor([0, 255, 0, 255, 10, 10, 10, 10], { dtype: "uint8" }).view([1, 2, 2, 2]);
  const { mean, std } = channelStats(x);
  assert.deepEqual(mean, [0.5, 10 / 255]);
  assert.deepEqual(std, [0.5, 0]);
  assert.throws(() => channelStats(x.float()), /must be uint8/);
  assert.throws(() => channelStats(x.view([2, 2, 2])), /must be \[N, C, H, W\]/);
});
