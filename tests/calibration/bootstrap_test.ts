// The seeded bootstrap interval of the ECE against the fixture (torch.manual_seed + torch.randint in the
// generator), its determinism, and that it leaves the global random stream alone.

import { dispose, liveTensors, manualSeed, randn, tidy } from "../../mod.ts";
import { eceBootstrap, expectedCalibrationError } from "../../calibration/mod.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assert, assertClose, assertThrowsMatch } from "./assert.ts";

Deno.test("eceBootstrap: the percentile interval equals the generator's, seeded and side-effect free", () => {
  const f = loadFixture("calibration/binary");
  const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
  const ref = f.values.bootstrap;
  const before = liveTensors();
  manualSeed(99);
  const ci = eceBootstrap(logits, labels, { input: "logits", seed: ref.seed, resamples: ref.resamples });
  const after = tidy(() => randn([4]).toArray());
  manualSeed(99);
  assert.deepEqual(tidy(() => randn([4]).toArray()), after, "the caller's random stream is restored");
  assert.equal(liveTensors(), before, "no tensor leaks");
  assertClose(ci.lower, ref.lower, 1e-6, "lower");
  assertClose(ci.upper, ref.upper, 1e-6, "upper");
  assertClose(ci.ece, expectedCalibrationError(logits, labels, { input: "logits" }), 1e-12, "ece");
  assert.ok(ci.lower <= ci.ece && ci.ece <= ci.upper);
  assert.ok(ci.std > 0);
  assert.equal(ci.level, 0.95);
  const again = eceBootstrap(logits, labels, { input: "logits", seed: ref.seed, resamples: ref.resamples });
  assert.deepEqual(again, ci, "same seed, same interval");
  const other = eceBootstrap(logits, labels, { input: "logits", seed: ref.seed + 1, resamples: ref.resamples });
  assert.notEqual(other.lower, ci.lower);
  assertThrowsMatch(() => eceBootstrap(logits, labels, { resamples: 0 }), RangeError, /resamples/);
  assertThrowsMatch(() => eceBootstrap(logits, labels, { level: 1 }), RangeError, /level must be in \(0, 1\), got 1/);
  assertThrowsMatch(() => eceBootstrap(logits, labels, { seed: -1 }), RangeError, /seed/);
  dispose([logits, labels]);
});
