/**
 * Loading files written by PyTorch-Python's torch.save (fixtures from scripts/fixtures/gen_serialize.py):
 * values, exact tensor bytes, strides, shared storages, and the error cases.
 */

import { assertEquals, assertStrictEquals, assertThrows } from "./assert.ts";
import { dispose, liveTensors, type Tensor, tidy } from "../../mod.ts";
import { load, loadFromBytes } from "../../serialize/mod.ts";
import { fixturePath, loadFixture } from "../fixture.ts";
import { assertLoaded } from "./expect.ts";
import { bytesSource } from "../../serialize/source.ts";
import { ZipReader } from "../../serialize/zip_read.ts";

const path = (name: string) => fixturePath(`serialize/${name}`);

/** Where the data of zip entry `name` starts in `bytes`. */
function dataOffset(bytes: Uint8Array, name: string): number {
  const zip = new ZipReader(bytesSource(bytes));
  const e = zip.entry(name);
  if (e === undefined) throw new Error(`no entry ${name}`);
  const v = new DataView(bytes.buffer, bytes.byteOffset);
  return e.localHeaderOffset + 30 + v.getUint16(e.localHeaderOffset + 26, true) +
    v.getUint16(e.localHeaderOffset + 28, true);
}

Deno.test("load: a Python state dict (Conv2d, BatchNorm2d with num_batches_tracked, Linear)", () => {
  const sd = load(path("model_state.pt")) as Record<string, Tensor>;
  assertLoaded(sd, loadFixture("serialize/model_state"));
  assertEquals(Object.keys(sd), [
    "features.0.weight",
    "features.0.bias",
    "features.1.weight",
    "features.1.bias",
    "features.1.running_mean",
    "features.1.running_var",
    "features.1.num_batches_tracked",
    "fc.weight",
    "fc.bias",
  ]);
  assertEquals(sd["features.1.num_batches_tracked"].dtype, "int64");
  assertEquals(sd["features.1.num_batches_tracked"].item(), 2);
  dispose(sd);
});

Deno.test("load: a Python optimizer state dict (int keys as a Map, tuples as arrays)", () => {
  const osd = load(path("optimizer_state.pt")) as { state: Map<number, unknown>; param_groups: unknown[] };
  assertLoaded(osd, loadFixture("serialize/optimizer_state"));
  const group = osd.param_groups[0] as Record<string, unknown>;
  assertEquals(group.betas, [0.9, 0.999]);
  assertEquals(group.params, [0, 1, 2, 3, 4, 5]);
  dispose(osd);
});

for (const proto of [2, 4, 5]) {
  Deno.test(`load: every kind of plain value (pickle protocol ${proto})`, () => {
    const v = load(path(`mixed_p${proto}.pt`)) as Record<string, unknown>;
    assertLoaded(v, loadFixture("serialize/mixed"));
    assertStrictEquals(v.shared_list, v.shared_again); // one object in the file, one here
    assertEquals(v.int_big, 2n ** 70n);
    dispose(v);
  });
}

Deno.test("load: every dtype, views, non-contiguous tensors, parameters", () => {
  const v = load(path("dtypes.pt")) as Record<string, Tensor>;
  assertLoaded(v, loadFixture("serialize/dtypes"));
  assertEquals(v.expanded.stride(), [0, 1]);
  assertEquals(v.param.requiresGrad, true);
  assertEquals(v.requires_grad.requiresGrad, true);
  assertEquals(v.scalar.shape, []);
  dispose(v);
});

Deno.test("load: tensors that share a storage in the file share it after loading", () => {
  const v = load(path("dtypes.pt")) as Record<string, Tensor>;
  const before = v.view_2d.toArray();
  v.base.add_(1000); // in place on the base: both views see it
  assertEquals(v.view_offset.toArray(), [1005, 1006, 1007, 1008, 1009, 1010]);
  assertEquals(v.view_2d.toArray(), (before as number[][]).map((r) => r.map((x) => x + 1000)));
  v.expanded.select(0, 0).fill_(7); // one storage of 2 elements behind a 3x2 view
  assertEquals(v.expanded.toArray(), [[7, 7], [7, 7], [7, 7]]);
  dispose(v);
});

Deno.test("load: a file written by LibTorch's C++ pickler (torch.jit._pickle helpers)", () => {
  const v = load(path("cpp_pickle.pt")) as Record<string, unknown>;
  assertLoaded(v, loadFixture("serialize/cpp_pickle"));
  assertEquals(v.ints, [1, 2, 3]);
  assertEquals(v.pair, [7, 2.5]);
  dispose(v);
});

Deno.test("load: { device: 'cpu' } and loadFromBytes", () => {
  const bytes = Deno.readFileSync(path("model_state.pt"));
  const sd = loadFromBytes(bytes, { device: "cpu" }) as Record<string, Tensor>;
  assertLoaded(sd, loadFixture("serialize/model_state"));
  assertEquals(sd["fc.weight"].device, "cpu");
  dispose(sd);
});

Deno.test("load: frees what it made, and nothing more, also on failure", () => {
  const before = liveTensors();
  tidy(() => {
    load(path("dtypes.pt"));
  });
  assertEquals(liveTensors(), before);
  const sd = load(path("model_state.pt")) as Record<string, Tensor>;
  assertEquals(liveTensors(), before + Object.keys(sd).length);
  dispose(sd);
  const bytes = Deno.readFileSync(path("model_state.pt"));
  bytes[dataOffset(bytes, "model_state/data/8")] ^= 0xff; // the last storage read: earlier tensors must be freed
  assertThrows(() => loadFromBytes(bytes), Error, "CRC-32");
  assertEquals(liveTensors(), before);
});

// ---------------------------------------------------------------------------------------- errors

Deno.test("load: a missing file names the path and how to make one", () => {
  assertThrows(() => load("/nonexistent/model.pt"), Error, "/nonexistent/model.pt: no such file (write one with save");
});

Deno.test("load: truncated, empty and foreign files", () => {
  const bytes = Deno.readFileSync(path("model_state.pt"));
  assertThrows(() => loadFromBytes(bytes.subarray(0, 1000), { name: "cut.pt" }), Error, "cut.pt is truncated");
  assertThrows(() => loadFromBytes(bytes.subarray(0, bytes.length - 30), { name: "cut.pt" }), Error, "truncated");
  assertThrows(() => loadFromBytes(new Uint8Array(0), { name: "e.pt" }), Error, "e.pt is empty");
  const text = new TextEncoder().encode("name,value\na,1\n");
  assertThrows(() => loadFromBytes(text, { name: "data.csv" }), Error, "data.csv is not a PyTorch file");
  const tmp = Deno.makeTempFileSync({ suffix: ".pt" });
  try {
    Deno.writeFileSync(tmp, bytes.subarray(0, 500));
    assertThrows(() => load(tmp), Error, `${tmp} is truncated`);
  } finally {
    Deno.removeSync(tmp);
  }
});

Deno.test("load: a file in PyTorch's legacy format (_use_new_zipfile_serialization=False)", () => {
  assertThrows(() => load(path("legacy.pt")), Error, "legacy format (PyTorch < 1.6");
});

Deno.test("load: complex tensors from Python (torch.save of tensor([1+2j, 3-1j]))", () => {
  const before = liveTensors();
  const { z } = load(path("complex.pt")) as { z: Tensor };
  assertEquals(z.dtype, "complex64");
  assertEquals(z.shape, [2]);
  assertEquals(Array.from(z.data() as Float32Array), [1, 2, 3, -1]);
  assertEquals(z.toArray(), [{ re: 1, im: 2 }, { re: 3, im: -1 }]);
  assertEquals(z.toString(), "tensor([1.+2.j, 3.-1.j])");
  z.dispose();
  assertEquals(liveTensors(), before);
});

Deno.test("load: an unsupported dtype names it", () => {
  // complex32 (ComplexHalfStorage) is not supported: change the storage class of complex.pt's pickle
  const bytes = Deno.readFileSync(path("complex.pt")).slice();
  const at = dataOffset(bytes, "complex/data.pkl");
  const text = new TextDecoder("latin1").decode(bytes);
  const i = text.indexOf("ComplexFloatStorage\nq\x04", at);
  // 22 bytes for 22: the class name, then MARK NEWTRUE POP_MARK (a no-op) in place of its BINPUT
  bytes.set(Uint8Array.from("ComplexHalfStorage\n(\x881", (c) => c.charCodeAt(0)), i);
  assertThrows(
    () => loadFromBytes(bytes, { name: "c32.pt", verifyChecksums: false }),
    Error,
    "dtype complex32 (torch.ComplexHalfStorage)",
  );
});

Deno.test("load: a pickled Python object names the global and says to save a state dict", () => {
  assertThrows(
    () => load(path("module.pt")),
    Error,
    "this file holds a pickled Python object (torch.nn.modules.linear.Linear)",
  );
  assertThrows(() => load(path("module.pt")), Error, "save a state_dict instead");
});

Deno.test("load: a compressed or corrupt entry is refused clearly", () => {
  const bytes = Deno.readFileSync(path("golden_weights.pt")).slice();
  const v = new DataView(bytes.buffer);
  // Mark data.pkl (the first central directory entry) as deflated.
  const eocd = bytes.length - 22;
  const cd = v.getUint32(eocd + 16, true);
  v.setUint16(cd + 10, 8, true);
  assertThrows(() => loadFromBytes(bytes, { name: "z.pt" }), Error, "is compressed (deflate)");
  v.setUint16(cd + 10, 0, true);
  bytes[dataOffset(bytes, "golden_weights/data/0") + 1] ^= 1; // inside a float32 of fc.weight
  assertThrows(
    () => loadFromBytes(bytes, { name: "z.pt" }),
    Error,
    "z.pt: corrupt file: the CRC-32 of entry 'golden_weights/data/0' does not match its data",
  );
  dispose(loadFromBytes(bytes, { name: "z.pt", verifyChecksums: false }));
});
