import assert from "node:assert/strict";
import { liveTensors, type Tensor, zeros } from "../../mod.ts";
import { releaseMemory } from "../../tensor/runtime.ts";

// glibc keeps freed heap chunks that lie between live ones; malloc_trim(0) returns their whole pages.
// 2000 tensors of 64 KiB (below glibc's mmap threshold, so on the heap), every other one freed: about
// 62 MiB of holes that stay resident until released. Measured in a fresh process: in the suite's
// process, earlier tests leave the heap in a state that the counts would depend on.
const CHILD = `
import { liveTensors, zeros } from ${JSON.stringify(new URL("../../mod.ts", import.meta.url).href)};
import { releaseMemory } from ${JSON.stringify(new URL("../../tensor/runtime.ts", import.meta.url).href)};
const rss = () => Number(/VmRSS:\\s+(\\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"))[1]) / 1024;
const kept = [], freed = [];
for (let i = 0; i < 2000; i++) (i % 2 ? freed : kept).push(zeros([16384]));
for (const t of freed) t.dispose();
const held = rss();
const returned = releaseMemory();
const released = held - rss();
for (const t of kept) t.dispose();
console.log(JSON.stringify({ returned, released, held, live: liveTensors() }));
`;

/** Runs `code` in a fresh Deno process; returns the JSON of its last output line. */
async function runChild(code: string) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["eval", "--ext=js", code],
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(out.success, new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").pop()!);
}

Deno.test({
  name: "releaseMemory returns the heap's freed pages to the system (glibc)",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const r = await runChild(CHILD);
    assert.equal(r.returned, true);
    assert.equal(r.live, 0);
    assert.ok(r.released > 30, `released ${r.released.toFixed(1)} MiB of about 62 MiB of holes (RSS ${r.held} MiB)`);
  },
});

Deno.test("releaseMemory leaves live tensors intact", () => {
  const before = liveTensors();
  const kept: Tensor[] = [];
  for (let i = 0; i < 200; i++) {
    using t = zeros([16384]);
    if (i % 2) kept.push(zeros([16384]).add_(i));
    void t;
  }
  releaseMemory();
  for (let i = 0; i < kept.length; i++) {
    using s = kept[i].sum();
    assert.equal(s.item(), 16384 * (2 * i + 1));
  }
  for (const t of kept) t.dispose();
  assert.equal(liveTensors(), before);
});

// residentMemory in a fresh process (see above): a written 64 MiB tensor shows in the resident and the
// anonymous memory, and the peak holds it after it is freed (the kernel's counters lag by a few pages)
const MEMORY_CHILD = `
import { ones } from ${JSON.stringify(new URL("../../mod.ts", import.meta.url).href)};
import { residentMemory } from ${JSON.stringify(new URL("../../tensor/runtime.ts", import.meta.url).href)};
const start = residentMemory();
const big = ones([16 * 2 ** 20]);
const withBig = residentMemory();
big.dispose();
const after = residentMemory();
console.log(JSON.stringify({ start, withBig, after }));
`;

Deno.test({
  name: "residentMemory reports the process's resident, peak and anonymous memory",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const r = await runChild(MEMORY_CHILD);
    for (const m of [r.start, r.withBig, r.after]) {
      assert.ok(m.currentMiB > 0 && m.anonymousMiB > 0 && m.anonymousMiB < m.currentMiB, JSON.stringify(m));
      assert.ok(m.peakMiB >= m.currentMiB - 1, JSON.stringify(m));
    }
    assert.ok(r.withBig.currentMiB - r.start.currentMiB > 56, `64 MiB tensor: ${JSON.stringify(r)}`);
    assert.ok(r.withBig.anonymousMiB - r.start.anonymousMiB > 56, "in anonymous memory");
    assert.ok(r.after.currentMiB < r.withBig.currentMiB - 56, "freed (an mmap'd block goes back at once)");
    assert.ok(r.after.peakMiB >= r.withBig.currentMiB - 1, "the peak holds it");
  },
});
