import { fileURLToPath } from "node:url";
/**
 * Saving: byte-for-byte equality with torch.save (golden files verified by torch.load in
 * scripts/fixtures/gen_serialize.py), round trips of every value kind, a live check with PyTorch-Python
 * when it is installed, and the error cases.
 */

import { dirname, join } from "node:path";
import { arange, callOp, dispose, fromBytes, liveTensors, ones, Tensor, tensor, tidy, zeros } from "../../mod.ts";
import { Float, load, loadFromBytes, save, saveToBytes, Tuple } from "../../serialize/mod.ts";
import { writeArchive } from "../../serialize/save.ts";
import { type Fixture, fixturePath, fixtureTensor, loadFixture } from "../fixture.ts";
import { assertEquals, assertRejects, assertStrictEquals, assertThrows, assertTrue } from "./assert.ts";
import { encodeBase64 } from "./base64.ts";
import { toExpect } from "./expect.ts";

const path = (name: string) => fixturePath(`serialize/${name}`);
const T = (f: Fixture, key: string) => fixtureTensor(f, key);

/** golden_weights_value() of gen_serialize.py, built here from the same tensors. */
function goldenWeights(): Record<string, unknown> {
  const f = loadFixture("serialize/golden_weights");
  const t = (k: string) => T(f, `v['${k}']`);
  const w = t("fc.weight");
  return {
    "fc.weight": w,
    "fc.bias": t("fc.bias"),
    "bn.running_mean": t("bn.running_mean"),
    "bn.num_batches_tracked": t("bn.num_batches_tracked"),
    half: t("half"),
    bf16: t("bf16"),
    f64: t("f64"),
    i8: t("i8"),
    u8: t("u8"),
    i16: t("i16"),
    i32: t("i32"),
    flags: t("flags"),
    empty: t("empty"),
    alias: w,
    meta: { epoch: 3, names: ["a", "b"], big: 2 ** 40, neg: -5, huge: 2n ** 64n, on: true, off: null },
  };
}

/** golden_mixed_value() of gen_serialize.py. */
function goldenMixed(): Record<string, unknown> {
  const f = loadFixture("serialize/golden_mixed");
  const many: Record<string, number> = {};
  for (let i = 0; i < 1000; i++) many[`k${i}`] = i;
  return {
    weight: T(f, "v['weight']"),
    lr: 0.01,
    momentum: 0.9,
    scale: new Float(2),
    neg_zero: -0,
    inf: Infinity,
    nan: NaN,
    betas: new Tuple([0.9, 0.999]),
    pair: new Tuple([1, "x"]),
    single: new Tuple([true]),
    five: new Tuple([1, 2, 3, 4, 5]),
    unit: new Tuple([]),
    steps: new Map([[0, 10], [1, 20]]),
    list: [1.5, [2, [3.25]], null],
    many,
    long: Array.from({ length: 1001 }, (_, i) => i),
    bigneg: -(2n ** 70n),
    state: { exp_avg: T(f, "v['state']['exp_avg']"), step: T(f, "v['state']['step']") },
  };
}

function assertSameBytes(actual: Uint8Array, expected: Uint8Array, what: string): void {
  let i = 0;
  while (i < actual.length && i < expected.length && actual[i] === expected[i]) i++;
  if (i !== actual.length || i !== expected.length) {
    throw new Error(
      `${what}: differs from torch.save's bytes at offset ${i} (lengths ${actual.length} and ${expected.length})`,
    );
  }
}

for (const [name, build] of [["golden_weights", goldenWeights], ["golden_mixed", goldenMixed]] as const) {
  Deno.test(`save: reproduces torch.save's ${name}.pt byte for byte`, async () => {
    const value = build();
    assertSameBytes(saveToBytes(value), Deno.readFileSync(path(`${name}_buffer.pt`)), `saveToBytes(${name})`);
    assertSameBytes(
      saveToBytes(value, { archiveName: name }),
      Deno.readFileSync(path(`${name}.pt`)),
      `saveToBytes(${name}, { archiveName })`,
    );
    const dir = Deno.makeTempDirSync();
    try {
      await save(join(dir, `${name}.pt`), value); // archive name from the file name, as torch.save(obj, path)
      assertSameBytes(Deno.readFileSync(join(dir, `${name}.pt`)), Deno.readFileSync(path(`${name}.pt`)), "save");
      assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), [`${name}.pt`]); // no temporary left
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
    dispose(value);
  });
}

/** Every kind of value save() writes, including tensors of every dtype and non-contiguous ones. */
function everyKind(): Record<string, unknown> {
  return tidy(everyKindUntidy);
}

function everyKindUntidy(): Record<string, unknown> {
  const base = arange(12, { dtype: "float32" });
  const shared = [1, 2];
  return {
    f32: tensor([1.5, -2.25], { dtype: "float32" }),
    f64: tensor([[1e-300, 2]], { dtype: "float64" }),
    f16: tensor([0.5, 65504], { dtype: "float16" }),
    bf16: tensor([1.25, -3e38], { dtype: "bfloat16" }),
    i64: fromBytes(new Uint8Array(new BigInt64Array([-(2n ** 62n), 2n ** 62n]).buffer), "int64", [2]),
    i32: tensor([-(2 ** 31), 5], { dtype: "int32" }),
    i16: tensor([-300, 300], { dtype: "int16" }),
    i8: tensor([-128, 127], { dtype: "int8" }),
    u8: tensor([0, 255], { dtype: "uint8" }),
    bool: tensor([true, false]),
    scalar: tensor(3, { dtype: "float32" }),
    empty: zeros([0, 3]),
    transposed: base.reshape([3, 4]).t(),
    slice: base.slice(0, 2, 9, 3),
    grad: ones([2], { requiresGrad: true }),
    ints: [0, 255, 256, 65535, 65536, -1, -(2 ** 31), 2 ** 31, 2 ** 53 - 1, -(2 ** 53) + 1],
    bigints: [2n ** 64n, -(2n ** 63n), 5n],
    floats: [0.1, -2.5, 1e300, Infinity, -Infinity, new Float(3)],
    specials: [NaN, -0],
    strings: ["", "plain", "h\u00e9llo \u2713 \u65e5\u672c \u{1F600}"],
    flags: [true, false, null],
    tuples: [new Tuple([]), new Tuple([1]), new Tuple([1, "a"]), new Tuple([1, 2, 3]), new Tuple([1, 2, 3, 4])],
    map: new Map<unknown, unknown>([[0, "zero"], [2n ** 70n, "big"], [true, "yes"], [null, "none"]]),
    tupleKeys: new Map([[new Tuple([1, 2]), "pair"]]),
    nested: { a: { b: [{ c: [] }, {}] } },
    many: Object.fromEntries(Array.from({ length: 1500 }, (_, i) => [`key${i}`, i % 7 === 0 ? i / 7 : `v${i}`])),
    long: Array.from({ length: 2500 }, (_, i) => i),
    shared,
    sharedAgain: shared,
  };
}

Deno.test("save: round trip of every kind of value (TS -> TS)", () => {
  const before = liveTensors();
  const value = everyKind();
  const back = loadFromBytes(saveToBytes(value)) as Record<string, unknown>;
  tidy(() => {
    for (const [k, v] of Object.entries(value)) {
      if (!(v instanceof Tensor)) continue;
      const b = back[k] as Tensor;
      assertEquals(b.dtype, v.dtype, k);
      assertEquals(b.shape, v.shape, k);
      assertEquals(b.requiresGrad, v.requiresGrad, k);
      assertTrue(callOp("aten::equal", b.detach(), v.detach()), `${k}: values differ`);
    }
  });
  assertEquals(back.ints, value.ints);
  assertEquals(back.bigints, [2n ** 64n, -(2n ** 63n), 5]);
  assertEquals(back.floats, [0.1, -2.5, 1e300, Infinity, -Infinity, 3]);
  assertTrue(Number.isNaN((back.specials as number[])[0]) && Object.is((back.specials as number[])[1], -0));
  assertEquals(back.strings, value.strings);
  assertEquals(back.flags, value.flags);
  assertEquals(back.tuples, [[], [1], [1, "a"], [1, 2, 3], [1, 2, 3, 4]]);
  assertEquals(back.map, value.map);
  const tk = back.tupleKeys as Map<unknown, unknown>;
  assertEquals([...tk.entries()], [[[1, 2], "pair"]]);
  assertEquals(back.nested, value.nested);
  assertEquals(back.many, value.many);
  assertEquals(back.long, value.long);
  assertStrictEquals(back.shared, back.sharedAgain);
  dispose([value, back]);
  assertEquals(liveTensors(), before);
});

Deno.test("save: the same Tensor twice is one storage; cycles survive", () => {
  const t = arange(4, { dtype: "float32" });
  const cyclic: unknown[] = [1];
  cyclic.push(cyclic);
  const back = loadFromBytes(saveToBytes({ a: t, b: t, cyclic })) as { a: Tensor; b: Tensor; cyclic: unknown[] };
  assertStrictEquals(back.a, back.b);
  assertStrictEquals(back.cyclic[1], back.cyclic);
  dispose([t, back]);
});

Deno.test("save: a state dict written here loads back as the same plain object", async () => {
  const sd = load(path("model_state.pt")) as Record<string, Tensor>;
  const dir = Deno.makeTempDirSync();
  try {
    const file = join(dir, "nested", "model.pt");
    await save(file, sd); // creates the folder
    const back = load(file) as Record<string, Tensor>;
    assertEquals(Object.keys(back), Object.keys(sd));
    for (const k of Object.keys(sd)) assertTrue(callOp("aten::equal", back[k], sd[k]), k);
    assertEquals(dirname(file), join(dir, "nested"));
    dispose(back);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
  dispose(sd);
});

Deno.test("save: zip64 records (written past 4 GiB) read back", () => {
  const value = { w: arange(10, { dtype: "float64" }), n: 3 };
  const chunks: Uint8Array[] = [];
  writeArchive(value, "archive", (c) => chunks.push(c), 0); // zip64 fields for every entry
  const bytes = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) (bytes.set(c, p), (p += c.length));
  const back = loadFromBytes(bytes) as { w: Tensor; n: number };
  assertEquals(back.w.toArray(), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assertEquals(back.n, 3);
  dispose([value, back]);
});

// ---------------------------------------------------------------------------------------- errors

Deno.test("save: values with no Python equivalent are refused, naming where they are", async () => {
  assertThrows(() => saveToBytes({ a: { b: undefined } }), TypeError, 'value["a"]["b"] is undefined');
  assertThrows(() => saveToBytes([() => 1]), TypeError, "value[0] is a function");
  assertThrows(() => saveToBytes({ s: new Set([1]) }), TypeError, "Sets are not supported");
  assertThrows(() => saveToBytes(new Map([[[1], 2]])), TypeError, "dict keys must be hashable");
  class Model {
    stateDict() {
      return {};
    }
  }
  assertThrows(() => saveToBytes({ m: new Model() }), TypeError, 'value["m"] is a Model, which save() cannot write');
  assertThrows(() => saveToBytes({ m: new Model() }), TypeError, "save its stateDict() instead");
  const t = ones([2]);
  t.dispose();
  assertThrows(() => saveToBytes({ t }), TypeError, 'value["t"] is a disposed Tensor');
  const dir = Deno.makeTempDirSync();
  try {
    const file = join(dir, "keep.pt");
    await save(file, { ok: 1 });
    const good = Deno.readFileSync(file);
    await assertRejects(() => save(file, { bad: undefined }), TypeError, "undefined");
    assertSameBytes(Deno.readFileSync(file), good, "the earlier file"); // untouched, no temporary left
    assertEquals([...Deno.readDirSync(dir)].map((e) => e.name), ["keep.pt"]);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------- live check

const PYTHON = "/usr/bin/python3";

function torchAvailable(): boolean {
  try {
    const r = new Deno.Command(PYTHON, { args: ["-c", "import torch"], stdout: "null", stderr: "null" })
      .outputSync();
    return r.success;
  } catch {
    return false;
  }
}

function rawBytes(t: Tensor): Uint8Array {
  const c = t.detach().contiguous();
  const d = c.dtype === "float16" || c.dtype === "bfloat16"
    ? (callOp("aten::view", c, "int16") as Tensor).data()
    : c.data();
  return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
}

/** Writes `bytes` and the expected form of `value` for gen_serialize.py --check; returns the JSON path. */
function writeCheck(dir: string, name: string, bytes: Uint8Array, value: unknown, weightsOnly: boolean): string {
  const tensors = new Map<Tensor, string>();
  const expect = toExpect(value, tensors);
  const entries: Record<string, unknown> = {};
  for (const [t, key] of tensors) {
    entries[key] = { dtype: t.dtype, shape: t.shape, data: encodeBase64(rawBytes(t)), requires_grad: t.requiresGrad };
  }
  const pt = join(dir, `${name}.pt`), json = join(dir, `${name}.json`);
  Deno.writeFileSync(pt, bytes);
  Deno.writeTextFileSync(
    json,
    JSON.stringify({ tensors: entries, values: { expect, file: pt, weights_only: weightsOnly } }),
  );
  return json;
}

/** Asks PyTorch-Python to torch.load each file and compare it with its expected form. */
function pythonCheck(jsons: string[]): void {
  const args = [
    fileURLToPath(new URL("../../scripts/fixtures/gen_serialize.py", import.meta.url)),
    "--check",
    ...jsons,
  ];
  const r = new Deno.Command(PYTHON, { args }).outputSync();
  const out = new TextDecoder().decode(r.stdout) + new TextDecoder().decode(r.stderr);
  if (!r.success) throw new Error(`PyTorch-Python does not load a file as saved:\n${out}`);
  assertEquals(out.trim().split("\n").filter((l) => l.startsWith("OK")).length, jsons.length, out);
}

Deno.test({
  name: "save: PyTorch-Python loads what save() writes (live, when /usr/bin/python3 has torch)",
  ignore: !torchAvailable(),
  fn() {
    const dir = Deno.makeTempDirSync();
    const { specials: _, tupleKeys: __, ...all } = everyKind(); // NaN/-0 inside lists and tuple keys: see below
    const weights = {
      w: tensor([[1, 2], [3, 4]], { dtype: "float32" }),
      h: tensor([0.5], { dtype: "float16" }),
      steps: new Map([[0, 10]]),
      names: ["a", "b"],
      shape: new Tuple([2, 3]),
      big: 2n ** 64n,
      flag: false,
      none: null,
    };
    try {
      const chunks: Uint8Array[] = [];
      writeArchive(weights, "archive", (c) => chunks.push(c), 0);
      const zip64 = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
      let p = 0;
      for (const c of chunks) (zip64.set(c, p), (p += c.length));
      const specials = { nan: NaN, negZero: -0 };
      pythonCheck([
        writeCheck(dir, "every_kind", saveToBytes(all), all, false),
        writeCheck(dir, "specials", saveToBytes(specials), specials, false),
        writeCheck(dir, "weights", saveToBytes(weights), weights, true),
        writeCheck(dir, "zip64", zip64, weights, true),
      ]);
    } finally {
      Deno.removeSync(dir, { recursive: true });
      dispose([all, weights]);
    }
  },
});
