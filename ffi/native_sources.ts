/**
 * The native shim's sources, wherever the library was imported from: a local folder (`file:`), or an
 * `http(s):` URL (a server, or a registry that serves the package's files). There is no manifest to keep
 * in sync: `CMakeLists.txt` names the sources of `add_library(torchshim ...)`, and each source names the
 * headers it includes (`#include "..."`, relative to it or to `include/`), so the set is read from the
 * build description itself. The same set gives the content hash that keys the per-user build cache.
 *
 * @module
 */

import { fileURLToPath } from "node:url";

/** A source file of the shim: its path relative to `native/` and its bytes. */
export type NativeFiles = Map<string, Uint8Array>;

/** The `native/` folder beside this module, as a URL (a `file:` URL when imported from disk). */
export const NATIVE_URL: URL = new URL("../native/", import.meta.url);

/** The local path of `url` when it is a `file:` URL, else null (never a path made from another scheme). */
export function localPath(url: URL): string | null {
  return url.protocol === "file:" ? fileURLToPath(url) : null;
}

async function readOne(base: URL, rel: string): Promise<Uint8Array> {
  const url = new URL(rel, base);
  const local = localPath(url);
  if (local !== null) return await Deno.readFile(local);
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`could not fetch the native shim's source ${url}: ${(e as Error).message}`);
  }
  if (!res.ok) {
    await res.body?.cancel();
    throw new Error(`could not fetch the native shim's source ${url}: HTTP ${res.status}`);
  }
  return new Uint8Array(await res.arrayBuffer());
}

/** The sources `add_library(torchshim ...)` lists in a CMakeLists.txt. */
export function cmakeSources(cmake: string): string[] {
  const m = /add_library\(\s*torchshim\s+SHARED\s+([^)]*)\)/.exec(cmake);
  if (m === null) throw new Error("native/CMakeLists.txt has no add_library(torchshim SHARED ...)");
  return m[1].split(/\s+/).filter((s) => s !== "" && !s.startsWith("$"));
}

/** The quoted includes of a C/C++ source. */
export function quotedIncludes(source: string): string[] {
  return [...source.matchAll(/^\s*#\s*include\s+"([^"]+)"/gm)].map((m) => m[1]);
}

function normalize(path: string): string {
  const out: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") out.pop();
    else out.push(part);
  }
  return out.join("/");
}

/**
 * Reads the shim's sources from `base` (the `native/` folder's URL): `CMakeLists.txt`, the sources it lists
 * and every header they include, recursively. A header that is found neither beside its includer nor in
 * `include/` is a system header and is skipped.
 *
 * @example
 * ```ts
 * import { collectNativeSources, NATIVE_URL } from "./native_sources.ts";
 * const files = await collectNativeSources(NATIVE_URL); // "CMakeLists.txt", "src/tensor.cpp", ...
 * ```
 */
export async function collectNativeSources(base: URL = NATIVE_URL): Promise<NativeFiles> {
  const files: NativeFiles = new Map();
  const decoder = new TextDecoder();
  const cmake = await readOne(base, "CMakeLists.txt");
  files.set("CMakeLists.txt", cmake);
  const queue: [string, Uint8Array | null][] = cmakeSources(decoder.decode(cmake)).map((r) => [normalize(r), null]);
  const tried = new Set<string>();
  while (queue.length > 0) {
    const [rel, known] = queue.shift()!;
    if (files.has(rel)) continue;
    const bytes = known ?? await readOne(base, rel);
    files.set(rel, bytes);
    const dir = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/") + 1) : "";
    for (const inc of quotedIncludes(decoder.decode(bytes))) {
      for (const candidate of [normalize(dir + inc), normalize(`include/${inc}`)]) {
        if (files.has(candidate) || queue.some(([q]) => q === candidate)) break;
        if (tried.has(candidate)) continue;
        tried.add(candidate);
        try {
          queue.push([candidate, await readOne(base, candidate)]);
          break;
        } catch {
          // not there: the next candidate, or a system header
        }
      }
    }
  }
  return files;
}

/** The SHA-256 of the sources (paths and contents), in hex. */
export async function nativeSourceHash(files: NativeFiles): Promise<string> {
  const encoder = new TextEncoder();
  const parts: Uint8Array[] = [];
  for (const path of [...files.keys()].sort()) {
    const bytes = files.get(path)!;
    parts.push(encoder.encode(`${path}\0${bytes.length}\0`), bytes);
  }
  const total = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    total.set(p, at);
    at += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", total));
  return [...digest].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Writes the sources under `dir` (its `CMakeLists.txt`, `src/`, `include/`). */
export function writeNativeSources(dir: string, files: NativeFiles): void {
  for (const [rel, bytes] of files) {
    const path = `${dir}/${rel}`;
    Deno.mkdirSync(path.slice(0, path.lastIndexOf("/")), { recursive: true });
    Deno.writeFileSync(path, bytes);
  }
}
