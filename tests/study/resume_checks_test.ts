// --resume trusts nothing in a checkpoint: every field is checked (type, range, consistency with the run), and a
// resumed run writes where the user says (--out) or next to the checkpoint, never into the folder recorded in it.

import assert from "node:assert/strict";
import { join } from "node:path";
import { load, save } from "../../mod.ts";
import { CheckpointError } from "../../study/checkpoint.ts";
import { runStudy } from "../../study/pipeline.ts";
import { lenetTask } from "../../study/tasks/lenet.ts";

const ARGS = ["--epochs", "2", "--limit", "300", "--threads", "1", "--device", "cpu"];

type Doc = Record<string, unknown>;

async function withInterruptedRun(fn: (root: string, checkpoint: string) => Promise<void>): Promise<void> {
  const root = Deno.makeTempDirSync({ prefix: "resume-checks-" });
  try {
    const a = join(root, "a");
    // 270 training images in batches of 64: 5 batches per epoch; interrupted after 2 steps (epoch 0, batch 2)
    const first = await runStudy(lenetTask, [...ARGS, "--out", a], { quiet: true, interruptAfterSteps: 2 });
    assert.equal(first.status, "interrupted");
    await fn(root, join(a, "checkpoint.pt"));
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

/** A copy of the checkpoint with `edit` applied, in a folder of its own. */
async function crafted(root: string, source: string, name: string, edit: (d: Doc) => void): Promise<string> {
  const d = load(source) as Doc;
  edit(d);
  const dir = join(root, name);
  Deno.mkdirSync(dir);
  const path = join(dir, "checkpoint.pt");
  await save(path, d);
  return path;
}

function snapshot(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  for (const e of Deno.readDirSync(dir)) {
    if (e.isFile) files.set(e.name, Array.from(Deno.readFileSync(join(dir, e.name))).join(","));
  }
  return files;
}

Deno.test("--resume: a crafted checkpoint with a bad field is refused, naming the field", async () => {
  await withInterruptedRun(async (root, source) => {
    const config = (d: Doc) => d.config as Doc;
    const running = (d: Doc) => d.running as Doc;
    const cases: [string, (d: Doc) => void, RegExp][] = [
      ["epochs-negative", (d) => (config(d).epochs = -3), /config\.epochs' must be an integer in \[1, 10000\], got -3/],
      // a huge epoch has no history to match it
      ["epoch-huge", (d) => (d.epoch = 1e9), /field 'history' must be one record per finished epoch \(1000000000\)/],
      ["epoch-past-run", (d) => {
        d.epoch = 3;
        d.batch = 0;
        (d.running as Doc).batches = 0;
        const h = { loss: 1, accuracy: 0.5, valLoss: 1, valAccuracy: 0.5, seconds: 1, imagesPerSecond: 1 };
        d.history = [1, 2, 3].map((epoch) => ({ epoch, ...h }));
      }, /field 'epoch' must be at most the run's 2 epochs, got 3/],
      ["batch-negative", (d) => (d.batch = -5), /field 'batch' must be a count of batches done .*got -5/],
      ["threads-huge", (d) => (config(d).threads = 1e9), /config\.threads' must be an integer in \[1, 1024\]/],
      ["seed-too-big", (d) => (config(d).seed = 2 ** 60), /config\.seed' must be an integer in/],
      [
        "batch-size-string",
        (d) => (config(d)["batch-size"] = "64"),
        /config\.batch-size' must be an integer.*got "64"/,
      ],
      ["lr-nan", (d) => (config(d).lr = NaN), /config\.lr' must be a number in \(0, 10\], got NaN/],
      ["device-unknown", (d) => (config(d).device = "tpu"), /config\.device' must be one of cpu, cuda, auto/],
      ["data-number", (d) => (config(d).data = 5), /config\.data' must be a string or null, got 5/],
      ["unknown-flag", (d) => (config(d).bogus = 1), /config has an unknown flag 'bogus'/],
      ["epoch-string", (d) => (d.epoch = "1"), /field 'epoch' must be a count .*got "1"/],
      ["batch-fraction", (d) => (d.batch = 1.5), /field 'batch' must be a count .*got 1\.5/],
      ["batch-past-epoch", (d) => {
        d.batch = 7;
        running(d).batches = 7;
      }, /field 'batch' must be below the 5 batches of an epoch, got 7/],
      ["running-mismatch", (d) => (running(d).batches = 4), /running\.batches' must be equal to batch \(2\)/],
      ["loss-nan", (d) => (running(d).lossSum = NaN), /running\.lossSum' must be a finite number, got NaN/],
      ["correct-above-seen", (d) => (running(d).correct = 1e6), /running\.correct' must be at most running\.seen/],
      ["history-without-epoch", (d) => (d.epoch = 1), /field 'history' must be one record per finished epoch \(1\)/],
      ["steps-missing", (d) => (d.step_losses = [0.5]), /field 'step_losses' must be one loss per step done \(2\)/],
      ["rng-wrong", (d) => (d.rng_cpu = 3), /field 'rng_cpu' must be a generator state/],
      ["model-not-tensors", (d) => ((d.model as Doc)["features.0.weight"] = [1, 2]), /model\.features\.0\.weight/],
      ["version", (d) => (d.version = 7), /field 'version' must be 1/],
    ];
    for (const [name, edit, message] of cases) {
      const path = await crafted(root, source, name, edit);
      await assert.rejects(() => runStudy(lenetTask, ["--resume", path], { quiet: true }), (e: Error) => {
        assert.ok(e instanceof CheckpointError, `${name}: ${e}`);
        assert.match(e.message, message, name);
        assert.ok(e.message.startsWith(`${path} is not a usable checkpoint`), name);
        return true;
      });
      assert.deepEqual(
        [...Deno.readDirSync(join(root, name))].map((e) => e.name),
        ["checkpoint.pt"],
        `${name}: nothing written`,
      );
    }
  });
});

Deno.test("--resume: a copied checkpoint writes next to the copy (or to --out), never over the original run", async () => {
  await withInterruptedRun(async (root, source) => {
    const a = join(root, "a");
    const before = snapshot(a);
    const copy = join(root, "copy");
    Deno.mkdirSync(copy);
    Deno.copyFileSync(source, join(copy, "checkpoint.pt"));
    const resumed = await runStudy(lenetTask, ["--resume", join(copy, "checkpoint.pt")], { quiet: true });
    assert.equal(resumed.status, "finished");
    assert.equal(resumed.outDir, copy);
    assert.ok(Deno.statSync(join(copy, "report.json")).size > 0);
    assert.match(
      Deno.readTextFileSync(join(copy, "log.txt")),
      /the checkpoint's run wrote to .*\/a; this resumed run writes to .*\/copy \(the checkpoint's folder\)/,
    );
    assert.deepEqual(snapshot(a), before, "the original run's folder is untouched");

    const elsewhere = join(root, "elsewhere");
    const again = await runStudy(lenetTask, ["--resume", source, "--out", elsewhere], { quiet: true });
    assert.equal(again.outDir, elsewhere);
    assert.ok(Deno.statSync(join(elsewhere, "model.pt")).size > 0);
    assert.deepEqual(snapshot(a), before, "--out leaves the checkpoint's folder untouched too");
  });
});
