import assert from "node:assert/strict";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { checkExports, entryPoints, isLibraryFile, unreachedFiles } from "../../scripts/check_exports.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/check_exports.ts", import.meta.url));

/** A tiny project tree in a temporary folder: `files` maps relative paths to their text. */
function tree(files: Record<string, string>): string {
  const root = Deno.makeTempDirSync({ prefix: "check-exports-" });
  for (const [path, text] of Object.entries(files)) {
    Deno.mkdirSync(dirname(join(root, path)), { recursive: true });
    Deno.writeTextFileSync(join(root, path), text);
  }
  return root;
}

const CONFIG = {
  exports: { ".": "./mod.ts", "./extra": "./nn/extra.ts" },
  publish: { include: ["mod.ts", "nn/", "tensor/"], exclude: ["**/*_test.ts"] },
};

/** mod.ts -> nn/mod.ts -> nn/layer.ts -> tensor/helper.ts (an internal helper, reached by an import). */
const CLEAN: Record<string, string> = {
  "deno.json": JSON.stringify(CONFIG),
  "mod.ts": 'export * from "./nn/mod.ts";\n',
  "nn/mod.ts": 'export { layer } from "./layer.ts";\n',
  "nn/layer.ts": 'import type { Helper } from "../tensor/helper.ts";\nexport const layer = (h: Helper) => h;\n',
  "nn/extra.ts": "export const extra = 2;\n",
  "nn/layer_test.ts": "export const notChecked = 1;\n",
  "tensor/helper.ts": "export type Helper = number;\n",
  "scripts/tool.ts": "export const notLibrary = 1;\n",
};

async function withTree<T>(extra: Record<string, string>, f: (root: string) => Promise<T>): Promise<T> {
  const root = tree({ ...CLEAN, ...extra });
  try {
    return await f(root);
  } finally {
    Deno.removeSync(root, { recursive: true });
  }
}

Deno.test("check_exports: entry points and library files come from deno.json", () => {
  assert.deepEqual(entryPoints(CONFIG), ["mod.ts", "nn/extra.ts"]);
  assert.deepEqual(entryPoints({ exports: "./mod.ts" }), ["mod.ts"]);
  assert.deepEqual(
    ["nn/a.ts", "tensor/b/c.ts", "mod.ts", "scripts/d.ts", "nn/a_test.ts", "other.ts"].map((f) =>
      isLibraryFile(f, CONFIG)
    ),
    [true, true, true, false, false, false],
  );
});

Deno.test("check_exports: a tree whose library files are all reached passes (type-only reaching counts)", async () => {
  assert.deepEqual(await withTree({}, checkExports), []);
});

Deno.test("check_exports: a library file that nothing reaches fails with a message saying what to do", async () => {
  const problems = await withTree({
    "nn/forgotten.ts": "export const forgotten = 1;\n",
    "tensor/deep/dead.ts": "export const dead = 1;\n",
  }, checkExports);
  assert.equal(problems.length, 2, problems.join("\n"));
  assert.match(
    problems[0],
    /^exports: nn\/forgotten\.ts is a library file that no entry point \(mod\.ts, nn\/extra\.ts\) reaches: export it from its folder's mod\.ts, import it where it is used, or delete it/,
  );
  assert.match(problems[1], /^exports: tensor\/deep\/dead\.ts is a library file that no entry point/);
});

Deno.test("check_exports: the allow-list lets a named file stand outside, and only it", async () => {
  const unreached = await withTree({
    "nn/generated.ts": "export const table = [1, 2];\n",
    "nn/forgotten.ts": "export const forgotten = 1;\n",
  }, (root) => unreachedFiles(root, { "nn/generated.ts": "read by the generator only" }));
  assert.deepEqual(unreached, ["nn/forgotten.ts"]);
});

Deno.test("check_exports: a deno.json without exports is an error", async () => {
  const problems = await withTree({ "deno.json": JSON.stringify({ publish: CONFIG.publish }) }, checkExports);
  assert.deepEqual(problems, ["exports: deno.json names no exports, so nothing is public"]);
});

Deno.test("check_exports as a command: exit 1 and the file on stderr; 0 on a clean tree", async () => {
  const run = (root: string) =>
    new Deno.Command(Deno.execPath(), { args: ["run", "-A", SCRIPT, root], stdout: "piped", stderr: "piped" })
      .output();
  await withTree({ "nn/forgotten.ts": "export const forgotten = 1;\n" }, async (root) => {
    const out = await run(root);
    assert.equal(out.code, 1);
    const err = new TextDecoder().decode(out.stderr);
    assert.match(err, /^exports: nn\/forgotten\.ts is a library file that no entry point/m);
    assert.match(err, /check_exports: 1 problem\(s\)/);
  });
  await withTree({}, async (root) => {
    const out = await run(root);
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  });
});
