/**
 * The study's figures rendered off the critical path: a {@linkcode FigureWriter} hands each figure to a
 * worker (`figure_worker.ts`), which renders it with Vega (and resvg for a PNG) and writes its files
 * atomically while the main thread goes on (the final evaluation, the model's weights); the run waits for
 * them with {@linkcode FigureWriter.done} before it writes `report.json`, so a finished report always has its
 * figures. The worker starts with the first figure, so a run that draws none pays nothing.
 *
 * @example
 * ```ts
 * import { lineChart } from "../calibration/line_chart.ts";
 * import { FigureWriter } from "./figures.ts";
 * using figures = new FigureWriter({ png: false });
 * figures.write("runs/demo/loss", lineChart([{ name: "loss", y: [1, 0.5, 0.3] }]));
 * const { files, seconds } = await figures.done(); // ["runs/demo/loss.svg"], the worker's wall time
 * ```
 *
 * @module
 */

import type { VegaLiteSpec } from "../calibration/diagram.ts";
import type { FigureDone, FigureJob } from "./figure_worker.ts";

/** What {@linkcode FigureWriter.done} reports. */
export interface FiguresWritten {
  /** Every file written, in the order the figures were given. */
  files: string[];
  /** Seconds from the first figure given to the last one written. */
  seconds: number;
}

/** Renders figures in a worker; see the module notes. Dispose of it (or `using`) to stop the worker. */
export class FigureWriter implements Disposable {
  readonly #png: boolean;
  #worker: Worker | null = null;
  #failure: Error | null = null;
  #started = 0;
  #next = 0;
  readonly #pending = new Map<
    number,
    { base: string; resolve: (files: string[]) => void; reject: (e: Error) => void }
  >();
  readonly #results: Promise<string[]>[] = [];

  /** A writer of SVG figures, and of PNGs too with `png: true`. */
  constructor(options: { png: boolean }) {
    if (typeof options?.png !== "boolean") {
      throw new TypeError(`FigureWriter: options.png must be a boolean, got ${typeof options?.png}`);
    }
    this.#png = options.png;
  }

  /** Queues a figure: `<base>.svg` (and `<base>.png`), written by the worker. */
  write(base: string, spec: VegaLiteSpec): void {
    if (typeof base !== "string" || base === "") {
      throw new TypeError("FigureWriter.write: base must be a non-empty path (without extension)");
    }
    if (this.#failure) throw this.#failure;
    const worker = this.#start();
    const id = this.#next++;
    const result = new Promise<string[]>((resolve, reject) => this.#pending.set(id, { base, resolve, reject }));
    result.catch(() => {}); // handled by done(); a writer closed on a failed run leaves no unhandled rejection
    this.#results.push(result);
    const job: FigureJob = { id, base, spec, png: this.#png };
    worker.postMessage(job);
  }

  /** Waits for every figure given so far; throws the first failure (naming the figure). */
  async done(): Promise<FiguresWritten> {
    const files = (await Promise.all(this.#results)).flat();
    return { files, seconds: this.#started === 0 ? 0 : (performance.now() - this.#started) / 1000 };
  }

  /** Stops the worker; figures not yet written are dropped (and {@linkcode FigureWriter.done} fails). */
  close(): void {
    this.#worker?.terminate();
    this.#worker = null;
    this.#fail(new Error("FigureWriter: closed before every figure was written"));
  }

  /** {@linkcode FigureWriter.close}. */
  [Symbol.dispose](): void {
    this.close();
  }

  #start(): Worker {
    if (this.#worker) return this.#worker;
    this.#started = performance.now();
    const worker = new Worker(new URL("./figure_worker.ts", import.meta.url), { type: "module" });
    worker.onmessage = (e: MessageEvent<FigureDone>) => {
      const d = e.data;
      const job = this.#pending.get(d.id);
      if (job === undefined) return;
      this.#pending.delete(d.id);
      if (d.ok) job.resolve(d.files);
      else job.reject(new Error(`figure ${job.base}: ${d.message}`));
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault(); // the run fails with the message, not the process
      this.#fail(new Error(`the figure worker failed: ${e.message}`));
    };
    this.#worker = worker;
    return worker;
  }

  #fail(e: Error): void {
    this.#failure ??= e;
    for (const job of this.#pending.values()) job.reject(this.#failure);
    this.#pending.clear();
  }
}
