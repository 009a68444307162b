/**
 * Runs benchmark cases side by side: each side (denotorch, PyTorch-Python, the C++ floor) is its own
 * process with the same thread count pinned (`setNumThreads` / `torch.set_num_threads`, and
 * OMP_NUM_THREADS), prints JSON, and the runner summarises the repeats and the ratios.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { summarize, type Summary } from "./stats.ts";

/** The folder holding the benchmark scripts. */
export const BENCH_DIR: string = fileURLToPath(new URL("./", import.meta.url));
/** Debian's Python with python3-torch (the same LibTorch as the shim). */
export const PYTHON: string = Deno.env.get("BENCH_PYTHON") ?? "/usr/bin/python3";

/** What one side measured: repeats per case name. */
export type Measured = Record<string, number[]>;

/** Runs a command that prints one JSON object on its last stdout line. */
export async function runJson(cmd: string, args: string[], threads: number): Promise<Measured> {
  const out = await new Deno.Command(cmd, {
    args,
    env: { OMP_NUM_THREADS: String(threads), MKL_NUM_THREADS: String(threads) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const stdout = new TextDecoder().decode(out.stdout).trim();
  if (!out.success) {
    throw new Error(`${cmd} ${args.join(" ")} failed:\n${new TextDecoder().decode(out.stderr).trim()}`);
  }
  const last = stdout.split("\n").pop() ?? "";
  try {
    return JSON.parse(last);
  } catch {
    throw new Error(`${cmd} ${args.join(" ")} printed no JSON result:\n${stdout}`);
  }
}

/** Whether PyTorch-Python can be run for the comparison. */
export async function pythonAvailable(): Promise<boolean> {
  try {
    const out = await new Deno.Command(PYTHON, { args: ["-c", "import torch"], stdout: "null", stderr: "null" })
      .output();
    return out.success;
  } catch {
    return false;
  }
}

/** Builds the C++ floor program (once) and returns its path. */
export async function buildFloor(): Promise<string> {
  const src = `${BENCH_DIR}floor`;
  const build = `${src}/build`;
  const exe = `${build}/floor`;
  for (const args of [["-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], ["--build", build]]) {
    const out = await new Deno.Command("cmake", { args, stdout: "piped", stderr: "piped" }).output();
    if (!out.success) throw new Error(`building the C++ floor failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return exe;
}

/** One row of the results table. */
export interface Row {
  /** Case name. */
  name: string;
  /** Unit of the values. */
  unit: string;
  /** Whether larger values are better (throughput) or smaller (time, memory). */
  higherIsBetter: boolean;
  /** denotorch's figures. */
  ours: Summary;
  /** PyTorch-Python's figures, when run. */
  python?: Summary;
  /** The C++ floor's figures, when there is one. */
  floor?: Summary;
  /** ours / python (a time ratio below 1 or a throughput ratio above 1 favours denotorch). */
  ratio?: number;
  /** ours / floor. */
  floorRatio?: number;
  /** The target, as text (`<= 0.8x PyTorch`). */
  target?: string;
  /** Whether the target holds. */
  met?: boolean;
}

/** Builds a row from the repeats of each side; `check` decides whether the target holds. */
export function makeRow(
  name: string,
  unit: string,
  higherIsBetter: boolean,
  ours: number[],
  python: number[] | undefined,
  floor: number[] | undefined,
  target?: { text: string; check: (row: Row) => boolean },
): Row {
  const row: Row = { name, unit, higherIsBetter, ours: summarize(ours) };
  if (python) {
    row.python = summarize(python);
    row.ratio = row.ours.median / row.python.median;
  }
  if (floor) {
    row.floor = summarize(floor);
    row.floorRatio = row.ours.median / row.floor.median;
  }
  if (target) {
    row.target = target.text;
    row.met = target.check(row);
  }
  return row;
}

const fmt = (v: number | undefined, digits = 3) => v === undefined ? "-" : v.toPrecision(digits);

/** The results as a Markdown table (the README's performance section uses it). */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    "| case | unit | denotorch | PyTorch-Python | ratio | C++ floor | vs floor | target | met |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.unit} | ${fmt(r.ours.median)} | ${fmt(r.python?.median)} | ${
        r.ratio === undefined ? "-" : `${r.ratio.toFixed(2)}x`
      } | ${fmt(r.floor?.median)} | ${r.floorRatio === undefined ? "-" : `${r.floorRatio.toFixed(2)}x`} | ${
        r.target ?? "-"
      } | ${r.met === undefined ? "-" : r.met ? "yes" : "no"} |`,
    );
  }
  return lines.join("\n");
}
