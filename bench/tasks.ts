/**
 * The `tasks` case of `deno task bench`: whole study tasks end to end, each a process timed from its start
 * to its exit, against `bench/study_task.py`, the PyTorch-Python twin that does the same work (the same data,
 * split, seeds, model, optimizer, per-epoch validation and checkpoints, temperature fit, metrics, bootstrap,
 * sweep, figures and run folder). `deno task lenet` trains the LeNet-5; `deno task densenet` runs with the
 * frozen backbone's features computed once and cached (`--no-augment --train-from classifier`, 32 px), each
 * denotorch run with an empty feature cache of its own, so that both sides extract the features.
 *
 * Both sides write `report.json`; {@linkcode parseTaskReport} reads the phase timings and the headline
 * numbers from it, so that a run shows where its time went, and that both sides reached the same result.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { BENCH_DIR, makeRow, type Measured, PYTHON, type Rounds, type Row } from "./runner.ts";

/** The two study tasks the case runs. */
export type BenchTask = "lenet" | "densenet";

/** How one run of a task is made. */
export interface TaskRun {
  /** The task. */
  task: BenchTask;
  /** The CIFAR-10 binary folder. */
  data: string;
  /** Training epochs. */
  epochs: number;
  /** Only the first `limit` records of each split (0: all). */
  limit: number;
  /** Threads of the run. */
  threads: number;
  /** The TorchScript DenseNet (the densenet task). */
  weights?: string;
  /** Milliseconds the run may take; then it is killed and the case fails. */
  timeoutMs: number;
}

/** The repository root (where `deno task` finds deno.json). */
const ROOT = join(BENCH_DIR, "..");

/** The image size of the densenet task's runs: the CIFAR images as they are, as in issue 17's measurement. */
export const DENSENET_BENCH_SIZE = 32;

/** The command line of one side's run of a task, writing its run folder to `out`. */
export function taskCommand(side: "ours" | "python", run: TaskRun, out: string): { cmd: string; args: string[] } {
  const common = [
    "--data",
    run.data,
    "--epochs",
    String(run.epochs),
    "--limit",
    String(run.limit),
    "--threads",
    String(run.threads),
    "--out",
    out,
  ];
  const densenet = run.task === "densenet"
    ? ["--weights", run.weights ?? "", "--image-size", String(DENSENET_BENCH_SIZE)]
    : [];
  if (side === "ours") {
    const flags = run.task === "densenet" ? ["--no-augment", "--train-from", "classifier", "--device", "cpu"] : [
      "--device",
      "cpu",
    ];
    return { cmd: Deno.execPath(), args: ["task", "-q", run.task, ...common, ...densenet, ...flags] };
  }
  return { cmd: PYTHON, args: [join(BENCH_DIR, "study_task.py"), "--task", run.task, ...common, ...densenet] };
}

/** A number at `path` of a JSON value, or undefined. */
function numberAt(v: unknown, path: string[]): number | undefined {
  let x = v;
  for (const k of path) {
    if (typeof x !== "object" || x === null) return undefined;
    x = (x as Record<string, unknown>)[k];
  }
  return typeof x === "number" && Number.isFinite(x) ? x : undefined;
}

/** The phases whose seconds the case reports (the densenet task's feature extraction only there). */
const PHASES = ["data", "features", "train", "evaluate", "calibrate", "figures"] as const;

/**
 * One run's measurement from its wall time and its `report.json`: `wall_s`, the seconds of each phase the
 * report times (`data_s`, `features_s`, `train_s`, ...), and the results both sides must agree on
 * (`final_loss`, `ece_before`, `ece_after`, `temperature`), and the peak resident memory when the report has it
 * (`peak_rss_mib`); `no_figures` when the twin drew none (no matplotlib). A report without the timings or the calibration
 * is an error naming what is missing.
 */
export function parseTaskReport(report: unknown, wallSeconds: number, label: string): Measured {
  if (!(Number.isFinite(wallSeconds) && wallSeconds > 0)) {
    throw new RangeError(`${label}: the wall time must be a positive number of seconds, got ${wallSeconds}`);
  }
  if (typeof report !== "object" || report === null || Array.isArray(report)) {
    throw new Error(`${label}: report.json must hold an object, got ${JSON.stringify(report)?.slice(0, 80)}`);
  }
  const m: Measured = { wall_s: [wallSeconds] };
  for (const p of PHASES) {
    const s = numberAt(report, ["timings", p]);
    if (s !== undefined) m[`${p}_s`] = [s];
    else if (p === "train") throw new Error(`${label}: report.json has no timings.train (seconds of training)`);
  }
  const need = (key: string, path: string[]) => {
    const v = numberAt(report, path);
    if (v === undefined) throw new Error(`${label}: report.json has no number at ${path.join(".")}`);
    m[key] = [v];
  };
  need("ece_before", ["calibration", "before", "eceTopLabel"]);
  need("ece_after", ["calibration", "after", "eceTopLabel"]);
  need("temperature", ["calibration", "temperature", "temperature"]);
  const losses = (report as { training?: { stepLosses?: unknown } }).training?.stepLosses;
  const last = Array.isArray(losses) ? losses[losses.length - 1] : undefined;
  if (typeof last !== "number" || !Number.isFinite(last)) {
    throw new Error(`${label}: report.json has no training.stepLosses ending in a number`);
  }
  m.final_loss = [last];
  const peak = numberAt(report, ["memory", "peakMiB"]);
  if (peak !== undefined) m.peak_rss_mib = [peak];
  // the twin without matplotlib draws no figures and says so: its times then lack that work
  if ((report as { figures?: unknown }).figures === null) m.no_figures = [1];
  return m;
}

/**
 * Runs one side's run of a task in a fresh temporary folder (its run folder, and for denotorch an empty
 * feature cache of its own through DENOTORCH_CACHE), times the process from its start to its exit, and
 * returns {@linkcode parseTaskReport}'s measurement; the folder is removed. A run that fails or passes its
 * time limit (then it is killed) is an error with the end of its output.
 */
export async function runTask(side: "ours" | "python", given: TaskRun): Promise<Measured> {
  // the runs start in the repository root: paths given relative to this process's folder are resolved here
  const run = { ...given, data: resolve(given.data), weights: given.weights && resolve(given.weights) };
  const dir = Deno.makeTempDirSync({ prefix: `bench-${run.task}-${side}-` });
  const label = `${side === "ours" ? "deno task" : "study_task.py"} ${run.task}`;
  try {
    const out = join(dir, "run");
    const { cmd, args } = taskCommand(side, run, out);
    const env: Record<string, string> = { OMP_NUM_THREADS: String(run.threads), MKL_NUM_THREADS: String(run.threads) };
    if (side === "ours") env.DENOTORCH_CACHE = join(dir, "cache");
    const t0 = performance.now();
    const child = new Deno.Command(cmd, { args, env, cwd: ROOT, stdin: "null", stdout: "piped", stderr: "piped" })
      .spawn();
    const timer = setTimeout(() => {
      try {
        child.kill("SIGKILL");
      } catch { /* exited already */ }
    }, run.timeoutMs);
    const result = await child.output().finally(() => clearTimeout(timer));
    const seconds = (performance.now() - t0) / 1000;
    if (!result.success) {
      const tail = new TextDecoder().decode(result.stderr).trim().split("\n").slice(-15).join("\n");
      const how = result.signal
        ? `was killed by ${result.signal} (limit ${run.timeoutMs / 1000} s)`
        : `exited ${result.code}`;
      throw new Error(`${label} ${how}: ${cmd} ${args.join(" ")}\n${tail}`);
    }
    let report: unknown;
    try {
      report = JSON.parse(Deno.readTextFileSync(join(out, "report.json")));
    } catch (e) {
      throw new Error(`${label}: no readable report.json in its run folder (${(e as Error).message})`);
    }
    return parseTaskReport(report, seconds, label);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

/** The row names and targets of a task: the whole run, and its phases. */
const TASK_ROWS: Record<
  BenchTask,
  { whole: string; target: string; limit: number; phases: [string, string][]; memory: string }
> = {
  lenet: {
    whole: "deno task lenet, end to end",
    target: "<= 0.95x PyTorch",
    limit: 0.95,
    phases: [["train_s", "LeNet task: training (with validation, checkpoints)"], [
      "figures_s",
      "LeNet task: figures",
    ]],
    memory: "LeNet task: peak RSS",
  },
  densenet: {
    whole: "deno task densenet, cached features, end to end",
    target: "<= 1.0x PyTorch",
    limit: 1.0,
    phases: [
      ["features_s", "DenseNet task: feature extraction"],
      ["train_s", "DenseNet task: head training on cached features"],
      ["figures_s", "DenseNet task: figures"],
    ],
    memory: "DenseNet task: peak RSS",
  },
};

/**
 * The rows of a task from its paired rounds (`ours` and `python` per-round values): the wall time end to end
 * with the target, then its phases. A phase row compares what each side spent in it; denotorch draws its
 * figures in a worker while it evaluates, so its figures row is time beside the main thread, not on it.
 */
export function taskRows(task: BenchTask, epochs: number, ours: Rounds, python: Rounds | undefined): Row[] {
  const spec = TASK_ROWS[task];
  if (ours.wall_s === undefined) throw new Error(`taskRows: no denotorch rounds of the ${task} task`);
  const rows = [
    makeRow(
      `${spec.whole} (${epochs} epoch${epochs > 1 ? "s" : ""})`,
      "s",
      false,
      ours.wall_s,
      python?.wall_s,
      undefined,
      {
        text: spec.target,
        check: (r) => r.ratio === undefined || r.ratio <= spec.limit,
      },
    ),
  ];
  for (const [key, name] of spec.phases) {
    if (ours[key] !== undefined) rows.push(makeRow(name, "s", false, ours[key], python?.[key], undefined));
  }
  if (ours.peak_rss_mib !== undefined) {
    rows.push(makeRow(spec.memory, "MiB", false, ours.peak_rss_mib, python?.peak_rss_mib, undefined, {
      text: "<= 0.6x PyTorch",
      check: (r) => r.ratio === undefined || r.ratio <= 0.6,
    }));
  }
  return rows;
}

/**
 * Whether both sides reached the same result: the last training loss to the bit, and the ECE before and after
 * and the temperature to 1e-6 (denotorch computes some of the metrics in float32, the twin in float64). Returns
 * a line for the log.
 */
export function sameResults(task: BenchTask, ours: Rounds, python: Rounds | undefined): string {
  if (python === undefined) return `${task} task: no PyTorch-Python run to compare results with`;
  const noFigures = python.no_figures !== undefined
    ? "; PyTorch-Python drew no figures (no matplotlib for /usr/bin/python3): its times lack that work"
    : "";
  const a = (k: string) => ours[k]?.[0], b = (k: string) => python[k]?.[0];
  const close = (k: string) => Math.abs((a(k) ?? NaN) - (b(k) ?? NaN)) <= 1e-6;
  const bits = a("final_loss") === b("final_loss");
  const metrics = ["ece_before", "ece_after", "temperature"].every(close);
  return `${task} task: last training loss ${a("final_loss")} / ${b("final_loss")} ` +
    `(${bits ? "the same bits" : "they differ"}); ECE ${a("ece_before")?.toFixed(5)} -> ${
      a("ece_after")?.toFixed(5)
    } / ` +
    `${b("ece_before")?.toFixed(5)} -> ${b("ece_after")?.toFixed(5)}, T ${a("temperature")?.toFixed(5)} / ` +
    `${b("temperature")?.toFixed(5)} (${metrics ? "equal to 1e-6" : "they differ"})${noFigures}`;
}
