// Temperature scaling: the Newton fit on log T against PyTorch's LBFGS fit (fixtures), the safeguards,
// accuracy unchanged, and the sweep.

import { dispose, liveTensors, manualSeed, randint, randn, type Tensor, tensor, tidy } from "../../mod.ts";
import {
  accuracy,
  applyTemperature,
  calibrationReport,
  fitTemperature,
  negativeLogLikelihood,
  TemperatureScaling,
  temperatureSweep,
} from "../../calibration/mod.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assert, assertClose, assertThrowsMatch } from "./assert.ts";

for (const name of ["binary", "multiclass"]) {
  Deno.test(`${name}: the fitted temperature equals PyTorch's LBFGS fit to 1e-4`, () => {
    const f = loadFixture(`calibration/${name}`);
    const labels = fixtureTensor(f, "labels");
    for (const input of ["logits", "probabilities"] as const) {
      const preds = fixtureTensor(f, input === "logits" ? "logits" : "probs");
      const ref = f.values.temperature[input];
      const before = liveTensors();
      const fit = fitTemperature(preds, labels, { input });
      assert.equal(liveTensors(), before, "no tensor leaks");
      assert.ok(fit.converged, JSON.stringify(fit));
      assertClose(fit.temperature, ref.temperature, 1e-4, `${name} ${input}: T`);
      assertClose(fit.nll, ref.nll, 1e-9, `${name} ${input}: NLL at T`);
      assertClose(fit.nllAtOne, ref.nllAtOne, 1e-9, `${name} ${input}: NLL at 1`);
      assert.ok(Math.abs(fit.gradient) <= 1e-9, `gradient ${fit.gradient}`);
      assert.ok(fit.iterations < 30, `iterations ${fit.iterations}`);
      // temperature scaling lowers the NLL and leaves the accuracy unchanged
      const scaled = applyTemperature(preds, fit.temperature, { input });
      assert.ok(fit.nll < fit.nllAtOne);
      assertClose(negativeLogLikelihood(scaled, labels), fit.nll, 1e-9, "NLL of the scaled probabilities");
      assert.equal(accuracy(scaled, labels), accuracy(preds, labels, { input }), "accuracy unchanged");
      dispose([preds, scaled]);
    }
    labels.dispose();
  });
}

Deno.test("temperature scaling keeps every prediction (sigmoid and softmax, T above and below 1)", () => {
  tidy(() => {
    manualSeed(3);
    const z = randn([400, 7]).mul(3);
    const zb = randn([400]).mul(3);
    for (const T of [0.05, 0.5, 2, 40]) {
      const p = applyTemperature(z, T, { input: "logits" });
      assert.ok(p.argmax(1).equal(z.argmax(1)), `softmax argmax at T = ${T}`);
      const q = applyTemperature(zb, T, { input: "logits" });
      assert.ok(q.gt(0.5).equal(zb.gt(0)), `sigmoid decision at T = ${T}`);
      assert.deepEqual(q.shape, [400]);
    }
  });
});

Deno.test("the fit guards against T -> 0, T -> infinity and non-convergence", () => {
  tidy(() => {
    // perfectly separated: the NLL decreases as T -> 0
    const z = tensor([-2, -1, 1, 2], { dtype: "float64" }), y = tensor([0, 0, 1, 1]);
    assertThrowsMatch(() => fitTemperature(z, y, { input: "logits" }), RangeError, /T -> 0.*separated/);
    // inverted signal: the NLL decreases as T -> infinity
    const yi = tensor([1, 1, 0, 0]);
    assertThrowsMatch(() => fitTemperature(z, yi, { input: "logits" }), RangeError, /T -> infinity/);
    // "warn" returns the bound, flagged, never NaN
    const warn = console.warn;
    const warnings: string[] = [];
    console.warn = (m: string) => warnings.push(m);
    try {
      const fit = fitTemperature(z, y, { input: "logits", onFailure: "warn", bounds: [0.01, 100] });
      assert.equal(fit.converged, false);
      assert.equal(fit.reason, "bound");
      assertClose(fit.temperature, 0.01, 1e-12);
      assert.ok(Number.isFinite(fit.nll));
      const few = fitTemperature(
        randn([300, 4]).mul(5),
        randint(0, 4, [300]),
        { input: "logits", onFailure: "warn", maxIterations: 2, tolerance: 1e-15 },
      );
      assert.equal(few.converged, false);
      assert.ok(few.temperature > 0 && Number.isFinite(few.temperature));
    } finally {
      console.warn = warn;
    }
    assert.equal(warnings.length, 2);
    assertThrowsMatch(
      () =>
        fitTemperature(randn([300, 4]).mul(5), randint(0, 4, [300]), {
          input: "logits",
          maxIterations: 1,
          tolerance: 1e-15,
        }),
      RangeError,
      /maxIterations/,
    );
    // uninformative constant logits: every T gives the same NLL; T = 1 is returned
    const flat = fitTemperature(tensor([[0, 0], [0, 0]], { dtype: "float32" }), tensor([0, 1]), { input: "logits" });
    assert.equal(flat.temperature, 1);
    assert.equal(flat.converged, true);
    // T <= 0 and bad options are refused
    assertThrowsMatch(() => applyTemperature(z, 0), RangeError, /temperature must be a finite number > 0, got 0/);
    assertThrowsMatch(() => applyTemperature(z, -1), RangeError, /got -1/);
    assertThrowsMatch(() => applyTemperature(z, NaN), RangeError, /got NaN/);
    assertThrowsMatch(() => fitTemperature(z, y, { input: "logits", bounds: [0, 10] }), RangeError, /bounds/);
    assertThrowsMatch(() => fitTemperature(z, y, { input: "logits", tolerance: -1 }), RangeError, /tolerance/);
  });
});

Deno.test("the temperature sweep: ECE and NLL per temperature, against the fixture", () => {
  const f = loadFixture("calibration/multiclass");
  const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
  const before = liveTensors();
  const ref = f.values.sweep as { temperature: number; ece: number; nll: number }[];
  const sweep = temperatureSweep(logits, labels, { input: "logits", temperatures: [0.5, 1, 2] });
  assert.equal(liveTensors(), before, "no tensor leaks");
  assert.deepEqual(
    sweep.points.map((p) => p.temperature),
    [0.5, 1, 2, sweep.fitted!.temperature].sort((a, b) => a - b),
  );
  for (const r of ref) {
    const p = sweep.points.find((q) => Math.abs(q.temperature - r.temperature) < 1e-4)!;
    assert.ok(p !== undefined, `temperature ${r.temperature} in the sweep`);
    assertClose(p.ece, r.ece, 1e-6, `ECE at T = ${r.temperature}`);
    assertClose(p.nll, r.nll, 1e-6, `NLL at T = ${r.temperature}`);
    assert.equal(p.bins.length, 15);
    assertClose(p.accuracy, f.values.scores.logits.accuracy, 1e-12, "accuracy is the same at every T");
  }
  assert.equal(sweep.initialT, 1);
  assertClose(sweep.bestT, f.values.temperature.logits.temperature, 1e-4);
  assert.equal(sweep.ece, "top-label ECE, 15 equal-width bins, (lower, upper]");
  // the default grid: 0.25 .. 4, log-spaced, plus the fitted T
  const d = temperatureSweep(logits, labels, { input: "logits" });
  assert.equal(d.points.length, 18);
  assertClose(d.points[0].temperature, 0.25, 1e-12);
  assertClose(d.points[d.points.length - 1].temperature, 4, 1e-12);
  dispose([logits, labels]);
});

Deno.test("TemperatureScaling: fit, apply, toJSON, fromJSON", () => {
  const f = loadFixture("calibration/multiclass");
  tidy(() => {
    const logits: Tensor = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
    const ts = new TemperatureScaling({ input: "logits" }).fit(logits, labels);
    assertClose(ts.temperature, f.values.temperature.logits.temperature, 1e-4);
    const p = ts.apply(logits);
    assert.deepEqual(p.shape, [1000, 10]);
    const json = ts.toJSON();
    assert.equal(json.kind, "temperature");
    const back = TemperatureScaling.fromJSON(JSON.parse(JSON.stringify(json)));
    assert.ok(back.apply(logits).allclose(p, { rtol: 0, atol: 0 }));
    assert.ok(calibrationReport(p, labels).ece < calibrationReport(logits, labels, { input: "logits" }).ece);
    assertThrowsMatch(() => new TemperatureScaling().apply(logits), Error, /fit/);
  });
});
