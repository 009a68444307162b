import assert from "node:assert/strict";
import { liveTensors, releaseMemory, type Tensor, zeros } from "../../mod.ts";

/** Resident memory of this process, MiB (Linux `VmRSS`). */
function rssMiB(): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
  if (!m) throw new Error("no VmRSS in /proc/self/status");
  return Number(m[1]) / 1024;
}

// glibc keeps freed heap chunks that lie between live ones; malloc_trim(0) returns their whole pages.
// 2000 tensors of 64 KiB (below glibc's mmap threshold, so on the heap), every other one freed: about
// 62 MiB of holes that stay resident until released.
Deno.test({
  name: "releaseMemory returns the heap's freed pages to the system (glibc)",
  ignore: Deno.build.os !== "linux",
  fn() {
    const before = liveTensors();
    const kept: Tensor[] = [];
    const freed: Tensor[] = [];
    for (let i = 0; i < 2000; i++) (i % 2 ? freed : kept).push(zeros([16384]));
    for (const t of freed) t.dispose();
    releaseMemory(); // whatever earlier tests left
    for (let i = 0; i < 1000; i++) freed[i] = zeros([16384]);
    for (const t of freed) t.dispose();
    const held = rssMiB();
    assert.equal(releaseMemory(), true);
    const released = held - rssMiB();
    for (const t of kept) t.dispose();
    assert.equal(liveTensors(), before);
    assert.ok(released > 30, `released ${released.toFixed(1)} MiB of about 62 MiB of holes (RSS ${held} MiB)`);
  },
});

Deno.test("releaseMemory leaves live tensors intact", () => {
  using t = zeros([100000]).add_(3);
  releaseMemory();
  assert.equal(t.sum().item(), 300000);
});
