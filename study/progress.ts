/**
 * A progress bar for training and evaluation on stderr: batches done, running loss and accuracy, and the
 * rate in images per second. On a terminal it redraws one line; in a log (not a TTY) it prints a line at
 * each quarter and at the end, so logs stay short.
 *
 * @module
 */

/** What the bar shows after each step. */
export interface ProgressStats {
  /** Mean loss so far this epoch. */
  loss?: number;
  /** Accuracy so far this epoch. */
  accuracy?: number;
}

const encoder = new TextEncoder();

/**
 * A progress bar over `total` steps of `label`.
 *
 * @example
 * ```ts
 * import { ProgressBar } from "./progress.ts";
 * const bar = new ProgressBar("epoch 1/3", 100);
 * for (let i = 0; i < 100; i++) bar.update(i + 1, 64, { loss: 0.5, accuracy: 0.8 });
 * bar.done();
 * ```
 */
export class ProgressBar {
  readonly #tty: boolean;
  readonly #start = performance.now();
  #images = 0;
  #lastDraw = 0;
  #lastQuarter = 0;
  #line = "";

  /** A bar for `total` steps; `enabled` false silences it (tests). */
  constructor(readonly label: string, readonly total: number, readonly enabled = true) {
    this.#tty = Deno.stderr.isTerminal();
  }

  /** Images per second so far. */
  get rate(): number {
    const s = (performance.now() - this.#start) / 1000;
    return s > 0 ? this.#images / s : 0;
  }

  /** Seconds since the bar started. */
  get seconds(): number {
    return (performance.now() - this.#start) / 1000;
  }

  /** Records that `step` steps are done (the last one had `images` images) and redraws. */
  update(step: number, images: number, stats: ProgressStats = {}): void {
    this.#images += images;
    if (!this.enabled) return;
    const now = performance.now();
    const quarter = Math.floor((4 * step) / this.total);
    if (this.#tty && now - this.#lastDraw < 100 && step < this.total) return;
    if (!this.#tty && quarter === this.#lastQuarter && step < this.total) return;
    this.#lastDraw = now;
    this.#lastQuarter = quarter;
    const width = 24;
    const filled = Math.round((width * step) / this.total);
    const bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? (step < this.total ? ">" : "=") : "") +
      " ".repeat(width - filled);
    const eta = step > 0 ? ((this.total - step) * this.seconds) / step : 0;
    const parts = [`${this.label} [${bar}] ${step}/${this.total}`];
    if (stats.loss !== undefined) parts.push(`loss ${stats.loss.toFixed(4)}`);
    if (stats.accuracy !== undefined) parts.push(`acc ${stats.accuracy.toFixed(3)}`);
    parts.push(
      `${Math.round(this.rate)} img/s`,
      step < this.total ? `eta ${eta.toFixed(0)}s` : `${this.seconds.toFixed(1)}s`,
    );
    this.#line = parts.join("  ");
    const text = this.#tty ? `\r\x1b[2K${this.#line}` : `${this.#line}\n`;
    Deno.stderr.writeSync(encoder.encode(text));
  }

  /** Ends the bar's line. */
  done(): void {
    if (this.enabled && this.#tty && this.#line) Deno.stderr.writeSync(encoder.encode("\n"));
  }
}
