// Every collective's values on 2 and 3 Deno ranks (subprocesses meeting on 127.0.0.1), the errors of bad
// arguments, and that waiting never blocks the event loop.
import assert, { deepStrictEqual as assertEquals, match } from "node:assert/strict";

function assertAlmostEquals(actual: number, expected: number, tol: number): void {
  assert(Math.abs(actual - expected) <= tol, `${actual} is not within ${tol} of ${expected}`);
}
import { assertAllOk, runRanks } from "./helpers.ts";

for (const n of [2, 3]) {
  Deno.test(`collectives on ${n} ranks: allReduce (every op), broadcast, allGather, send/recv, barrier`, async () => {
    const results = await runRanks("collectives_worker.ts", n, [], 60_000);
    assertAllOk(results);
    const ranks = [...Array(n).keys()];
    const sum = (f: (r: number) => number) => ranks.reduce((a, r) => a + f(r), 0);
    const prod = (f: (r: number) => number) => ranks.reduce((a, r) => a * f(r), 1);
    const min = (f: (r: number) => number) => Math.min(...ranks.map(f));
    const max = (f: (r: number) => number) => Math.max(...ranks.map(f));
    const fl = [(r: number) => r + 1, (r: number) => -(r + 1) * 0.5, (r: number) => 3 - r];
    const il = [(r: number) => r + 1, (r: number) => 10 - 3 * r];
    for (const [r, { result: x }] of results.entries()) {
      assertEquals([x.rank, x.worldSize, x.backend], [r, n, "gloo"]);
      assertEquals(x["float32.sum"], fl.map(sum));
      assertEquals(x["float32.product"], fl.map(prod));
      assertEquals(x["float32.min"], fl.map(min));
      assertEquals(x["float32.max"], fl.map(max));
      assertEquals(x["float32.avg"], fl.map((f) => Math.fround(sum(f) / n)));
      assertEquals(x["int64.sum"], il.map(sum));
      assertEquals(x["param.avg"], [sum((q) => q + 1) / n, sum((q) => 2 * q) / n]);
      assertEquals(x["int64.product"], il.map(prod));
      assertEquals(x["int64.min"], il.map(min));
      assertEquals(x["int64.max"], il.map(max));
      // float64 average: sum (in Gloo's order), then / n; the same bits on every rank
      assertAlmostEquals(x["float64.avg"][0], sum((q) => 1 + q / 10) / n, 1e-15);
      assertAlmostEquals(x["float64.avg"][1], sum((q) => 2 + q / 10) / n, 1e-15);
      assertEquals(x["float64.avg"], results[0].result["float64.avg"]);
      assertEquals(x["int64.avg.error"], 'TorchError: allReduce: op "avg" needs a floating point tensor (got Long)');
      assertEquals(x.broadcast, [(n - 1) * 7, (n - 1) * 7 + 1]);
      assertEquals(x.disposedEarlyCompleted, true);
      assertEquals(x.allGather, ranks.map((q) => [q, q * q]));
      assertEquals(x.recv, [0, 1, 2].map((k) => ((r + n - 1) % n) * 10 + k));
      assertEquals(
        x["allGather.length.error"],
        `RangeError: allGather: tensorList must hold worldSize (${n}) tensors, got 1`,
      );
      assertEquals(
        x["allGather.shape.error"],
        "TypeError: allGather: tensorList[0] must have the dtype and shape of the tensor (float32 [2]), got float32 [3]",
      );
      // LibTorch 1.13's Gloo has no reduce_scatter; PyTorch-Python raises the same message
      assertEquals(
        x["reduceScatter.error"],
        "TorchError: reduceScatter: ProcessGroupGloo does not support reduce_scatter",
      );
      assertEquals(x["broadcast.src.error"], `RangeError: broadcast: src must be a rank in [0, ${n - 1}], got ${n}`);
      assertEquals(x["send.self.error"], `RangeError: send: dst must be another rank than this one (${r})`);
      assertEquals(
        x["allReduce.op.error"],
        "TypeError: allReduce: op must be one of sum, avg, product, min, max, got mean",
      );
      assertEquals(
        x["allReduce.noncontiguous.error"],
        "TorchError: allReduce: tensor must be contiguous (call .contiguous() first)",
      );
      assertEquals(x.liveTensorsLeaked, 0);
      assertEquals(x.initializedAfterDestroy, false);
      // the last rank joined 300 ms late: the others' timers kept firing while they waited
      if (r !== n - 1) {
        assert(x.ticksDuringWait >= 5, `rank ${r}: only ${x.ticksDuringWait} timer ticks during the wait`);
      }
    }
  });
}

Deno.test("collectives before initProcessGroup are a clear error", async () => {
  const dist = await import("../../distributed/mod.ts");
  const { ones } = await import("../../mod.ts");
  using t = ones([2]);
  for (const fn of [() => dist.allReduce(t), () => dist.barrier(), () => dist.getRank()]) {
    try {
      fn();
      throw new Error("no error");
    } catch (e) {
      match(String(e), /the default process group has not been initialized \(call initProcessGroup first\)/);
    }
  }
});
