/**
 * No C++ exception may escape a shim entry point (it would abort the process): every `extern "C"`
 * function in native/src/ wraps its body in TT_TRY/TT_CATCH (with an error buffer) or TT_GUARD (without
 * one), except the few listed here, whose bodies cannot throw.
 */

import { fileURLToPath as fromFileUrl } from "node:url";
import { assertEquals } from "../serialize/assert.ts";

const SRC = fromFileUrl(new URL("../../native/src/", import.meta.url));

/** Entry points whose bodies cannot throw: constants, atomics, free(), C math. */
const CANNOT_THROW = new Set(["tt_abi_version", "tt_blob_free", "tt_tensor_live", "tt_jit_live", "tt_math"]);

/** The extern "C" function definitions of a source file: name and body. */
function entryPoints(source: string): { name: string; body: string }[] {
  const out: { name: string; body: string }[] = [];
  const start = source.indexOf('extern "C" {');
  if (start < 0) return out;
  const re = /^(?:[a-z_0-9]+\*?\s+)+\*?(tt_[a-z_0-9]+)\(([^)]*)\)\s*\{/gm;
  re.lastIndex = start;
  for (let m = re.exec(source); m !== null; m = re.exec(source)) {
    let depth = 1, i = re.lastIndex;
    while (depth > 0 && i < source.length) {
      if (source[i] === "{") depth++;
      else if (source[i] === "}") depth--;
      i++;
    }
    out.push({ name: m[1], body: source.slice(re.lastIndex, i - 1) });
    re.lastIndex = i;
  }
  return out;
}

Deno.test("shim: every entry point catches C++ exceptions", () => {
  const unguarded: string[] = [];
  let count = 0;
  for (const entry of Deno.readDirSync(SRC)) {
    if (!entry.name.endsWith(".cpp")) continue;
    for (const { name, body } of entryPoints(Deno.readTextFileSync(SRC + entry.name))) {
      count++;
      const guarded = /^\s*(if \([^;]*\) return[^;]*;\s*)?(TT_TRY|TT_GUARD|try \{)/.test(body);
      if (!guarded && !CANNOT_THROW.has(name)) unguarded.push(`${entry.name}: ${name}`);
    }
  }
  assertEquals(count > 40, true); // the parser found them
  assertEquals(unguarded, []);
});

Deno.test("shim: every entry point is declared in the header", () => {
  const header = Deno.readTextFileSync(fromFileUrl(new URL("../../native/include/torchshim.h", import.meta.url)));
  const missing: string[] = [];
  for (const entry of Deno.readDirSync(SRC)) {
    if (!entry.name.endsWith(".cpp")) continue;
    for (const { name } of entryPoints(Deno.readTextFileSync(SRC + entry.name))) {
      if (!header.includes(` ${name}(`)) missing.push(name);
    }
  }
  assertEquals(missing, []);
});
