/**
 * `deno task parity`: proves bit-for-bit parity with the PyTorch-Python of this machine. It regenerates every
 * fixture with the local PyTorch (`$PYTHON`, else the first of /usr/bin/python3, python3, python that imports
 * torch) under the `portable` kernel profile into a temporary folder, runs the test suite against those
 * fixtures, and prints per area how many values are bit-identical. The committed fixtures are overwritten only
 * with `--write`. Options: `--keep` keeps the temporary folder, `--python PATH` chooses the interpreter,
 * `--exclude-from FILE` leaves out the generators and test files a list names (one per line, `#` comments: how
 * scripts/check-libtorch.sh leaves out, on PyTorch 2, what follows 1.13's Python code paths only).
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { runTests, testEnv } from "./test.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const GENERATORS = `${ROOT}scripts/fixtures`;
const FIXTURES = `${ROOT}tests/fixtures`;

/** One exact comparison, as tests/fixture.ts logs it. */
interface Comparison {
  file: string;
  what: string;
  values: number;
  identical: number;
}

function usage(): never {
  console.log("usage: deno task parity [--write] [--keep] [--python PATH] [--exclude-from FILE]");
  Deno.exit(0);
}

async function importsTorch(python: string): Promise<string | null> {
  try {
    const out = await new Deno.Command(python, { args: ["-c", "import torch; print(torch.__version__)"] }).output();
    return out.success ? new TextDecoder().decode(out.stdout).trim() : null;
  } catch {
    return null;
  }
}

async function findPython(given: string | undefined): Promise<[string, string]> {
  const candidates = given ? [given] : ["/usr/bin/python3", "python3", "python"];
  for (const p of candidates) {
    const version = await importsTorch(p);
    if (version !== null) return [p, version];
  }
  throw new Error(
    `no Python that imports torch (tried ${candidates.join(", ")}): install python3-torch and ` +
      "python3-torchvision (Debian), or set PYTHON",
  );
}

function copyTree(from: string, to: string): number {
  let n = 0;
  Deno.mkdirSync(to, { recursive: true });
  for (const e of Deno.readDirSync(from)) {
    if (e.isDirectory) n += copyTree(`${from}/${e.name}`, `${to}/${e.name}`);
    else if (e.isFile) {
      Deno.copyFileSync(`${from}/${e.name}`, `${to}/${e.name}`);
      n++;
    }
  }
  return n;
}

function listFiles(dir: string, prefix = ""): string[] {
  const out: string[] = [];
  for (const e of Deno.readDirSync(dir)) {
    if (e.isDirectory) out.push(...listFiles(`${dir}/${e.name}`, `${prefix}${e.name}/`));
    else if (e.isFile && !e.name.endsWith(".tmp")) out.push(`${prefix}${e.name}`);
  }
  return out.sort();
}

async function main(): Promise<number> {
  const args = [...Deno.args];
  if (args.includes("-h") || args.includes("--help")) usage();
  const write = args.includes("--write"), keep = args.includes("--keep");
  const pi = args.indexOf("--python"), xi = args.indexOf("--exclude-from");
  const known = new Set(["--write", "--keep", "--python", "--exclude-from"]);
  const unknown = args.filter((a, i) => !known.has(a) && !(pi >= 0 && i === pi + 1) && !(xi >= 0 && i === xi + 1));
  if (unknown.length > 0) throw new Error(`parity: unknown argument ${unknown[0]} (see --help)`);
  const [python, version] = await findPython(pi >= 0 ? args[pi + 1] : Deno.env.get("PYTHON"));
  const out = Deno.makeTempDirSync({ prefix: "denotorch-parity-" });
  console.log(`parity: PyTorch ${version} (${python}); fixtures into ${out}`);
  const env = { ...testEnv(), DENOTORCH_FIXTURES_OUT: out, DENOTORCH_KERNELS: "portable" };
  const excluded = new Map<string, string>();
  if (xi >= 0) {
    for (const line of Deno.readTextFileSync(args[xi + 1]).split("\n")) {
      const [path, ...why] = line.split("#");
      if (path.trim()) excluded.set(path.trim(), why.join("#").trim());
    }
    for (const [path, why] of excluded) console.log(`parity: leaving out ${path}${why ? ` (${why})` : ""}`);
  }
  const generators = [...Deno.readDirSync(GENERATORS)].map((e) => e.name).filter((n) => /^gen_.*\.py$/.test(n))
    .filter((n) => !excluded.has(`scripts/fixtures/${n}`)).sort();
  let failed = 0;
  for (const g of generators) {
    const t0 = performance.now();
    const r = await new Deno.Command(python, { args: [`${GENERATORS}/${g}`], cwd: ROOT, env }).output();
    const s = ((performance.now() - t0) / 1000).toFixed(1);
    if (!r.success) {
      failed++;
      console.log(`parity: ${g} FAILED in ${s} s:\n${new TextDecoder().decode(r.stderr).trim()}`);
    } else console.log(`parity: ${g} (${s} s)`);
  }
  if (failed > 0) throw new Error(`parity: ${failed} generator(s) failed; nothing was compared`);
  const generated = new Set(listFiles(out));
  const stale = listFiles(FIXTURES).filter((f) => !generated.has(f));
  if (stale.length > 0) {
    console.log(`parity: not made by any generator (tests use the committed ones): ${stale.join(", ")}`);
  }
  for (const f of stale) {
    Deno.mkdirSync(`${out}/${f}`.replace(/\/[^/]+$/, ""), { recursive: true });
    Deno.copyFileSync(`${FIXTURES}/${f}`, `${out}/${f}`);
  }

  const log = `${out}/parity.jsonl`;
  Deno.writeTextFileSync(log, "");
  const testFiles = excluded.size === 0 ? ["tests/"] : listFiles(`${ROOT}tests`).map((f) => `tests/${f}`)
    .filter((f) => f.endsWith("_test.ts") && !excluded.has(f));
  const code = await runTests(["--quiet", ...testFiles], { DENOTORCH_FIXTURES: out, DENOTORCH_PARITY_LOG: log });
  const rows = Deno.readTextFileSync(log).split("\n").filter((l) => l).map((l) => JSON.parse(l) as Comparison);
  const areas = new Map<string, { comparisons: number; values: number; identical: number; differing: number }>();
  for (const r of rows) {
    const area = r.file.split("/")[1] ?? "unknown";
    const a = areas.get(area) ?? { comparisons: 0, values: 0, identical: 0, differing: 0 };
    a.comparisons++;
    a.values += r.values;
    a.identical += r.identical;
    if (r.identical !== r.values) a.differing++;
    areas.set(area, a);
  }
  console.log("\narea          exact comparisons  values        bit-identical  comparisons that differ");
  let allSame = true;
  for (const [area, a] of [...areas].sort()) {
    if (a.identical !== a.values) allSame = false;
    console.log(
      `${area.padEnd(14)}${String(a.comparisons).padStart(17)}  ${String(a.values).padStart(12)}  ${
        String(a.identical).padStart(13)
      }  ${String(a.differing).padStart(23)}`,
    );
  }
  const total = rows.reduce((s, r) => s + r.values, 0), same = rows.reduce((s, r) => s + r.identical, 0);
  console.log(
    `all           ${String(rows.length).padStart(17)}  ${String(total).padStart(12)}  ${String(same).padStart(13)}`,
  );
  console.log(
    allSame && code === 0
      ? `\nparity: every value bit-identical with PyTorch ${version}, and the suite passed`
      : `\nparity: ${total - same} value(s) differ; the suite exited with ${code}`,
  );
  if (write) {
    const n = copyTree(out, FIXTURES);
    Deno.removeSync(`${FIXTURES}/parity.jsonl`);
    console.log(`parity: --write: ${n - 1} fixture files written into tests/fixtures`);
  }
  if (!keep) Deno.removeSync(out, { recursive: true });
  else console.log(`parity: kept ${out}`);
  return allSame && code === 0 ? 0 : 1;
}

if (import.meta.main) {
  try {
    Deno.exit(await main());
  } catch (e) {
    console.error((e as Error).message);
    Deno.exit(1);
  }
}
