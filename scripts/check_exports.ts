/**
 * `deno task check`, exports: fails when a library file is not part of the package.
 *
 * **The rule.** The library folders are the folders of deno.json's `publish.include` (`nn/`, `tensor/`,
 * `datasets/`, ...) and its root `.ts` files. Every `.ts` file there (but `*_test.ts`, `*.d.ts` and the
 * paths of `publish.exclude`) must be reached, by any chain of imports (type-only and dynamic ones too),
 * from the package's entry points: the files of deno.json's `exports` (`mod.ts`, which gathers every
 * folder's `mod.ts`, and `calibration/charts.ts`). A file nothing reaches is either dead or public API
 * that was never exported: export its names from its folder's `mod.ts` (and that from the root `mod.ts`),
 * import it where it is used, or delete it. Internal helpers need no export of their own: being imported by
 * an exported file is enough.
 *
 * **The allow-list** ({@linkcode ALLOWED_UNREACHED}) names the few library files that may stand outside
 * the package graph on purpose, each with its reason: say a generated file that only a generator reads, or
 * a command that ships with the package for its users to run. Today it holds `version.ts` only.
 *
 * Usage: `deno run -A scripts/check_exports.ts [ROOT]` (ROOT defaults to the repository). Exits 1 with one
 * line per unreached file.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type DenoConfig, moduleGraph, readConfig, sourceFiles } from "./module_graph.ts";

/** Library files allowed outside the package graph, with why (see the module notes). */
export const ALLOWED_UNREACHED: Readonly<Record<string, string>> = {
  "version.ts": "the package version (equal to deno.json's), published for tools and read by the study's reports; " +
    "not part of the library's API",
};

/** The entry points of the package: the files of deno.json's `exports`. */
export function entryPoints(config: DenoConfig): string[] {
  const e = config.exports;
  const files = e === undefined ? [] : typeof e === "string" ? [e] : Object.values(e);
  return files.map((f) => f.replace(/^\.\//, ""));
}

/** Whether `file` is a library file under `publish` (see the module notes). */
export function isLibraryFile(file: string, config: DenoConfig): boolean {
  const include = (config.publish?.include ?? []).map((p) => p.replace(/^\.\//, ""));
  const exclude = (config.publish?.exclude ?? []).map((p) => p.replace(/^\.\//, ""));
  const under = (p: string) => p.endsWith("/") ? file.startsWith(p) : file === p;
  if (exclude.some((p) => p.startsWith("**/") ? file.endsWith(p.slice(3).replace(/^\*/, "")) : under(p))) return false;
  return include.some(under);
}

/** The library files of the tree at `root` that no entry point reaches and the allow-list does not name. */
export async function unreachedFiles(
  root: string,
  allowed: Readonly<Record<string, string>> = ALLOWED_UNREACHED,
): Promise<string[]> {
  const config = readConfig(root);
  const files = sourceFiles(root, config);
  const graph = await moduleGraph(root, files);
  const reached = new Set<string>();
  const stack = entryPoints(config);
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (reached.has(f)) continue;
    reached.add(f);
    for (const e of graph.get(f) ?? []) stack.push(e.to);
  }
  return files.filter((f) => isLibraryFile(f, config) && !reached.has(f) && !(f in allowed));
}

/** The problems of the tree at `root` (empty: it passes). */
export async function checkExports(root: string): Promise<string[]> {
  const config = readConfig(root);
  if (entryPoints(config).length === 0) return ["exports: deno.json names no exports, so nothing is public"];
  return (await unreachedFiles(root)).map((f) =>
    `exports: ${f} is a library file that no entry point (${entryPoints(config).join(", ")}) reaches: ` +
    `export it from its folder's mod.ts, import it where it is used, or delete it ` +
    `(or, if it must stay outside on purpose, list it with its reason in ALLOWED_UNREACHED in scripts/check_exports.ts)`
  );
}

if (import.meta.main) {
  const root = Deno.args[0] ?? fileURLToPath(new URL("..", import.meta.url));
  const problems = await checkExports(root);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check_exports: ${problems.length} problem(s)`);
    Deno.exit(1);
  }
  console.log("check_exports: every library file is reached from the package's exports");
}
