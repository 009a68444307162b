/**
 * Measuring how fast CIFAR-10 records decode into tensors, in GB/s of record bytes, for the benchmark
 * (`bench/throughput.ts` prints them). `decode` times {@linkcode decodeCifar10} on bytes already in
 * memory (fromBytes, the column copy, the label check); `read` times {@linkcode readCifar10Files} from the
 * files (page cache warm after the first run).
 *
 * @module
 */

import { join } from "node:path";
import { CIFAR10_RECORD_BYTES, CIFAR10_TRAIN_FILES } from "./format.ts";
import { decodeCifar10, readCifar10Files } from "./reader.ts";
import { checkOptions } from "../../tensor/options.ts";

/** Throughput figures of {@linkcode measureDecodeThroughput}. */
export interface DecodeThroughput {
  /** Record bytes per run. */
  bytes: number;
  /** Records per run. */
  records: number;
  /** The best decode time from memory, in seconds. */
  decodeSeconds: number;
  /** Decoding from memory, GB/s (10^9 bytes per second), best run. */
  decodeGBps: number;
  /** The best time to read the files and decode, in seconds. */
  readSeconds: number;
  /** Reading the files and decoding, GB/s, best run. */
  readGBps: number;
}

/**
 * Times decoding the training files of the CIFAR-10 folder `dir`, best of `runs` (default 5).
 *
 * @example
 * ```ts
 * import { measureDecodeThroughput } from "./throughput.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * const t = measureDecodeThroughput(cifar10Dir());
 * console.log(`${t.decodeGBps.toFixed(2)} GB/s`);
 * ```
 */
export function measureDecodeThroughput(dir: string, options: { runs?: number } = {}): DecodeThroughput {
  checkOptions("measureDecodeThroughput", options, ["runs"]);
  const runs = options.runs ?? 5;
  const paths = CIFAR10_TRAIN_FILES.map((f) => join(dir, f));
  const chunks = paths.map((p) => Deno.readFileSync(p));
  const bytes = new Uint8Array(chunks.reduce((a, c) => a + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.length;
  }
  const time = (fn: () => { images: { dispose(): void }; labels: { dispose(): void } }) => {
    let best = Infinity;
    for (let i = 0; i < runs + 1; i++) {
      const t0 = performance.now();
      const r = fn();
      const t = (performance.now() - t0) / 1000;
      r.images.dispose();
      r.labels.dispose();
      if (i > 0) best = Math.min(best, t); // the first run warms up
    }
    return best;
  };
  const decodeSeconds = time(() => decodeCifar10(bytes));
  const readSeconds = time(() => readCifar10Files(paths));
  return {
    bytes: bytes.length,
    records: bytes.length / CIFAR10_RECORD_BYTES,
    decodeSeconds,
    decodeGBps: bytes.length / decodeSeconds / 1e9,
    readSeconds,
    readGBps: bytes.length / readSeconds / 1e9,
  };
}
