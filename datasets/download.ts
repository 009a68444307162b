/**
 * Verified downloads: the body is streamed to a temporary file next to the destination while its MD5 is
 * computed (node:crypto) and a progress bar runs; the file is renamed into place only when the byte count
 * and the checksum match. On any failure (HTTP error, a server that breaks off, a checksum mismatch) the
 * temporary file is removed, so nothing half-written is left behind.
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

/**
 * Downloads `url` to `dest` (see the module notes), creating the folder when missing. Returns the size
 * and MD5 of what it wrote.
 *
 * @example
 * ```ts
 * import { downloadVerified } from "./download.ts";
 * async function fetchArchive(url: string, md5: string) {
 *   const { bytes } = await downloadVerified(url, "runs/cache/data.tar.gz", { md5 });
 *   console.log(`${bytes} bytes, checksum verified`);
 * }
 * ```
 */
export async function downloadVerified(
  url: string,
  dest: string,
  options: DownloadOptions = {},
): Promise<DownloadResult> {
  const expected = options.md5?.toLowerCase();
  if (expected !== undefined && !/^[0-9a-f]{32}$/.test(expected)) {
    throw new TypeError(`download: option 'md5' must be 32 hex digits, got ${JSON.stringify(options.md5)}`);
  }
  await Deno.mkdir(dirname(dest), { recursive: true });
  const tmp = tempPathFor(dest);
  let received = 0, total: number | null = null;
  let bar: ByteProgress | null = null;
  try {
    let response: Response;
    try {
      response = await fetch(url, { signal: options.signal });
    } catch (e) {
      throw new Error(`download: could not reach ${url}: ${e instanceof Error ? e.message : e}`, { cause: e });
    }
    if (!response.ok || response.body === null) {
      await response.body?.cancel();
      throw new Error(`download: ${url} answered HTTP ${response.status} ${response.statusText}`.trimEnd());
    }
    const length = response.headers.get("content-length");
    total = length !== null && /^\d+$/.test(length) ? Number(length) : null;
    if (options.progress !== false) {
      const label = new URL(url).pathname.split("/").pop() || url;
      bar = new ByteProgress({ label, ...(typeof options.progress === "object" ? options.progress : {}), total });
    }
    const hash = createHash("md5");
    {
      using file = await Deno.open(tmp, { write: true, createNew: true });
      try {
        for await (const chunk of response.body) {
          hash.update(chunk);
          await writeAll(file, chunk);
          received += chunk.length;
          bar?.add(chunk.length);
        }
      } catch (e) {
        const of = total === null ? "" : ` of ${formatBytes(total)}`;
        throw new Error(
          `download: ${url} broke off after ${formatBytes(received)}${of}: ${e instanceof Error ? e.message : e}`,
          { cause: e },
        );
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
  }
}
