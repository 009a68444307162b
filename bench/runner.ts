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
import { freePort } from "../scripts/launch.ts";
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

/** Options of {@linkcode runGroupJson}. */
export interface GroupOptions {
  /** Processes (ranks) of the group. */
  nproc: number;
  /** Threads of every rank (OMP_NUM_THREADS, MKL_NUM_THREADS; the scripts pin theirs with `--threads`). */
  threads: number;
  /** Milliseconds the whole group may take; then every rank still running is killed and the run fails. */
  timeoutMs: number;
  /** The address the ranks meet at (MASTER_ADDR), 127.0.0.1 by default. */
  host?: string;
  /** Tries with a new free port when rank 0 finds its port taken ("Address already in use"), 3 by default. */
  attempts?: number;
}

const tail = (text: string, lines = 15) => text.trim().split("\n").slice(-lines).join("\n");

/**
 * Runs `nproc` ranks of one command as a data-parallel group on one machine and returns the JSON object
 * that rank 0 prints on its last stdout line. Every rank gets the environment `deno task launch` gives
 * (RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT at a free port, LOCAL_RANK, LOCAL_WORLD_SIZE, GROUP_RANK; and
 * GLOO_SOCKET_IFNAME=lo unless set, so that Gloo stays on the loopback), but the ranks are this process's
 * own children, so that it can bound them: when one rank fails the others are killed at once, when the
 * group outlives `timeoutMs` all are killed, and SIGINT/SIGTERM of the benchmark kill them before it
 * exits; every rank has exited (and been reaped) when this returns or throws. A port taken between its
 * choice and rank 0's bind is retried with a new one.
 *
 * @example
 * ```ts ignore
 * const r = await runGroupJson(Deno.execPath(), ["run", "-A", "bench/ddp_lenet.ts", "--data", dir], {
 *   nproc: 2, threads: 1, timeoutMs: 120_000,
 * });
 * ```
 */
export async function runGroupJson(cmd: string, args: string[], options: GroupOptions): Promise<unknown> {
  const { nproc, threads, timeoutMs, host = "127.0.0.1", attempts = 3 } = options;
  if (!Number.isInteger(nproc) || nproc < 1) throw new RangeError(`runGroupJson: nproc must be >= 1, got ${nproc}`);
  const label = `${cmd} ${args.join(" ")} (${nproc} rank${nproc > 1 ? "s" : ""})`;
  for (let attempt = 1;; attempt++) {
    const port = freePort(host);
    const run = await runGroupOnce(cmd, args, nproc, threads, host, port, timeoutMs);
    const failed = run.failure !== undefined;
    if (failed && attempt < attempts && /Address already in use/.test(run.stderr[0])) continue;
    const outputs = () =>
      run.stderr.map((e, r) =>
        `--- rank ${r} stderr:\n${tail(e)}${r === 0 ? `\n--- rank 0 stdout:\n${tail(run.stdout0)}` : ""}`
      )
        .join("\n");
    if (failed) throw new Error(`${label} failed at port ${port}: ${run.failure}\n${outputs()}`);
    const last = run.stdout0.trim().split("\n").pop() ?? "";
    try {
      return JSON.parse(last);
    } catch {
      throw new Error(`${label}: rank 0 printed no JSON result\n${outputs()}`);
    }
  }
}

async function runGroupOnce(
  cmd: string,
  args: string[],
  nproc: number,
  threads: number,
  host: string,
  port: number,
  timeoutMs: number,
): Promise<{ stdout0: string; stderr: string[]; failure?: string }> {
  const children: Deno.ChildProcess[] = [];
  const killAll = () => {
    for (const c of children) {
      try {
        c.kill("SIGKILL");
      } catch { /* exited already */ }
    }
  };
  const onInt = () => (killAll(), Deno.exit(130));
  const onTerm = () => (killAll(), Deno.exit(143));
  Deno.addSignalListener("SIGINT", onInt);
  Deno.addSignalListener("SIGTERM", onTerm);
  let failure: string | undefined;
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    for (let rank = 0; rank < nproc; rank++) {
      const env: Record<string, string> = {
        RANK: String(rank),
        WORLD_SIZE: String(nproc),
        MASTER_ADDR: host,
        MASTER_PORT: String(port),
        LOCAL_RANK: String(rank),
        LOCAL_WORLD_SIZE: String(nproc),
        GROUP_RANK: "0",
        OMP_NUM_THREADS: String(threads),
        MKL_NUM_THREADS: String(threads),
      };
      if (Deno.env.get("GLOO_SOCKET_IFNAME") === undefined) env.GLOO_SOCKET_IFNAME = "lo";
      children.push(new Deno.Command(cmd, { args, env, stdin: "null", stdout: "piped", stderr: "piped" }).spawn());
    }
    timer = setTimeout(() => {
      failure ??= `the group did not finish within ${timeoutMs / 1000} s; every rank still running was killed`;
      killAll();
    }, timeoutMs);
    const outs = await Promise.all(children.map(async (c, rank) => {
      const out = await c.output();
      if (!out.success && failure === undefined) {
        const how = out.signal ? `was killed by ${out.signal}` : `exited with code ${out.code}`;
        failure = `rank ${rank} ${how}${nproc > 1 ? "; the other ranks were killed" : ""}`;
        killAll();
      }
      return out;
    }));
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { stdout0: decode(outs[0].stdout), stderr: outs.map((o) => decode(o.stderr)), failure };
  } catch (e) {
    killAll();
    await Promise.allSettled(children.map((c) => c.status));
    throw e;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
    Deno.removeSignalListener("SIGINT", onInt);
    Deno.removeSignalListener("SIGTERM", onTerm);
  }
}

/**
 * Checks what rank 0 of `bench/ddp_lenet.ts` / `bench/ddp_lenet.py` printed, `{"world_size": N,
 * "images_per_s": [...]}`, and returns its rates as a side's measurement (`images_per_s`, one value per
 * timed epoch).
 */
export function parseDdpResult(json: unknown, nproc: number): Measured {
  const o = json as { world_size?: unknown; images_per_s?: unknown } | null;
  if (typeof o !== "object" || o === null || Array.isArray(o)) {
    throw new Error(`DDP LeNet: expected a JSON object from rank 0, got ${JSON.stringify(json)}`);
  }
  if (o.world_size !== nproc) {
    throw new Error(`DDP LeNet: rank 0 reports world_size ${JSON.stringify(o.world_size)}, expected ${nproc}`);
  }
  const rates = o.images_per_s;
  if (
    !Array.isArray(rates) || rates.length === 0 ||
    !rates.every((v) => typeof v === "number" && Number.isFinite(v) && v > 0)
  ) {
    throw new Error(
      `DDP LeNet: images_per_s must be a non-empty list of positive numbers, got ${JSON.stringify(rates)}`,
    );
  }
  return { images_per_s: rates as number[] };
}

/** The side name of the DDP case for a side (`ours`, `python`) and a process count: `ours_2`. */
export const ddpSide = (side: "ours" | "python", nproc: number): string => `${side}_${nproc}`;

/**
 * The rows of the DDP case from its paired rounds (sides named by {@linkcode ddpSide}): for each process
 * count, the images/s of all ranks together (denotorch, PyTorch-Python, their ratio per round), and for
 * each larger count its scaling over the smallest (`images/s with N / images/s with 1`, per round, for
 * each side; the ratio column compares the two scalings).
 */
export function ddpRows(rounds: Record<string, Rounds>, nprocs: readonly number[]): Row[] {
  const rate = (side: "ours" | "python", n: number) => rounds[ddpSide(side, n)]?.images_per_s;
  const procs = (n: number) => `${n} proc${n > 1 ? "s" : ""}`;
  const rows: Row[] = [];
  for (const n of nprocs) {
    const ours = rate("ours", n);
    if (ours === undefined) throw new Error(`ddpRows: no denotorch rounds with ${procs(n)}`);
    rows.push(makeRow(`DDP LeNet train, ${procs(n)}`, "img/s", true, ours, rate("python", n), undefined));
  }
  const base = nprocs[0];
  const scaling = (side: "ours" | "python", n: number) => {
    const a = rate(side, n), b = rate(side, base);
    return a && b ? a.map((v, i) => v / b[i]) : undefined;
  };
  for (const n of nprocs.slice(1)) {
    rows.push(
      makeRow(`DDP LeNet scaling ${n}/${base} procs`, "x", true, scaling("ours", n)!, scaling("python", n), undefined),
    );
  }
  return rows;
}
