/**
 * `deno task test`: runs the whole test suite with the settings it needs: the `portable` kernel profile
 * (`DENOTORCH_KERNELS=portable`, the kernel choices the fixtures were made with, whatever this machine's CPU,
 * BLAS alternative or thread environment; see ffi/kernels.ts), the garbage collector exposed (so the
 * FinalizationRegistry test really runs), and the shared data folders (CIFAR-10 bird/cat records and the
 * DenseNet stand-in weights) taken from `CIFAR10_DIR` / `DENSENET_WEIGHTS` when set, else from the
 * `shared/data` folder beside the repository, where CI puts them. Extra arguments go to `deno test` (for
 * example a folder: `deno task test tests/tensor/`).
 *
 * @module
 */

import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The environment the suite runs in (added to the caller's). */
export function testEnv(): Record<string, string> {
  const shared = fileURLToPath(new URL("../../shared/data/", import.meta.url));
  const env: Record<string, string> = {};
  if (!Deno.env.get("DENOTORCH_KERNELS")) env.DENOTORCH_KERNELS = "portable";
  if (!Deno.env.get("CIFAR10_DIR")) env.CIFAR10_DIR = `${shared}cifar-10-batches-bin`;
  if (!Deno.env.get("DENSENET_WEIGHTS")) env.DENSENET_WEIGHTS = `${shared}densenet121/densenet121_cifar8.pt`;
  for (const name of ["CIFAR10_DIR", "DENSENET_WEIGHTS"]) {
    const path = env[name];
    if (path && !existsSync(path)) {
      console.error(`test: ${name} is not set and ${path} does not exist; tests that need it fail`);
    }
  }
  return env;
}

/** Runs `deno test` over `args` with {@linkcode testEnv} plus `extra`; returns its exit code. */
export async function runTests(args: string[], extra: Record<string, string> = {}): Promise<number> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["test", "-A", "--v8-flags=--expose-gc", ...args],
    env: { ...testEnv(), ...extra },
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  return (await child.status).code;
}

if (import.meta.main) Deno.exit(await runTests(Deno.args.length > 0 ? Deno.args : ["tests/"]));
