// scripts/launch.ts: starts N ranks with RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, LOCAL_RANK set,
// prefixes their output with the rank, and stops all of them when one fails.
import assert, { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { parseLaunchArgs } from "../../scripts/launch.ts";
import { RANK_ENV, worker } from "./helpers.ts";

const LAUNCH = fileURLToPath(new URL("../../scripts/launch.ts", import.meta.url));

async function launch(args: string[], limitMs = 60_000) {
  const env = { ...RANK_ENV };
  delete (env as Record<string, string | undefined>).OMP_NUM_THREADS; // the launcher sets it
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", LAUNCH, ...args],
    env,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), limitMs);
  const start = performance.now();
  const out = await child.output();
  clearTimeout(timer);
  return {
    code: out.code,
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
    ms: performance.now() - start,
  };
}

Deno.test("launch --nproc 3: every rank gets its environment, output lines carry the rank", async () => {
  const r = await launch(["--nproc", "3", worker("launched_worker.ts"), "ok"]);
  assertEquals(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split("\n").sort();
  assertEquals(lines, ["[rank 0] sum 6", "[rank 1] sum 6", "[rank 2] sum 6"]);
  const envs = r.stderr.split("\n").filter((l) => l.includes(" env ")).sort();
  assertEquals(envs.length, 3, r.stderr);
  const ports = new Set<string>();
  envs.forEach((line, i) => {
    const m = line.match(/^\[rank (\d)\] env (.*)$/);
    assert(m, line);
    const e = JSON.parse(m[2]);
    assertEquals(Number(m[1]), i);
    assertEquals([e.RANK, e.WORLD_SIZE, e.MASTER_ADDR, e.LOCAL_RANK, e.LOCAL_WORLD_SIZE, e.OMP_NUM_THREADS], [
      String(i),
      "3",
      "127.0.0.1",
      String(i),
      "3",
      "1",
    ]);
    ports.add(e.MASTER_PORT);
  });
  assertEquals(ports.size, 1);
  assert(Number([...ports][0]) > 0);
});

Deno.test("launch: when one rank fails, the others are stopped with a clear message and its exit code", async () => {
  const r = await launch(["--nproc", "3", worker("launched_worker.ts"), "fail"]);
  assertEquals(r.code, 3);
  match(r.stderr, /launch: rank 1 exited with code 3; stopping the other 2 rank\(s\)/);
  assert(r.ms < 30_000, `took ${r.ms} ms: the waiting ranks were not stopped`);
});

Deno.test("launch: bad command lines are clear errors", async () => {
  const none = await launch(["--nproc", "2"]);
  assertEquals(none.code, 2);
  match(none.stderr, /launch: no script given/);
  const zero = await launch(["--nproc", "0", "x.ts"]);
  match(zero.stderr, /launch: --nproc must be in \[1, 1024\], got 0/);
  const nodes = await launch(["--nnodes", "2", "--nproc", "1", "x.ts"]);
  match(nodes.stderr, /--master-port is required with --nnodes > 1/);
  const unknown = await launch(["--procs", "2", "x.ts"]);
  match(unknown.stderr, /launch: unknown option --procs/);
  assertEquals(
    parseLaunchArgs([
      "--nnodes=2",
      "--node-rank",
      "1",
      "--nproc",
      "4",
      "--master-addr",
      "10.0.0.1",
      "--master-port",
      "29500",
      "train.ts",
      "--lr",
      "1",
    ]),
    {
      nproc: 4,
      nnodes: 2,
      nodeRank: 1,
      masterAddr: "10.0.0.1",
      masterPort: 29500,
      script: "train.ts",
      args: ["--lr", "1"],
    },
  );
});
