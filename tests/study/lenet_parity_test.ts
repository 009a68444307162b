import assert from "node:assert/strict";
import { runStudy } from "../../study/pipeline.ts";
import { lenetTask } from "../../study/tasks/lenet.ts";
import { assertValuesExact, fixtureTensor, loadFixture } from "../fixture.ts";

const fx = loadFixture("study/lenet_pipeline");

Deno.test("deno task lenet --seed 0: the first 50 training losses equal the PyTorch-Python pipeline's", async () => {
  const out = Deno.makeTempDirSync({ prefix: "lenet-parity-" });
  try {
    const outcome = await runStudy(lenetTask, ["--seed", "0", "--threads", "1", "--device", "cpu", "--out", out], {
      quiet: true,
      maxSteps: 50,
    });
    assert.equal(outcome.status, "stopped");
    const expected = fixtureTensor(fx, "losses").data() as Float32Array;
    assert.equal(outcome.stepLosses.length, 50);
    assertValuesExact(outcome.stepLosses, expected, "step losses");
  } finally {
    Deno.removeSync(out, { recursive: true });
  }
});
