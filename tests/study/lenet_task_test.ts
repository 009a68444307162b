import assert from "node:assert/strict";
import { join } from "node:path";
import { load, type Tensor } from "../../mod.ts";
import { FlagError } from "../../study/flags.ts";
import { runStudy } from "../../study/pipeline.ts";
import { lenetTask } from "../../study/tasks/lenet.ts";

const QUICK = ["--epochs", "1", "--limit", "300", "--threads", "1", "--device", "cpu"];

function tempDir(): string {
  return Deno.makeTempDirSync({ prefix: "lenet-task-" });
}

Deno.test("a short run writes every output file, each with the fields a reader needs", async () => {
  const out = tempDir();
  try {
    const outcome = await runStudy(lenetTask, [...QUICK, "--png", "--out", out], { quiet: true });
    assert.equal(outcome.status, "finished");
    for (
      const f of [
        "report.json",
        "report.md",
        "model.pt",
        "checkpoint.pt",
        "log.txt",
        ...[
          "reliability_uncalibrated",
          "reliability_calibrated",
          "reliability_overlay",
          "reliability_grid",
          "training_curves",
        ]
          .flatMap((b) => [`${b}.svg`, `${b}.png`]),
      ]
    ) assert.ok(Deno.statSync(join(out, f)).size > 0, `${f} exists and is not empty`);
    assert.deepEqual([...Deno.readDirSync(out)].filter((e) => e.name.includes(".tmp")), [], "no temporary files");

    const r = JSON.parse(Deno.readTextFileSync(join(out, "report.json")));
    assert.equal(r.task, "lenet");
    assert.equal(r.config.epochs, 1);
    assert.equal(r.config.limit, 300);
    assert.match(r.environment.libtorch, /^\d+\.\d+/);
    assert.equal(r.environment.device, "cpu");
    assert.deepEqual(r.data.counts, { train: 270, val: 30, test: 300 });
    assert.deepEqual(r.data.labels, { bird: 0, cat: 1 });
    assert.equal(r.data.mean.length, 3);
    assert.equal(r.training.history.length, 1);
    assert.equal(r.training.stepLosses.length, 5); // ceil(270 / 64)
    for (const k of ["loss", "accuracy", "valLoss", "valAccuracy", "seconds", "imagesPerSecond"]) {
      assert.equal(typeof r.training.history[0][k], "number", k);
    }
    const c = r.calibration;
    for (const m of [c.before, c.after]) {
      for (const k of ["accuracy", "nll", "brier", "eceTopLabel", "mceTopLabel", "ecePositive", "mcePositive"]) {
        assert.ok(Number.isFinite(m[k]), k);
      }
      assert.equal(m.bins.length, 10);
    }
    assert.equal(c.before.accuracy, c.after.accuracy, "temperature scaling leaves accuracy unchanged");
    assert.ok(c.temperature.temperature > 0);
    assert.ok(c.sweep.some((s: { temperature: number }) => s.temperature === c.temperature.temperature));
    assert.ok(c.sweep.some((s: { temperature: number }) => s.temperature === 1));
    for (const k of ["data", "train", "evaluate", "calibrate", "total"]) assert.ok(r.timings[k] >= 0, k);
    // the process's resident memory (Linux): the peak holds the loaded data's, and the test process's own
    const mem = r.memory;
    assert.ok(mem.afterLoadMiB > 0 && mem.atEndMiB > 0, JSON.stringify(mem));
    assert.ok(mem.peakMiB >= mem.afterLoadMiB && mem.peakMiB >= mem.atEndMiB, JSON.stringify(mem));

    const md = Deno.readTextFileSync(join(out, "report.md"));
    assert.match(md, /whole run \d+\.\d s, peak memory \d+ MiB resident \(\d+ MiB once the data was loaded\)\./);
    assert.match(md, /\| top-label ECE \| \d\.\d{4} \| \d\.\d{4} \|/);
    assert.match(md, /\| top-label ECE, 95% bootstrap CI \| \[\d\.\d{4}, \d\.\d{4}\] \| \[\d\.\d{4}, \d\.\d{4}\] \|/);
    assert.match(md, /Top-label ECE \d+\.\d{2}% \(CI \d+\.\d{2}% to \d+\.\d{2}%\) before and \d+\.\d{2}% \(CI /);
    for (const m of [c.before, c.after]) {
      assert.ok(m.eceInterval.lower <= m.eceTopLabel && m.eceTopLabel <= m.eceInterval.upper + 1e-12, "ECE in its CI");
      assert.equal(m.eceInterval.resamples, 1000);
    }
    assert.match(Deno.readTextFileSync(join(out, "reliability_uncalibrated.svg")), /bootstrap CI/);
    assert.match(md, /!\[uncalibrated\]\(reliability_uncalibrated\.png\)/);
    assert.match(md, /the study reports LeNet top-label ECE 0\.11/);
    const png = Deno.readFileSync(join(out, "reliability_overlay.png"));
    assert.deepEqual([...png.subarray(0, 8)], [137, 80, 78, 71, 13, 10, 26, 10]);
    assert.match(Deno.readTextFileSync(join(out, "training_curves.svg")), /<svg/);

    const weights = load(join(out, "model.pt")) as Record<string, Tensor>;
    assert.deepEqual(Object.keys(weights).slice(0, 3), ["features.0.weight", "features.0.bias", "features.1.weight"]);
    assert.deepEqual(weights["classifier.7.weight"].shape, [1, 84]);
    assert.match(Deno.readTextFileSync(join(out, "log.txt")), /test accuracy/);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("an interrupted run resumed from its checkpoint ends exactly as an uninterrupted one", async () => {
  const a = tempDir(), b = tempDir();
  const args = ["--epochs", "3", "--limit", "400", "--threads", "1", "--device", "cpu"];
  try {
    const whole = await runStudy(lenetTask, [...args, "--out", a], { quiet: true });
    // 360 training images: 6 batches per epoch; stop in the middle of the second epoch
    const first = await runStudy(lenetTask, [...args, "--out", b], { quiet: true, interruptAfterSteps: 8 });
    assert.equal(first.status, "interrupted");
    assert.equal(first.stepLosses.length, 8);
    const rest = await runStudy(lenetTask, ["--resume", join(b, "checkpoint.pt")], { quiet: true });
    assert.equal(rest.status, "finished");
    assert.equal(rest.outDir, b);
    assert.deepEqual(rest.stepLosses, whole.stepLosses);
    assert.deepEqual(
      rest.report!.training.history.map((h) => [h.loss, h.valLoss]),
      whole.report!.training.history.map((
        h,
      ) => [h.loss, h.valLoss]),
    );
    assert.deepEqual(rest.report!.calibration.before, whole.report!.calibration.before);
    assert.deepEqual(rest.report!.calibration.temperature, whole.report!.calibration.temperature);
    assert.equal(rest.report!.training.resumed, true);
    const wa = load(join(a, "model.pt")) as Record<string, Tensor>,
      wb = load(join(b, "model.pt")) as Record<string, Tensor>;
    for (const k of Object.keys(wa)) assert.ok(wa[k].equal(wb[k]), `${k} equal`);
  } finally {
    Deno.removeSync(a, { recursive: true });
    Deno.removeSync(b, { recursive: true });
  }
});

Deno.test("Ctrl-C during training saves a checkpoint and says how to resume", async () => {
  const out = tempDir();
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../scripts/lenet.ts", import.meta.url).pathname,
        "--epochs",
        "200",
        "--limit",
        "400",
        "--out",
        out,
        "--device",
        "cpu",
      ],
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const reader = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    while (!/epoch 2\/200:/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    child.kill("SIGINT");
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    const status = await child.status;
    await child.stderr.cancel();
    assert.equal(status.code, 130, text);
    assert.match(text, /checkpoint saved: .*checkpoint\.pt/);
    assert.match(text, /resume with: deno task lenet --resume .*checkpoint\.pt/);
    assert.ok(Deno.statSync(join(out, "checkpoint.pt")).size > 0);
    assert.match(Deno.readTextFileSync(join(out, "log.txt")), /interrupted/);
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});

Deno.test("bad flags name the flag and the allowed values", async () => {
  const cases: [string[], RegExp][] = [
    [["--epochs", "0"], /--epochs must be an integer in \[1, 10000\], got 0/],
    [["--epochs", "two"], /--epochs must be an integer in \[1, 10000\], got 'two'/],
    [["--lr=-1"], /--lr must be a number in \(0, 10\], got -1/],
    [["--lr", "-1"], /argument is ambiguous/],
    [["--val-fraction", "1.5"], /--val-fraction must be a number in \(0, 0\.9\], got 1\.5/],
    [["--device", "tpu"], /--device must be one of cpu, cuda, auto, got 'tpu'/],
    [["--bins", "0"], /--bins must be an integer in \[1, 1000\], got 0/],
    [["--dropout", "1"], /--dropout must be a number in \[0, 0\.99\], got 1/],
    [["--bogus"], /unknown flag '--bogus' \(see --help\)/],
    [["--bns", "3"], /unknown flag '--bns' \(did you mean '--bins'\?\)/],
    [["--bins", "0x10"], /--bins must be an integer in \[1, 1000\], got '0x10'/],
    [["--resume", "/nonexistent/checkpoint.pt"], /--resume \/nonexistent\/checkpoint\.pt: no such file/],
  ];
  for (const [args, message] of cases) {
    await assert.rejects(() => runStudy(lenetTask, args, { quiet: true }), (e: Error) => {
      assert.ok(e instanceof FlagError, `${args.join(" ")}: ${e}`);
      assert.match(e.message, message);
      return true;
    });
  }
});

Deno.test("a missing data folder that cannot be downloaded names the URL and the flag", async () => {
  const empty = tempDir();
  Deno.env.set("DENOTORCH_CIFAR10_URL", "http://127.0.0.1:9/cifar-10-binary.tar.gz");
  try {
    await assert.rejects(
      () =>
        runStudy(lenetTask, ["--data", join(empty, "cifar"), "--download", "--out", join(empty, "run")], {
          quiet: true,
        }),
      /CIFAR-10 \(binary version\) is not in .*cifar, and downloading it failed: .*\nDownload http:\/\/127\.0\.0\.1:9\/cifar-10-binary\.tar\.gz yourself, unpack it, and pass its cifar-10-batches-bin folder with --data <folder>/,
    );
  } finally {
    Deno.env.delete("DENOTORCH_CIFAR10_URL");
    Deno.removeSync(empty, { recursive: true });
  }
});

Deno.test("--help lists every flag with its default", async () => {
  const printed: string[] = [];
  const original = console.log;
  console.log = (s: string) => printed.push(s);
  try {
    assert.equal((await runStudy(lenetTask, ["--help"])).status, "help");
  } finally {
    console.log = original;
  }
  const text = printed.join("\n");
  for (const f of ["--data", "--epochs", "--batch-size", "--lr", "--seed", "--val-fraction", "--device", "--threads"]) {
    assert.match(text, new RegExp(`${f} `));
  }
  for (const f of ["--bins", "--out", "--resume", "--dropout"]) assert.match(text, new RegExp(`${f} `));
  assert.match(text, /default 20; \[1, 10000\]/);
});
