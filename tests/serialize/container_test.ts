/**
 * Archives that PyTorch writes in other situations, built here with the same writer pieces: tensors
 * saved from CUDA (map_location), big-endian storages, PyTorch 2.x's extra records.
 */

import { dispose, type Tensor } from "../../mod.ts";
import { loadFromBytes } from "../../serialize/mod.ts";
import { Op } from "../../serialize/opcodes.ts";
import { Pickler } from "../../serialize/pickler.ts";
import { ZipWriter } from "../../serialize/zip_write.ts";
import { assertEquals, assertThrows } from "./assert.ts";

/** Where the pickle gets the tensor. */
class TensorMarker {}

/** A torch.save-style archive of {"w": float32 tensor of `values`} with a chosen location and records. */
function archive(
  location: string,
  options: { bigEndian?: boolean; records?: [string, string][]; viaFromType?: boolean } = {},
): Uint8Array {
  const values = [1.5, -2, 3.25];
  const pickler = new Pickler((v, p) => {
    if (!(v instanceof TensorMarker)) return false;
    if (options.viaFromType) p.global("torch._tensor", "_rebuild_from_type_v2");
    if (options.viaFromType) p.op(Op.MARK);
    p.global("torch._utils", "_rebuild_tensor_v2");
    if (options.viaFromType) p.global("torch", "Tensor");
    p.op(Op.MARK);
    p.op(Op.MARK);
    p.str("storage");
    p.global("torch", "FloatStorage");
    p.str("0");
    p.str(location);
    p.int(values.length);
    p.op(Op.TUPLE);
    p.op(Op.BINPERSID);
    p.int(0);
    p.tuple([values.length], "size");
    p.tuple([1], "stride");
    p.save(false, "rg");
    p.global("collections", "OrderedDict");
    p.op(Op.EMPTY_TUPLE);
    p.op(Op.REDUCE);
    p.op(Op.TUPLE);
    if (options.viaFromType) {
      p.save({}, "state"); // (func, type, args, state)
      p.op(Op.TUPLE);
    } else p.op(Op.REDUCE);
    if (options.viaFromType) p.op(Op.REDUCE);
    return true;
  });
  const pickle = pickler.dump({ w: new TensorMarker() });
  const data = new Uint8Array(4 * values.length);
  const view = new DataView(data.buffer);
  values.forEach((x, i) => view.setFloat32(4 * i, x, !options.bigEndian));
  const chunks: Uint8Array[] = [];
  const zip = new ZipWriter((c) => chunks.push(c));
  const enc = new TextEncoder();
  zip.add("model/data.pkl", pickle);
  for (const [name, text] of options.records ?? []) zip.add(`model/${name}`, enc.encode(text));
  zip.add("model/data/0", data);
  zip.add("model/version", enc.encode("3\n"));
  zip.finish();
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let p = 0;
  for (const c of chunks) (out.set(c, p), (p += c.length));
  return out;
}

Deno.test("load: tensors saved from CUDA need a CUDA device or { device: 'cpu' }", () => {
  const bytes = archive("cuda:0");
  assertThrows(
    () => loadFromBytes(bytes, { name: "gpu.pt" }),
    Error,
    'gpu.pt: it holds tensors saved on cuda:0 but CUDA is not available here; load it with { device: "cpu" }',
  );
  const v = loadFromBytes(bytes, { device: "cpu" }) as { w: Tensor };
  assertEquals(v.w.toArray(), [1.5, -2, 3.25]);
  assertEquals(v.w.device, "cpu");
  assertThrows(() => loadFromBytes(archive("mps")), Error, "saved on device 'mps', which is not supported");
  dispose(v);
});

Deno.test("load: PyTorch 2.x records (byteorder, .data/) and big-endian storages", () => {
  const records: [string, string][] = [["byteorder", "little"], [".data/version", "3\n"], [
    ".data/serialization_id",
    "1",
  ]];
  const little = loadFromBytes(archive("cpu", { records })) as { w: Tensor };
  assertEquals(little.w.toArray(), [1.5, -2, 3.25]);
  const big = loadFromBytes(archive("cpu", { bigEndian: true, records: [["byteorder", "big"]] })) as { w: Tensor };
  assertEquals(big.w.toArray(), [1.5, -2, 3.25]);
  dispose([little, big]);
});

Deno.test("load: torch._tensor._rebuild_from_type_v2 around a plain tensor", () => {
  const v = loadFromBytes(archive("cpu", { viaFromType: true })) as { w: Tensor };
  assertEquals(v.w.toArray(), [1.5, -2, 3.25]);
  dispose(v);
});
