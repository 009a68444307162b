/**
 * Verified downloads: the body is streamed to a temporary file next to the destination while its MD5 is
 * computed (node:crypto) and a progress bar runs; the file is renamed into place only when the byte count
 * and the checksum match. On any failure (HTTP error, a server that breaks off, a checksum mismatch) the
 * temporary file is removed, so nothing half-written is left behind.
 *
 * A faulty server cannot hang it or fill the disk: no answer or no byte for `stallSeconds` (default 60) is an
 * error; so is a trickle below `minBytesPerSecond` (default 1 KiB/s, measured over each `rateWindowSeconds`,
 * default 60), and, when set, a download still running after `deadlineSeconds`. `maxBytes` bounds the announced
 * Content-Length (refused before any byte is written) and the bytes actually received. Ctrl-C (SIGINT) or the
 * `signal` aborts it and removes the temporary file, then throws.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { dirname } from "node:path";
import { tempPathFor } from "../util/fs.ts";
import { ByteProgress, formatBytes, type ProgressOptions } from "./progress.ts";

/** Options of {@linkcode downloadVerified}. */
export interface DownloadOptions {
  /** The expected MD5 (hex); the download fails when the file's differs. */
  md5?: string;
  /** Show a progress bar on stderr (default true), or its options (to redirect it). */
  progress?: boolean | Omit<ProgressOptions, "total">;
  /** Aborts the download. */
  signal?: AbortSignal;
  /** Seconds without an answer or a byte before the download fails (default 60). */
  stallSeconds?: number;
  /** The slowest average rate accepted over each rate window, bytes per second (default 1024; 0: any). */
  minBytesPerSecond?: number;
  /** The window over which the rate is measured, seconds (default 60). */
  rateWindowSeconds?: number;
  /** Seconds the whole download may take (default: no limit beyond the stall and rate checks). */
  deadlineSeconds?: number;
  /** The most bytes accepted (announced or received); default no limit. */
  maxBytes?: number;
}

/** What {@linkcode downloadVerified} did. */
export interface DownloadResult {
  /** The bytes written. */
  bytes: number;
  /** The file's MD5 (hex). */
  md5: string;
}

async function writeAll(file: Deno.FsFile, chunk: Uint8Array): Promise<void> {
  let off = 0;
  while (off < chunk.length) off += await file.write(chunk.subarray(off));
}

function positive(name: string, v: unknown, fallback: number, zeroOk = false): number {
  if (v === undefined) return fallback;
  if (typeof v !== "number" || Number.isNaN(v) || v < 0 || (!zeroOk && v === 0)) {
    throw new TypeError(
      `download: option '${name}' must be a ${zeroOk ? "non-negative" : "positive"} number, got ${
        typeof v === "bigint" ? `${v}n` : JSON.stringify(v) ?? String(v)
      }`,
    );
  }
  return v;
}

/**
 * Watches a download: aborts `controller` with a clear error when the server stalls, trickles, or the deadline
 * passes, or on Ctrl-C. `progress(n)` reports received bytes; `stop()` ends the watch.
 */
function watchdog(url: string, controller: AbortController, limits: {
  stall: number;
  minRate: number;
  window: number;
  deadline: number | null;
}) {
  const started = Date.now();
  let last = started, windowStart = started, windowBytes = 0, total = 0;
  const fail = (message: string) => controller.abort(new Error(`download: ${url}: ${message}`));
  const tick = setInterval(() => {
    const now = Date.now();
    if ((now - last) / 1000 >= limits.stall) {
      fail(`no data for ${limits.stall} s (${formatBytes(total)} received); the server stalled, try again later`);
    } else if (limits.deadline !== null && (now - started) / 1000 >= limits.deadline) {
      fail(`not finished after ${limits.deadline} s (${formatBytes(total)} received)`);
    } else if (limits.minRate > 0 && (now - windowStart) / 1000 >= limits.window) {
      const rate = windowBytes / ((now - windowStart) / 1000);
      if (rate < limits.minRate) {
        fail(
          `too slow: ${formatBytes(Math.round(rate))}/s over the last ${limits.window} s, below the ` +
            `${formatBytes(limits.minRate)}/s minimum (${formatBytes(total)} received)`,
        );
      }
      windowStart = now;
      windowBytes = 0;
    }
  }, Math.max(5, Math.min(250, limits.stall * 250, limits.window * 250)));
  const onSigint = () => fail("interrupted (Ctrl-C)");
  let listening = false;
  try {
    Deno.addSignalListener("SIGINT", onSigint);
    listening = true;
  } catch {
    // no signals here (another platform): the default Ctrl-C behaviour stays
  }
  return {
    progress(n: number) {
      last = Date.now();
      windowBytes += n;
      total += n;
    },
    stop() {
      clearInterval(tick);
      if (listening) Deno.removeSignalListener("SIGINT", onSigint);
    },
  };
}

function reason(signal: AbortSignal, e: unknown): unknown {
  return signal.aborted && signal.reason instanceof Error ? signal.reason : e;
}

/**
 * Downloads `url` to `dest` (see the module notes), creating the folder when missing. Returns the size
 * and MD5 of what it wrote.
 *
 * @example
 * ```ts
 * import { downloadVerified } from "./download.ts";
 * async function fetchArchive(url: string, md5: string) {
 *   const { bytes } = await downloadVerified(url, "runs/cache/data.tar.gz", { md5, maxBytes: 200e6 });
 *   console.log(`${bytes} bytes, checksum verified`);
 * }
 * ```
 */
export async function downloadVerified(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  if (typeof url !== "string" || url === "") throw new TypeError(`download: url must be a non-empty string`);
  if (typeof dest !== "string" || dest === "") throw new TypeError(`download: dest must be a file path`);
  if (options === null || typeof options !== "object") throw new TypeError("download: options must be an object");
  const expected = options.md5?.toLowerCase?.();
  if (options.md5 !== undefined && (typeof expected !== "string" || !/^[0-9a-f]{32}$/.test(expected))) {
    throw new TypeError(`download: option 'md5' must be 32 hex digits, got ${JSON.stringify(options.md5)}`);
  }
  const limits = {
    stall: positive("stallSeconds", options.stallSeconds, 60),
    minRate: positive("minBytesPerSecond", options.minBytesPerSecond, 1024, true),
    window: positive("rateWindowSeconds", options.rateWindowSeconds, 60),
    deadline: options.deadlineSeconds === undefined ? null : positive("deadlineSeconds", options.deadlineSeconds, 0),
  };
  const maxBytes = options.maxBytes === undefined ? Infinity : positive("maxBytes", options.maxBytes, 0);
  await Deno.mkdir(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  let received = 0, total: number | null = null;
  let bar: ByteProgress | null = null;
  const controller = new AbortController();
  const onAbort = () => controller.abort(new Error(`download: ${url}: aborted`));
  if (options.signal?.aborted) onAbort();
  options.signal?.addEventListener("abort", onAbort, { once: true });
  const watch = watchdog(url, controller, limits);
  const signal = controller.signal;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal });
    } catch (e) {
      const r = reason(signal, e);
      if (r !== e) throw r;
      throw new Error(`download: could not reach ${url}: ${e instanceof Error ? e.message : e}`, { cause: e });
    }
    watch.progress(0);
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new Error(`download: ${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const length = response.headers.get("content-length");
    total = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    if (total !== null && total > maxBytes) {
      await response.body.cancel();
      throw new Error(
        `download: ${url} announces ${formatBytes(total)} (${total} bytes), more than the ${maxBytes} bytes ` +
          `expected; refused without downloading`,
      );
    }
    if (options.progress !== false) {
      const label = new URL(url).pathname.split("/").pop() || url;
      bar = new ByteProgress({ label, ...(typeof options.progress === "object" ? options.progress : {}), total });
    }
    const hash = createHash("md5");
    {
      using file = await Deno.open(tmp, { write: true, createNew: true });
      const reader = response.body.getReader();
      const cancel = () => reader.cancel(signal.reason).catch(() => {});
      signal.addEventListener("abort", cancel, { once: true });
      try {
        for (;;) {
          const { done, value: chunk } = await reader.read();
          if (done) break;
          if (signal.aborted) throw signal.reason;
          watch.progress(chunk.length);
          if (received + chunk.length > maxBytes) {
            throw new Error(`download: ${url} sent more than the ${maxBytes} bytes expected; stopped and removed it`);
          }
          hash.update(chunk);
          await writeAll(file, chunk);
          received += chunk.length;
          bar?.add(chunk.length);
        }
        if (signal.aborted) throw signal.reason;
      } catch (e) {
        const r = reason(signal, e);
        if (r !== e || (e instanceof Error && e.message.startsWith("download: "))) throw r;
        const of = total === null ? "" : ` of ${formatBytes(total)}`;
        throw new Error(
          `download: ${url} broke off after ${formatBytes(received)}${of}: ${e instanceof Error ? e.message : e}`,
          { cause: e },
        );
      } finally {
        signal.removeEventListener("abort", cancel);
      }
    }
    if (total !== null && received !== total) {
      throw new Error(`download: ${url} ended after ${received} of the ${total} bytes it announced`);
    }
    const md5 = hash.digest("hex");
    if (expected !== undefined && md5 !== expected) {
      throw new Error(
        `download: checksum mismatch for ${url}: MD5 ${md5}, expected ${expected} (${received} bytes); ` +
          `the file is damaged or not the expected one`,
      );
    }
    await Deno.rename(tmp, dest);
    bar?.finish();
    return { bytes: received, md5 };
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    bar?.fail(`failed; removed the partial file (${e instanceof Error ? e.message : e})`);
    throw e;
  } finally {
    watch.stop();
    options.signal?.removeEventListener("abort", onAbort);
  }
}
