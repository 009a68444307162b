// `deno task lenet --nproc 2`: the study trained data-parallel on 2 processes writes one run folder, rank 0's,
// with each rank taking half of the training split at half the batch size; ranks > 0 leave nothing behind.
import assert, { deepStrictEqual as assertEquals } from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { RANK_ENV } from "./helpers.ts";

const LENET = fileURLToPath(new URL("../../scripts/lenet.ts", import.meta.url));
const DATA = Deno.env.get("CIFAR10_DIR") ??
  fileURLToPath(new URL("../../../shared/data/cifar-10-batches-bin", import.meta.url));

Deno.test({
  name: "lenet --nproc 2: one report from rank 0, each rank half the data at batch 32",
  ignore: !existsSync(DATA),
}, async () => {
  const out = Deno.makeTempDirSync({ prefix: "lenet-ddp-" });
  const before = new Set([...Deno.readDirSync(Deno.env.get("TMPDIR") ?? "/tmp")].map((e) => e.name));
  try {
    const child = new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        LENET,
        "--nproc",
        "2",
        "--epochs",
        "1",
        "--limit",
        "300",
        "--threads",
        "1",
        "--data",
        DATA,
        "--out",
        out,
      ],
      env: RANK_ENV,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    const r = await child.output();
    clearTimeout(timer);
    const stdout = new TextDecoder().decode(r.stdout);
    assertEquals(r.code, 0, stdout + new TextDecoder().decode(r.stderr));
    assert.match(stdout, /\[rank 0\] data-parallel: rank 0 of 2, 135 training items/);
    const report = JSON.parse(Deno.readTextFileSync(`${out}/report.json`));
    assertEquals(report.data.counts, { train: 270, val: 30, test: 300 });
    assertEquals(report.training.stepLosses.length, 5); // ceil(135 / 32) steps on each rank
    assert.ok(Number.isFinite(report.calibration.after.nll));
    const left = [...Deno.readDirSync(Deno.env.get("TMPDIR") ?? "/tmp")].filter((e) =>
      !before.has(e.name) && e.name.startsWith("lenet-rank")
    );
    assertEquals(left, [], "rank 1's temporary run folder was removed");
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
