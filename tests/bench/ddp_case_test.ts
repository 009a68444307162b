// The benchmark's DDP case: what rank 0 prints is checked, the rows are built round by round, and a group
// of rank processes is always bounded (a failing rank stops the others, a hanging group is killed, a port
// taken before rank 0 binds it is retried), with every rank gone when runGroupJson returns or throws.
import assert from "node:assert/strict";
import { join } from "node:path";
import { ddpRows, ddpSide, markdownTable, parseDdpResult, runGroupJson } from "../../bench/runner.ts";

Deno.test("parseDdpResult takes rank 0's rates and rejects anything else", () => {
  assert.deepEqual(parseDdpResult({ world_size: 2, images_per_s: [1500.5, 1600] }, 2), {
    images_per_s: [1500.5, 1600],
  });
  assert.throws(() => parseDdpResult([1, 2], 1), /expected a JSON object from rank 0, got \[1,2\]/);
  assert.throws(() => parseDdpResult(null, 1), /expected a JSON object from rank 0, got null/);
  assert.throws(
    () => parseDdpResult({ world_size: 1, images_per_s: [10] }, 2),
    /rank 0 reports world_size 1, expected 2/,
  );
  for (const bad of [undefined, [], [0], [-3], ["10"], [10, null], 5]) {
    assert.throws(
      () => parseDdpResult({ world_size: 1, images_per_s: bad }, 1),
      /images_per_s must be a non-empty list of positive numbers/,
      JSON.stringify(bad),
    );
  }
});

Deno.test("ddpRows: images/s per process count with per-round ratios, and each side's scaling", () => {
  const rounds = {
    [ddpSide("ours", 1)]: { images_per_s: [1000, 1200, 900] },
    [ddpSide("python", 1)]: { images_per_s: [800, 1200, 1000] },
    [ddpSide("ours", 2)]: { images_per_s: [1800, 1800, 1800] },
    [ddpSide("python", 2)]: { images_per_s: [1600, 1800, 1500] },
  };
  assert.deepEqual(Object.keys(rounds), ["ours_1", "python_1", "ours_2", "python_2"]);
  const [one, two, scaling, ...rest] = ddpRows(rounds, [1, 2]);
  assert.equal(rest.length, 0);
  assert.equal(one.name, "DDP LeNet train, 1 proc");
  assert.equal(one.unit, "img/s");
  assert.equal(one.higherIsBetter, true);
  assert.deepEqual(one.ours, { median: 1000, min: 900, max: 1200, n: 3 });
  // per round: 1000/800, 1200/1200, 900/1000
  assert.deepEqual(one.ratios, { median: 1, min: 0.9, max: 1.25, n: 3 });
  assert.equal(two.name, "DDP LeNet train, 2 procs");
  assert.deepEqual(two.ratios, { median: 1.125, min: 1, max: 1.2, n: 3 }); // 1800/1600, 1800/1800, 1800/1500
  assert.equal(scaling.name, "DDP LeNet scaling 2/1 procs");
  assert.equal(scaling.unit, "x");
  assert.deepEqual(scaling.ours, { median: 1.8, min: 1.5, max: 2, n: 3 }); // 1.8, 1.5, 2
  assert.deepEqual(scaling.python, { median: 1.5, min: 1.5, max: 2, n: 3 }); // 2, 1.5, 1.5
  assert.deepEqual(scaling.ratios, { median: 1, min: 0.9, max: 4 / 3, n: 3 }); // 0.9, 1, 2/1.5
  assert.equal(one.target, undefined);
  assert.equal(one.met, undefined);
  const table = markdownTable([one, scaling]);
  assert.match(
    table,
    /\| DDP LeNet train, 1 proc \| img\/s \| 1\.00e\+3 \| 1\.00e\+3 \| 1\.00x \(0\.90-1\.25\) \| - \|/,
  );
  assert.match(table, /\| DDP LeNet scaling 2\/1 procs \| x \| 1\.80 \| 1\.50 \| 1\.00x \(0\.90-1\.33\) \| - \|/);
});

Deno.test("ddpRows without PyTorch-Python has no ratios, and needs denotorch's rounds", () => {
  const rows = ddpRows({ ours_1: { images_per_s: [100, 120] }, ours_2: { images_per_s: [150, 240] } }, [1, 2]);
  assert.deepEqual(rows.map((r) => r.name), [
    "DDP LeNet train, 1 proc",
    "DDP LeNet train, 2 procs",
    "DDP LeNet scaling 2/1 procs",
  ]);
  assert.deepEqual(rows[2].ours, { median: 1.75, min: 1.5, max: 2, n: 2 });
  for (const r of rows) assert.equal(r.python, undefined), assert.equal(r.ratios, undefined);
  assert.throws(() => ddpRows({ ours_1: { images_per_s: [1] } }, [1, 2]), /no denotorch rounds with 2 procs/);
});

// A fake rank: `deno eval` of a small program that sees the launcher's environment.
const rank = (dir: string, code: string) => [
  "eval",
  `const rank = Number(Deno.env.get("RANK")), dir = ${JSON.stringify(dir)};\n${code}`,
];
const alive = (pid: number) => {
  try {
    Deno.statSync(`/proc/${pid}`);
    return true;
  } catch {
    return false;
  }
};
const pids = (dir: string) =>
  [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("pid")).map((e) =>
    Number(Deno.readTextFileSync(join(dir, e.name)))
  );
const PID = `Deno.writeTextFileSync(dir + "/pid" + rank, String(Deno.pid));`;

Deno.test("runGroupJson gives every rank the launcher's environment and returns rank 0's JSON", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "bench-group-" });
  try {
    const code = `${PID}
const e = Deno.env.toObject();
if (rank === 0) console.log("noise\\n" + JSON.stringify({ env: [e.RANK, e.WORLD_SIZE, e.MASTER_ADDR, e.LOCAL_RANK,
  e.LOCAL_WORLD_SIZE, e.OMP_NUM_THREADS, e.GLOO_SOCKET_IFNAME ? "set" : "unset"], port: Number(e.MASTER_PORT) }));`;
    const r = await runGroupJson(Deno.execPath(), rank(dir, code), { nproc: 3, threads: 1, timeoutMs: 60_000 });
    const { env, port } = r as { env: string[]; port: number };
    assert.deepEqual(env, ["0", "3", "127.0.0.1", "0", "3", "1", "set"]);
    assert.ok(port > 0 && port < 65536, String(port));
    assert.equal(pids(dir).length, 3);
    for (const pid of pids(dir)) assert.ok(!alive(pid), `rank process ${pid} is still there`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runGroupJson: a failing rank stops the waiting ones at once, with a clear error", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "bench-group-" });
  try {
    const code = `${PID}
const count = () => [...Deno.readDirSync(dir)].filter((e) => e.name.startsWith("pid")).length;
// rank 1 fails once all three have started (so that each one's pid is known)
while (rank === 1 && count() < 3) await new Promise((r) => setTimeout(r, 20));
if (rank === 1) { console.error("rank 1 gives up"); Deno.exit(3); }
await new Promise((r) => setTimeout(r, 600_000));`;
    const t0 = performance.now();
    await assert.rejects(
      runGroupJson(Deno.execPath(), rank(dir, code), { nproc: 3, threads: 1, timeoutMs: 300_000 }),
      /\(3 ranks\) failed at port \d+: rank 1 exited with code 3; the other ranks were killed[^]*--- rank 1 stderr:\nrank 1 gives up/,
    );
    // the others were killed when rank 1 failed, long before the limit (300 s) or their own end (600 s)
    assert.ok(performance.now() - t0 < 120_000);
    assert.equal(pids(dir).length, 3);
    for (const pid of pids(dir)) assert.ok(!alive(pid), `rank process ${pid} is still there`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runGroupJson: a group past its limit is killed, every rank of it", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "bench-group-" });
  try {
    const code = `${PID}\nawait new Promise((r) => setTimeout(r, 600_000));`;
    await assert.rejects(
      runGroupJson(Deno.execPath(), rank(dir, code), { nproc: 2, threads: 1, timeoutMs: 8_000 }),
      /failed at port \d+: the group did not finish within 8 s; every rank still running was killed/,
    );
    assert.equal(pids(dir).length, 2, "both ranks started within the limit");
    for (const pid of pids(dir)) assert.ok(!alive(pid), `rank process ${pid} is still there`);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("runGroupJson retries with a new port when rank 0 finds its port taken, and says when there is no JSON", async () => {
  const dir = Deno.makeTempDirSync({ prefix: "bench-group-" });
  try {
    // the first try fails as a store bind does; the second succeeds on another port
    const code = `const tries = dir + "/tries" + rank;
let n = 0;
try { n = Number(Deno.readTextFileSync(tries)); } catch { /* first try */ }
Deno.writeTextFileSync(tries, String(n + 1));
if (n === 0 && rank === 0) { console.error("bind: Address already in use"); Deno.exit(1); }
if (rank === 0) console.log(JSON.stringify({ try: n + 1, port: Number(Deno.env.get("MASTER_PORT")) }));`;
    const r = await runGroupJson(Deno.execPath(), rank(dir, code), { nproc: 2, threads: 1, timeoutMs: 60_000 });
    assert.equal((r as { try: number }).try, 2);
    await assert.rejects(
      runGroupJson(Deno.execPath(), ["eval", "console.log('not json')"], { nproc: 1, threads: 1, timeoutMs: 60_000 }),
      /\(1 rank\): rank 0 printed no JSON result\n[^]*--- rank 0 stdout:\nnot json/,
    );
    await assert.rejects(
      runGroupJson(Deno.execPath(), [], { nproc: 0, threads: 1, timeoutMs: 1000 }),
      /runGroupJson: nproc must be >= 1, got 0/,
    );
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
