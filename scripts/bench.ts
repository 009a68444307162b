/**
 * `deno task bench`: denotorch side by side with PyTorch-Python (Debian's /usr/bin/python3 with
 * python3-torch, the same LibTorch) and, for the per-operator case and the LeNet training epoch, a C++
 * LibTorch program as the floor (`bench/floor/`). Every side runs in its own process with the same thread
 * count pinned (1 by default), in paired rounds: each round runs every side once, alternating the order
 * (A B, B A, ...), and each ratio is taken within a round, so that drift of a shared machine's speed
 * cancels out of it. The `ddp` case trains LeNet data-parallel with 1 and 2 processes of that many threads
 * per side (DistributedDataParallel over Gloo on 127.0.0.1, every group bounded in time). The `tasks` case
 * times `deno task lenet` and `deno task densenet` (cached features) end to end against `bench/study_task.py`,
 * a PyTorch-Python twin of the whole task that ends on the same loss bits and metrics (`bench/tasks.ts`). The table gives
 * the medians over the rounds, the median of the per-round ratios with their min-max, and the targets; a
 * JSON file keeps everything.
 *
 *   deno task bench                 # the full run (about 12 minutes on a quiet 2-core machine)
 *   deno task bench --quick         # a smoke test (about a minute): fewer repeats, less data
 *   deno task bench --threads 2 --cases ops,lenet --no-python
 *
 * @module
 */

import { join } from "node:path";
import {
  BENCH_DIR,
  buildFloor,
  ddpRows,
  ddpSide,
  makeRow,
  markdownTable,
  type Measured,
  pairedRounds,
  parseDdpResult,
  PYTHON,
  pythonAvailable,
  type Row,
  runGroupJson,
  runJson,
} from "../bench/runner.ts";
import { spreadPercent } from "../bench/stats.ts";
import { DENSENET_BENCH_SIZE, runTask, sameResults, taskRows } from "../bench/tasks.ts";
import { buildInfo } from "../mod.ts";
import { writeFileAtomic } from "../util/fs.ts";
import { FlagError, type FlagSpecs, helpText, parseFlags } from "../study/flags.ts";

const CASES = ["ops", "lenet", "densenet", "decode", "ddp", "tasks"] as const;

const SPECS: FlagSpecs = {
  quick: { kind: "boolean", default: false, help: "a smoke test: fewer repeats, less data (about a minute)" },
  threads: { kind: "int", default: 1, min: 1, max: 1024, help: "threads of every side" },
  cases: { kind: "string", default: CASES.join(","), help: `the cases to run, comma-separated (${CASES.join(", ")})` },
  out: { kind: "string", default: null, defaultText: "bench/results/<time>.json", help: "the JSON results file" },
  python: { kind: "boolean", default: true, help: "also run PyTorch-Python (when /usr/bin/python3 has torch)" },
  data: { kind: "string", default: null, defaultText: "$CIFAR10_DIR", help: "CIFAR-10 binary folder" },
  densenet: {
    kind: "string",
    default: null,
    defaultText: "$BENCH_DENSENET, else .cache/bench/densenet121_random.pt (made when missing)",
    help: "a TorchScript DenseNet-121 (random weights are fine)",
  },
};
const USAGE = `deno task bench [flags]

Runs each case with denotorch and PyTorch-Python (and the per-operator case and the LeNet epoch as C++
LibTorch programs, the floor) in paired rounds (A B, B A, ...), reports the medians over the rounds, the
median and min-max of the per-round ratios and whether the targets hold, and writes JSON.`;

let parsed;
try {
  parsed = parseFlags(Deno.args, SPECS);
} catch (e) {
  if (!(e instanceof FlagError)) throw e;
  console.error(`deno task bench: ${e.message}`);
  Deno.exit(2);
}
if (parsed === null) {
  console.log(helpText(USAGE, SPECS));
  Deno.exit(0);
}
const values = {
  quick: parsed.values.quick as boolean,
  threads: parsed.values.threads as number,
  cases: parsed.values.cases as string,
  out: (parsed.values.out as string | null) ?? undefined,
  "no-python": !(parsed.values.python as boolean),
  data: (parsed.values.data as string | null) ?? Deno.env.get("CIFAR10_DIR") ?? "",
  densenet: (parsed.values.densenet as string | null) ?? Deno.env.get("BENCH_DENSENET") ??
    ".cache/bench/densenet121_random.pt",
};

const quick = values.quick;
const threads = values.threads;
const cases = values.cases.split(",").filter((c) => c);
for (const c of cases) {
  if (!(CASES as readonly string[]).includes(c)) {
    console.error(`deno task bench: --cases: unknown case '${c}' (cases: ${CASES.join(", ")})`);
    Deno.exit(2);
  }
}
const withPython = !values["no-python"] && await pythonAvailable();
if (!values["no-python"] && !withPython) console.error(`bench: ${PYTHON} with torch not found; running without Python`);
const deno = Deno.execPath();
const ts = (script: string, args: string[]) =>
  runJson(deno, ["run", "-A", join(BENCH_DIR, script), "--threads", String(threads), ...args], threads);
const py = (script: string, args: string[]) =>
  withPython
    ? runJson(PYTHON, [join(BENCH_DIR, script), "--threads", String(threads), ...args], threads)
    : Promise.resolve(undefined);
/** Paired rounds per case: enough for a median and a min-max of the ratios; one in a quick run. */
const ROUNDS = {
  ops: quick ? 2 : 9,
  lenet: quick ? 1 : 7,
  densenet: quick ? 1 : 5,
  decode: quick ? 1 : 5,
  ddp: quick ? 1 : 5,
  tasks: quick ? 1 : 3,
};

const need = (what: string, ok: boolean, hint: string) => {
  if (!ok) throw new Error(`bench: ${what} (${hint})`);
};

const rows: Row[] = [];
const raw: Record<string, Record<string, Measured[]>> = {};
const log = (s: string) => console.error(`bench: ${s}`);

if (cases.includes("ops")) {
  log("per-operator overhead (2x2 add, 4x4 matmul, 16x16 sum; result freed)");
  const iters = quick ? 20_000 : 200_000, repeats = 3;
  const args = ["--iters", String(iters), "--repeats", String(repeats)];
  let floorExe: string | null = null;
  try {
    floorExe = await buildFloor();
  } catch (e) {
    log(`no C++ floor: ${(e as Error).message.split("\n")[0]}`);
  }
  const m = await pairedRounds(ROUNDS.ops, {
    ours: () => ts("ops.ts", args),
    python: () => py("ops.py", args),
    floor: floorExe === null
      ? null
      : () => runJson(floorExe!, [String(threads), String(iters), String(repeats)], threads),
  });
  const ours = m.rounds.ours!, python = m.rounds.python, floor = m.rounds.floor;
  raw.ops = m.raw;
  for (const k of Object.keys(ours)) {
    rows.push(makeRow(`per-op ${k}`, "us/op", false, ours[k], python?.[k], floor?.[k], {
      text: "<= 0.75x PyTorch, <= 1.15x C++",
      check: (r) => (r.ratio === undefined || r.ratio <= 0.75) && (r.floorRatio === undefined || r.floorRatio <= 1.15),
    }));
  }
}

if (cases.includes("lenet")) {
  need("the LeNet case needs CIFAR-10", values.data !== "", "--data or CIFAR10_DIR");
  log("LeNet-5: a training epoch (batch 64, Adam), test inference, memory after loading and peak");
  const repeats = "1", limit = quick ? "2000" : "0";
  const args = ["--data", values.data, "--repeats", repeats, "--limit", limit];
  let floorExe: string | null = null;
  try {
    floorExe = await buildFloor("floor_lenet");
  } catch (e) {
    log(`no C++ LeNet floor: ${(e as Error).message.split("\n")[0]}`);
  }
  const m = await pairedRounds(ROUNDS.lenet, {
    ours: () => ts("lenet.ts", args),
    python: () => py("lenet.py", args),
    floor: floorExe === null ? null : () => runJson(floorExe!, [String(threads), values.data, repeats, limit], threads),
  });
  const ours = m.rounds.ours!, python = m.rounds.python, floor = m.rounds.floor;
  raw.lenet = m.raw;
  rows.push(makeRow("LeNet train epoch", "s", false, ours.train_epoch_s, python?.train_epoch_s, floor?.train_epoch_s, {
    text: "<= 0.85x PyTorch, <= 1.04x C++",
    check: (r) => (r.ratio === undefined || r.ratio <= 0.85) && (r.floorRatio === undefined || r.floorRatio <= 1.04),
  }));
  // the same LeNet, data order and kernels train to the same bits on every side
  const losses = Object.entries(m.rounds).map(([side, v]) => `${side} ${v.final_loss?.[0]}`);
  const same = new Set(Object.values(m.rounds).map((v) => v.final_loss?.[0])).size === 1;
  log(`LeNet last-batch losses: ${losses.join(", ")} (${same ? "the same bits" : "they differ"})`);
  rows.push(makeRow("LeNet inference (test split)", "s", false, ours.infer_s, python?.infer_s, undefined));
  rows.push(
    makeRow("LeNet RSS after loading", "MiB", false, ours.rss_after_load_mib, python?.rss_after_load_mib, undefined),
  );
  rows.push(makeRow("LeNet training peak RSS", "MiB", false, ours.peak_rss_mib, python?.peak_rss_mib, undefined, {
    text: "<= 0.6x PyTorch",
    check: (r) => r.ratio === undefined || r.ratio <= 0.6,
  }));
}

/** The TorchScript DenseNet of the densenet and tasks cases: --densenet, or one with random weights made once. */
async function densenetWeights(): Promise<string> {
  const weights = values.densenet;
  try {
    Deno.statSync(weights);
  } catch {
    need(`no DenseNet file at ${weights}`, withPython, "pass --densenet, or have Python make one");
    log(`making ${weights} (random weights) with scripts/export_densenet121.py`);
    Deno.mkdirSync(join(weights, ".."), { recursive: true });
    const out = await new Deno.Command(PYTHON, {
      args: [join(BENCH_DIR, "..", "scripts", "export_densenet121.py"), "--random", "--out", weights],
      stdout: "null",
    }).output();
    need(`exporting ${weights} failed`, out.success, "see scripts/export_densenet121.py");
  }
  return weights;
}

if (cases.includes("densenet")) {
  const weights = await densenetWeights();
  const sizes = quick ? "64" : "64,224";
  log(`DenseNet-121 forward, batch 16, ${sizes} px`);
  const args = ["--weights", weights, "--sizes", sizes, "--repeats", "2"];
  const m = await pairedRounds(ROUNDS.densenet, {
    ours: () => ts("densenet.ts", args),
    python: () => py("densenet.py", args),
  });
  const ours = m.rounds.ours!, python = m.rounds.python;
  raw.densenet = m.raw;
  for (const k of Object.keys(ours)) {
    rows.push(makeRow(`DenseNet-121 ${k.split("_")[1]} px`, "img/s", true, ours[k], python?.[k], undefined, {
      text: ">= 0.98x PyTorch",
      check: (r) => r.ratio === undefined || r.ratio >= 0.98,
    }));
  }
}

if (cases.includes("decode")) {
  need("the decode case needs CIFAR-10", values.data !== "", "--data or CIFAR10_DIR");
  log("CIFAR-10 decode (+ normalise) throughput");
  const args = ["--data", values.data, "--repeats", quick ? "2" : "3"];
  const m = await pairedRounds(ROUNDS.decode, {
    ours: () => ts("decode.ts", args),
    python: () => py("decode.py", args),
  });
  const ours = m.rounds.ours!, python = m.rounds.python;
  raw.decode = m.raw;
  rows.push(makeRow("CIFAR decode", "GB/s", true, ours.decode_gbps, python?.decode_gbps, undefined, {
    text: ">= 1 GB/s",
    check: (r) => r.ours.median >= 1,
  }));
  rows.push(
    makeRow(
      "CIFAR decode + normalise",
      "GB/s",
      true,
      ours.decode_normalize_gbps,
      python?.decode_normalize_gbps,
      undefined,
    ),
  );
}

if (cases.includes("ddp")) {
  need("the DDP case needs CIFAR-10", values.data !== "", "--data or CIFAR10_DIR");
  const nprocs = [1, 2];
  log(
    `LeNet-5 data-parallel training (DistributedDataParallel, Gloo over 127.0.0.1, batch 64 per rank, Adam), ` +
      `${nprocs.join(" and ")} processes of ${threads} thread(s)`,
  );
  const args = ["--data", values.data, "--repeats", "1", "--limit", quick ? "512" : "0"];
  // every group is bounded: a rank that fails stops the others at once, a group past the limit is killed
  const timeoutMs = quick ? 180_000 : 900_000;
  const group = async (cmd: string, cmdArgs: string[], nproc: number) =>
    parseDdpResult(await runGroupJson(cmd, cmdArgs, { nproc, threads, timeoutMs }), nproc);
  const caseArgs = ["--threads", String(threads), ...args];
  const ours = (n: number) => () => group(deno, ["run", "-A", join(BENCH_DIR, "ddp_lenet.ts"), ...caseArgs], n);
  const python = (n: number) =>
    withPython ? () => group(PYTHON, [join(BENCH_DIR, "ddp_lenet.py"), ...caseArgs], n) : null;
  const sides: Record<string, (() => Promise<Measured>) | null> = {};
  // each process count's pair side by side, in both orders: [ours 1, python 1, python 2, ours 2], reversed
  // in odd rounds, so that every ratio compares runs made moments apart, each side first half the time
  for (const [i, n] of nprocs.entries()) {
    if (i % 2 === 0) Object.assign(sides, { [ddpSide("ours", n)]: ours(n), [ddpSide("python", n)]: python(n) });
    else Object.assign(sides, { [ddpSide("python", n)]: python(n), [ddpSide("ours", n)]: ours(n) });
  }
  const m = await pairedRounds(ROUNDS.ddp, sides);
  raw.ddp = m.raw;
  rows.push(...ddpRows(m.rounds, nprocs));
}

if (cases.includes("tasks")) {
  need("the tasks case needs CIFAR-10", values.data !== "", "--data or CIFAR10_DIR");
  const weights = await densenetWeights();
  raw.tasks = {};
  for (
    const [task, epochs, limit] of [
      ["lenet", quick ? 1 : 3, quick ? 500 : 0],
      ["densenet", quick ? 2 : 30, quick ? 200 : 0],
    ] as const
  ) {
    log(
      `deno task ${task} end to end against its PyTorch-Python twin (bench/study_task.py): ${epochs} epochs` +
        (task === "densenet" ? `, ${DENSENET_BENCH_SIZE} px, the frozen backbone's features computed once` : ""),
    );
    const run = { task, data: values.data, epochs, limit, threads, weights, timeoutMs: quick ? 300_000 : 1_800_000 };
    const m = await pairedRounds(ROUNDS.tasks, {
      ours: () => runTask("ours", run),
      python: withPython ? () => runTask("python", run) : null,
    });
    Object.assign(raw.tasks, Object.fromEntries(Object.entries(m.raw).map(([side, v]) => [`${task}_${side}`, v])));
    rows.push(...taskRows(task, epochs, m.rounds.ours!, m.rounds.python));
    log(sameResults(task, m.rounds.ours!, m.rounds.python));
  }
}

const info = buildInfo();
const cpu = (() => {
  try {
    return /model name\s*:\s*(.*)/.exec(Deno.readTextFileSync("/proc/cpuinfo"))?.[1] ?? "unknown CPU";
  } catch {
    return "unknown CPU";
  }
})();
const result = {
  date: new Date().toISOString(),
  quick,
  threads,
  rounds: Object.fromEntries(cases.map((c) => [c, ROUNDS[c as keyof typeof ROUNDS]])),
  machine: { cpu, cores: navigator.hardwareConcurrency, os: `${Deno.build.os} ${Deno.build.arch}` },
  versions: { deno: Deno.version.deno, libtorch: info.torch, python: withPython ? PYTHON : null },
  rows: rows.map((r) => ({ ...r, spreadPercent: spreadPercent(r.ours) })),
  raw,
};
const out = values.out ?? join(BENCH_DIR, "results", `${result.date.replace(/[:.]/g, "-")}.json`);
await writeFileAtomic(out, JSON.stringify(result, null, 2) + "\n");
console.log(markdownTable(rows));
console.log(`\n${cpu}, ${threads} thread(s), LibTorch ${info.torch}, Deno ${Deno.version.deno}; results in ${out}`);
const missed = rows.filter((r) => r.met === false).map((r) => r.name);
if (missed.length) console.log(`targets not met: ${missed.join(", ")}`);
