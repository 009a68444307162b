/**
 * The project's module graph, as Deno resolves it (`deno info --json`), for the structure checks
 * (`scripts/check_imports.ts`, `scripts/check_exports.ts`): every non-test `.ts` file of a source tree
 * and the project files each one imports, with the kind of each import (`code`: evaluated at run time,
 * static or dynamic; `type`: `import type` / `export type`, erased at run time).
 *
 * The files are those under `root` except `tests/`, hidden folders, `node_modules/`, the paths in
 * deno.json's `exclude`, `*_test.ts` and `*.d.ts`.
 *
 * @module
 */

import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** One import of a project file by another. */
export interface ModuleEdge {
  /** The imported file, relative to the root, with `/` separators. */
  to: string;
  /** `code` when the import is evaluated at run time, `type` when it is type-only. */
  kind: "code" | "type";
  /** Whether it is a dynamic `import()`. */
  dynamic: boolean;
}

/** The module graph of a tree: each file (relative path) and the project files it imports. */
export type ModuleGraph = Map<string, ModuleEdge[]>;

/** The parts of a deno.json the checks read. */
export interface DenoConfig {
  exports?: string | Record<string, string>;
  exclude?: string[];
  publish?: { include?: string[]; exclude?: string[] };
}

/** Reads `root/deno.json` (an empty config when there is none). */
export function readConfig(root: string): DenoConfig {
  try {
    return JSON.parse(Deno.readTextFileSync(join(root, "deno.json")));
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return {};
    throw new Error(`${join(root, "deno.json")}: ${e instanceof Error ? e.message : e}`);
  }
}

const slash = (p: string) => p.split("\\").join("/");

/** The source files of the tree at `root` (relative paths, sorted; see the module notes). */
export function sourceFiles(root: string, config: DenoConfig = readConfig(root)): string[] {
  const skip = (config.exclude ?? []).map((p) => slash(p).replace(/\/$/, ""));
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of Deno.readDirSync(join(root, dir))) {
      const rel = dir === "" ? entry.name : `${dir}/${entry.name}`;
      if (entry.name.startsWith(".") || entry.name === "node_modules") continue;
      if (skip.some((s) => rel === s || rel.startsWith(`${s}/`))) continue;
      if (entry.isDirectory) {
        if (rel !== "tests") walk(rel);
      } else if (entry.isFile && rel.endsWith(".ts") && !rel.endsWith("_test.ts") && !rel.endsWith(".d.ts")) {
        out.push(rel);
      }
    }
  };
  walk("");
  return out.sort();
}

/**
 * The module graph of the files of `root` (all of {@linkcode sourceFiles} when `files` is not given),
 * from one `deno info --json` over an entry that imports them all. Throws with Deno's message when a file
 * cannot be resolved or parsed.
 */
export async function moduleGraph(root: string, files: string[] = sourceFiles(root)): Promise<ModuleGraph> {
  root = resolve(root);
  const tmp = await Deno.makeTempDir({ prefix: "module-graph-" });
  try {
    const entry = join(tmp, "entry.ts");
    await Deno.writeTextFile(
      entry,
      files.map((f) => `import ${JSON.stringify(pathToFileURL(join(root, f)).href)};\n`).join(""),
    );
    const args = ["info", "--json"];
    try {
      Deno.statSync(join(root, "deno.json"));
      args.push("--config", join(root, "deno.json"));
    } catch { /* no config: Deno's defaults */ }
    const out = await new Deno.Command(Deno.execPath(), {
      args: [...args, entry],
      cwd: root,
      stdout: "piped",
      stderr: "piped",
    })
      .output();
    const text = new TextDecoder().decode(out.stdout);
    if (!out.success) {
      throw new Error(`deno info failed on ${root}:\n${new TextDecoder().decode(out.stderr).trim()}`);
    }
    const info = JSON.parse(text) as {
      modules: {
        specifier: string;
        local?: string;
        dependencies?: {
          code?: { specifier?: string };
          type?: { specifier?: string };
          isDynamic?: boolean;
        }[];
      }[];
    };
    const rootUrl = pathToFileURL(root).href + "/";
    const rel = (url: string | undefined) =>
      url?.startsWith(rootUrl) ? decodeURIComponent(url.slice(rootUrl.length)) : null;
    const graph: ModuleGraph = new Map();
    for (const m of info.modules) {
      const from = rel(m.specifier);
      if (from === null) continue;
      const edges: ModuleEdge[] = [];
      for (const d of m.dependencies ?? []) {
        const code = rel(d.code?.specifier), type = rel(d.type?.specifier);
        if (code !== null) edges.push({ to: code, kind: "code", dynamic: d.isDynamic === true });
        else if (type !== null) edges.push({ to: type, kind: "type", dynamic: d.isDynamic === true });
      }
      graph.set(from, edges);
    }
    for (const f of files) if (!graph.has(f)) graph.set(f, []);
    return graph;
  } finally {
    await Deno.remove(tmp, { recursive: true });
  }
}
