// The study notebooks, without Jupyter: they are nbformat 4 notebooks for Deno's kernel, use only the
// public API (the root mod.ts and the charts entry point), read the data and weights from the documented
// environment variables, and their code cells type-check against the current API. (scripts/notebooks.sh
// executes them in the kernel.)

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const DIR = fileURLToPath(new URL("../../notebooks/", import.meta.url));
const NOTEBOOKS = ["lenet_calibration.ipynb", "densenet_calibration.ipynb"];

interface Cell {
  cell_type: string;
  source: string[] | string;
  metadata: { tags?: string[] };
  outputs?: unknown[];
}

function read(name: string): { nbformat: number; metadata: Record<string, { name?: string }>; cells: Cell[] } {
  return JSON.parse(Deno.readTextFileSync(join(DIR, name)));
}

const text = (c: Cell) => (Array.isArray(c.source) ? c.source.join("") : c.source);

for (const name of NOTEBOOKS) {
  Deno.test(`${name}: a Deno notebook on the public API, saved without outputs`, () => {
    const nb = read(name);
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.metadata.kernelspec.name, "deno");
    const code = nb.cells.filter((c) => c.cell_type === "code");
    assert.ok(code.length >= 15, `${code.length} code cells`);
    for (const c of code) assert.deepEqual(c.outputs ?? [], [], "saved without outputs");
    const imports = code.flatMap((c) => [...text(c).matchAll(/from\s+"([^"]+)"/g)].map((m) => m[1]));
    assert.deepEqual([...new Set(imports)].sort(), ["../calibration/charts.ts", "../mod.ts"]);
    const params = text(code[0]);
    assert.match(params, /Deno\.env\.get\("CIFAR10_DIR"\)/);
    assert.match(params, /NOTEBOOK_EPOCHS/);
    if (name.startsWith("densenet")) assert.match(params, /Deno\.env\.get\("DENSENET_WEIGHTS"\)/);
    const all = code.map(text).join("\n");
    for (
      const step of [
        "reliabilityGrid(",
        "reliabilityOverlay(",
        "fitTemperature(",
        "compareCalibration(",
        "eceBootstrap(",
      ]
    ) {
      assert.ok(all.includes(step), `the notebook calls ${step}`);
    }
  });
}

Deno.test("the notebooks' code cells type-check against the current API (one deno check for both)", async () => {
  const files = NOTEBOOKS.map((name) => {
    const file = join(DIR, `.check_${name.replace(".ipynb", "")}.ts`);
    Deno.writeTextFileSync(file, read(name).cells.filter((c) => c.cell_type === "code").map(text).join("\n"));
    return file;
  });
  try {
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["check", "-q", ...files],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  } finally {
    for (const f of files) Deno.removeSync(f);
  }
});
