// Platt scaling, histogram binning and isotonic regression against hand-derived small cases; the common
// Recalibrator interface (fit on validation, apply on test, toJSON / fromJSON).

import { dispose, liveTensors, type Tensor, tensor, tidy } from "../../mod.ts";
import {
  calibrationReport,
  expectedCalibrationError,
  HistogramBinning,
  IsotonicRegression,
  pav,
  PlattScaling,
  type Recalibrator,
  recalibratorFromJSON,
  topLabel,
} from "../../calibration/mod.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assert, assertClose, assertThrowsMatch } from "./assert.ts";

const f64 = (xs: number[]) => tensor(xs, { dtype: "float64" });
const values = (t: Tensor) => Array.from(t.data() as Float64Array);

function assertValues(actual: Tensor, expected: number[], tol: number, what: string): void {
  const a = values(actual);
  assert.equal(a.length, expected.length, `${what}: length`);
  a.forEach((v, i) => assertClose(v, expected[i], tol, `${what}[${i}]`));
}

Deno.test("Platt scaling: closed-form cases (two score values: the fit reproduces each group's frequency)", () => {
  tidy(() => {
    const z = f64([-1, -1, -1, -1, 1, 1, 1, 1]);
    const y = tensor([1, 0, 0, 0, 1, 1, 1, 0]);
    // hard targets: sigmoid(-a + b) = 1/4, sigmoid(a + b) = 3/4  =>  a = ln 3, b = 0
    const hard = new PlattScaling({ input: "logits", targets: "hard" }).fit(z, y);
    assertClose(hard.a, Math.log(3), 1e-9, "a (hard)");
    assertClose(hard.b, 0, 1e-9, "b (hard)");
    assertValues(hard.apply(f64([-1, 1, 0])), [0.25, 0.75, 0.5], 1e-9, "apply (hard)");
    // Platt's targets: t+ = 5/6, t- = 1/6; group means 1/3 and 2/3  =>  a = ln 2, b = 0
    const platt = new PlattScaling({ input: "logits" }).fit(z, y);
    assertClose(platt.a, Math.log(2), 1e-9, "a (platt)");
    assertClose(platt.b, 0, 1e-9, "b (platt)");
    // scores 0 (frequency 1/2) and 2 (frequency 3/4): b = 0, 2a = ln 3
    const s = new PlattScaling({ input: "logits", targets: "hard" }).fit(
      f64([0, 0, 2, 2, 2, 2]),
      tensor([1, 0, 1, 1, 1, 0]),
    );
    assertClose(s.b, 0, 1e-9, "b");
    assertClose(s.a, Math.log(3) / 2, 1e-9, "a");
    // probabilities in: the same fit on their logits (p = 0.5 -> 0, p = sigmoid(2) -> 2)
    const p2 = 1 / (1 + Math.exp(-2));
    const sp = new PlattScaling({ targets: "hard" }).fit(f64([0.5, 0.5, p2, p2, p2, p2]), tensor([1, 0, 1, 1, 1, 0]));
    assertClose(sp.a, Math.log(3) / 2, 1e-9, "a from probabilities");
    assert.ok(hard.iterations < 20);
  });
});

Deno.test("Platt scaling: separable data, one class and constant scores are clear errors or finite fits", () => {
  tidy(() => {
    const z = f64([-2, -1, 1, 2]);
    assertThrowsMatch(
      () => new PlattScaling({ input: "logits", targets: "hard" }).fit(z, tensor([0, 0, 1, 1])),
      RangeError,
      /separable/,
    );
    const smooth = new PlattScaling({ input: "logits" }).fit(z, tensor([0, 0, 1, 1]));
    assert.ok(Number.isFinite(smooth.a) && smooth.a > 0 && Number.isFinite(smooth.b));
    assertThrowsMatch(
      () => new PlattScaling({ input: "logits", targets: "hard" }).fit(z, tensor([1, 1, 1, 1])),
      RangeError,
      /single class/,
    );
    const one = new PlattScaling({ input: "logits" }).fit(z, tensor([1, 1, 1, 1]));
    assert.ok(one.fitted);
    assert.ok(values(one.apply(z)).every((p) => p > 0.5 && p < 1));
    assertThrowsMatch(
      () => new PlattScaling().fit(f64([0.3, 0.3]), tensor([0, 1])),
      RangeError,
      /every validation score/,
    );
    assertThrowsMatch(() => new PlattScaling().apply(z), Error, /not fitted/);
    assertThrowsMatch(() => new PlattScaling().fit(f64([[0.3, 0.7]] as never), tensor([0])), RangeError, /topLabel/);
    assertThrowsMatch(() => new PlattScaling({ targets: "soft" as never }), TypeError, /targets/);
  });
});

Deno.test("histogram binning: per-bin frequencies, empty bins, (lower, upper] edges", () => {
  tidy(() => {
    const hb = new HistogramBinning({ nBins: 2 }).fit(f64([0.1, 0.2, 0.7, 0.9]), tensor([0, 1, 1, 1]));
    assert.deepEqual(hb.values, [0.5, 1]);
    assert.deepEqual(hb.counts, [2, 2]);
    assertValues(hb.apply(f64([0.3, 0.8, 0.5, 0, 1])), [0.5, 1, 0.5, 0.5, 1], 0, "apply");
    // empty bins: the bin center, or the prior (3/4 positives)
    const x = f64([0.1, 0.2, 0.8, 0.9]), y = tensor([0, 1, 1, 1]);
    assert.deepEqual(new HistogramBinning({ nBins: 4 }).fit(x, y).values, [0.5, 0.375, 0.625, 1]);
    assert.deepEqual(new HistogramBinning({ nBins: 4, emptyBins: "prior" }).fit(x, y).values, [0.5, 0.75, 0.75, 1]);
    // logits in: sigmoid first
    const hl = new HistogramBinning({ nBins: 2, input: "logits" }).fit(f64([-3, -1, 1, 3]), tensor([0, 0, 1, 0]));
    assert.deepEqual(hl.values, [0, 0.5]);
    assertThrowsMatch(() => new HistogramBinning({ nBins: 0 }), RangeError, /nBins must be an integer >= 1, got 0/);
    assertThrowsMatch(() => new HistogramBinning({ emptyBins: "zero" as never }), TypeError, /emptyBins/);
  });
});

Deno.test("isotonic regression: PAV by hand, ties, clipping, step and linear interpolation", () => {
  // y = [0, 1, 0, 0, 1, 1]: the block {1, 0, 0} pools to 1/3 over x in [0.2, 0.4]
  const fit = pav([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [0, 1, 0, 0, 1, 1]);
  assert.deepEqual(fit.x, [0.1, 0.2, 0.4, 0.5, 0.6]);
  assert.deepEqual(fit.y, [0, 1 / 3, 1 / 3, 1, 1]);
  // decreasing data pools to one block: the mean
  assert.deepEqual(pav([0.1, 0.2, 0.3], [1, 1, 0]), { x: [0.1, 0.3], y: [2 / 3, 2 / 3] });
  // equal scores are pooled first
  assert.deepEqual(pav([0.2, 0.2, 0.5], [1, 0, 1]), { x: [0.2, 0.5], y: [0.5, 1] });
  tidy(() => {
    const x = f64([0.4, 0.1, 0.6, 0.3, 0.5, 0.2]), y = tensor([0, 0, 1, 0, 1, 1]); // unsorted input
    const iso = new IsotonicRegression().fit(x, y);
    assert.deepEqual(iso.x, [0.1, 0.2, 0.4, 0.5, 0.6]);
    assertValues(
      iso.apply(f64([0.05, 0.1, 0.15, 0.3, 0.45, 0.6, 0.9])),
      [0, 0, 1 / 6, 1 / 3, 2 / 3, 1, 1],
      1e-12,
      "linear",
    );
    const step = new IsotonicRegression({ interpolation: "step" }).fit(x, y);
    assertValues(step.apply(f64([0.05, 0.15, 0.3, 0.45, 0.9])), [0, 0, 1 / 3, 1 / 3, 1], 1e-12, "step");
    // one breakpoint: a constant
    const c = new IsotonicRegression().fit(f64([0.3, 0.3]), tensor([0, 1]));
    assertValues(c.apply(f64([0, 0.3, 1])), [0.5, 0.5, 0.5], 0, "constant");
    assertThrowsMatch(() => new IsotonicRegression({ interpolation: "cubic" as never }), TypeError, /interpolation/);
  });
});

Deno.test("recalibrators: fit on validation, apply on test, JSON round trip, no leaks", () => {
  const f = loadFixture("calibration/multiclass");
  const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
  const before = liveTensors();
  const { confidence, correct } = topLabel(logits, labels, { input: "logits" });
  const val = { c: confidence.slice(0, 0, 600), y: correct.slice(0, 0, 600) };
  const test = { c: confidence.slice(0, 600), y: correct.slice(0, 600) };
  const eceBefore = expectedCalibrationError(test.c, test.y, { binary: "positive" });
  const all: Recalibrator[] = [new PlattScaling(), new HistogramBinning(), new IsotonicRegression()];
  for (const r of all) {
    r.fit(val.c, val.y);
    const p = r.apply(test.c);
    assert.equal(p.dtype, "float64");
    assert.deepEqual(p.shape, [400]);
    const ece = expectedCalibrationError(p, test.y, { binary: "positive" });
    assert.ok(ece < eceBefore, `${r.kind}: test ECE ${ece} < ${eceBefore}`);
    const back = recalibratorFromJSON(JSON.parse(JSON.stringify(r)));
    assert.equal(back.kind, r.kind);
    const q = back.apply(test.c);
    assert.ok(q.equal(p), `${r.kind}: the restored map gives the same probabilities`);
    dispose([p, q]);
  }
  dispose([confidence, correct, val, test]);
  assert.equal(liveTensors(), before, "no tensor leaks");
  assertThrowsMatch(() => recalibratorFromJSON({ kind: "spline" as never }), TypeError, /kind must be/);
  // the whole report on recalibrated top-label confidences (in-sample: nearly calibrated)
  tidy(() => {
    const { confidence: c, correct: y } = topLabel(logits, labels, { input: "logits" });
    const r = calibrationReport(new IsotonicRegression().fit(c, y).apply(c), y, { binary: "positive" });
    assert.ok(r.ece < 0.02, `in-sample isotonic ECE ${r.ece}`);
  });
  dispose([logits, labels]);
});
