// Before/after temperature scaling side by side: values from calibrationReport and eceBootstrap, and the
// text, Markdown and notebook renderings.

import assert from "node:assert/strict";
import { dispose, liveTensors } from "../../mod.ts";
import {
  calibrationReport,
  compareCalibration,
  eceBootstrap,
  fitTemperature,
  scaledLogits,
} from "../../calibration/mod.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";

Deno.test("compareCalibration: the columns hold calibrationReport and eceBootstrap at T = 1 and at T", () => {
  const f = loadFixture("calibration/multiclass");
  const logits = fixtureTensor(f, "logits"), labels = fixtureTensor(f, "labels");
  const before = liveTensors();
  const T = fitTemperature(logits, labels, { input: "logits" }).temperature;
  const c = compareCalibration(logits, labels, T, { input: "logits", nBins: 10, resamples: 200, seed: 3 });
  assert.equal(liveTensors(), before, "no tensor left alive");
  assert.equal(c.columns.length, 2);
  assert.equal(c.columns[0].name, "uncalibrated (T = 1)");
  assert.equal(c.columns[1].name, `temperature-scaled (T = ${T.toFixed(3)})`);
  assert.deepEqual(c.columns[0].report, calibrationReport(logits, labels, { input: "logits", nBins: 10 }));
  assert.deepEqual(
    c.columns[0].eceInterval,
    eceBootstrap(logits, labels, { input: "logits", nBins: 10, resamples: 200, seed: 3 }),
  );
  const z = scaledLogits(logits, T, { input: "logits" });
  assert.deepEqual(c.columns[1].report, calibrationReport(z, labels, { input: "logits", nBins: 10 }));
  assert.equal(c.columns[1].report.accuracy, c.columns[0].report.accuracy);

  const text = c.toString();
  assert.match(
    text,
    new RegExp(`^ECE +${c.columns[0].report.ece.toFixed(4)} +${c.columns[1].report.ece.toFixed(4)}$`, "m"),
  );
  assert.match(text, /^ECE 95% CI +\[\d\.\d{4}, \d\.\d{4}\] +\[\d\.\d{4}, \d\.\d{4}\]$/m);
  assert.match(
    text,
    /top-label, 10 equal-width bins \(lower, upper\], N = \d+; ECE interval: 95% percentile bootstrap, 200 resamples, seed 3$/,
  );
  assert.match(c.toMarkdown(), /^\| NLL \| \d\.\d{4} \| \d\.\d{4} \|$/m);
  const bundle = (c as unknown as { [k: symbol]: () => Record<string, string> })[Symbol.for("Jupyter.display")]();
  assert.equal(bundle["text/plain"], text);
  const lower = Math.min(c.columns[0].report.nll, c.columns[1].report.nll).toFixed(4);
  assert.ok(bundle["text/html"].includes(`<b>${lower}</b>`), "the lower NLL is bold");
  assert.ok(bundle["text/html"].includes("ECE 95% bootstrap CI"));
  dispose([logits, labels, z]);
});
