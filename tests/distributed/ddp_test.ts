// DistributedDataParallel on Deno ranks (subprocesses on 127.0.0.1) against PyTorch's own DDP
// (fixture from scripts/fixtures/gen_distributed.py) and against one process with the whole batch.
//
// How exactly they agree:
// - Deno DDP on 2 ranks equals PyTorch DDP on 2 ranks to the bit (losses and final parameters): each rank
//   runs the same operators as PyTorch's rank, and the reducer's arithmetic is the same (each gradient
//   times 1/2 as it enters its bucket, then a sum over 2 ranks, which is exact and order-free).
// - DDP with batch 32 on each of 2 ranks vs one process with batch 64 agree to 1.5e-8 here, not to the
//   bit: the loss's mean over 64 and the weight gradients' sums over the batch (matrix products) are
//   evaluated as two halves and then added, in another order of floating point additions than one sum
//   over 64 rows. PyTorch's DDP differs from its single process in the same way, by the same amount
//   (checked: the fixture's PyTorch DDP parameters differ from its single-process ones as ours do).
// - Gradient accumulation with noSync (2 micro-batches of 16) vs batch 32 per rank: the same kind of
//   reordering, about 1e-7.
import assert, { deepStrictEqual as assertEquals } from "node:assert/strict";
import { assertTensorExact, fixtureTensor } from "../fixture.ts";
import { type Tensor, tensor, tidy } from "../../mod.ts";
import { assertAllOk, runRanks } from "./helpers.ts";
import { ddpFixture, fixtureMlp, fixtureSgd, lossOf } from "./mlp.ts";

const { steps, perRank } = ddpFixture.values;

function paramTensors(flat: number[][]): Tensor[] {
  return flat.map((values, i) => {
    using like = fixtureTensor(ddpFixture, `init.${i}`);
    return tidy(() => tensor(new Float32Array(values)).reshape(like.shape));
  });
}

function maxAbsDiff(a: Tensor[], b: Tensor[]): number {
  return Math.max(...a.map((t, i) => {
    using d = t.sub(b[i]).abs().max();
    return d.item();
  }));
}

function fixtureParams(prefix: string): Tensor[] {
  return Array.from({ length: 6 }, (_, i) => fixtureTensor(ddpFixture, `${prefix}.${i}`));
}

let plain: Tensor[] | null = null;

Deno.test("DDP on 2 Deno ranks equals PyTorch's DDP on 2 ranks to the bit (losses, parameters)", async () => {
  const results = await runRanks("ddp_worker.ts", 2, ["plain"], 90_000);
  assertAllOk(results);
  const expected = fixtureParams("ddp");
  for (const [r, { result: x }] of results.entries()) {
    assertEquals(x.losses, ddpFixture.values.ddpLosses[r], `rank ${r} losses`);
    const got = paramTensors(x.params);
    got.forEach((t, i) => assertTensorExact(t, expected[i], `rank ${r} parameter ${i}`));
    if (r === 0) plain = got;
    else got.forEach((t) => t.dispose());
    // one bucket (the model is under the first bucket's 1 MiB), parameters in reverse order
    assertEquals(x.buckets, [[5, 4, 3, 2, 1, 0]]);
    assertEquals(x.stateDictKeys, [
      "module.0.weight",
      "module.0.bias",
      "module.2.weight",
      "module.2.bias",
      "module.4.weight",
      "module.4.bias",
    ]);
    assertEquals(x.liveGrowthAfterFirstStep, 0);
    assertEquals(x.gradsDifferInsideNoSync, false);
  }
  expected.forEach((t) => t.dispose());
});

Deno.test("DDP with 2 x batch 32 vs one process with batch 64: equal to 1.5e-8, as PyTorch DDP (summation order)", () => {
  assert(plain !== null, "the previous test must run first");
  // our single process equals PyTorch's single process to the bit
  const net = fixtureMlp();
  const opt = fixtureSgd(net);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    using loss = lossOf(net, s, 0, 2 * perRank);
    loss.backward();
    opt.step();
    losses.push(loss.item());
  }
  assertEquals(losses, ddpFixture.values.singleLosses);
  const single = net.parameters();
  const pySingle = fixtureParams("single");
  single.forEach((t, i) => assertTensorExact(t, pySingle[i], `single-process parameter ${i}`));
  const ours = maxAbsDiff(plain, single);
  const pyDdp = fixtureParams("ddp");
  const theirs = maxAbsDiff(pyDdp, pySingle);
  assert(ours < 1e-6, `DDP vs single process: max |diff| ${ours}`);
  assertEquals(ours, theirs); // the same difference as PyTorch's DDP vs its single process
  assert(ours > 0, "expected the summation order to show in the last bits");
  [...pySingle, ...pyDdp, ...plain].forEach((t) => t.dispose());
  opt.zeroGrad();
  net.dispose();
});

Deno.test("noSync: 2 accumulated micro-batches equal one batch per rank to about 1e-7; nothing exchanged inside", async () => {
  const results = await runRanks("ddp_worker.ts", 2, ["accum"], 90_000);
  assertAllOk(results);
  const expected = fixtureParams("ddp");
  const first = paramTensors(results[0].result.params);
  for (const [r, { result: x }] of results.entries()) {
    assertEquals(x.gradsDifferInsideNoSync, true, `rank ${r}: gradients were exchanged inside noSync`);
    const got = paramTensors(x.params);
    got.forEach((t, i) => assertTensorExact(t, first[i], `rank ${r} parameter ${i} vs rank 0`));
    const diff = maxAbsDiff(got, expected);
    assert(diff < 1e-6, `rank ${r}: accumulated vs plain DDP max |diff| ${diff}`);
    x.losses.forEach((l: number, s: number) => assert(Math.abs(l - ddpFixture.values.ddpLosses[r][s]) < 1e-6));
    got.forEach((t) => t.dispose());
  }
  [...expected, ...first].forEach((t) => t.dispose());
});

Deno.test("DDP on 3 ranks with 2 buckets: every rank ends with the mean of the ranks' gradients", async () => {
  const results = await runRanks("ddp_worker.ts", 3, ["big"], 90_000);
  assertAllOk(results);
  for (const { result: x } of results) {
    assertEquals(x.buckets, [[3, 2], [1, 0]]);
    assertEquals(x.ranksDifferedBefore, true);
    assertEquals(x.sameOnEveryRank, true);
    // PyTorch's order: each gradient times 1/3, then the sum; vs (g0 + g1 + g2) / 3: last-bit differences
    assert(x.maxDiffFromMean < 1e-8, `max |diff| from the mean ${x.maxDiffFromMean}`);
  }
});
