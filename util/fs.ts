/**
 * File helpers: atomic writes (a temporary file in the same folder, then a rename), so a crash or Ctrl-C
 * never leaves a half-written output behind.
 *
 * @module
 */

import { dirname } from "node:path";

let counter = 0;

/** A temporary path next to `path` (same folder, so the final rename is atomic). */
export function tempPathFor(path: string): string {
  return `${path}.tmp-${Deno.pid}-${Date.now().toString(36)}-${counter++}`;
}

/**
 * Writes `data` to `path` atomically: readers see the old file or the whole new one, never a part.
 * Creates the folder when missing.
 *
 * @example
 * ```ts
 * import { writeFileAtomic } from "./fs.ts";
 * await writeFileAtomic("runs/demo/report.json", JSON.stringify({ ok: true }));
 * ```
 */
export async function writeFileAtomic(path: string, data: Uint8Array | string): Promise<void> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    if (typeof data === "string") await Deno.writeTextFile(tmp, data);
    else await Deno.writeFile(tmp, data);
    await Deno.rename(tmp, path);
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Runs `write(tmp)` to produce a file at a temporary path (for writers that take a path, such as
 * LibTorch's), then renames it to `path`.
 */
export async function withAtomicPath<T>(path: string, write: (tmp: string) => T | Promise<T>): Promise<T> {
  await Deno.mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  try {
    const result = await write(tmp);
    await Deno.rename(tmp, path);
    return result;
  } catch (e) {
    await Deno.remove(tmp).catch(() => {});
    throw e;
  }
}

/**
 * Whether anything (file, folder, link target) exists at `path`; false also when it cannot be looked at.
 *
 * @example
 * ```ts
 * import { pathExists } from "./fs.ts";
 * if (!pathExists("runs")) Deno.mkdirSync("runs");
 * ```
 */
export function pathExists(path: string): boolean {
  try {
    Deno.statSync(path);
    return true;
  } catch {
    return false;
  }
}
