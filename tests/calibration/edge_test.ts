// Edge cases of the calibration metrics: each a clear error or a defined value, never a crash or a NaN.

import { liveTensors, tensor, tidy } from "../../mod.ts";
import {
  adaptiveCalibrationError,
  calibrationReport,
  expectedCalibrationError,
  maximumCalibrationError,
  negativeLogLikelihood,
  reliabilityBins,
  rmsCalibrationError,
} from "../../calibration/mod.ts";
import { assert, assertClose, assertThrowsMatch } from "./assert.ts";

const f32 = (xs: number[] | number[][]) => tensor(xs, { dtype: "float32" });

function finiteReport(r: ReturnType<typeof calibrationReport>): void {
  for (const k of ["ece", "mce", "rmsce", "rmsceDebiased", "ace", "nll", "brier", "accuracy"] as const) {
    assert.ok(Number.isFinite(r[k]), `${k} is ${r[k]}`);
  }
  for (const b of r.bins) {
    for (const v of [b.confidence, b.accuracy, b.gap]) assert.ok(v === null || Number.isFinite(v));
  }
}

Deno.test("empty bins: defined metrics, null statistics in the table", () => {
  tidy(() => {
    const r = calibrationReport(f32([0.91, 0.93, 0.12]), tensor([1, 0, 0]), { binary: "positive", nBins: 100 });
    finiteReport(r);
    assert.equal(r.bins.filter((b) => b.count > 0).length, 3);
    const empty = r.bins.find((b) => b.count === 0)!;
    assert.deepEqual([empty.confidence, empty.accuracy, empty.gap], [null, null, null]);
    // three samples, 100 bins: each a bin of its own; ECE = mean |p - y|
    assertClose(r.ece, (0.09 + 0.93 + 0.12) / 3, 1e-6);
    assertClose(r.mce, 0.93, 1e-6);
    // a bin of one sample: the debiased term is 0 (no NaN)
    assert.ok(r.rmsceDebiased >= 0);
    // more bins than samples for the equal-mass bins
    assertClose(
      adaptiveCalibrationError(f32([0.91, 0.93, 0.12]), tensor([1, 0, 0]), { binary: "positive" }),
      r.ece,
      1e-6,
    );
  });
});

Deno.test("perfectly calibrated inputs: ECE, MCE, RMSCE and ACE are 0", () => {
  tidy(() => {
    // p(y = 1) = 0.25 with 1 positive in 4, 0.75 with 3 in 4
    const p = f32([0.25, 0.25, 0.25, 0.25, 0.75, 0.75, 0.75, 0.75]);
    const y = tensor([1, 0, 0, 0, 1, 1, 0, 1]);
    const r = calibrationReport(p, y, { binary: "positive", nBins: 10 });
    finiteReport(r);
    for (const k of ["ece", "mce", "rmsce"] as const) assertClose(r[k], 0, 1e-12, k);
    // equal-mass bins must not split a group of equal confidences to be 0: 2 bins of 4
    assertClose(adaptiveCalibrationError(p, y, { binary: "positive", nBins: 2 }), 0, 1e-12, "ace");
    // with 10 bins of 8 samples each sample is a bin: ACE = mean |p - y|
    assertClose(r.ace, 0.375, 1e-7, "ace with single-sample bins");
    assert.equal(r.rmsceDebiased, 0, "the debiased square is negative here, reported as 0");
    // top-label: confidence 0.75, right 3 times in 4
    const t = calibrationReport(p, y, { binary: "top-label", nBins: 10 });
    assertClose(t.ece, 0, 1e-12);
    assertClose(t.accuracy, 0.75, 1e-12);
    // a one-hot softmax that is always right
    const s = calibrationReport(f32([[1, 0], [0, 1]]), tensor([0, 1]));
    assertClose(s.ece, 0, 0);
    assertClose(s.nll, 0, 0);
  });
});

Deno.test("a single class: softmax with one column is defined (ECE 0); one label value is fine", () => {
  tidy(() => {
    const r = calibrationReport(f32([[3], [-1], [0.5]]), tensor([0, 0, 0]), { input: "logits", model: "softmax" });
    finiteReport(r);
    assert.equal(r.classes, 1);
    assert.deepEqual([r.ece, r.mce, r.accuracy, r.nll], [0, 0, 1, 0]);
    // a single column is a sigmoid model unless named softmax
    assert.equal(calibrationReport(f32([[0.2], [0.7]]), tensor([0, 1])).model, "sigmoid");
    assertThrowsMatch(
      () => calibrationReport(f32([[3], [1]]), tensor([0, 1]), { input: "logits", model: "softmax" }),
      RangeError,
      /labels must be in \[0, 0\] for 1 classes, got values in \[0, 1\]/,
    );
    const one = calibrationReport(f32([0.9, 0.6, 0.7]), tensor([1, 1, 1]));
    finiteReport(one);
  });
});

Deno.test("bin edges: (lower, upper] and [lower, upper) on values exactly at the edges", () => {
  tidy(() => {
    const p = tensor([0, 0.25, 0.5, 0.75, 1], { dtype: "float64" }), y = tensor([0, 0, 1, 1, 1]);
    const right = reliabilityBins(p, y, { binary: "positive", nBins: 4 });
    assert.deepEqual(right.map((b) => b.count), [2, 1, 1, 1]);
    const left = reliabilityBins(p, y, { binary: "positive", nBins: 4, binEdges: "[lower, upper)" });
    assert.deepEqual(left.map((b) => b.count), [1, 1, 1, 2]);
    // (lower, upper]: bins {0, 0.25}->0/2, {0.5}->1, {0.75}->1, {1}->1: ECE = (0.25 + 0.5 + 0.25 + 0) / 5
    assertClose(expectedCalibrationError(p, y, { binary: "positive", nBins: 4 }), 0.2, 1e-15);
    // [lower, upper): {0}, {0.25}, {0.5}, {0.75, 1}: (0 + 0.25 + 0.5 + 0.25) / 5
    assertClose(
      expectedCalibrationError(p, y, { binary: "positive", nBins: 4, binEdges: "[lower, upper)" }),
      0.2,
      1e-15,
    );
    assertClose(maximumCalibrationError(p, y, { binary: "positive", nBins: 4 }), 0.5, 1e-15);
    // one bin: |mean p - mean y|
    assertClose(expectedCalibrationError(p, y, { binary: "positive", nBins: 1 }), Math.abs(0.5 - 0.6), 1e-15);
  });
});

Deno.test("bad inputs are clear errors naming the argument and the value", () => {
  const before = liveTensors();
  tidy(() => {
    const p = f32([0.2, 0.8]), y = tensor([0, 1]);
    assertThrowsMatch(
      () => expectedCalibrationError(f32([0.2, 1.3]), y),
      RangeError,
      /outside \[0, 1\].*max 1\.3.*logits/,
    );
    assertThrowsMatch(() => expectedCalibrationError(f32([-0.1, 0.3]), y), RangeError, /min -0\.1/);
    assertThrowsMatch(() => expectedCalibrationError(f32([0.2, NaN]), y), RangeError, /1 NaN or infinite/);
    assertThrowsMatch(
      () => negativeLogLikelihood(f32([Infinity, 0]), y, { input: "logits" }),
      RangeError,
      /NaN or infinite/,
    );
    assertThrowsMatch(() => expectedCalibrationError(p, tensor([0, 1, 1])), RangeError, /2 samples but labels has 3/);
    assertThrowsMatch(() => expectedCalibrationError(f32([]), tensor([])), RangeError, /zero samples/);
    assertThrowsMatch(
      () => expectedCalibrationError(p, y, { nBins: 0 }),
      RangeError,
      /nBins must be an integer >= 1, got 0/,
    );
    assertThrowsMatch(() => expectedCalibrationError(p, y, { nBins: 2.5 }), RangeError, /got 2\.5/);
    assertThrowsMatch(() => expectedCalibrationError(p, y, { nBins: -3 }), RangeError, /got -3/);
    assertThrowsMatch(() => rmsCalibrationError(p, y, { binEdges: "[0, 1]" as never }), TypeError, /binEdges/);
    assertThrowsMatch(() => expectedCalibrationError(p, tensor([0, 2])), RangeError, /labels must be in \[0, 1\]/);
    assertThrowsMatch(() => expectedCalibrationError(p, f32([0, 0.5])), RangeError, /whole numbers/);
    assertThrowsMatch(() => expectedCalibrationError(tensor([0, 1]), y), TypeError, /floating-point.*int64/);
    assertThrowsMatch(() => expectedCalibrationError([0.2, 0.8] as never, y), TypeError, /preds must be a Tensor/);
    assertThrowsMatch(() => expectedCalibrationError(p, [0, 1] as never), TypeError, /labels must be a Tensor/);
    assertThrowsMatch(() => expectedCalibrationError(f32([[0.5, 0.1]]), tensor([0])), RangeError, /sum to 1/);
    assertThrowsMatch(() => expectedCalibrationError(p, y, { input: "logit" as never }), TypeError, /input must be/);
    assertThrowsMatch(() => expectedCalibrationError(p, y, { binary: "pos" as never }), TypeError, /binary must be/);
    assertThrowsMatch(() => expectedCalibrationError(p, y, { model: "softmax" }), RangeError, /\[N, C\]/);
    assertThrowsMatch(() => expectedCalibrationError(tensor([[[0.1]]], { dtype: "float32" }), y), RangeError, /shape/);
    // float and bool labels are accepted
    assertClose(expectedCalibrationError(p, f32([0, 1])), expectedCalibrationError(p, y), 0);
    assertClose(expectedCalibrationError(p, tensor([false, true])), expectedCalibrationError(p, y), 0);
  });
  assert.equal(liveTensors(), before, "errors free their temporaries too");
});
