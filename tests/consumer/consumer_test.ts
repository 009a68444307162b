// The library as another project uses it: tests/consumer/app (a project with its own deno.json) imports
// "denotorch" (a) by file path from a read-only copy of the published files and (b) by URL from an HTTP server
// on 127.0.0.1 serving that copy. Each run finds or builds the shim in a per-user cache under a temp folder,
// trains two steps and saves a state dict, which PyTorch-Python then loads.
//
// The copy holds exactly the files `deno publish` would ship (deno.json's publish.include/exclude), so the
// test also shows that the package is complete. To keep the suite fast the cache is seeded with the shim
// already built in native/build (the folder name is computed as the loader computes it: the sources' hash
// and the LibTorch version), so (b) finds it by the sources it fetches over HTTP and (a) by the read-only
// copy's sources; with DENOTORCH_CONSUMER_BUILD=1 the cache starts empty and (b) builds it there with CMake
// from the fetched sources (a minute or more).
import assert from "node:assert/strict";
import { join } from "node:path";
import { buildInfo } from "../../mod.ts";
import { LIB_NAME, libtorchTag } from "../../ffi/build.ts";
import { resolveLibrary } from "../../ffi/library.ts";
import { collectNativeSources, nativeSourceHash } from "../../ffi/native_sources.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const APP = new URL("./app/", import.meta.url).pathname;
const PYTHON = "/usr/bin/python3";

function globToRegExp(pattern: string): RegExp {
  const body = pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*\*\//g, "(.*/)?").replace(/\*/g, "[^/]*");
  return new RegExp(`^${body}${pattern.endsWith("/") ? "" : "$"}`);
}

/** Copies the files of deno.json's publish set from the checkout into `dest`; returns their paths. */
function copyPublished(dest: string): string[] {
  const config = JSON.parse(Deno.readTextFileSync(join(ROOT, "deno.json")));
  const include: string[] = config.publish.include;
  const exclude = (config.publish.exclude as string[]).map(globToRegExp);
  const copied: string[] = [];
  const visit = (rel: string) => {
    const path = join(ROOT, rel);
    const info = Deno.statSync(path);
    if (exclude.some((r) => r.test(info.isDirectory ? `${rel}/` : rel))) return;
    if (info.isDirectory) {
      for (const e of Deno.readDirSync(path)) visit(rel ? `${rel}/${e.name}` : e.name);
    } else {
      Deno.mkdirSync(join(dest, rel, ".."), { recursive: true });
      Deno.copyFileSync(path, join(dest, rel));
      copied.push(rel);
    }
  };
  for (const entry of include) visit(entry.replace(/\/$/, ""));
  return copied;
}

function makeApp(dir: string, denotorch: string): void {
  Deno.mkdirSync(dir, { recursive: true });
  Deno.copyFileSync(join(APP, "main.ts"), join(dir, "main.ts"));
  Deno.writeTextFileSync(join(dir, "deno.json"), JSON.stringify({ imports: { denotorch } }, null, 2));
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function runApp(
  dir: string,
  env: Record<string, string>,
  permissions: string[],
  out: string,
  check: boolean,
): Promise<Run> {
  const keep = [
    "PATH",
    "LD_LIBRARY_PATH",
    "LIBTORCH",
    "ATEN_CPU_CAPABILITY",
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
  ];
  const base: Record<string, string> = {};
  for (const k of keep) {
    const v = Deno.env.get(k);
    if (v !== undefined) base[k] = v;
  }
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", ...(check ? ["--check"] : []), "--no-lock", ...permissions, join(dir, "main.ts"), out],
    cwd: dir,
    clearEnv: true, // no TORCHSHIM_LIB, no CIFAR10_DIR: only what the consumer sets
    env: { ...base, ...env },
    stdout: "piped",
    stderr: "piped",
  });
  const o = await child.output();
  return { code: o.code, stdout: new TextDecoder().decode(o.stdout), stderr: new TextDecoder().decode(o.stderr) };
}

function readOnly(dir: string): void {
  new Deno.Command("chmod", { args: ["-R", "a-w", dir] }).outputSync();
}

function writable(dir: string): void {
  new Deno.Command("chmod", { args: ["-R", "u+w", dir] }).outputSync();
}

async function torchAvailable(): Promise<boolean> {
  try {
    const o = await new Deno.Command(PYTHON, { args: ["-c", "import torch"], stdout: "null", stderr: "null" })
      .output();
    return o.success;
  } catch {
    return false;
  }
}

Deno.test({
  name: "a project of its own imports the library by path (read-only copy) and by http URL, trains and saves",
  sanitizeResources: false,
  sanitizeOps: false,
  fn: async () => {
    buildInfo(); // the shim is loaded (built) by this process, for the seeded cache
    const tmp = Deno.makeTempDirSync({ prefix: "denotorch-consumer-" });
    const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, async (req) => {
      const path = decodeURIComponent(new URL(req.url).pathname);
      requested.push(path);
      try {
        const body = await Deno.readFile(join(lib, path));
        const type = path.endsWith(".ts") ? "application/typescript; charset=utf-8" : "text/plain; charset=utf-8";
        return new Response(body, { headers: { "content-type": type } });
      } catch {
        return new Response("not found", { status: 404 });
      }
    });
    const requested: string[] = [];
    const lib = join(tmp, "lib");
    try {
      const copied = copyPublished(lib);
      assert.ok(
        copied.includes("mod.ts") && copied.includes("native/CMakeLists.txt"),
        "the publish set has the sources",
      );
      assert.ok(!copied.some((f) => f.startsWith("tests/") || f.startsWith("native/build/")), "and no tests or build");
      const cache = join(tmp, "cache");
      const build = Deno.env.get("DENOTORCH_CONSUMER_BUILD") === "1";
      const key = `torchshim-${
        (await nativeSourceHash(await collectNativeSources(new URL(`file://${lib}/native/`)))).slice(0, 16)
      }-${libtorchTag(Deno.env.get("LIBTORCH") || undefined)}`;
      if (!build) {
        Deno.mkdirSync(join(cache, key, "build"), { recursive: true });
        // the shim this process loaded (the in-tree build, or TORCHSHIM_LIB's)
        Deno.copyFileSync(await resolveLibrary(), join(cache, key, "build", LIB_NAME));
      }
      readOnly(lib);
      Deno.mkdirSync(join(tmp, "out"));

      const env = { HOME: join(tmp, "home"), DENOTORCH_CACHE: cache, DENO_DIR: join(tmp, "deno_dir") };
      const perms = [
        "--allow-ffi",
        "--allow-read",
        `--allow-write=${cache},${join(tmp, "out")}`, // not the library's copy
        "--allow-env",
        "--allow-run=cmake",
      ];

      // (a) by file path, from the read-only copy, type-checked as the consumer's project
      const appFile = join(tmp, "app-file");
      makeApp(appFile, `file://${lib}/mod.ts`);
      const runFile = () => runApp(appFile, env, perms, join(tmp, "out", "a.pt"), true);
      // (b) by URL, from the server
      const port = server.addr.port;
      const appHttp = join(tmp, "app-http");
      makeApp(appHttp, `http://127.0.0.1:${port}/mod.ts`);
      const host = `127.0.0.1:${port}`;
      const runHttp = () =>
        runApp(
          appHttp,
          env,
          [...perms, `--allow-import=${host}`, `--allow-net=${host}`],
          join(tmp, "out", "b.pt"),
          false,
        );

      // with an empty cache, (b) builds from the sources it fetched and (a) then finds that build by its own
      // sources; with the seeded cache both find it
      const b = await runHttp();
      assert.equal(b.code, 0, b.stderr);
      if (build) assert.match(b.stderr, new RegExp(`building it with CMake in ${cache}/${key}`));
      else assert.doesNotMatch(b.stderr, /building/);
      const a = await runFile();
      assert.equal(a.code, 0, a.stderr);
      assert.doesNotMatch(a.stderr, /building/, "the same sources, the same cached build");
      assert.ok(Deno.statSync(join(cache, key, "build", LIB_NAME)).isFile);
      assert.throws(
        () => Deno.statSync(join(lib, "native", "build")),
        Deno.errors.NotFound,
        "nothing built in the copy",
      );
      assert.ok(requested.includes("/native/CMakeLists.txt") && requested.includes("/native/src/common.h"));
      assert.ok(!requested.some((p) => p.includes("deno.json")), "the library's import map is not needed");
      const first = JSON.parse(a.stdout), second = JSON.parse(b.stdout);
      assert.deepEqual(second, first);
      assert.equal(first.losses.length, 2);
      assert.ok(first.losses[1] < first.losses[0], "two steps of SGD lower the loss");

      // PyTorch-Python loads the state dicts
      if (!(await torchAvailable())) {
        console.warn(
          `consumer test: ${PYTHON} cannot import torch; skipping the check that PyTorch loads the state dict`,
        );
        return;
      }
      for (const file of ["a.pt", "b.pt"]) {
        const py = await new Deno.Command(PYTHON, {
          args: [
            "-c",
            "import json, sys, torch\n" +
            "sd = torch.load(sys.argv[1])\n" +
            "print(json.dumps({k: v.tolist() for k, v in sd.items()}))",
            join(tmp, "out", file),
          ],
          stdout: "piped",
          stderr: "piped",
        }).output();
        assert.ok(py.success, new TextDecoder().decode(py.stderr));
        assert.deepEqual(JSON.parse(new TextDecoder().decode(py.stdout)), first.values, file);
      }
    } finally {
      await server.shutdown();
      writable(tmp);
      Deno.removeSync(tmp, { recursive: true });
    }
  },
});
