/**
 * The pickle writer and reader against bytes produced by CPython's pickle (protocol 2), and the
 * reader's refusal of what it must not run.
 */

import { Pickler } from "../../serialize/pickler.ts";
import { PyDict, unpickle, type UnpicklerHooks } from "../../serialize/unpickler.ts";
import { crc32 } from "../../serialize/crc32.ts";
import { Float, Tuple } from "../../serialize/values.ts";
import { assertEquals, assertThrows } from "./assert.ts";

const hex = (b: Uint8Array) => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const unhex = (s: string) => Uint8Array.from(s.match(/../g)!.map((h) => parseInt(h, 16)));
/** The body of pickle.dumps(v, protocol=2): without PROTO 2 and STOP. */
const body = (v: unknown) => hex(new Pickler().dump(v)).slice(4, -2);

const noGlobals: UnpicklerHooks = {
  findGlobal: (m, n) => {
    throw new Error(`global ${m}.${n} refused`);
  },
  persistentLoad: () => {
    throw new Error("no persistent ids");
  },
};

Deno.test("pickler: ints as CPython writes them", () => {
  // pickle.dumps(v, protocol=2)[2:-1].hex() for each v, from CPython 3.11
  const table: [number | bigint, string][] = [
    [-1, "4affffffff"],
    [255, "4bff"],
    [256, "4d0001"],
    [65535, "4dffff"],
    [65536, "4a00000100"],
    [2 ** 31 - 1, "4affffff7f"],
    [2 ** 31, "8a050000008000"],
    [-(2 ** 31), "4a00000080"],
    [-(2 ** 31) - 1, "8a05ffffff7fff"],
    [2n ** 63n, "8a09000000000000008000"],
    [-(2n ** 63n), "8a080000000000000080"],
    [2n ** 53n + 1n, "8a0701000000000020"],
    [-129, "4a7fffffff"],
    [-128, "4a80ffffff"],
    [128, "4b80"],
    [2n ** 64n, "8a09000000000000000001"],
  ];
  for (const [v, want] of table) assertEquals(body(v), want, `int ${v}`);
});

Deno.test("pickler: floats, strings, containers as CPython writes them", () => {
  assertEquals(body(NaN), "47" + "7ff8000000000000");
  assertEquals(body(-0), "47" + "8000000000000000");
  assertEquals(body(new Float(2)), "47" + "4000000000000000");
  assertEquals(body("\u00e9"), "5802000000c3a9" + "7100");
  assertEquals(hex(new Pickler().dump({ a: 1 })), "80027d710058010000006171014b01732e");
  assertEquals(body([1]), "5d7100" + "4b01" + "61");
  assertEquals(body([1, 2]), "5d7100" + "28" + "4b014b02" + "65");
  assertEquals(body([]), "5d7100");
  assertEquals(body(new Tuple([])), "29");
  assertEquals(body(new Tuple([1, 2])), "4b014b02" + "86" + "7100");
});

Deno.test("unpickler: reads CPython protocol 2 and refuses globals it was not given", () => {
  // pickle.dumps({"a": [1, 2.5, None, True], "b": (1,)}, protocol=2)
  const bytes = unhex("80027d71002858010000006171015d7102284b014740040000000000004e886558010000006271034b01857104752e");
  const v = unpickle(bytes, noGlobals) as PyDict;
  assertEquals(v instanceof PyDict, true);
  assertEquals(v.map.get("a"), [1, 2.5, null, true]);
  assertEquals((v.map.get("b") as Tuple).items, [1]);
  // pickle.dumps(os.system, protocol=2): c posix\nsystem\n
  const evil = unhex("8002" + "63" + hex(new TextEncoder().encode("posix\nsystem\n")) + "71002e");
  assertThrows(() => unpickle(evil, noGlobals), Error, "global posix.system refused");
  assertThrows(() => unpickle(unhex("80024b"), noGlobals, "x.pkl"), Error, "x.pkl: truncated pickle data");
  assertThrows(() => unpickle(unhex("8002ff2e"), noGlobals, "x.pkl"), Error, "unsupported pickle opcode 0xff");
});

Deno.test("crc32: the standard check value", () => {
  assertEquals(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assertEquals(crc32(new Uint8Array(0)), 0);
  const big = new Uint8Array(1000).map((_, i) => i * 7);
  assertEquals(crc32(big.subarray(500), crc32(big.subarray(0, 500))), crc32(big));
});
