import assert from "node:assert/strict";
import { measureDecodeThroughput } from "../../datasets/cifar10/throughput.ts";
import { syntheticCifarDir } from "./helpers.ts";

Deno.test("measureDecodeThroughput reports sizes, times and GB/s", () => {
  const dir = syntheticCifarDir(20);
  try {
    const t = measureDecodeThroughput(dir, { runs: 1 });
    assert.equal(t.records, 100);
    assert.equal(t.bytes, 100 * 3073);
    assert.ok(t.decodeSeconds > 0 && t.readSeconds > 0);
    assert.ok(Math.abs(t.decodeGBps - t.bytes / t.decodeSeconds / 1e9) < 1e-12);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
