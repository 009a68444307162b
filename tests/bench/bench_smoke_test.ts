import assert from "node:assert/strict";
import { join } from "node:path";
import { fixturePath } from "../fixture.ts";

// The benchmark's --quick mode as a smoke test: every case runs and reports sane figures. Timings are
// never asserted (machines are noisy); PyTorch-Python is left out so that CI needs no Python.
Deno.test("deno task bench --quick runs every case and writes its JSON and table", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "bench-" });
  try {
    const out = join(dir, "bench.json");
    const result = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "-A",
        new URL("../../scripts/bench.ts", import.meta.url).pathname,
        "--quick",
        "--no-python",
        "--densenet",
        fixturePath("densenet/tiny_densenet.pt"),
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(result.stdout);
    assert.ok(result.success, new TextDecoder().decode(result.stderr));
    assert.match(stdout, /\| case \| unit \| denotorch \| PyTorch-Python \| ratio \| C\+\+ floor/);
    const json = JSON.parse(Deno.readTextFileSync(out));
    assert.equal(json.quick, true);
    assert.equal(json.threads, 1);
    const names = json.rows.map((r: { name: string }) => r.name);
    for (
      const n of [
        "per-op add_2x2",
        "per-op matmul_4x4",
        "per-op sum_16x16",
        "LeNet train epoch",
        "LeNet inference (test split)",
        "LeNet training peak RSS",
        "DenseNet-121 64 px",
        "CIFAR decode",
        "CIFAR decode + normalise",
        "DDP LeNet train, 1 proc",
        "DDP LeNet train, 2 procs",
        "DDP LeNet scaling 2/1 procs",
        "deno task lenet, end to end (1 epoch)",
        "LeNet task: training (with validation, checkpoints)",
        "deno task densenet, cached features, end to end (2 epochs)",
        "DenseNet task: feature extraction",
        "DenseNet task: head training on cached features",
      ]
    ) assert.ok(names.includes(n), `row ${n}`);
    for (const r of json.rows) {
      assert.ok(Number.isFinite(r.ours.median) && r.ours.median > 0, `${r.name}: ${r.ours.median}`);
      assert.equal(r.python, undefined);
    }
    const op = json.rows.find((r: { name: string }) => r.name === "per-op add_2x2");
    assert.ok(op.floor === undefined || op.floor.median > 0, "the C++ floor ran, or was reported missing");
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
