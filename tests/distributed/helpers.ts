/**
 * Helpers of the distributed tests: free ports on 127.0.0.1, and running a group of rank subprocesses
 * (Deno or Python) with a hard time bound, collecting each one's JSON result line.
 *
 * @module
 */

import { fileURLToPath } from "node:url";
import { freePort } from "../../scripts/launch.ts";

/** The environment every rank gets: loopback only, one thread, the portable kernel profile (and its settings, for Python ranks). */
export const RANK_ENV: Record<string, string> = {
  DENOTORCH_KERNELS: "portable",
  GLOO_SOCKET_IFNAME: "lo",
  USE_LIBUV: "0", // PyTorch-Python >= 2.4 ranks: Debian builds its store without libuv
  OMP_NUM_THREADS: "1",
  ATEN_CPU_CAPABILITY: "avx2",
  DNNL_MAX_CPU_ISA: "AVX2",
  ONEDNN_MAX_CPU_ISA: "AVX2",
  OPENBLAS_NUM_THREADS: "1",
  LD_LIBRARY_PATH: "/usr/lib/x86_64-linux-gnu/blas:/usr/lib/x86_64-linux-gnu/lapack",
};

/** The path of a worker script under tests/distributed/workers/. */
export function worker(name: string): string {
  return fileURLToPath(new URL(`./workers/${name}`, import.meta.url));
}

/** A TCP port that is free now on 127.0.0.1 (the launcher's). */
export { freePort };

/** What one rank process did. */
export interface RankResult {
  code: number;
  stdout: string;
  stderr: string;
  /** The last line of stdout that starts with "RESULT ", parsed as JSON (undefined when there is none). */
  // deno-lint-ignore no-explicit-any
  result: any;
  /** Milliseconds from the start of the group to this process's exit. */
  elapsedMs: number;
}

/** One process of a group: a Deno script or a Python script (`.py`, run by /usr/bin/python3), with its args. */
export interface RankSpec {
  script: string;
  args: string[];
  env?: Record<string, string>;
}

/**
 * Runs the processes at once and waits for all; kills every one still running after `limitMs` (the test
 * then fails on its code, never hangs).
 */
export async function runGroup(specs: RankSpec[], limitMs = 60_000): Promise<RankResult[]> {
  const start = performance.now();
  const children = specs.map((s) => {
    const python = s.script.endsWith(".py");
    return new Deno.Command(python ? "/usr/bin/python3" : Deno.execPath(), {
      args: python ? [s.script, ...s.args] : ["run", "-A", s.script, ...s.args],
      env: { ...RANK_ENV, ...s.env },
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
  });
  const timer = setTimeout(() => {
    for (const c of children) {
      try {
        c.kill("SIGKILL");
      } catch { /* exited */ }
    }
  }, limitMs);
  try {
    return await Promise.all(children.map(async (c) => {
      const out = await c.output();
      const elapsedMs = performance.now() - start;
      const stdout = new TextDecoder().decode(out.stdout);
      const stderr = new TextDecoder().decode(out.stderr);
      const line = stdout.split("\n").filter((l) => l.startsWith("RESULT ")).pop();
      return { code: out.code, stdout, stderr, result: line ? JSON.parse(line.slice(7)) : undefined, elapsedMs };
    }));
  } finally {
    clearTimeout(timer);
  }
}

/** Runs `n` Deno ranks of `script` meeting at tcp://127.0.0.1:<free port>; args: rank, worldSize, port, ...extra. */
export function runRanks(script: string, n: number, extra: string[] = [], limitMs = 60_000): Promise<RankResult[]> {
  const port = freePort();
  return runGroup(
    Array.from(
      { length: n },
      (_, r) => ({ script: worker(script), args: [String(r), String(n), String(port), ...extra] }),
    ),
    limitMs,
  );
}

/** Throws with every rank's output when one did not exit 0. */
export function assertAllOk(results: RankResult[]): void {
  results.forEach((r, i) => {
    if (r.code !== 0 || r.result === undefined) {
      throw new Error(`rank ${i} failed (code ${r.code})\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    }
  });
}

/** Whether /usr/bin/python3 has torch (the mixed Deno + Python tests are skipped without it, as the live tests in tests/serialize are). */
export function pythonTorchAvailable(): boolean {
  try {
    return new Deno.Command("/usr/bin/python3", {
      args: ["-c", "import torch.distributed"],
      stdout: "null",
      stderr: "null",
    })
      .outputSync().success;
  } catch {
    return false;
  }
}
