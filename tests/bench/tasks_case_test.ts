import assert from "node:assert/strict";
import { PYTHON } from "../../bench/runner.ts";
import {
  DENSENET_BENCH_SIZE,
  parseTaskReport,
  runTask,
  sameResults,
  taskCommand,
  taskRows,
  type TaskRun,
} from "../../bench/tasks.ts";
import { fixturePath } from "../fixture.ts";

const report = (over: Record<string, unknown> = {}) => ({
  timings: { data: 0.5, train: 4, evaluate: 0.2, calibrate: 0.1, figures: 0.7, total: 6 },
  calibration: {
    before: { eceTopLabel: 0.11 },
    after: { eceTopLabel: 0.02 },
    temperature: { temperature: 1.7 },
  },
  training: { stepLosses: [0.7, 0.6, 0.55] },
  ...over,
});

Deno.test("parseTaskReport takes the wall time, the phases and the results, and names what is missing", () => {
  assert.deepEqual(parseTaskReport(report(), 7.5, "x"), {
    wall_s: [7.5],
    data_s: [0.5],
    train_s: [4],
    evaluate_s: [0.2],
    calibrate_s: [0.1],
    figures_s: [0.7],
    ece_before: [0.11],
    ece_after: [0.02],
    temperature: [1.7],
    final_loss: [0.55],
  });
  const withFeatures = parseTaskReport(report({ timings: { features: 40, train: 3 } }), 50, "x");
  assert.deepEqual(withFeatures.features_s, [40]);
  const withMemory = parseTaskReport(report({ memory: { peakMiB: 321.5, afterLoadMiB: 250, atEndMiB: 300 } }), 5, "x");
  assert.deepEqual(withMemory.peak_rss_mib, [321.5]);
  assert.equal(withMemory.no_figures, undefined);
  assert.deepEqual(parseTaskReport(report({ figures: null }), 5, "x").no_figures, [1]);
  assert.throws(() => parseTaskReport(report(), 0, "deno task lenet"), /deno task lenet: the wall time must be/);
  assert.throws(() => parseTaskReport([], 1, "t"), /t: report.json must hold an object/);
  assert.throws(() => parseTaskReport(report({ timings: { data: 1 } }), 1, "t"), /no timings.train/);
  assert.throws(
    () => parseTaskReport(report({ calibration: { before: { eceTopLabel: 0.1 } } }), 1, "t"),
    /t: report.json has no number at calibration.after.eceTopLabel/,
  );
  assert.throws(
    () => parseTaskReport(report({ training: { stepLosses: [] } }), 1, "t"),
    /no training.stepLosses ending in a number/,
  );
});

Deno.test("taskCommand: deno task with the study's flags, and the twin with the same ones", () => {
  const run: TaskRun = {
    task: "densenet",
    data: "/d",
    epochs: 30,
    limit: 0,
    threads: 1,
    weights: "/w.pt",
    timeoutMs: 1000,
  };
  const ours = taskCommand("ours", run, "/out");
  assert.equal(ours.cmd, Deno.execPath());
  assert.deepEqual(ours.args.slice(0, 3), ["task", "-q", "densenet"]);
  const py = taskCommand("python", run, "/out");
  assert.equal(py.cmd, PYTHON);
  assert.match(py.args[0], /bench\/study_task\.py$/);
  assert.deepEqual(py.args.slice(1, 3), ["--task", "densenet"]);
  const flags = (args: string[]) =>
    Object.fromEntries(args.flatMap((a, i) => a.startsWith("--") ? [[a, args[i + 1]]] : []));
  for (const args of [ours.args, py.args]) {
    const f = flags(args);
    assert.equal(f["--data"], "/d");
    assert.equal(f["--epochs"], "30");
    assert.equal(f["--threads"], "1");
    assert.equal(f["--out"], "/out");
    assert.equal(f["--weights"], "/w.pt");
    assert.equal(f["--image-size"], String(DENSENET_BENCH_SIZE));
  }
  // the twin always caches the frozen backbone's features: denotorch is told to do the same
  assert.ok(ours.args.includes("--no-augment"));
  assert.equal(flags(ours.args)["--train-from"], "classifier");
  const lenet = taskCommand("ours", { ...run, task: "lenet" }, "/out").args;
  assert.ok(!lenet.includes("--weights") && !lenet.includes("--no-augment"));
});

Deno.test("taskRows: the whole run with its target, then its phases, ratios taken per round", () => {
  const ours = { wall_s: [10, 12, 11], train_s: [4, 5, 4], figures_s: [1, 1, 1], peak_rss_mib: [300, 300, 300] };
  const python = { wall_s: [20, 10, 11], train_s: [8, 5, 2], figures_s: [2, 2, 2], peak_rss_mib: [500, 500, 600] };
  const rows = taskRows("lenet", 3, ours, python);
  assert.deepEqual(rows.map((r) => r.name), [
    "deno task lenet, end to end (3 epochs)",
    "LeNet task: training (with validation, checkpoints)",
    "LeNet task: figures",
    "LeNet task: peak RSS",
  ]);
  assert.equal(rows[3].unit, "MiB");
  assert.equal(rows[3].ratio, 0.6);
  assert.equal(rows[3].met, true);
  assert.deepEqual(rows[0].ratios, { median: 1, min: 0.5, max: 1.2, n: 3 });
  assert.equal(rows[0].target, "<= 0.95x PyTorch");
  assert.equal(rows[0].met, false);
  assert.equal(rows[1].ratio, 1);
  const alone = taskRows("densenet", 1, { wall_s: [5], features_s: [3], train_s: [1] }, undefined);
  assert.deepEqual(alone.map((r) => r.name), [
    "deno task densenet, cached features, end to end (1 epoch)",
    "DenseNet task: feature extraction",
    "DenseNet task: head training on cached features",
  ]);
  assert.equal(alone[0].ratio, undefined);
  assert.equal(alone[0].met, true, "no PyTorch side: nothing to miss");
  assert.throws(() => taskRows("lenet", 1, {}, undefined), /no denotorch rounds of the lenet task/);
});

Deno.test("sameResults says whether both sides ended on the same loss bits and metrics", () => {
  const a = { final_loss: [0.5], ece_before: [0.1], ece_after: [0.02], temperature: [1.5] };
  assert.match(sameResults("lenet", a, { ...a }), /the same bits.*equal to 1e-6/);
  assert.match(sameResults("lenet", a, { ...a, final_loss: [0.5000001] }), /they differ\);/);
  assert.match(sameResults("lenet", a, { ...a, ece_after: [0.021] }), /\(they differ\)$/);
  assert.match(sameResults("lenet", a, undefined), /no PyTorch-Python run/);
  assert.match(sameResults("lenet", a, { ...a, no_figures: [1] }), /equal to 1e-6\); PyTorch-Python drew no figures/);
});

const DATA = Deno.env.get("CIFAR10_DIR") ?? "../shared/data/cifar-10-batches-bin";
const hasData = (() => {
  try {
    return Deno.statSync(`${DATA}/test_batch.bin`).isFile;
  } catch {
    return false;
  }
})();
const pythonTorch = hasData &&
  new Deno.Command(PYTHON, { args: ["-c", "import torch"], stdout: "null", stderr: "null" })
    .outputSync().success;

Deno.test({
  name: "the PyTorch-Python twin does the same work as the study tasks: the same loss bits and metrics",
  ignore: !pythonTorch,
  async fn() {
    const lenet: TaskRun = { task: "lenet", data: DATA, epochs: 1, limit: 300, threads: 1, timeoutMs: 180_000 };
    const densenet: TaskRun = {
      task: "densenet",
      data: DATA,
      epochs: 2,
      limit: 200,
      threads: 1,
      weights: fixturePath("densenet/tiny_densenet.pt"),
      timeoutMs: 180_000,
    };
    for (const run of [lenet, densenet]) {
      const ours = await runTask("ours", run), python = await runTask("python", run);
      assert.match(sameResults(run.task, ours, python), /the same bits.*equal to 1e-6/, run.task);
      for (const m of [ours, python]) {
        assert.ok(m.wall_s[0] > m.train_s[0], `${run.task}: the wall time holds the training`);
        if (run.task === "densenet") assert.ok(m.features_s[0] > 0, "the features were extracted, not loaded");
        assert.ok(m.peak_rss_mib[0] > 50 && m.peak_rss_mib[0] < 16_384, `${run.task}: peak ${m.peak_rss_mib[0]} MiB`);
      }
    }
  },
});

Deno.test({
  name: "runTask: a run that fails or passes its limit is an error with the end of its output",
  ignore: !hasData,
  async fn() {
    const run: TaskRun = { task: "lenet", data: "/nonexistent", epochs: 1, limit: 100, threads: 1, timeoutMs: 60_000 };
    await assert.rejects(() => runTask("ours", run), /deno task lenet exited 1:.*\n.*--data \/nonexistent/s);
    await assert.rejects(
      () => runTask("ours", { ...run, data: DATA, timeoutMs: 50 }),
      /deno task lenet was killed by SIGKILL \(limit 0.05 s\)/,
    );
  },
});
