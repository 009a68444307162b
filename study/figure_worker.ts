/**
 * The worker of {@linkcode FigureWriter} (`figures.ts`): renders each figure it is sent (Vega-Lite to
 * SVG, and to PNG when asked) and writes its files atomically, off the main thread. It loads only the
 * rendering core (`calibration/render_core.ts`: Vega, Vega-Lite, resvg), never the tensor layer or LibTorch.
 *
 * Messages in: {@linkcode FigureJob}; out: {@linkcode FigureDone}.
 *
 * @module
 */

import { writeFigure } from "../calibration/render_core.ts";
import type { VegaLiteSpec } from "../calibration/diagram.ts";

/** A figure to render: `<base>.svg`, and `<base>.png` with `png`. */
export interface FigureJob {
  /** Identifies the job in its answer. */
  id: number;
  /** The path without its extension. */
  base: string;
  /** The Vega-Lite spec. */
  spec: VegaLiteSpec;
  /** Also rasterise to PNG. */
  png: boolean;
}

/** A job's answer: the files written, or what went wrong. */
export type FigureDone =
  | { id: number; ok: true; files: string[] }
  | { id: number; ok: false; message: string };

// a module worker's global scope, typed for what this file uses
const scope = globalThis as unknown as {
  onmessage: ((e: MessageEvent<FigureJob>) => void) | null;
  postMessage(message: FigureDone): void;
};

/** Renders `job` and answers with the files written or the error's message. */
async function render(job: FigureJob): Promise<void> {
  try {
    const out = await writeFigure(job.base, job.spec, { png: job.png });
    scope.postMessage({ id: job.id, ok: true, files: [out.svg, ...(out.png === null ? [] : [out.png])] });
  } catch (e) {
    scope.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
}

// one figure at a time, in the order sent (interleaving them on one thread would finish none sooner)
let queue: Promise<void> = Promise.resolve();
scope.onmessage = (e) => {
  queue = queue.then(() => render(e.data));
};
