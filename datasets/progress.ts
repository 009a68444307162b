/**
 * The one progress bar on stderr, for downloads ({@linkcode ByteProgress}: bytes so far, the total, the
 * rate and the time left) and for training and evaluation ({@linkcode ProgressBar} over steps, with the
 * images per second and the running loss and accuracy). On a terminal it redraws one line (at most 10
 * times a second); in a log (not a terminal) it writes a line per tenth of the total (`logLines`, a
 * quarter for training), or per 10 s when the total is unknown, and a final line, so logs stay short.
 *
 * @module
 */

import { checkOptionsObject } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";

/** Options of {@linkcode ByteProgress}. */
export interface ProgressOptions {
  /** The label in front of the bar (for example the file name). */
  label?: string;
  /** The number of bytes expected, when known. */
  total?: number | null;
  /** Where text goes (default: stderr). */
  write?: (text: string) => void;
  /** Whether the output is a terminal (default: whether stderr is one). */
  isTerminal?: boolean;
  /** The clock in milliseconds (default `performance.now`), for tests. */
  now?: () => number;
}

/** Options of {@linkcode ProgressBar}: those of {@linkcode ProgressOptions}, and how the amount is shown. */
export interface ProgressBarOptions extends ProgressOptions {
  /** The unit of the amount: `"B"` shows bytes in human units (`formatBytes`), another name (say "img")
   * shows a count (`1234 img/s`) and the steps as `done/total` (default `"B"`). */
  unit?: string;
  /** Lines written per run in a log, when the total is known (default 10). */
  logLines?: number;
  /** False writes nothing (default true). */
  enabled?: boolean;
}

const encoder = new TextEncoder();
const OPTION_KEYS = ["label", "total", "write", "isTerminal", "now"];

/**
 * Bytes in human units (powers of 1000, as download sizes are usually given).
 *
 * @example
 * ```ts
 * import { formatBytes } from "./progress.ts";
 * formatBytes(170498071); // "170.5 MB"
 * ```
 */
export function formatBytes(n: number): string {
  const units = ["B", "kB", "MB", "GB", "TB"];
  let u = 0;
  while (n >= 1000 && u < units.length - 1) {
    n /= 1000;
    u++;
  }
  return u === 0 ? `${n} B` : `${n.toFixed(1)} ${units[u]}`;
}

function formatSeconds(s: number): string {
  if (!Number.isFinite(s)) return "?";
  s = Math.round(s);
  return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

/**
 * A progress bar over `total` steps (see the module notes). `update(done, amount, fields)` says how many
 * steps are done, adds `amount` (bytes, images; default: the new steps) to the rate, and shows `fields`
 * (already formatted, for example `loss 0.6931`) before the rate.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress.ts";
 * const bar = new ProgressBar({ label: "epoch 1/3", total: 100, unit: "img", logLines: 4 });
 * for (let i = 0; i < 100; i++) bar.update(i + 1, 64, ["loss 0.5000", "acc 0.800"]);
 * bar.finish();
 * ```
 */
export class ProgressBar {
  readonly #label: string;
  readonly #total: number | null;
  readonly #bytes: boolean;
  readonly #unit: string;
  readonly #logLines: number;
  readonly #write: (text: string) => void;
  readonly #tty: boolean;
  readonly #now: () => number;
  readonly #start: number;
  #done = 0;
  #amount = 0;
  #fields: readonly string[] = [];
  #lastDraw = -Infinity;
  #lastMark = -1;
  #finished = false;

  /** A bar for one run (see {@linkcode ProgressBarOptions}). */
  constructor(options: ProgressBarOptions = {}) {
    checkOptionsObject("ProgressBar", options);
    checkOptions("ProgressBar", options, [...OPTION_KEYS, "unit", "logLines", "enabled"]);
    this.#label = options.label ?? "download";
    this.#total = options.total ?? null;
    this.#unit = options.unit ?? "B";
    this.#bytes = this.#unit === "B";
    this.#logLines = options.logLines ?? 10;
    this.#write = options.enabled === false
      ? () => {}
      : options.write ?? ((text) => Deno.stderr.writeSync(encoder.encode(text)));
    this.#tty = options.isTerminal ?? Deno.stderr.isTerminal();
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  /** The amount counted so far (bytes, images). */
  get amount(): number {
    return this.#amount;
  }

  /** The current line: label, bar (when the total is known), amounts, fields, rate and time left. */
  line(): string {
    const seconds = Math.max((this.#now() - this.#start) / 1000, 1e-3);
    const rate = this.#amount / seconds;
    const rateText = this.#bytes ? `${formatBytes(rate)}/s` : `${Math.round(rate)} ${this.#unit}/s`;
    const parts = [this.#label];
    if (this.#total !== null && this.#total > 0) {
      const f = Math.min(this.#done / this.#total, 1);
      const width = 24, filled = Math.round(f * width);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(width - filled)}]`, `${(f * 100).toFixed(0).padStart(3)}%`);
      parts.push(
        this.#bytes ? `${formatBytes(this.#done)} / ${formatBytes(this.#total)}` : `${this.#done}/${this.#total}`,
      );
      parts.push(...this.#fields, rateText);
      if (!this.#finished) {
        const stepRate = this.#done / seconds;
        parts.push(`ETA ${formatSeconds(stepRate > 0 ? (this.#total - this.#done) / stepRate : Infinity)}`);
      }
    } else {
      parts.push(this.#bytes ? formatBytes(this.#amount) : `${this.#done}`, ...this.#fields, rateText);
    }
    if (this.#finished) parts.push(`in ${formatSeconds(seconds)}`);
    return parts.join("  ");
  }

  /** Records that `done` steps are done, `amount` more units (default: the new steps), and redraws when it is time. */
  update(done: number, amount: number = done - this.#done, fields: readonly string[] = []): void {
    this.#done = done;
    this.#amount += amount;
    this.#fields = fields;
    const t = this.#now();
    if (this.#tty) {
      if (t - this.#lastDraw >= 100) {
        this.#lastDraw = t;
        this.#write(`\r${this.line()}\x1b[K`);
      }
    } else if (this.#total !== null && this.#total > 0) {
      const mark = Math.floor(Math.min(this.#done / this.#total, 1) * this.#logLines);
      if (mark > this.#lastMark && mark < this.#logLines) {
        this.#lastMark = mark;
        this.#write(`${this.line()}\n`);
      }
    } else if (t - this.#lastDraw >= 10_000) {
      this.#lastDraw = t;
      this.#write(`${this.line()}\n`);
    }
  }

  /** Writes the final line (once). */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#write(this.#tty ? `\r${this.line()}\x1b[K\n` : `${this.line()}\n`);
  }

  /** Ends the line after a failure, with `message`. */
  fail(message: string): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#write(`${this.#tty ? "\n" : ""}${this.#label}: ${message}\n`);
  }
}

/**
 * The {@linkcode ProgressBar} of a download: counts bytes received and shows them (see the module notes).
 *
 * @example
 * ```ts
 * import { ByteProgress } from "./progress.ts";
 * const bar = new ByteProgress({ label: "cifar-10-binary.tar.gz", total: 170498071 });
 * bar.add(65536);
 * bar.finish();
 * ```
 */
export class ByteProgress {
  readonly #bar: ProgressBar;

  /** A bar for one transfer (see {@linkcode ProgressOptions}). */
  constructor(options: ProgressOptions = {}) {
    checkOptionsObject("ByteProgress", options);
    checkOptions("ByteProgress", options, OPTION_KEYS);
    this.#bar = new ProgressBar({ ...options, unit: "B" });
  }

  /** The bytes counted so far. */
  get bytes(): number {
    return this.#bar.amount;
  }

  /** The current line: label, bar (when the total is known), bytes, rate and time left. */
  line(): string {
    return this.#bar.line();
  }

  /** Counts `n` more bytes and redraws when it is time to. */
  add(n: number): void {
    this.#bar.update(this.#bar.amount + n, n);
  }

  /** Writes the final line (once). */
  finish(): void {
    this.#bar.finish();
  }

  /** Ends the line after a failure, with `message`. */
  fail(message: string): void {
    this.#bar.fail(message);
  }
}
