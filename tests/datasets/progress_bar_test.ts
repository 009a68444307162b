import assert from "node:assert/strict";
import { ProgressBar } from "../../datasets/progress.ts";

Deno.test("ProgressBar over steps: a line per quarter in a log, the fields, images per second and the ETA", () => {
  const out: string[] = [];
  let now = 0;
  const bar = new ProgressBar({
    label: "epoch 1/3",
    total: 8,
    unit: "img",
    logLines: 4,
    write: (s) => out.push(s),
    isTerminal: false,
    now: () => now,
  });
  for (let step = 1; step <= 8; step++) {
    now += 500; // 64 images every half second: 128 img/s
    bar.update(step, 64, [`loss ${(1 / step).toFixed(4)}`, "acc 0.750"]);
  }
  bar.finish();
  // the first step, quarters 1/4, 2/4, 3/4 (steps 2, 4, 6), then the final line
  assert.equal(out.length, 5, out.join(""));
  assert.equal(out[0], "epoch 1/3  [###---------------------]   13%  1/8  loss 1.0000  acc 0.750  128 img/s  ETA 4s\n");
  assert.equal(out[1], "epoch 1/3  [######------------------]   25%  2/8  loss 0.5000  acc 0.750  128 img/s  ETA 3s\n");
  assert.equal(out[3], "epoch 1/3  [##################------]   75%  6/8  loss 0.1667  acc 0.750  128 img/s  ETA 1s\n");
  assert.equal(out[4], "epoch 1/3  [########################]  100%  8/8  loss 0.1250  acc 0.750  128 img/s  in 4s\n");
});

Deno.test("ProgressBar: redraws one line on a terminal, writes nothing when disabled, checks its options", () => {
  const out: string[] = [];
  let now = 0;
  const bar = new ProgressBar({
    label: "eval",
    total: 100,
    unit: "img",
    write: (s) => out.push(s),
    isTerminal: true,
    now: () => now,
  });
  for (let step = 1; step <= 100; step++) {
    now += 5; // 100 steps over 0.5 s: at most 6 redraws, then the final line
    bar.update(step, 10);
  }
  bar.finish();
  assert.ok(out.length <= 7, `${out.length} writes`);
  assert.ok(out.every((s) => s.startsWith("\r") && s.includes("\x1b[K")));
  assert.match(out.at(-1)!, /^\reval {2}\[#{24}\] {2}100% {2}100\/100 {2}2000 img\/s {2}in 1s\x1b\[K\n$/);

  const silent: string[] = [];
  const off = new ProgressBar({
    total: 4,
    unit: "img",
    enabled: false,
    write: (s) => silent.push(s),
    isTerminal: false,
  });
  for (let step = 1; step <= 4; step++) off.update(step, 1);
  off.finish();
  assert.deepEqual(silent, []);
  assert.equal(off.amount, 4);

  assert.throws(() => new ProgressBar({ unti: "img" } as never), /ProgressBar.*'unti'.*did you mean 'unit'/);
  assert.throws(() => new ProgressBar(null as never), /^TypeError: ProgressBar: options must be an object, got null$/);
});
