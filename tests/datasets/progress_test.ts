import assert from "node:assert/strict";
import { ByteProgress, formatBytes } from "../../datasets/progress.ts";

Deno.test("formatBytes", () => {
  assert.equal(formatBytes(0), "0 B");
  assert.equal(formatBytes(999), "999 B");
  assert.equal(formatBytes(170498071), "170.5 MB");
  assert.equal(formatBytes(2.5e9), "2.5 GB");
});

Deno.test("on a terminal: one redrawn line with bytes, total, rate and ETA, at most 10 redraws a second", () => {
  const out: string[] = [];
  let now = 0;
  const bar = new ByteProgress({
    label: "cifar.tar.gz",
    total: 10_000_000,
    write: (s) => out.push(s),
    isTerminal: true,
    now: () => now,
  });
  for (let i = 0; i < 100; i++) {
    now += 10; // 100 chunks of 100 kB over 1 s
    bar.add(100_000);
  }
  bar.finish();
  assert.ok(out.length <= 12, `${out.length} redraws`);
  assert.ok(out.every((s) => s.startsWith("\r")));
  assert.match(out[0], /cifar\.tar\.gz {2}\[#*-*\] {2}\s*\d+% {2}100\.0 kB \/ 10\.0 MB {2}10\.0 MB\/s {2}ETA 1s/);
  assert.match(out.at(-1)!, /100% {2}10\.0 MB \/ 10\.0 MB {2}10\.0 MB\/s {2}in 1s/);
  assert.ok(out.at(-1)!.endsWith("\x1b[K\n"), "the final line clears the rest and ends the line");
});

Deno.test("in a log: a line per 10%, or per 10 s without a total", () => {
  const out: string[] = [];
  let now = 0;
  const bar = new ByteProgress({ total: 1000, write: (s) => out.push(s), isTerminal: false, now: () => now });
  for (let i = 0; i < 1000; i++) {
    now += 1;
    bar.add(1);
  }
  bar.finish();
  assert.equal(out.length, 11);
  assert.ok(out.every((s) => s.endsWith("\n") && !s.includes("\r")));
  const open: string[] = [];
  now = 0;
  const unknown = new ByteProgress({ write: (s) => open.push(s), isTerminal: false, now: () => now });
  for (let i = 0; i < 60; i++) {
    now += 1000;
    unknown.add(1e6);
  }
  unknown.fail("broke off");
  assert.equal(open.length, 7, "at 1, 11, ..., 51 s, and the failure");
  assert.match(open[0], /download {2}1\.0 MB {2}1\.0 MB\/s/);
  assert.match(open.at(-1)!, /download: broke off/);
});
