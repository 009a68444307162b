import assert from "node:assert/strict";
import { makeRow, markdownTable, type Measured, pairedRounds } from "../../bench/runner.ts";
import { pairedRatios } from "../../bench/stats.ts";

Deno.test("pairedRatios takes the ratio within each pair, then the median, min and max", () => {
  assert.deepEqual(pairedRatios([1, 2, 3], [2, 2, 2]), { median: 1, min: 0.5, max: 1.5, n: 3 });
  // a drift that slows both sides alike cancels out of every pair's ratio
  assert.deepEqual(pairedRatios([1, 2, 4, 8], [2, 4, 8, 16]), { median: 0.5, min: 0.5, max: 0.5, n: 4 });
  assert.throws(() => pairedRatios([1, 2], [1]), /pairedRatios: 2 rounds against 1/);
});

Deno.test("pairedRounds alternates the order (A B, B A, ...) and keeps each round's median", async () => {
  const order: string[] = [];
  let t = 0;
  const side = (name: string) => (): Promise<Measured> => {
    order.push(name);
    t += 1;
    return Promise.resolve({ case: [t, t + 10, t + 20] }); // median t + 10
  };
  const m = await pairedRounds(3, { a: side("a"), b: side("b"), none: null });
  assert.deepEqual(order, ["a", "b", "b", "a", "a", "b"]);
  assert.deepEqual(m.rounds.a.case, [11, 14, 15]);
  assert.deepEqual(m.rounds.b.case, [12, 13, 16]);
  assert.equal(m.raw.a.length, 3);
  assert.equal(m.rounds.none, undefined);
});

Deno.test("makeRow and markdownTable report the per-round ratios with their min-max", () => {
  const row = makeRow("per-op add", "us/op", false, [1, 1.2, 0.9], [2, 2, 2], [0.5, 0.6, 0.45], {
    text: "<= 0.75x PyTorch",
    check: (r) => r.ratio! <= 0.75,
  });
  assert.equal(row.ratio, 0.5);
  assert.deepEqual(row.ratios, { median: 0.5, min: 0.45, max: 0.6, n: 3 });
  assert.equal(row.floorRatio, 2);
  assert.equal(row.met, true);
  const table = markdownTable([row, makeRow("one round", "s", false, [3], [4], undefined)]);
  assert.match(
    table,
    /\| per-op add \| us\/op \| 1\.00 \| 2\.00 \| 0\.50x \(0\.45-0\.60\) \| 0\.500 \| 2\.00x \(2\.00-2\.00\) \|/,
  );
  assert.match(table, /\| one round \| s \| 3\.00 \| 4\.00 \| 0\.75x \| - \| - \| - \| - \|/);
});
