/**
 * Hostile TorchScript files: LibTorch 1.13 crashes on crafted pickles (REDUCE, BINPERSID, BUILD on an
 * empty stack), overflows its parser's stack on deeply nested code, and computes over memory outside a
 * parameter record that is shorter than its tensor. `jit.load` checks the archive first: each of these,
 * crafted here from the small fixture model, is a clear Error, and the process lives on.
 */

import { inflateRawSync } from "node:zlib";
import { liveTensors, ones, type Tensor } from "../../mod.ts";
import { liveModules, load } from "../../jit/mod.ts";
import { fixturePath } from "../fixture.ts";
import { bytesSource } from "../../serialize/source.ts";
import { ZipReader } from "../../serialize/zip_read.ts";
import { ZipWriter } from "../../serialize/zip_write.ts";
import { assertEquals, assertThrows } from "../serialize/assert.ts";

const MODEL = fixturePath("jit/small.pt");

/** The records of the fixture model, by name (inflated), in archive order. */
function records(): Map<string, Uint8Array> {
  const zip = new ZipReader(bytesSource(Deno.readFileSync(MODEL)));
  return new Map(zip.entries.map((e) => [
    e.name,
    e.method === 8 ? new Uint8Array(inflateRawSync(zip.readRaw(e))) : zip.read(e),
  ]));
}

/** Writes the records (all stored) into a temporary .pt file; returns its path. */
function writeArchive(entries: Map<string, Uint8Array>): string {
  const chunks: Uint8Array[] = [];
  const zip = new ZipWriter((c) => chunks.push(c.slice()));
  for (const [name, data] of entries) zip.add(name, data);
  zip.finish();
  const path = Deno.makeTempFileSync({ suffix: ".pt" });
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of chunks) bytes.set(c, (at += c.length) - c.length);
  Deno.writeFileSync(path, bytes);
  return path;
}

/** jit.load of the fixture with `change` applied to its records throws an Error containing `message`. */
function assertRefused(change: (r: Map<string, Uint8Array>) => void, message: string): void {
  const r = records();
  change(r);
  const path = writeArchive(r);
  const tensors = liveTensors(), modules = liveModules();
  try {
    assertThrows(() => load(path), Error, message);
    assertThrows(() => load(path), Error, "is damaged or crafted");
  } finally {
    Deno.removeSync(path);
  }
  assertEquals(liveTensors(), tensors);
  assertEquals(liveModules(), modules);
}

const bytes = (...b: number[]) => new Uint8Array(b);
const PROTO2 = [0x80, 0x02], STOP = 0x2e, REDUCE = 0x52, BINPERSID = 0x51, BUILD = 0x62;

Deno.test("jit hostile: the rewritten archive itself loads and runs (the crafting is not what fails)", () => {
  const path = writeArchive(records());
  try {
    const m = load(path);
    const x = ones([2, 3, 8, 8]);
    const y = m.forward<Tensor>(x);
    assertEquals(y.shape, [2, 3]);
    y.dispose();
    x.dispose();
    m.dispose();
  } finally {
    Deno.removeSync(path);
  }
});

for (
  const [record, op, name] of [
    ["data.pkl", REDUCE, "REDUCE"],
    ["data.pkl", BINPERSID, "BINPERSID"],
    ["data.pkl", BUILD, "BUILD"],
    ["constants.pkl", REDUCE, "REDUCE"],
    ["constants.pkl", BINPERSID, "BINPERSID"],
    ["constants.pkl", BUILD, "BUILD"],
  ] as const
) {
  Deno.test(`jit hostile: a 4-byte ${record} with ${name} on an empty stack is a clear error`, () => {
    assertRefused(
      (r) => r.set(`small/${record}`, bytes(...PROTO2, op, STOP)),
      `${record}: corrupt pickle (stack underflow)`,
    );
  });
}

Deno.test("jit hostile: 100,000 nested parentheses in the code are refused before LibTorch parses them", () => {
  assertRefused((r) => {
    const name = "small/code/__torch__.py";
    const code = new TextDecoder().decode(r.get(name));
    const deep = `${"(".repeat(100_000)}x${")".repeat(100_000)}`;
    r.set(name, new TextEncoder().encode(code.replace("return _2\n", `return torch.flatten(${deep}, 1)\n`)));
  }, "nests brackets deeper than 500 levels");
});

for (
  const [what, expr] of [
    ["a chain of 100,000 additions", Array(100_000).fill("x").join(" + ")],
    ["100,000 unary minuses", `${"- ".repeat(100_000)}x`],
    ["50,000 nots", `${"not ".repeat(50_000)}x`],
    ["50,000 method calls", `x${".t()".repeat(50_000)}`],
    ["50,000 comparisons", Array(50_000).fill("x").join(" == ")],
    ["additions nested in brackets", `${"x + (".repeat(400)}x${")".repeat(400)}`.replace(/\+/g, "+ x + x + x +")],
  ] as const
) {
  Deno.test(`jit hostile: ${what} in the code are refused (LibTorch overflows its stack)`, () => {
    assertRefused((r) => {
      const name = "small/code/__torch__.py";
      const code = new TextDecoder().decode(r.get(name));
      r.set(name, new TextEncoder().encode(code.replace("return _2\n", `return ${expr}\n`)));
    }, "is nested more than 1000 operators deep");
  });
}

Deno.test("jit hostile: wide code (a long list of negative floats) is not mistaken for deep code", () => {
  const r = records();
  const name = "small/code/__torch__.py";
  const code = new TextDecoder().decode(r.get(name));
  const list = Array.from({ length: 5000 }, (_, i) => `-${i}.5e-3`).join(", ");
  r.set(name, new TextEncoder().encode(code.replace("return _2\n", `_9 = [${list}]\n    return _2\n`)));
  const path = writeArchive(r);
  try {
    load(path).dispose();
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("jit hostile: nesting within the limit still loads (brackets in strings and comments do not count)", () => {
  const r = records();
  const name = "small/code/__torch__.py";
  const code = new TextDecoder().decode(r.get(name));
  const deep = `${"(".repeat(100)}x${")".repeat(100)}`;
  r.set(
    name,
    new TextEncoder().encode(
      code.replace("return _2\n", `return torch.flatten(${deep}, 1)  # ${"(".repeat(1000)}\n`),
    ),
  );
  const path = writeArchive(r);
  try {
    const m = load(path);
    const x = ones([1, 3, 8, 8]);
    const e = m.callMethod<Tensor>("embed", x);
    assertEquals(e.shape.length, 2);
    e.dispose();
    x.dispose();
    m.dispose();
  } finally {
    Deno.removeSync(path);
  }
});

Deno.test("jit hostile: a cut-short parameter record is refused, not read past its end", () => {
  assertRefused(
    (r) => r.set("small/data/2", r.get("small/data/2")!.subarray(0, 400)),
    "the record data/2 holds 400 bytes but its storage of 216 FloatStorage elements needs 864",
  );
});

Deno.test("jit hostile: a tensor reaching past its storage is refused", () => {
  assertRefused((r) => {
    // temperature is a 0-d tensor over a storage of one float: offset 0, size (), stride () is
    // K\x00 (t (t; make it size (1000,), stride (1,): K\x00 M\xe8\x03 \x85 K\x01 \x85
    const pkl = r.get("small/data.pkl")!;
    const text = new TextDecoder("latin1").decode(pkl);
    const at = text.indexOf("K\x00(t(t", text.indexOf("temperature"));
    const patch = [0x4b, 0x00, 0x4d, 0xe8, 0x03, 0x85, 0x4b, 0x01, 0x85];
    const patched = new Uint8Array(pkl.length - 6 + patch.length);
    patched.set(pkl.subarray(0, at));
    patched.set(patch, at);
    patched.set(pkl.subarray(at + 6), at + patch.length);
    r.set("small/data.pkl", patched);
  }, "needs a storage of 1000 FloatStorage elements (4000 bytes) but its storage holds 1");
});
