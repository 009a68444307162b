// The calibration metrics against the fixtures of scripts/fixtures/gen_calibration.py (torchmetrics'
// binary definition, Guo et al.'s top-label ECE, reimplemented there), to 1e-6.

import { assert, assertClose } from "./assert.ts";
import { dispose, liveTensors, type Tensor } from "../../mod.ts";
import {
  accuracy,
  adaptiveCalibrationError,
  brierScore,
  calibrationReport,
  expectedCalibrationError,
  maximumCalibrationError,
  negativeLogLikelihood,
  reliabilityBins,
  rmsCalibrationError,
} from "../../calibration/mod.ts";
import { type Fixture, fixtureTensor, loadFixture } from "../fixture.ts";

const TOL = 1e-6;

function inputs(f: Fixture, input: string): { preds: Tensor; labels: Tensor } {
  return { preds: fixtureTensor(f, input === "logits" ? "logits" : "probs"), labels: fixtureTensor(f, "labels") };
}

Deno.test("binary: ECE, MCE, RMSCE (plain, debiased), ACE against the reference definitions", () => {
  const f = loadFixture("calibration/binary");
  const data = { logits: inputs(f, "logits"), probabilities: inputs(f, "probabilities") };
  const before = liveTensors();
  for (const c of f.values.cases) {
    const { preds, labels } = data[c.input as "logits" | "probabilities"];
    const o = { input: c.input, binary: c.binary, binEdges: c.binEdges, nBins: c.nBins };
    const what = JSON.stringify(o);
    assertClose(expectedCalibrationError(preds, labels, o), c.ece, TOL, `ece ${what}`);
    assertClose(maximumCalibrationError(preds, labels, o), c.mce, TOL, `mce ${what}`);
    assertClose(rmsCalibrationError(preds, labels, o), c.rmsce, TOL, `rmsce ${what}`);
    assertClose(rmsCalibrationError(preds, labels, { ...o, debias: true }), c.rmsceDebiased, TOL, what);
    assertClose(adaptiveCalibrationError(preds, labels, o), c.ace, TOL, `ace ${what}`);
    const r = calibrationReport(preds, labels, o);
    assertClose(r.ece, c.ece, TOL);
    assertClose(r.mce, c.mce, TOL);
    assertClose(r.rmsce, c.rmsce, TOL);
    assertClose(r.rmsceDebiased, c.rmsceDebiased, TOL);
    assertClose(r.ace, c.ace, TOL);
  }
  for (const [input, s] of Object.entries(f.values.scores) as [string, Record<string, number>][]) {
    const { preds, labels } = data[input as "logits" | "probabilities"];
    const o = { input: input as "logits" | "probabilities" };
    assertClose(negativeLogLikelihood(preds, labels, o), s.nll, TOL, `nll ${input}`);
    assertClose(brierScore(preds, labels, o), s.brier, TOL, `brier ${input}`);
    assertClose(accuracy(preds, labels, o), s.accuracy, TOL, `accuracy ${input}`);
  }
  assert.deepStrictEqual(liveTensors(), before, "no tensor leaks");
  dispose(data);
});

Deno.test("binary: the per-bin table matches Guo et al.'s loop", () => {
  const f = loadFixture("calibration/binary");
  const { preds, labels } = inputs(f, "logits");
  const rows = reliabilityBins(preds, labels, { input: "logits" });
  assert.deepStrictEqual(rows.length, 15);
  f.values.bins.forEach((ref: { count: number; confidence: number | null; accuracy: number | null }, b: number) => {
    assert.deepStrictEqual(rows[b].count, ref.count, `count of bin ${b}`);
    if (ref.count === 0) {
      assert.deepStrictEqual([rows[b].confidence, rows[b].accuracy, rows[b].gap], [null, null, null]);
    } else {
      assertClose(rows[b].confidence!, ref.confidence!, TOL);
      assertClose(rows[b].accuracy!, ref.accuracy!, TOL);
      assertClose(rows[b].gap!, ref.confidence! - ref.accuracy!, TOL);
    }
    assertClose(rows[b].lower, b / 15, 1e-15);
    assertClose(rows[b].upper, (b + 1) / 15, 1e-15);
  });
  // the top-label confidence of a binary model is at least 0.5: the lower bins are empty
  assert.deepStrictEqual(rows.slice(0, 7).every((r) => r.count === 0), true);
});

Deno.test("multiclass: top-label ECE (Guo et al.), MCE, RMSCE, ACE, NLL, Brier, accuracy", () => {
  const f = loadFixture("calibration/multiclass");
  const data = { logits: inputs(f, "logits"), probabilities: inputs(f, "probabilities") };
  const before = liveTensors();
  for (const c of f.values.cases) {
    const { preds, labels } = data[c.input as "logits" | "probabilities"];
    const o = { input: c.input, binEdges: c.binEdges, nBins: c.nBins };
    const r = calibrationReport(preds, labels, o);
    const what = JSON.stringify(o);
    assertClose(r.ece, c.ece, TOL, `ece ${what}`);
    assertClose(r.mce, c.mce, TOL, `mce ${what}`);
    assertClose(r.rmsce, c.rmsce, TOL, `rmsce ${what}`);
    assertClose(r.rmsceDebiased, c.rmsceDebiased, TOL, `rmsce debiased ${what}`);
    assertClose(r.ace, c.ace, TOL, `ace ${what}`);
    assert.deepStrictEqual([r.model, r.binary, r.classes, r.n, r.bins.length], [
      "softmax",
      "top-label",
      10,
      1000,
      c.nBins,
    ]);
    assert.deepStrictEqual(r.bins.reduce((s, b) => s + b.count, 0), 1000);
  }
  for (const [input, s] of Object.entries(f.values.scores) as [string, Record<string, number>][]) {
    const { preds, labels } = data[input as "logits" | "probabilities"];
    const r = calibrationReport(preds, labels, { input: input as "logits" | "probabilities" });
    assertClose(r.nll, s.nll, TOL, `nll ${input}`);
    assertClose(r.brier, s.brier, TOL, `brier ${input}`);
    assertClose(r.accuracy, s.accuracy, TOL, `accuracy ${input}`);
  }
  assert.deepStrictEqual(liveTensors(), before, "no tensor leaks");
  dispose(data);
});

Deno.test("a sigmoid model's top-label metrics equal those of the same 2-class softmax model", async () => {
  const { tensor, stack, tidy } = await import("../../mod.ts");
  tidy(() => {
    const z = tensor([2.5, -0.3, 1.2, -4, 0.1, 0.7, -1.1, 3.3], { dtype: "float64" });
    const y = tensor([1, 0, 0, 0, 1, 1, 1, 1]);
    const two = stack([z.neg().div(2), z.div(2)], 1); // softmax([-z/2, z/2])_1 = sigmoid(z)
    const a = calibrationReport(z, y, { input: "logits", nBins: 5 });
    const b = calibrationReport(two, y, { input: "logits", nBins: 5 });
    for (const k of ["ece", "mce", "rmsce", "ace", "nll", "accuracy"] as const) assertClose(a[k], b[k], 1e-12, k);
    assertClose(a.brier * 2, b.brier, 1e-12, "the binary Brier score is half the 2-class one");
    assert(a.ece > 0);
  });
});
