import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkImports, importCircles, layerOf, staleAllowedEdges } from "../../scripts/check_imports.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/check_imports.ts", import.meta.url));

/** A tiny project tree in a temporary folder: `files` maps relative paths to their text. */
function tree(files: Record<string, string>): string {
  const root = Deno.makeTempDirSync({ prefix: "check-imports-" });
  for (const [path, text] of Object.entries(files)) {
    Deno.mkdirSync(dirname(join(root, path)), { recursive: true });
    Deno.writeTextFileSync(join(root, path), text);
  }
  return root;
}

/** A clean tree: mod.ts -> nn/ -> tensor/ -> ffi/, the documented tensor/call.ts <-> tensor/tensor.ts circle. */
const CLEAN: Record<string, string> = {
  "deno.json": JSON.stringify({ exports: { ".": "./mod.ts" }, publish: { include: ["mod.ts", "nn/", "tensor/"] } }),
  "mod.ts": 'export * from "./nn/mod.ts";\n',
  "nn/mod.ts": 'export { layer } from "./layer.ts";\n',
  "nn/layer.ts": 'import { Tensor } from "../tensor/tensor.ts";\nexport const layer = () => new Tensor();\n',
  "tensor/tensor.ts": 'import { call } from "./call.ts";\nexport class Tensor {\n  f() {\n    return call();\n  }\n}\n',
  "tensor/call.ts": 'import { Tensor } from "./tensor.ts";\nexport const call = () => new Tensor();\n',
  "ffi/lib.ts": "export const lib = 1;\n",
  "scripts/run.ts": 'import { layer } from "../mod.ts";\nlayer();\n',
  "tests/ignored_test.ts": 'import "../nowhere.ts";\n',
};

async function problemsOf(extra: Record<string, string>): Promise<string[]> {
  const root = tree({ ...CLEAN, ...extra });
  try {
    return await checkImports(root);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

Deno.test("check_imports: the layers, top first", () => {
  assert.deepEqual(
    ["scripts/a.ts", "bench/b.ts", "study/c.ts", "mod.ts", "nn/d.ts", "datasets/cifar10/e.ts", "tensor/f.ts"].map(
      layerOf,
    ),
    [0, 0, 1, 1, 2, 2, 3],
  );
  assert.deepEqual(["ffi/g.ts", "util/h.ts", "version.ts", "elsewhere/i.ts"].map(layerOf), [4, 5, 5, null]);
});

Deno.test("check_imports: a clean tree with the documented tensor circle passes", async () => {
  assert.deepEqual(await problemsOf({}), []);
});

Deno.test("check_imports: a new import circle fails, naming every file around it", async () => {
  const problems = await problemsOf({
    "nn/a.ts": 'import { b } from "./b.ts";\nexport const a = () => b();\n',
    "nn/b.ts": 'import { c } from "./c.ts";\nexport const b = () => c();\n',
    "nn/c.ts": 'import { a } from "./a.ts";\nexport const c = () => a();\n',
  });
  assert.equal(problems.length, 1, problems.join("\n"));
  assert.match(
    problems[0],
    /^circle: nn\/a\.ts -> nn\/b\.ts -> nn\/c\.ts -> nn\/a\.ts \(a new import circle; break it/,
  );
  assert.match(problems[0], /ALLOWED_BACK_EDGES in scripts\/check_imports\.ts/);
});

Deno.test("check_imports: a circle of type-only imports is erased at run time and passes", async () => {
  assert.deepEqual(
    await problemsOf({
      "nn/a.ts": 'import type { B } from "./b.ts";\nexport interface A {\n  b?: B;\n}\n',
      "nn/b.ts": 'import type { A } from "./a.ts";\nexport interface B {\n  a?: A;\n}\n',
    }),
    [],
  );
});

Deno.test("check_imports: an import up the layer list fails, type-only too, and so does a folder in no layer", async () => {
  const problems = await problemsOf({
    "ffi/lib.ts": 'import type { Tensor } from "../tensor/tensor.ts";\nexport const lib = (t: Tensor) => t;\n',
    "tensor/up.ts": 'import { layer } from "../nn/layer.ts";\nexport const up = layer;\n',
    "misc/x.ts": "export const x = 1;\n",
  });
  assert.equal(problems.length, 3, problems.join("\n"));
  assert.ok(problems.includes("layer: misc/x.ts is in no layer; add its folder to LAYERS in scripts/check_imports.ts"));
  assert.ok(
    problems.some((p) =>
      p.startsWith("layer: tensor/up.ts imports nn/layer.ts, which is above it: tensor/ may import only its own layer")
    ),
  );
  assert.ok(
    problems.some((p) => p.startsWith("layer: ffi/lib.ts imports tensor/tensor.ts (type-only), which is above it")),
  );
});

Deno.test("check_imports: importCircles sets the allowed edges aside, and only those", () => {
  const graph = new Map([
    ["x.ts", [{ to: "y.ts", kind: "code" as const, dynamic: false }]],
    ["y.ts", [{ to: "x.ts", kind: "code" as const, dynamic: true }]],
  ]);
  assert.deepEqual(importCircles(graph, {}), [["x.ts", "y.ts", "x.ts"]]);
  assert.deepEqual(importCircles(graph, { "y.ts -> x.ts": "documented" }), []);
  assert.deepEqual(importCircles(graph, { "x.ts -> z.ts": "another edge" }), [["x.ts", "y.ts", "x.ts"]]);
  assert.deepEqual(staleAllowedEdges(graph, { "y.ts -> x.ts": "documented", "x.ts -> z.ts": "gone" }), [
    "x.ts -> z.ts",
  ]);
});

Deno.test("check_imports as a command: exit 1 and one line per problem on stderr; 0 on a clean tree", async () => {
  const bad = tree({ ...CLEAN, "tensor/up.ts": 'import { layer } from "../nn/layer.ts";\nexport const up = layer;\n' });
  const good = tree(CLEAN);
  try {
    const run = (root: string) =>
      new Deno.Command(Deno.execPath(), { args: ["run", "-A", SCRIPT, root], stdout: "piped", stderr: "piped" })
        .output();
    const fail = await run(bad);
    assert.equal(fail.code, 1);
    const err = new TextDecoder().decode(fail.stderr);
    assert.match(err, /^layer: tensor\/up\.ts imports nn\/layer\.ts, which is above it/m);
    assert.match(err, /check_imports: 1 problem\(s\)/);
    const ok = await run(good);
    assert.equal(ok.code, 0, new TextDecoder().decode(ok.stderr));
  } finally {
    Deno.removeSync(bad, { recursive: true });
    Deno.removeSync(good, { recursive: true });
  }
});
