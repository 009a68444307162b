/**
 * `deno task check`, imports: fails when an import runs up the layer list or closes a new import circle.
 *
 * **Layers**, from the top; a file may import its own layer or any layer below it, never one above:
 *
 *  0. `scripts/`, `bench/`, `examples/`: commands, benchmarks, examples
 *  1. `models/`, `study/`, and the root `mod.ts` (which gathers every folder's `mod.ts` and the models)
 *  2. `nn/`, `optim/`, `jit/`, `serialize/`, `calibration/`, `datasets/`, `distributed/`
 *  3. `tensor/`
 *  4. `ffi/` (over the C shim in `native/`)
 *  5. `util/` and `version.ts`: leaf helpers that import nothing of the project
 *
 * Every import counts for the layers, type-only ones too (a type is a dependency all the same). A file in
 * a folder (or a root file) that the list does not name is an error: give it a layer here first.
 *
 * **Circles**: the graph of imports evaluated at run time (static and dynamic, not `import type`, which is
 * erased) must have no cycle once the documented back edges below are set aside. A circle among ES
 * modules works only while no module uses an import during its own evaluation, so a new one is a trap
 * for whoever adds the first top-level use; each allowed one names why it is safe. Circles of type-only
 * imports (say `nn/module.ts` <-> `nn/display.ts`) are fine. `tests/` may import anything and is not read.
 *
 * Usage: `deno run -A scripts/check_imports.ts [ROOT]` (ROOT defaults to the repository). Exits 1 with one
 * line per problem.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { type ModuleGraph, moduleGraph } from "./module_graph.ts";

/** The layers, top first: the folders (or root files) of each. */
export const LAYERS: readonly (readonly string[])[] = [
  ["scripts", "bench", "examples"],
  ["models", "study", "mod.ts"],
  ["nn", "optim", "jit", "serialize", "calibration", "datasets", "distributed"],
  ["tensor"],
  ["ffi"],
  ["util", "version.ts"],
];

/**
 * The import edges allowed to close a circle, as `from -> to`, each with why it is harmless. Every other
 * run-time circle fails the check.
 */
export const ALLOWED_BACK_EDGES: Readonly<Record<string, string>> = {
  // The known circle tensor/call.ts <-> tensor/tensor.ts: Tensor's methods dispatch through call.ts, whose
  // helpers wrap the results in Tensor. Neither module touches the other's exports while it is evaluated
  // (only inside functions that run later), so the order in which they load does not matter.
  "tensor/tensor.ts -> tensor/call.ts": "Tensor's methods dispatch through call.ts, which wraps results in Tensor",
  // The same circle through the argument checks: Tensor's methods check their arguments, and the checks
  // recognise tensors (instanceof Tensor) only when called.
  "tensor/tensor.ts -> tensor/checks.ts": "Tensor's methods check arguments; checks.ts uses Tensor only when called",
  // functional.ts is nn.functional's export list and also defines linear/softmax/dropout, which the
  // attention functions call (only when they run).
  "nn/functional.ts -> nn/functional_attention.ts":
    "functional.ts re-exports the attention functions, which call its linear/softmax/dropout when they run",
};

/** The layer index of `file` (0 is the top), or null when {@linkcode LAYERS} does not name it. */
export function layerOf(file: string): number | null {
  const head = file.includes("/") ? file.slice(0, file.indexOf("/")) : file;
  const i = LAYERS.findIndex((names) => names.includes(head));
  return i < 0 ? null : i;
}

const layerName = (i: number) => LAYERS[i].map((n) => n.endsWith(".ts") ? n : `${n}/`).join(" ");

/** The layering problems of `graph`: unplaced files and imports that go up (one line each). */
export function layerProblems(graph: ModuleGraph): string[] {
  const out: string[] = [];
  for (const [from, edges] of graph) {
    const a = layerOf(from);
    if (a === null) {
      out.push(`layer: ${from} is in no layer; add its folder to LAYERS in scripts/check_imports.ts`);
      continue;
    }
    for (const e of edges) {
      const b = layerOf(e.to);
      if (b !== null && b < a) {
        out.push(
          `layer: ${from} imports ${e.to}${e.kind === "type" ? " (type-only)" : ""}, which is above it: ` +
            `${layerName(a)} may import only its own layer and those below (${
              LAYERS.slice(a + 1).map((_, k) => layerName(a + 1 + k)).join(", ") || "none"
            })`,
        );
      }
    }
  }
  return out;
}

/**
 * The import circles of `graph` among run-time (`code`) imports once `allowed` edges are set aside, each
 * as the list of files around it (the first file repeated at the end).
 */
export function importCircles(
  graph: ModuleGraph,
  allowed: Readonly<Record<string, string>> = ALLOWED_BACK_EDGES,
): string[][] {
  const next = new Map<string, string[]>();
  for (const [from, edges] of graph) {
    next.set(from, edges.filter((e) => e.kind === "code" && !(`${from} -> ${e.to}` in allowed)).map((e) => e.to));
  }
  // depth-first search, reporting each back edge's cycle once
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const circles: string[][] = [];
  const seen = new Set<string>();
  const visit = (v: string) => {
    state.set(v, "open");
    path.push(v);
    for (const w of next.get(v) ?? []) {
      const s = state.get(w);
      if (s === "open") {
        const cycle = [...path.slice(path.indexOf(w)), w];
        const key = [...cycle.slice(0, -1)].sort().join(" ");
        if (!seen.has(key)) {
          seen.add(key);
          circles.push(cycle);
        }
      } else if (s === undefined) visit(w);
    }
    path.pop();
    state.set(v, "done");
  };
  for (const v of [...next.keys()].sort()) if (!state.has(v)) visit(v);
  return circles;
}

/** All the problems of the tree at `root` (empty: it passes). */
export async function checkImports(root: string, graph?: ModuleGraph): Promise<string[]> {
  graph ??= await moduleGraph(root);
  return [
    ...layerProblems(graph),
    ...importCircles(graph).map((c) =>
      `circle: ${c.join(" -> ")} (a new import circle; break it, or if it is harmless document the edge ` +
      `in ALLOWED_BACK_EDGES in scripts/check_imports.ts)`
    ),
  ];
}

/** The entries of `allowed` whose edge `graph` no longer has (to be removed from the list). */
export function staleAllowedEdges(
  graph: ModuleGraph,
  allowed: Readonly<Record<string, string>> = ALLOWED_BACK_EDGES,
): string[] {
  const edges = new Set<string>();
  for (const [from, list] of graph) for (const e of list) if (e.kind === "code") edges.add(`${from} -> ${e.to}`);
  return Object.keys(allowed).filter((k) => !edges.has(k));
}

if (import.meta.main) {
  const root = Deno.args[0] ?? fileURLToPath(new URL("..", import.meta.url));
  const graph = await moduleGraph(root);
  for (const edge of staleAllowedEdges(graph)) {
    console.warn(`check_imports: note: the allowed edge ${edge} is gone; remove it from ALLOWED_BACK_EDGES`);
  }
  const problems = await checkImports(root, graph);
  for (const p of problems) console.error(p);
  if (problems.length > 0) {
    console.error(`check_imports: ${problems.length} problem(s)`);
    Deno.exit(1);
  }
  console.log("check_imports: layers and import circles ok");
}
