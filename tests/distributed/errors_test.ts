// Failures are clear errors within the timeout, never hangs: a rank that dies, one that stays silent,
// ranks that never join, a port in use, bad initMethods and options.
import assert, { deepStrictEqual as assertEquals, match, rejects, throws } from "node:assert/strict";
import * as dist from "../../distributed/mod.ts";
import { ones } from "../../mod.ts";
import { freePort, type RankResult, runGroup, worker } from "./helpers.ts";

function failureGroup(ranks: number[], worldSize: number, mode: string, timeoutMs: number, port = freePort()) {
  return runGroup(
    ranks.map((r) => ({
      script: worker("failure_worker.ts"),
      args: [String(r), String(worldSize), String(port), mode, String(timeoutMs)],
    })),
    60_000,
  );
}

function reported(r: RankResult, i: number) {
  assert(r.result !== undefined, `rank ${i} reported nothing (code ${r.code})\n${r.stdout}\n${r.stderr}`);
  return r.result;
}

for (const n of [2, 3]) {
  Deno.test(`${n} ranks: a rank that dies makes the others' allReduce fail at once, not at the timeout`, async () => {
    const results = await failureGroup([...Array(n).keys()], n, "die-before", 20_000);
    assertEquals(results[1].code, 7);
    for (const [i, r] of results.entries()) {
      if (i === 1) continue;
      const x = reported(r, i);
      assertEquals(x.stage, "allReduce");
      match(x.error, /^TorchError: allReduce: .*(Connection closed by peer|Connection reset by peer)/);
      assert(x.ms < 15_000, `rank ${i} took ${x.ms} ms`);
    }
  });
}

Deno.test("a rank that joins and then never takes part makes the others fail within the timeout", async () => {
  const results = await failureGroup([0, 1, 2], 3, "silent", 2000);
  for (const i of [0, 2]) {
    const x = reported(results[i], i);
    assertEquals(x.stage, "allReduce");
    match(x.error, /^TorchError: allReduce: .*Timed out waiting 2000ms for (send|recv) operation to complete/);
    assert(x.ms < 2000 + 4000, `rank ${i} took ${x.ms} ms`);
  }
});

Deno.test("ranks that never join: rank 0 and a lone rank 1 fail with a clear error within the timeout", async () => {
  const [[zero], [one]] = await Promise.all([
    failureGroup([0], 3, "alone", 2000),
    failureGroup([1], 2, "alone", 2000),
  ]);
  const x = reported(zero, 0);
  assertEquals(x.stage, "init");
  match(
    x.error,
    /^TorchError: initProcessGroup: starting the store \(rank 0 of 3, store at 127\.0\.0\.1:\d+\): not every rank connected to the store within the timeout of 2000 ms/,
  );
  assert(x.ms < 2000 + 2500, `took ${x.ms} ms`);
  const y = reported(one, 1);
  assertEquals(y.stage, "init");
  match(
    y.error,
    /^TorchError: initProcessGroup: connecting to rank 0's store \(rank 1 of 2, store at 127\.0\.0\.1:\d+\): The client socket has timed out after 2s while trying to connect to \(127\.0\.0\.1, \d+\)/,
  );
  assert(y.ms < 2000 + 2500, `took ${y.ms} ms`);
});

Deno.test("a port in use is a clear error on rank 0, at once", async () => {
  const port = freePort();
  const holder = Deno.listen({ hostname: "0.0.0.0", port });
  try {
    const [zero] = await failureGroup([0], 2, "port-in-use", 10_000, port);
    const x = reported(zero, 0);
    assertEquals(x.stage, "init");
    match(
      x.error,
      new RegExp(`starting the store \\(rank 0 of 2, store at 127\\.0\\.0\\.1:${port}\\): .*Address already in use`),
    );
    assert(x.ms < 2000, `took ${x.ms} ms`);
  } finally {
    holder.close();
  }
});

Deno.test("bad initMethods are clear errors", () => {
  throws(
    () => dist.parseInitMethod("localhost:29500", 0, 1),
    /initMethod "localhost:29500" has an unsupported scheme "localhost:\/\/"|is not a URL/,
  );
  throws(
    () => dist.parseInitMethod("file:///tmp/rendezvous", 0, 1),
    /unsupported scheme "file:\/\/": use "tcp:\/\/host:port" or "env:\/\/"/,
  );
  throws(() => dist.parseInitMethod("tcp://127.0.0.1", 0, 2), /tcp:\/\/ rendezvous: port number missing/);
  throws(() => dist.parseInitMethod("tcp://127.0.0.1:29500", undefined, 2), /tcp:\/\/ rendezvous: rank missing/);
  throws(() => dist.parseInitMethod("tcp://127.0.0.1:29500?rank=x", undefined, 2), /rank must be an integer, got "x"/);
  throws(() => dist.parseInitMethod("not a url at all"), /is not a URL: use "tcp:\/\/host:port" or "env:\/\/"/);
  assertEquals(dist.parseInitMethod("tcp://[::1]:29500?rank=1&world_size=4"), {
    host: "::1",
    port: 29500,
    rank: 1,
    worldSize: 4,
  });
});

Deno.test("env:// reads MASTER_ADDR, MASTER_PORT, RANK and WORLD_SIZE; a missing one is named", () => {
  const names = ["MASTER_ADDR", "MASTER_PORT", "RANK", "WORLD_SIZE"];
  const saved = names.map((k) => Deno.env.get(k));
  try {
    names.forEach((k) => Deno.env.delete(k));
    throws(
      () => dist.parseInitMethod("env://"),
      /env:\/\/ rendezvous: environment variable MASTER_ADDR expected, but not set/,
    );
    Deno.env.set("MASTER_ADDR", "10.1.2.3");
    throws(() => dist.parseInitMethod("env://"), /environment variable MASTER_PORT expected, but not set/);
    Deno.env.set("MASTER_PORT", "70000");
    throws(() => dist.parseInitMethod("env://"), /MASTER_PORT must be in \[0, 65535\], got 70000/);
    Deno.env.set("MASTER_PORT", "29501");
    throws(() => dist.parseInitMethod("env://"), /environment variable RANK expected, but not set/);
    Deno.env.set("RANK", "2");
    throws(() => dist.parseInitMethod("env://"), /environment variable WORLD_SIZE expected, but not set/);
    Deno.env.set("WORLD_SIZE", "4");
    assertEquals(dist.parseInitMethod("env://"), { host: "10.1.2.3", port: 29501, rank: 2, worldSize: 4 });
    // explicit arguments win over the environment, as in PyTorch
    assertEquals(dist.parseInitMethod("env://", 0, 8), { host: "10.1.2.3", port: 29501, rank: 0, worldSize: 8 });
  } finally {
    names.forEach((k, i) => saved[i] === undefined ? Deno.env.delete(k) : Deno.env.set(k, saved[i]!));
  }
});

Deno.test("initProcessGroup rejects bad options before any connection", async () => {
  await rejects(dist.initProcessGroup({ backend: "mpi" as "gloo" }), /unknown backend "mpi" \(use "gloo" or "nccl"\)/);
  await rejects(
    dist.initProcessGroup({ backend: "nccl", initMethod: "tcp://127.0.0.1:1", rank: 0, worldSize: 1 }),
    /backend "nccl" needs a LibTorch with CUDA and NCCL; this one \(.*CPU only\) has neither: use backend "gloo"|"nccl" is not built into this shim/,
  );
  await rejects(
    dist.initProcessGroup({ initMethod: "tcp://127.0.0.1:1", rank: 2, worldSize: 2 }),
    /rank must be an integer in \[0, 1\], got 2/,
  );
  await rejects(
    dist.initProcessGroup({ initMethod: "tcp://127.0.0.1:1", rank: 0, worldSize: 0 }),
    /worldSize must be an integer in \[1, /,
  );
  await rejects(
    dist.initProcessGroup({ initMethod: "tcp://127.0.0.1:1", rank: 0, worldSize: 1, timeout: -1 }),
    /timeout must be a positive number of milliseconds, got -1/,
  );
  await rejects(
    dist.initProcessGroup({ init_method: "env://" } as never),
    /unknown option 'init_method' \(did you mean 'initMethod'\?\)/,
  );
  assertEquals(dist.isInitialized(), false);
});

Deno.test("a group of one: collectives are identities, a second init is refused, destroy ends it", async () => {
  await dist.initProcessGroup({ initMethod: `tcp://127.0.0.1:${freePort()}`, rank: 0, worldSize: 1, timeout: 10_000 });
  try {
    await rejects(
      dist.initProcessGroup({ initMethod: "tcp://127.0.0.1:1", rank: 0, worldSize: 1 }),
      /trying to initialize the default process group twice/,
    );
    assertEquals([dist.getRank(), dist.getWorldSize(), dist.isInitialized()], [0, 1, true]);
    using t = ones([3]).mul(5);
    await dist.allReduce(t, { op: "avg" }).wait();
    assertEquals(t.toArray(), [5, 5, 5]);
    await dist.barrier().wait();
  } finally {
    await dist.destroyProcessGroup();
  }
  assertEquals(dist.isInitialized(), false);
  await rejects(dist.destroyProcessGroup(), /has not been initialized/);
});
