// The study's figures off the critical path: rendered in a worker (study/figures.ts), SVG always, PNG with
// --png, report.md pointing at the files that exist, report.json written after every figure.
import assert from "node:assert/strict";
import { join } from "node:path";
import { liveTensors } from "../../mod.ts";
import { lineChart } from "../../calibration/line_chart.ts";
import { FigureWriter } from "../../study/figures.ts";
import { runStudy } from "../../study/pipeline.ts";
import { markdownReport, type Report } from "../../study/report.ts";
import { lenetTask } from "../../study/tasks/lenet.ts";

const QUICK = ["--epochs", "1", "--limit", "300", "--threads", "1", "--device", "cpu"];
const FIGURES = [
  "reliability_uncalibrated",
  "reliability_calibrated",
  "reliability_overlay",
  "reliability_grid",
  "training_curves",
];
const PNG_SIGNATURE = [137, 80, 78, 71, 13, 10, 26, 10];

Deno.test("without --png a run writes every figure as SVG only, and report.md shows the SVGs", async () => {
  const out = Deno.makeTempDirSync({ prefix: "figures-test-" });
  try {
    const live = liveTensors();
    const outcome = await runStudy(lenetTask, [...QUICK, "--out", out], { quiet: true });
    assert.equal(outcome.status, "finished");
    assert.equal(liveTensors(), live, "the run frees every tensor it made (the kept validation logits too)");
    const names = [...Deno.readDirSync(out)].map((e) => e.name).sort();
    assert.deepEqual(names.filter((n) => n.endsWith(".png")), [], "no PNG without --png");
    assert.deepEqual(names.filter((n) => n.includes(".tmp")), [], "no temporary files");
    for (const f of FIGURES) assert.match(Deno.readTextFileSync(join(out, `${f}.svg`)), /^<svg/, f);
    const md = Deno.readTextFileSync(join(out, "report.md"));
    const images = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
    assert.deepEqual(images.sort(), FIGURES.map((f) => `${f}.svg`).sort());
    const r = JSON.parse(Deno.readTextFileSync(join(out, "report.json")));
    assert.deepEqual(r.figureFormats, ["svg"]);
    assert.equal(r.config.png, false);
    assert.ok(r.timings.figures > 0 && r.timings.figures <= r.timings.total, "figures timed within the run");

    // the final evaluation reused the last validation's logits; resumed from the final checkpoint no epoch
    // runs, so the validation part is predicted afresh: the same calibration to the bit
    const again = await runStudy(lenetTask, ["--resume", join(out, "checkpoint.pt"), "--out", join(out, "again")], {
      quiet: true,
    });
    assert.equal(again.status, "finished");
    assert.deepEqual(again.report!.calibration, r.calibration);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("FigureWriter: SVG, PNG when asked, written atomically in a worker", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "figure-writer-" });
  try {
    const spec = lineChart([{ name: "loss", y: [1, 0.5, 0.25] }], { title: "loss" });
    {
      using svgOnly = new FigureWriter({ png: false });
      svgOnly.write(join(dir, "a"), spec);
      svgOnly.write(join(dir, "sub", "b"), spec);
      const { files, seconds } = await svgOnly.done();
      assert.deepEqual(files, [join(dir, "a.svg"), join(dir, "sub", "b.svg")]);
      assert.ok(seconds > 0);
    }
    {
      using withPng = new FigureWriter({ png: true });
      withPng.write(join(dir, "c"), spec);
      assert.deepEqual((await withPng.done()).files, [join(dir, "c.svg"), join(dir, "c.png")]);
    }
    assert.match(Deno.readTextFileSync(join(dir, "a.svg")), /<svg[^>]*>[\s\S]*loss/);
    assert.deepEqual([...Deno.readFileSync(join(dir, "c.png")).subarray(0, 8)], PNG_SIGNATURE);
    assert.deepEqual([...Deno.readDirSync(dir)].filter((e) => e.name.includes(".tmp")), []);
    using none = new FigureWriter({ png: true });
    assert.deepEqual(await none.done(), { files: [], seconds: 0 }, "no figure, no worker");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("FigureWriter: a figure that fails names its path; closing drops the rest", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "figure-writer-" });
  try {
    using figures = new FigureWriter({ png: false });
    figures.write(join(dir, "good"), lineChart([{ name: "a", y: [1, 2] }]));
    figures.write(join(dir, "bad"), { mark: "point", encoding: { x: { field: "a", type: "bogus" } } });
    await assert.rejects(() => figures.done(), (e: Error) => {
      assert.match(e.message, /^figure .*bad: Invalid field type/);
      return true;
    });
    assert.ok(Deno.statSync(join(dir, "good.svg")).size > 0, "the good figure was written");
    assert.throws(() => Deno.statSync(join(dir, "bad.svg")), "nothing for the bad one");

    const closed = new FigureWriter({ png: false });
    closed.write(join(dir, "late"), lineChart([{ name: "a", y: [1, 2] }]));
    closed.close();
    await assert.rejects(() => closed.done(), /closed before every figure was written/);
    assert.throws(() => closed.write(join(dir, "later"), lineChart([{ name: "a", y: [1] }])), /closed/);
    assert.throws(() => new FigureWriter({ png: "yes" as never }), /options\.png must be a boolean, got string/);
    assert.throws(() => figures.write("", lineChart([{ name: "a", y: [1] }])), /base must be a non-empty path/);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("markdownReport: figures as PNG when they were made, as SVG otherwise", () => {
  const files = Object.fromEntries(FIGURES.map((f) => [f, f]));
  const bins = [{ bin: 0, lower: 0.5, upper: 1, count: 2, confidence: 0.75, accuracy: 0.5, gap: 0.25 }];
  const metrics = {
    accuracy: 0.5,
    nll: 0.7,
    brier: 0.25,
    eceTopLabel: 0.25,
    eceInterval: { lower: 0.1, upper: 0.4, resamples: 1000 },
    mceTopLabel: 0.25,
    ecePositive: 0.2,
    mcePositive: 0.2,
    rmsce: 0.25,
    ace: 0.25,
    bins,
  };
  const report = {
    task: "lenet",
    title: "LeNet-5, test",
    finishedAt: "2026-12-01T00:00:00Z",
    config: { seed: 0 },
    environment: { device: "cpu", threads: 1, libtorch: "1.13.1" },
    data: { description: "two images" },
    model: { description: "m", parameters: 1, trainableParameters: 1 },
    training: { history: [], stepLosses: [], resumed: false },
    calibration: {
      binning: "10 bins",
      before: metrics,
      after: metrics,
      temperature: { temperature: 1, nll: 0.7, nllAtOne: 0.7, converged: true, reason: "ok", iterations: 1 },
      sweep: [{ temperature: 1, ece: 0.25, nll: 0.7, bins }],
      lowestEceT: 1,
    },
    reference: { text: "none" },
    timings: { train: 1, total: 2 },
    files: {
      reliabilityBefore: files.reliability_uncalibrated,
      reliabilityAfter: files.reliability_calibrated,
      reliabilityOverlay: files.reliability_overlay,
      reliabilityGrid: files.reliability_grid,
      trainingCurves: files.training_curves,
    },
  } as unknown as Report;
  const images = (md: string) => [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => m[1]);
  assert.deepEqual(images(markdownReport({ ...report, figureFormats: ["svg"] })), [
    "reliability_uncalibrated.svg",
    "reliability_calibrated.svg",
    "reliability_overlay.svg",
    "reliability_grid.svg",
    "training_curves.svg",
  ]);
  assert.ok(images(markdownReport({ ...report, figureFormats: ["svg", "png"] })).every((f) => f.endsWith(".png")));
  assert.ok(images(markdownReport(report)).every((f) => f.endsWith(".png")), "absent: PNG, as before --png");
});
