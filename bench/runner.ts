/**
 * Runs benchmark cases side by side: each side (denotorch, PyTorch-Python, the C++ floor) is its own
 * process with the same thread count pinned (`setNumThreads` / `torch.set_num_threads`, and
 * OMP_NUM_THREADS), prints JSON, and the runner pairs the rounds: the sides run alternately (A B, B A,
 * ...), each round's value of a side is the median of its repeats in that round, and every ratio is taken
 * within a round, then summarised (median, min, max).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { pairedRatios, summarize, type Summary } from "./stats.ts";

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

/**
 * Builds one of the C++ floor programs of `bench/floor/` (once) and returns its path: `floor` (the
 * per-operator loop) or `floor_lenet` (the LeNet training epoch).
 */
export async function buildFloor(target: "floor" | "floor_lenet" = "floor"): Promise<string> {
  const src = `${BENCH_DIR}floor`;
  const build = `${src}/build`;
  const exe = `${build}/${target}`;
  for (const args of [["-S", src, "-B", build, "-DCMAKE_BUILD_TYPE=Release"], ["--build", build, "--target", target]]) {
    const out = await new Deno.Command("cmake", { args, stdout: "piped", stderr: "piped" }).output();
    if (!out.success) throw new Error(`building the C++ floor failed:\n${new TextDecoder().decode(out.stderr)}`);
  }
  return exe;
}

/** A side's values per round: for each case name, one value per round (the median of its repeats). */
export type Rounds = Record<string, number[]>;

/**
 * Runs the sides in paired rounds: round r runs every side once, in the given order when r is even and
 * reversed when odd (A B, B A, ...), so that each round's ratios compare runs made moments apart. A side
 * given as `null` is left out. Returns each side's per-round values (the median of the round's repeats)
 * and everything it printed.
 */
export async function pairedRounds(
  rounds: number,
  sides: Record<string, (() => Promise<Measured | undefined>) | null>,
): Promise<{ rounds: Record<string, Rounds>; raw: Record<string, Measured[]> }> {
  const names = Object.keys(sides).filter((k) => sides[k] !== null);
  const perRound: Record<string, Rounds> = {};
  const raw: Record<string, Measured[]> = {};
  for (let r = 0; r < rounds; r++) {
    for (const name of r % 2 === 0 ? names : [...names].reverse()) {
      const m = await sides[name]!();
      if (m === undefined) continue;
      (raw[name] ??= []).push(m);
      const acc = (perRound[name] ??= {});
      for (const [k, v] of Object.entries(m)) (acc[k] ??= []).push(summarize(v).median);
    }
  }
  return { rounds: perRound, raw };
}

/** One row of the results table. */
export interface Row {
  /** Case name. */
  name: string;
  /** Unit of the values. */
  unit: string;
  /** Whether larger values are better (throughput) or smaller (time, memory). */
  higherIsBetter: boolean;
  /** denotorch's figures (over its per-round values). */
  ours: Summary;
  /** PyTorch-Python's figures, when run. */
  python?: Summary;
  /** The C++ floor's figures, when there is one. */
  floor?: Summary;
  /** ours / python, the median of the per-round ratios (a time ratio below 1 or a throughput ratio above 1
   * favours denotorch). */
  ratio?: number;
  /** The per-round ratios ours / python: median, min, max, rounds. */
  ratios?: Summary;
  /** ours / floor, the median of the per-round ratios. */
  floorRatio?: number;
  /** The per-round ratios ours / floor. */
  floorRatios?: Summary;
  /** The target, as text (`<= 0.8x PyTorch`). */
  target?: string;
  /** Whether the target holds. */
  met?: boolean;
}

/**
 * Builds a row from each side's per-round values (the same rounds, in the same order: the ratios are
 * taken round by round); `check` decides whether the target holds.
 */
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
    row.ratios = pairedRatios(ours, python);
    row.ratio = row.ratios.median;
  }
  if (floor) {
    row.floor = summarize(floor);
    row.floorRatios = pairedRatios(ours, floor);
    row.floorRatio = row.floorRatios.median;
  }
  if (target) {
    row.target = target.text;
    row.met = target.check(row);
  }
  return row;
}

const fmt = (v: number | undefined, digits = 3) => v === undefined ? "-" : v.toPrecision(digits);
const fmtRatio = (s: Summary | undefined) =>
  s === undefined
    ? "-"
    : s.n === 1
    ? `${s.median.toFixed(2)}x`
    : `${s.median.toFixed(2)}x (${s.min.toFixed(2)}-${s.max.toFixed(2)})`;

/**
 * The results as a Markdown table (the README's performance section uses it): medians over the rounds, and
 * each ratio as the median of the per-round ratios with their min-max.
 */
export function markdownTable(rows: readonly Row[]): string {
  const lines = [
    "| case | unit | denotorch | PyTorch-Python | ratio | C++ floor | vs floor | target | met |",
    "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.name} | ${r.unit} | ${fmt(r.ours.median)} | ${fmt(r.python?.median)} | ${fmtRatio(r.ratios)} | ${
        fmt(r.floor?.median)
      } | ${fmtRatio(r.floorRatios)} | ${r.target ?? "-"} | ${r.met === undefined ? "-" : r.met ? "yes" : "no"} |`,
    );
  }
  return lines.join("\n");
}
