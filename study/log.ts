/**
 * The run log: lines printed to stdout and kept, so the run folder gets a `log.txt` (written atomically
 * whenever the study saves its outputs).
 *
 * @module
 */

import { writeFileAtomic } from "../util/fs.ts";

/**
 * Prints and records lines.
 *
 * @example
 * ```ts
 * import { RunLog } from "./log.ts";
 * const log = new RunLog();
 * log.info("epoch 1: loss 0.69");
 * await log.save("runs/demo/log.txt");
 * ```
 */
export class RunLog {
  readonly #lines: string[] = [];

  /** A log that also prints unless `quiet`. */
  constructor(readonly quiet = false) {}

  /** Prints and records a line (with the time since the start). */
  info(line: string): void {
    this.#lines.push(`${new Date().toISOString()} ${line}`);
    if (!this.quiet) console.log(line);
  }

  /** Records a line without printing it (details for the log file only). */
  detail(line: string): void {
    this.#lines.push(`${new Date().toISOString()} ${line}`);
  }

  /** The recorded lines. */
  get lines(): readonly string[] {
    return this.#lines;
  }

  /** Writes the log to `path` atomically. */
  async save(path: string): Promise<void> {
    await writeFileAtomic(path, this.#lines.join("\n") + "\n");
  }
}
