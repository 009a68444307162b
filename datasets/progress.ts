/**
 * A download progress bar on stderr: bytes so far, the total, the rate and the time left. On a terminal it
 * redraws one line (at most 10 times a second); in a log (not a terminal) it writes a line per 10% (or per
 * 10 s when the total is unknown), so logs stay short.
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

const encoder = new TextEncoder();

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
 * Tracks bytes received and shows them (see the module notes).
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
  readonly #label: string;
  readonly #total: number | null;
  readonly #write: (text: string) => void;
  readonly #tty: boolean;
  readonly #now: () => number;
  readonly #start: number;
  #bytes = 0;
  #lastDraw = -Infinity;
  #lastDecile = -1;
  #done = false;

  /** A bar for one transfer (see {@linkcode ProgressOptions}). */
  constructor(options: ProgressOptions = {}) {
    checkOptionsObject("ByteProgress", options);
    checkOptions("ByteProgress", options, ["label", "total", "write", "isTerminal", "now"]);
    this.#label = options.label ?? "download";
    this.#total = options.total ?? null;
    this.#write = options.write ?? ((text) => Deno.stderr.writeSync(encoder.encode(text)));
    this.#tty = options.isTerminal ?? Deno.stderr.isTerminal();
    this.#now = options.now ?? (() => performance.now());
    this.#start = this.#now();
  }

  /** The bytes counted so far. */
  get bytes(): number {
    return this.#bytes;
  }

  /** The current line: label, bar (when the total is known), bytes, rate and time left. */
  line(): string {
    const seconds = Math.max((this.#now() - this.#start) / 1000, 1e-3);
    const rate = this.#bytes / seconds;
    const parts = [this.#label];
    if (this.#total !== null && this.#total > 0) {
      const f = Math.min(this.#bytes / this.#total, 1);
      const width = 24, filled = Math.round(f * width);
      parts.push(`[${"#".repeat(filled)}${"-".repeat(width - filled)}]`, `${(f * 100).toFixed(0).padStart(3)}%`);
      parts.push(`${formatBytes(this.#bytes)} / ${formatBytes(this.#total)}`);
      parts.push(`${formatBytes(rate)}/s`);
      if (!this.#done) parts.push(`ETA ${formatSeconds(rate > 0 ? (this.#total - this.#bytes) / rate : Infinity)}`);
    } else {
      parts.push(formatBytes(this.#bytes), `${formatBytes(rate)}/s`);
    }
    if (this.#done) parts.push(`in ${formatSeconds(seconds)}`);
    return parts.join("  ");
  }

  /** Counts `n` more bytes and redraws when it is time to. */
  add(n: number): void {
    this.#bytes += n;
    const t = this.#now();
    if (this.#tty) {
      if (t - this.#lastDraw >= 100) {
        this.#lastDraw = t;
        this.#write(`\r${this.line()}\x1b[K`);
      }
    } else if (this.#total !== null && this.#total > 0) {
      const decile = Math.floor(Math.min(this.#bytes / this.#total, 1) * 10);
      if (decile > this.#lastDecile && decile < 10) {
        this.#lastDecile = decile;
        this.#write(`${this.line()}\n`);
      }
    } else if (t - this.#lastDraw >= 10_000) {
      this.#lastDraw = t;
      this.#write(`${this.line()}\n`);
    }
  }

  /** Writes the final line (once). */
  finish(): void {
    if (this.#done) return;
    this.#done = true;
    this.#write(this.#tty ? `\r${this.line()}\x1b[K\n` : `${this.line()}\n`);
  }

  /** Ends the line after a failure, with `message`. */
  fail(message: string): void {
    if (this.#done) return;
    this.#done = true;
    this.#write(`${this.#tty ? "\n" : ""}${this.#label}: ${message}\n`);
  }
}
