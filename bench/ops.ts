/**
 * Per-operator overhead through the full public `Tensor` API: small tensors, each result freed at
 * once (with `dispose()`, the way a careful user frees temporaries outside a scope).
 *
 * Run alone: `deno run -A bench/ops.ts --threads 1 --iters 100000 --repeats 7`; prints JSON like the Python and
 * C++ sides: `{"<case>": [microseconds per iteration of each repeat]}`.
 *
 * @module
 */

import { rand, setNumThreads } from "../mod.ts";
import { parseArgs } from "node:util";

function timeIt(fn: () => void, iters: number, repeats: number): number[] {
  for (let i = 0; i < iters / 10 + 1; i++) fn();
  const out: number[] = [];
  for (let r = 0; r < repeats; r++) {
    const t0 = performance.now();
    for (let i = 0; i < iters; i++) fn();
    out.push(((performance.now() - t0) * 1000) / iters);
  }
  return out;
}

/** Times the per-operator cases; returns microseconds per iteration for each repeat. */
export function benchOps(threads: number, iters: number, repeats: number): Record<string, number[]> {
  setNumThreads(threads);
  const a = rand([2, 2]), b = rand([2, 2]);
  const m = rand([4, 4]), n = rand([4, 4]);
  const r = rand([16, 16]);
  return {
    add_2x2: timeIt(() => a.add(b).dispose(), iters, repeats),
    matmul_4x4: timeIt(() => m.matmul(n).dispose(), iters, repeats),
    sum_16x16: timeIt(() => r.sum().dispose(), iters, repeats),
  };
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      threads: { type: "string", default: "1" },
      iters: { type: "string", default: "100000" },
      repeats: { type: "string", default: "7" },
    },
  });
  console.log(JSON.stringify(benchOps(Number(values.threads), Number(values.iters), Number(values.repeats))));
}
