/**
 * Getting CIFAR-10's binary version: download the official archive (verified by its published MD5, with
 * a progress bar), unpack it with node-tar into a temporary folder, and move its `cifar-10-batches-bin/`
 * folder into place only when complete. Nothing is done when the folder already holds the data; a failure
 * leaves nothing behind.
 *
 * As a command: `deno run -A scripts/cifar10_download.ts --data DIR [--url URL]` (or `CIFAR10_DIR=DIR`).
 *
 * @module
 */

import { dirname, join, resolve } from "node:path";
import { tempPathFor } from "../../util/fs.ts";
import { extractTarGz } from "../archive.ts";
import {
  CIFAR10_ARCHIVE_FOLDER,
  CIFAR10_FILES,
  CIFAR10_MD5,
  CIFAR10_META_FILE,
  CIFAR10_RECORD_BYTES,
  CIFAR10_URL,
} from "./format.ts";
import { type DownloadOptions, downloadVerified } from "../download.ts";
import type { ProgressOptions } from "../progress.ts";

/** The files of a CIFAR-10 binary folder that are missing or malformed in `dir` (empty: complete). */
function problems(dir: string): string[] {
  const out: string[] = [];
  for (const name of CIFAR10_FILES) {
    try {
      const info = Deno.statSync(join(dir, name));
      if (!info.isFile) out.push(`${name} (not a file)`);
      else if (name !== CIFAR10_META_FILE && info.size % CIFAR10_RECORD_BYTES !== 0) out.push(`${name} (bad size)`);
    } catch {
      out.push(name);
    }
  }
  return out;
}

/**
 * Whether `dir` holds every file of CIFAR-10's binary folder (record files of a whole number of records).
 *
 * @example
 * ```ts
 * import { hasCifar10 } from "./download.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * if (!hasCifar10(cifar10Dir())) console.log("not downloaded yet");
 * ```
 */
export function hasCifar10(dir: string): boolean {
  return problems(dir).length === 0;
}

/** The size of the official archive at {@linkcode CIFAR10_URL}, bytes: the default cap of a download. */
export const CIFAR10_ARCHIVE_BYTES = 170_052_171;

/** Options of {@linkcode downloadCifar10}. */
export interface DownloadCifar10Options
  extends Pick<DownloadOptions, "stallSeconds" | "minBytesPerSecond" | "rateWindowSeconds" | "deadlineSeconds"> {
  /** The folder to fill with the contents of the archive's `cifar-10-batches-bin/` (what `--data` names). */
  dir: string;
  /** The archive's address (default {@linkcode CIFAR10_URL}; tests serve their own). */
  url?: string;
  /** The archive's MD5 (default {@linkcode CIFAR10_MD5}, the published one). */
  md5?: string;
  /** Show a progress bar on stderr (default true), or its options. */
  progress?: boolean | Omit<ProgressOptions, "total">;
  /** Aborts the download. */
  signal?: AbortSignal;
  /** The most bytes accepted (default {@linkcode CIFAR10_ARCHIVE_BYTES}; a larger answer is refused). */
  maxBytes?: number;
}

/**
 * Makes `dir` a CIFAR-10 binary folder (see the module notes). Returns whether it downloaded anything.
 * A folder that exists with other files in it is an error (nothing is overwritten).
 *
 * @example
 * ```ts
 * import { downloadCifar10 } from "./download.ts";
 * async function getCifar10(dir: string) {
 *   const { downloaded } = await downloadCifar10({ dir }); // about 170 MB, once
 *   console.log(downloaded ? "downloaded" : "already there");
 * }
 * ```
 */
export async function downloadCifar10(options: DownloadCifar10Options): Promise<{ dir: string; downloaded: boolean }> {
  const dir = options?.dir;
  if (typeof dir !== "string" || dir === "") {
    throw new TypeError("downloadCifar10: option 'dir' (a folder) is required");
  }
  if (hasCifar10(dir)) return { dir, downloaded: false };
  let entries: string[] = [];
  try {
    entries = [...Deno.readDirSync(dir)].map((e) => e.name);
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  if (entries.length > 0) {
    throw new Error(
      `downloadCifar10: ${dir} already holds files but not a complete CIFAR-10 binary folder ` +
        `(missing or malformed: ${problems(dir).join(", ")}); remove it or choose another folder`,
    );
  }
  const url = options.url ?? CIFAR10_URL;
  const parent = dirname(resolve(dir));
  const created = missingAncestors(parent); // removed again on failure (when still empty)
  await Deno.mkdir(parent, { recursive: true });
  const archive = tempPathFor(join(parent, "cifar-10-binary.tar.gz"));
  const unpacked = tempPathFor(resolve(dir));
  try {
    await downloadVerified(url, archive, {
      md5: options.md5 ?? CIFAR10_MD5,
      progress: options.progress,
      signal: options.signal,
      maxBytes: options.maxBytes ?? CIFAR10_ARCHIVE_BYTES,
      stallSeconds: options.stallSeconds,
      minBytesPerSecond: options.minBytesPerSecond,
      rateWindowSeconds: options.rateWindowSeconds,
      deadlineSeconds: options.deadlineSeconds,
    });
    await Deno.mkdir(unpacked);
    await extractTarGz(archive, unpacked);
    const src = join(unpacked, CIFAR10_ARCHIVE_FOLDER);
    const bad = problems(src);
    if (bad.length > 0) {
      throw new Error(
        `downloadCifar10: the archive from ${url} has no complete ${CIFAR10_ARCHIVE_FOLDER}/ folder ` +
          `(missing or malformed: ${bad.join(", ")})`,
      );
    }
    if (entries.length === 0) await Deno.remove(dir).catch(() => {}); // an empty folder is replaced
    await Deno.rename(src, dir);
    created.length = 0;
    return { dir, downloaded: true };
  } finally {
    await Deno.remove(archive).catch(() => {});
    await removeTree(unpacked);
    for (const folder of created) await Deno.remove(folder).catch(() => {}); // deepest first; only if empty
  }
}

/**
 * Removes the folder `path` and everything in it, retrying while it is still being written: a refused archive's
 * unpacker may still be finishing files when its promise rejects, and a removal racing it fails "not empty".
 */
async function removeTree(path: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      await Deno.remove(path, { recursive: true });
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) return;
    }
    try {
      await Deno.stat(path);
    } catch {
      return; // gone
    }
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** The folders of `path` (itself and its parents) that do not exist yet, deepest first. */
function missingAncestors(path: string): string[] {
  const out: string[] = [];
  for (let p = path; p !== dirname(p); p = dirname(p)) {
    try {
      Deno.statSync(p);
      break;
    } catch {
      out.push(p);
    }
  }
  return out;
}
