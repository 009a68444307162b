/**
 * `deno task bench`: denotorch side by side with PyTorch-Python (Debian's /usr/bin/python3 with
 * python3-torch, the same LibTorch) and, for the per-operator case, a C++ loop as the floor. Every side
 * runs in its own process with the same thread count pinned (1 by default), in alternating rounds (so drift
 * of the machine's speed affects both sides alike). Each case is repeated after a warm-up; the table gives
 * medians, ratios and the targets, and a JSON file keeps everything.
 *
 *   deno task bench                 # the full run (about 10 minutes on one core)
 *   deno task bench --quick         # a smoke test (about a minute): fewer repeats, less data
 *   deno task bench --threads 2 --cases ops,lenet --no-python
 *
 * @module
 */

import { join } from "node:path";
import {
  BENCH_DIR,
  buildFloor,
  makeRow,
  markdownTable,
  type Measured,
  PYTHON,
  pythonAvailable,
  type Row,
  runJson,
} from "../bench/runner.ts";
import { spreadPercent } from "../bench/stats.ts";
import { buildInfo } from "../mod.ts";
import { writeFileAtomic } from "../util/fs.ts";
import { FlagError, type FlagSpecs, helpText, parseFlags } from "../study/flags.ts";

const CASES = ["ops", "lenet", "densenet", "decode"] as const;

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

Runs each case with denotorch and PyTorch-Python (and the per-operator case as a C++ loop), reports the
medians of the repeats, their spread, the ratios and whether the targets hold, and writes JSON.`;

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
/**
 * Runs the sides in alternating rounds (A B, then B A, ...), concatenating each side's repeats, so that a
 * machine whose speed drifts (other tenants, thermal limits) affects both sides alike.
 */
async function alternate(
  rounds: number,
  sides: Record<string, (() => Promise<Measured | undefined>) | null>,
): Promise<Record<string, Measured | undefined>> {
  const names = Object.keys(sides).filter((k) => sides[k] !== null);
  const out: Record<string, Measured | undefined> = {};
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const m = await sides[name]!();
      if (m === undefined) continue;
      const acc = (out[name] ??= {});
      for (const [k, v] of Object.entries(m)) (acc[k] ??= []).push(...v);
    }
  }
  return out;
}
const ROUNDS = quick ? 1 : 3;

const need = (what: string, ok: boolean, hint: string) => {
  if (!ok) throw new Error(`bench: ${what} (${hint})`);
};

const rows: Row[] = [];
const raw: Record<string, { ours: Measured; python?: Measured; floor?: Measured }> = {};
const log = (s: string) => console.error(`bench: ${s}`);

if (cases.includes("ops")) {
  log("per-operator overhead (2x2 add, 4x4 matmul, 16x16 sum; result freed)");
  const iters = quick ? 20_000 : 200_000, repeats = quick ? 3 : 3;
  const args = ["--iters", String(iters), "--repeats", String(repeats)];
  let floorExe: string | null = null;
  try {
    floorExe = await buildFloor();
  } catch (e) {
    log(`no C++ floor: ${(e as Error).message.split("\n")[0]}`);
  }
  const m = await alternate(ROUNDS, {
    ours: () => ts("ops.ts", args),
    python: () => py("ops.py", args),
    floor: floorExe === null
      ? null
      : () => runJson(floorExe!, [String(threads), String(iters), String(repeats)], threads),
  });
  const ours = m.ours!, python = m.python, floor = m.floor;
  raw.ops = { ours, python, floor };
  for (const k of Object.keys(ours)) {
    rows.push(makeRow(`per-op ${k}`, "us/op", false, ours[k], python?.[k], floor?.[k], {
      text: "<= 0.8x PyTorch, <= 1.25x C++",
      check: (r) => (r.ratio === undefined || r.ratio <= 0.8) && (r.floorRatio === undefined || r.floorRatio <= 1.25),
    }));
  }
}

if (cases.includes("lenet")) {
  need("the LeNet case needs CIFAR-10", values.data !== "", "--data or CIFAR10_DIR");
  log("LeNet-5: a training epoch (batch 64, Adam), test inference, peak memory");
  const args = ["--data", values.data, "--repeats", quick ? "1" : "2", "--limit", quick ? "2000" : "0"];
  const m = await alternate(ROUNDS, { ours: () => ts("lenet.ts", args), python: () => py("lenet.py", args) });
  const ours = m.ours!, python = m.python;
  raw.lenet = { ours, python };
  rows.push(makeRow("LeNet train epoch", "s", false, ours.train_epoch_s, python?.train_epoch_s, undefined, {
    text: "<= 0.85x PyTorch",
    check: (r) => r.ratio === undefined || r.ratio <= 0.85,
  }));
  rows.push(makeRow("LeNet inference (test split)", "s", false, ours.infer_s, python?.infer_s, undefined));
  rows.push(makeRow("LeNet training peak RSS", "MiB", false, ours.peak_rss_mib, python?.peak_rss_mib, undefined, {
    text: "<= 1.1x PyTorch",
    check: (r) => r.ratio === undefined || r.ratio <= 1.1,
  }));
}

if (cases.includes("densenet")) {
  let weights = values.densenet;
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
  weights = values.densenet;
  const sizes = quick ? "64" : "64,224";
  log(`DenseNet-121 forward, batch 16, ${sizes} px`);
  const args = ["--weights", weights, "--sizes", sizes, "--repeats", quick ? "2" : "3"];
  const m = await alternate(ROUNDS, { ours: () => ts("densenet.ts", args), python: () => py("densenet.py", args) });
  const ours = m.ours!, python = m.python;
  raw.densenet = { ours, python };
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
  const m = await alternate(ROUNDS, { ours: () => ts("decode.ts", args), python: () => py("decode.py", args) });
  const ours = m.ours!, python = m.python;
  raw.decode = { ours, python };
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
