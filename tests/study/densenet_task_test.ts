import assert from "node:assert/strict";
import { join } from "node:path";
import { jit, load, manualSeed, save, type Tensor } from "../../mod.ts";
import { DenseNetTransfer } from "../../models/densenet_transfer.ts";
import { densenetTask } from "../../study/tasks/densenet.ts";
import { CheckpointError } from "../../study/checkpoint.ts";
import { FlagError } from "../../study/flags.ts";
import { runStudy } from "../../study/pipeline.ts";
import { assertTensorExact, fixturePath, fixtureTensor, loadFixture } from "../fixture.ts";

const TINY = fixturePath("densenet/tiny_densenet.pt");
const fx = loadFixture("densenet/tiny_densenet");
const QUICK = ["--weights", TINY, "--limit", "200", "--epochs", "2", "--image-size", "32", "--device", "cpu"];

function withTemp<T>(fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = Deno.makeTempDirSync({ prefix: "densenet-task-" });
  const cache = Deno.env.get("DENOTORCH_CACHE");
  Deno.env.set("DENOTORCH_CACHE", join(dir, "cache"));
  return fn(dir).finally(() => {
    if (cache === undefined) Deno.env.delete("DENOTORCH_CACHE");
    else Deno.env.set("DENOTORCH_CACHE", cache);
    Deno.removeSync(dir, { recursive: true });
  });
}

Deno.test("the tiny TorchScript DenseNet gives PyTorch's outputs exactly, and its backbone its features", () => {
  using model = jit.load(TINY);
  model.eval();
  const x = fixtureTensor(fx, "input");
  assertTensorExact(model.forward(x), fixtureTensor(fx, "logits"), "logits");
  manualSeed(0);
  const transfer = DenseNetTransfer.fromScript(model, { probeSize: 32 });
  transfer.eval();
  assert.equal(transfer.featureWidth, fx.values.feature_width);
  assertTensorExact(transfer.backbone(x), fixtureTensor(fx, "features"), "features");
  assert.deepEqual(transfer.forward(x).shape, [2, 1]);
  assert.deepEqual(transfer.trainableParameters().map((p) => p.shape), [[1, fx.values.feature_width], [1]]);
  assert.ok(Object.keys(transfer.stateDict()).includes("features.denseblock4.denselayer1.conv1.weight"));
  assert.ok(Object.keys(transfer.stateDict()).includes("classifier.weight"));
});

function changedKeys(before: Record<string, Tensor>, after: Record<string, Tensor>): string[] {
  return Object.keys(before).filter((k) => k in after && !before[k].equal(after[k]));
}

Deno.test("the whole task runs on the tiny DenseNet; fine-tuning changes only the unfrozen parameters", async () => {
  await withTemp(async (dir) => {
    using original = jit.load(TINY);
    const start = Object.fromEntries(Object.entries(original.stateDict()).map(([k, v]) => [k, v]));
    for (
      const [trainFrom, mayChange] of [
        ["classifier", /^classifier\./],
        ["denseblock4", /^(classifier\.|features\.denseblock4\.|features\.norm5\.)/],
      ] as const
    ) {
      const out = join(dir, trainFrom);
      const outcome = await runStudy(densenetTask, [...QUICK, "--png", "--train-from", trainFrom, "--out", out], {
        quiet: true,
      });
      assert.equal(outcome.status, "finished");
      for (const f of ["report.json", "report.md", "model.pt", "reliability_overlay.png", "training_curves.svg"]) {
        assert.ok(Deno.statSync(join(out, f)).size > 0, f);
      }
      const r = outcome.report!;
      assert.equal(r.task, "densenet");
      assert.equal(r.config["train-from"], trainFrom);
      assert.ok(Number.isFinite(r.calibration.before.eceTopLabel));
      assert.equal(r.calibration.before.accuracy, r.calibration.after.accuracy);
      const trained = load(join(out, "model.pt")) as Record<string, Tensor>;
      const changed = changedKeys(start, trained);
      assert.ok(changed.length > 0, "something trained");
      const wrong = changed.filter((k) => !mayChange.test(k));
      assert.deepEqual(wrong, [], `only the unfrozen parameters change (${trainFrom})`);
      if (trainFrom === "denseblock4") {
        assert.ok(changed.some((k) => k.startsWith("features.denseblock4.")), "the last block trained");
        assert.ok(!changed.some((k) => k.startsWith("features.denseblock3.")), "earlier blocks did not");
      }
      assert.ok(!("classifier.weight" in start) || trained["classifier.weight"].shape[0] === 1);
    }
  });
});

Deno.test("the feature cache gives the same head training as the uncached path", async () => {
  await withTemp(async (dir) => {
    const args = [...QUICK, "--no-augment", "--train-from", "classifier"];
    const cached = await runStudy(densenetTask, [...args, "--out", join(dir, "a")], { quiet: true });
    const again = await runStudy(densenetTask, [...args, "--out", join(dir, "b")], { quiet: true });
    const direct = await runStudy(densenetTask, [...args, "--no-cache", "--out", join(dir, "c")], { quiet: true });
    assert.equal(cached.report!.data.featuresCached, true);
    assert.equal(direct.report!.data.featuresCached, false);
    assert.ok([...Deno.readDirSync(join(dir, "cache"))].some((e) => e.name.startsWith("features-")), "cache file");
    assert.deepEqual(again.stepLosses, cached.stepLosses, "a second run reads the cache and trains the same");
    // the same features whether computed per training batch or once in order: the same training, to the bit
    assert.deepEqual(direct.stepLosses, cached.stepLosses);
    const a = cached.report!.calibration, c = direct.report!.calibration;
    assert.equal(a.temperature.temperature, c.temperature.temperature);
    assert.deepEqual(a.before, c.before);
  });
});

Deno.test("a DenseNet checkpoint holds only what trains and resumes exactly; other frozen weights are refused", async () => {
  await withTemp(async (dir) => {
    const base = ["--weights", TINY, "--limit", "200", "--epochs", "3", "--image-size", "32", "--device", "cpu"];
    for (
      const [trainFrom, trained] of [
        ["classifier", /^classifier\./],
        ["denseblock4", /^(classifier\.|features\.denseblock4\.|features\.norm5\.)/],
      ] as const
    ) {
      const args = [...base, "--train-from", trainFrom];
      const a = join(dir, `${trainFrom}-a`), b = join(dir, `${trainFrom}-b`);
      const whole = await runStudy(densenetTask, [...args, "--out", a], { quiet: true });
      // 180 training images: 3 batches per epoch; stop in the middle of the second epoch
      const first = await runStudy(densenetTask, [...args, "--out", b], { quiet: true, interruptAfterSteps: 4 });
      assert.equal(first.status, "interrupted");
      const path = join(b, "checkpoint.pt");
      const doc = load(path) as Record<string, unknown>;
      const keys = Object.keys(doc.model as Record<string, Tensor>);
      assert.ok(keys.includes("classifier.weight") && keys.includes("classifier.bias"), keys.join());
      assert.deepEqual(keys.filter((k) => !trained.test(k)), [], `only the trained part (${trainFrom})`);
      if (trainFrom === "denseblock4") {
        assert.ok(keys.includes("features.norm5.running_mean"), "the unfrozen tail's buffers too");
      }
      assert.match(doc.frozen as string, new RegExp(`^densenet\\|[0-9a-f]{64}\\|frozen-before-${trainFrom}$`));
      const rest = await runStudy(densenetTask, ["--resume", path], { quiet: true });
      assert.equal(rest.status, "finished");
      assert.deepEqual(rest.stepLosses, whole.stepLosses);
      assert.deepEqual(rest.report!.calibration.before, whole.report!.calibration.before);
      const wa = load(join(a, "model.pt")) as Record<string, Tensor>,
        wb = load(join(b, "model.pt")) as Record<string, Tensor>;
      assert.ok(Object.keys(wa).length > keys.length, "model.pt holds the whole model");
      for (const k of Object.keys(wa)) assert.ok(wa[k].equal(wb[k]), `${k} equal`);
    }
    // a checkpoint that leaves out other frozen weights, or whose trained part does not fit, is refused
    const b = join(dir, "bad");
    const args = [...base, "--train-from", "classifier", "--out", b];
    await runStudy(densenetTask, args, { quiet: true, interruptAfterSteps: 2 });
    const path = join(b, "checkpoint.pt");
    const doc = load(path) as Record<string, unknown>;
    await save(path, { ...doc, frozen: "densenet|0000|frozen-before-classifier" });
    await assert.rejects(
      () => runStudy(densenetTask, ["--resume", path], { quiet: true }),
      (e: Error) =>
        e instanceof CheckpointError && /leaves out frozen weights \(densenet\|0000\|/.test(e.message) &&
        /does not have/.test(e.message) && e.message.includes(path),
    );
    const model = { ...(doc.model as Record<string, Tensor>) };
    delete model["classifier.bias"];
    await save(path, { ...doc, model });
    await assert.rejects(
      () => runStudy(densenetTask, ["--resume", path], { quiet: true }),
      (e: Error) => e instanceof CheckpointError && /missing: classifier\.bias; unexpected: none/.test(e.message),
    );
  });
});

Deno.test("bad weights give clear errors: missing, not TorchScript, no features, unexpected width", async () => {
  const run = (weights: string) => runStudy(densenetTask, ["--weights", weights, "--limit", "50"], { quiet: true });
  await assert.rejects(() => run("/nonexistent/densenet121.pt"), (e: Error) => {
    assert.ok(e instanceof FlagError);
    assert.match(
      e.message,
      /--weights \/nonexistent\/densenet121\.pt: no such file\. Make one with `python3 scripts\/export_densenet121\.py/,
    );
    return true;
  });
  const saved = Deno.env.get("DENSENET_WEIGHTS");
  Deno.env.delete("DENSENET_WEIGHTS");
  try {
    await assert.rejects(
      () => runStudy(densenetTask, ["--limit", "50"], { quiet: true }),
      /no DenseNet weights given \(--weights <file\.pt>\)\. Make one with/,
    );
  } finally {
    if (saved !== undefined) Deno.env.set("DENSENET_WEIGHTS", saved);
  }
  await assert.rejects(
    () => run(fixturePath("serialize/golden_weights.pt")),
    /--weights .*golden_weights\.pt: .*(not a TorchScript|TorchScript)/,
  );
  await assert.rejects(() => run(fixturePath("densenet/no_features.pt")), /has no 'features' child \(it has body\)/);
  await assert.rejects(
    () => run(fixturePath("densenet/bad_width.pt")),
    /unexpected feature width: the 'features' of .* give 5 channels but its classifier takes 7 inputs/,
  );
});
