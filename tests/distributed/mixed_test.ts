// A group of one Deno rank and one PyTorch-Python rank (torch.distributed, gloo, /usr/bin/python3), both
// meeting at the same TCPStore: collectives agree, and the two train the DDP fixture's MLP together to
// exactly PyTorch's DDP result. Each order of ranks is tried (the store's server is rank 0's).
import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { fromBytes } from "../../mod.ts";
import { assertTensorExact, fixtureTensor } from "../fixture.ts";
import { assertAllOk, freePort, pythonTorchAvailable, runGroup, worker } from "./helpers.ts";
import { ddpFixture } from "./mlp.ts";

function mixed(denoRank: number, mode: string) {
  const port = String(freePort());
  return runGroup(
    [0, 1].map((r) => ({
      script: worker(r === denoRank ? "mixed_worker.ts" : "python_rank.py"),
      args: [String(r), "2", port, mode],
    })),
    90_000,
  );
}

const ignore = !pythonTorchAvailable();

for (const denoRank of [0, 1]) {
  Deno.test({
    name: `Deno rank ${denoRank} + Python rank ${1 - denoRank}: allReduce, broadcast, allGather, send/recv agree`,
    ignore,
  }, async () => {
    const results = await mixed(denoRank, "collectives");
    assertAllOk(results);
    const f = Math.fround;
    for (const [r, { result: x }] of results.entries()) {
      assertEquals([x.rank, x.world], [r, 2]);
      assertEquals(x.sum, [1.5 + 2.5, -2, 14]);
      // JSON turns -0 into 0 on the Deno side only: compare with the sign of zero dropped
      const z = (a: number[]) => a.map((v) => v + 0);
      assertEquals(z(x.product), [1.5 * 2.5, 0, 49]);
      assertEquals(x.min, [1.5, -2, 7]);
      assertEquals(z(x.max), [2.5, 0, 7]);
      assertEquals(x.broadcast, [0, 1]);
      assertEquals(x.allGather.map(z), [[0, 0.25, 0], [1, 1.25, -1]]);
      assertEquals(x.recv, [f(10 + (1 - r)), f(20 + (1 - r))]);
    }
  });

  Deno.test({
    name: `Deno rank ${denoRank} + Python rank ${
      1 - denoRank
    } train together: both end at PyTorch DDP's parameters, to the bit`,
    ignore,
  }, async () => {
    const results = await mixed(denoRank, "train");
    assertAllOk(results);
    for (const [r, { result: x }] of results.entries()) {
      assertEquals(
        x.losses,
        ddpFixture.values.ddpLosses[r],
        `rank ${r} (${r === denoRank ? "Deno" : "Python"}) losses`,
      );
      x.params.forEach((values: number[], i: number) => {
        using expected = fixtureTensor(ddpFixture, `ddp.${i}`);
        using got = fromBytes(new Uint8Array(new Float32Array(values).buffer), "float32", expected.shape);
        assertTensorExact(got, expected, `rank ${r} parameter ${i}`);
      });
    }
  });
}
