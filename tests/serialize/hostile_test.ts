/**
 * Crafted torch.save files, made here: a tensor larger than its storage (PyTorch refuses it; LibTorch's
 * set_ would grow the storage with heap bytes), zip entries sharing their bytes (a small file loading as
 * a huge one), a garbage float, and a huge integer (decoded in linear time).
 */

import { liveTensors, saveToBytes, tensor, zeros } from "../../mod.ts";
import { loadFromBytes } from "../../serialize/mod.ts";
import { crc32 } from "../../serialize/crc32.ts";
import { bytesSource } from "../../serialize/source.ts";
import { unpickle, type UnpicklerHooks } from "../../serialize/unpickler.ts";
import { ZipReader } from "../../serialize/zip_read.ts";
import { assertEquals, assertThrows } from "./assert.ts";

const noGlobals: UnpicklerHooks = {
  findGlobal: (m, n) => {
    throw new Error(`global ${m}.${n} refused`);
  },
  persistentLoad: () => {
    throw new Error("no persistent ids");
  },
};

interface Crafted {
  name: string;
  data: Uint8Array;
  /** Point the central directory entry at the local header of this (earlier) entry instead. */
  sameAs?: string;
}

/** A stored zip archive of `entries`, written by hand so that entries can share bytes. */
function craftZip(entries: Crafted[]): Uint8Array {
  const enc = new TextEncoder();
  const parts: Uint8Array[] = [];
  const central: Uint8Array[] = [];
  const offsets = new Map<string, { offset: number; data: Uint8Array }>();
  let offset = 0;
  for (const e of entries) {
    const name = enc.encode(e.name);
    let at = offset, data = e.data;
    if (e.sameAs !== undefined) ({ offset: at, data } = offsets.get(e.sameAs)!);
    else {
      const local = new Uint8Array(30 + name.length);
      const v = new DataView(local.buffer);
      v.setUint32(0, 0x04034b50, true);
      v.setUint16(4, 20, true);
      v.setUint32(14, crc32(data), true);
      v.setUint32(18, data.length, true);
      v.setUint32(22, data.length, true);
      v.setUint16(26, name.length, true);
      local.set(name, 30);
      parts.push(local, data);
      offsets.set(e.name, { offset, data });
      offset += local.length + data.length;
    }
    const c = new Uint8Array(46 + name.length);
    const v = new DataView(c.buffer);
    v.setUint32(0, 0x02014b50, true);
    v.setUint16(4, 20, true);
    v.setUint16(6, 20, true);
    v.setUint32(16, crc32(data), true);
    v.setUint32(20, data.length, true);
    v.setUint32(24, data.length, true);
    v.setUint16(28, name.length, true);
    v.setUint32(42, at, true);
    c.set(name, 46);
    central.push(c);
  }
  const cdSize = central.reduce((n, c) => n + c.length, 0);
  const eocd = new Uint8Array(22);
  const v = new DataView(eocd.buffer);
  v.setUint32(0, 0x06054b50, true);
  v.setUint16(8, entries.length, true);
  v.setUint16(10, entries.length, true);
  v.setUint32(12, cdSize, true);
  v.setUint32(16, offset, true);
  const all = [...parts, ...central, eocd];
  const out = new Uint8Array(all.reduce((n, p) => n + p.length, 0));
  let p = 0;
  for (const x of all) out.set(x, (p += x.length) - x.length);
  return out;
}

/** The entries of a saved file, by name. */
function entriesOf(bytes: Uint8Array): Map<string, Uint8Array> {
  const zip = new ZipReader(bytesSource(bytes));
  return new Map(zip.entries.map((e) => [e.name, zip.read(e)]));
}

/** `data` with the first occurrence of `from` (after `after`) replaced by `to`. */
function patch(data: Uint8Array, from: number[], to: number[], after = 0): Uint8Array {
  const s = Array.from(data);
  for (let i = after; i + from.length <= s.length; i++) {
    if (from.every((b, k) => s[i + k] === b)) {
      return Uint8Array.from([...s.slice(0, i), ...to, ...s.slice(i + from.length)]);
    }
  }
  throw new Error("pattern not found");
}

Deno.test("load hostile: a tensor larger than its storage is refused (PyTorch refuses the file too)", () => {
  const t = tensor([1, 2, 3, 4]);
  const saved = entriesOf(saveToBytes({ w: t }));
  t.dispose();
  // size (4,) -> (64,): BININT1 4 TUPLE1 -> BININT1 64 TUPLE1
  const pkl = patch(saved.get("archive/data.pkl")!, [0x4b, 0x04, 0x85], [0x4b, 0x40, 0x85]);
  const file = craftZip([...saved].map(([name, data]) => ({ name, data: name.endsWith("data.pkl") ? pkl : data })));
  assertEquals(file.length < 1024, true); // small, as the 521-byte file (PyTorch 2 adds two records)
  const before = liveTensors();
  assertThrows(
    () => loadFromBytes(file, { name: "big.pt" }),
    Error,
    "load: big.pt: _rebuild_tensor_v2: storage 0: the tensor (size [64], stride [1], offset 0) needs a storage of " +
      "64 int64 elements (512 bytes) but its storage holds 4",
  );
  // an offset past the end, and negative strides, too
  const off = patch(saved.get("archive/data.pkl")!, [0x4b, 0x00, 0x4b, 0x04, 0x85], [0x4b, 0x02, 0x4b, 0x04, 0x85]);
  const file2 = craftZip([...saved].map(([name, data]) => ({ name, data: name.endsWith("data.pkl") ? off : data })));
  assertThrows(() => loadFromBytes(file2, { name: "off.pt" }), Error, "offset 2) needs a storage of 6 int64");
  assertEquals(liveTensors(), before);
  // the unpatched rewrite loads: the crafting is not what fails
  const ok = loadFromBytes(craftZip([...saved].map(([name, data]) => ({ name, data })))) as {
    w: { toArray(): unknown; dispose(): void };
  };
  assertEquals(ok.w.toArray(), [1, 2, 3, 4]);
  ok.w.dispose();
});

Deno.test("load hostile: zip entries sharing their bytes are refused (no small-file blow-up)", () => {
  const a = zeros([1000]), b = zeros([1000]);
  const saved = entriesOf(saveToBytes({ a, b }));
  a.dispose();
  b.dispose();
  const list: Crafted[] = [...saved].map(([name, data]) => ({ name, data }));
  const i = list.findIndex((e) => e.name === "archive/data/1");
  list[i] = { name: "archive/data/1", data: list[i].data, sameAs: "archive/data/0" };
  const before = liveTensors();
  assertThrows(
    () => loadFromBytes(craftZip(list), { name: "overlap.pt" }),
    Error,
    "overlap.pt: damaged or crafted zip file: the data of entry 'archive/data/0' overlaps entry 'archive/data/1'",
  );
  assertEquals(liveTensors(), before);
});

Deno.test("load hostile: a garbage float in a pickle is an error, not NaN", () => {
  const float = (text: string) =>
    unpickle(Uint8Array.from([0x80, 0x02, 0x46, ...new TextEncoder().encode(text), 0x0a, 0x2e]), noGlobals, "p");
  assertThrows(() => float("1.5abc"), Error, 'p: corrupt pickle (bad float "1.5abc")');
  assertThrows(() => float(""), Error, "bad float");
  assertThrows(() => float("0x10"), Error, "bad float");
  assertEquals(float("1.5"), 1.5);
  assertEquals(float("-2.5e-3"), -0.0025);
  assertEquals(float("1_000.5"), 1000.5);
  assertEquals(float("inf"), Infinity);
  assertEquals(float("-inf"), -Infinity);
  assertEquals(Number.isNaN(float("nan")), true);
});

Deno.test("load hostile: a 256 KB integer decodes in linear time", () => {
  const n = 256 * 1024;
  const long4 = (fill: (b: Uint8Array) => void) => {
    const b = new Uint8Array(2 + 5 + n + 1);
    b.set([0x80, 0x02, 0x8b]); // PROTO 2, LONG4
    new DataView(b.buffer).setInt32(3, n, true);
    fill(b.subarray(7, 7 + n));
    b[7 + n] = 0x2e;
    return b;
  };
  const t0 = performance.now();
  assertEquals(unpickle(long4((d) => (d[n - 1] = 0x40)), noGlobals), 1n << BigInt(8 * n - 2));
  assertEquals(unpickle(long4((d) => d.fill(0xff)), noGlobals), -1);
  assertEquals(
    unpickle(long4((d) => ((d[0] = 5), d.fill(0xff, 1), (d[n - 1] = 0x7f))), noGlobals),
    (1n << BigInt(8 * n - 1)) - 251n,
  );
  assertEquals(performance.now() - t0 < 2000, true); // it took 30 to 58 s (quadratic)
  // small ones take the exact number path: LONG1 of 1 to 6 bytes
  const long1 = (...b: number[]) => unpickle(Uint8Array.from([0x80, 0x02, 0x8a, b.length, ...b, 0x2e]), noGlobals);
  assertEquals(long1(0xff, 0x7f), 32767);
  assertEquals(long1(0x00, 0x80), -32768);
  assertEquals(long1(0xff, 0xff, 0xff, 0xff, 0xff, 0xff), -1);
  assertEquals(long1(0x01, 0, 0, 0, 0, 0x80), -(2 ** 47) + 1);
  assertEquals(long1(0, 0, 0, 0, 0, 0, 0x20), 2n ** 53n); // beyond 2^53 - 1: a bigint, as before
  assertEquals(long1(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x1f), 2 ** 53 - 1);
});
