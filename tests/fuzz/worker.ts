/**
 * The fuzz test's worker, run in a subprocess by `fuzz_test.ts`: `deno run -A worker.ts SEED ITERATIONS`. Each
 * iteration calls one public function of `mod.ts` (or a method of an object one of them made, or a Tensor method)
 * with generated arguments. Before each call it prints `call <what>` (so a crash names its call); a thrown value
 * whose message does not name the problem is printed as `bad <json>`. A crash or hang is the parent's to see.
 *
 * @module
 */

import * as mod from "../../mod.ts";
import { rng, show, ValueMaker } from "./values.ts";
import { VAGUE } from "./worker_patterns.ts";

/** Exports not fuzzed, with why: side effects on the machine, or known crashes in another helper's area. */
export const SKIPPED: Record<string, string> = {
  save: "writes files at generated paths",
  downloadCifar10: "network and files",
  downloadVerified: "network and files",
  setNumThreads: "setNumThreads(1e9) kills the process (issue 12, i12a's area)",
  setNumInteropThreads: "as setNumThreads",
  Tensor: "new Tensor(12345) segfaults (issue 12, i12a's area)",
  ScriptModule: "new ScriptModule(12345) segfaults (issue 12, i12a's area)",
  LinkedTensor: "a Tensor over a given handle: new LinkedTensor({}) crashes (issue 12, i12a's area: jit/)",
  loadCifar10: "reads the real data set (slow)",
  readCifar10: "reads the real data set (slow)",
  main: "a command-line entry point",
};

type Target = { name: string; fn: (...a: unknown[]) => unknown; isClass: boolean };

function isClass(f: unknown): boolean {
  return typeof f === "function" && /^class[\s{]/.test(Function.prototype.toString.call(f));
}

function targets(): Target[] {
  const seen = new Set<unknown>();
  const out: Target[] = [];
  const visit = (prefix: string, obj: Record<string, unknown>, depth: number) => {
    for (const [k, v] of Object.entries(obj)) {
      if (k in SKIPPED || seen.has(v)) continue;
      if (typeof v === "function") {
        seen.add(v);
        out.push({ name: prefix + k, fn: v as Target["fn"], isClass: isClass(v) });
      } else if (typeof v === "object" && v !== null && depth < 1 && k !== "aten") {
        seen.add(v);
        visit(`${prefix}${k}.`, v as Record<string, unknown>, depth + 1);
      }
    }
  };
  visit("", mod as unknown as Record<string, unknown>, 0);
  return out.sort((a, b) => (a.name < b.name ? -1 : 1));
}

const ATEN = [
  "add",
  "mul",
  "cat",
  "stack",
  "sum",
  "max",
  "where",
  "full",
  "arange",
  "reshape",
  "conv2d",
  "stft",
  "pow",
];

function methodsOf(o: object): string[] {
  const names = new Set<string>();
  for (let p = Object.getPrototypeOf(o); p && p !== Object.prototype; p = Object.getPrototypeOf(p)) {
    for (const n of Object.getOwnPropertyNames(p)) {
      if (n === "constructor" || n.startsWith("_")) continue;
      const d = Object.getOwnPropertyDescriptor(p, n);
      if (d && (typeof d.value === "function" || d.get)) names.add(n);
    }
  }
  return [...names].sort();
}

// skipped methods: Symbol.dispose-like lifetime ends are fine, but these wait or write
const SKIPPED_METHODS = new Set(["save", "forwardAsync", "fillBytes"]);

function disposeDeep(v: unknown, depth = 0): void {
  if (depth > 3 || v === null || typeof v !== "object") return;
  if (v instanceof mod.Tensor) {
    if (!v.isDisposed) v.dispose();
    return;
  }
  if (Array.isArray(v)) { for (const x of v) disposeDeep(x, depth + 1); }
}

const seed = Number(Deno.args[0] ?? 1);
const iterations = Number(Deno.args[1] ?? 100);
const only = Deno.args[2];
const random = rng(seed);
const all = targets().filter((t) => only === undefined || t.name === only);
const encoder = new TextEncoder();
const out = (s: string) => Deno.stdout.writeSync(encoder.encode(s + "\n"));

async function attempt(what: string, call: () => unknown): Promise<unknown> {
  out(`call ${what}`);
  try {
    let r = call();
    if (r instanceof Promise) {
      r = await Promise.race([
        r,
        new Promise((_, reject) => setTimeout(() => reject(new Error("__fuzz_timeout__")), 5000)),
      ]);
    }
    return r;
  } catch (e) {
    if (!(e instanceof Error)) {
      out(`bad ${JSON.stringify({ what, message: `threw a non-Error: ${show(e)}` })}`);
      return undefined;
    }
    if (e.message === "__fuzz_timeout__") {
      out(`bad ${JSON.stringify({ what, message: "a promise that did not settle in 5 s" })}`);
      return undefined;
    }
    if (VAGUE.some((re) => re.test(e.message)) || e.message.trim() === "") {
      out(`bad ${JSON.stringify({ what, message: e.message.split("\n")[0] })}`);
    }
    return undefined;
  }
}

for (let i = 0; i < iterations; i++) {
  const v = new ValueMaker(random);
  const kind = random();
  if (kind < 0.25) {
    // a Tensor method on a (possibly disposed) tensor
    const t = v.tensor();
    const name = v.pick(methodsOf(t).filter((m) => !SKIPPED_METHODS.has(m)));
    const args = v.args();
    const r = await attempt(`${show(t)}.${name}(${args.map((a) => show(a)).join(", ")})`, () => {
      const m = (t as unknown as Record<string, unknown>)[name];
      return typeof m === "function" ? m.apply(t, args) : m;
    });
    disposeDeep(r);
  } else if (kind < 0.32) {
    const name = v.pick(ATEN);
    const args = v.args();
    const r = await attempt(
      `ops.aten.${name}(${args.map((a) => show(a)).join(", ")})`,
      () => mod.ops.aten[name](...args),
    );
    disposeDeep(r);
  } else {
    const target = v.pick(all);
    const args = v.args();
    const label = `${target.isClass ? "new " : ""}${target.name}(${args.map((a) => show(a)).join(", ")})`;
    const r = await attempt(
      label,
      () => (target.isClass
        ? new (target.fn as never as new (...a: unknown[]) => unknown)(...args)
        : target.fn(...args)),
    );
    if (target.isClass && r !== null && typeof r === "object") {
      for (let k = 0; k < 3; k++) {
        const name = v.pick(methodsOf(r).filter((m) => !SKIPPED_METHODS.has(m)));
        if (name === undefined) break;
        const margs = v.args();
        const mr = await attempt(`(${label}).${name}(${margs.map((a) => show(a)).join(", ")})`, () => {
          const m = (r as Record<string, unknown>)[name];
          return typeof m === "function" ? m.apply(r, margs) : m;
        });
        disposeDeep(mr);
      }
    } else disposeDeep(r);
  }
  for (const t of v.made) if (!t.isDisposed) t.dispose();
}
out("done");
