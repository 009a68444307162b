/**
 * `save`: writes values in the format of `torch.save` (PyTorch >= 1.6 zip format, pickle protocol 2),
 * byte for byte what PyTorch 1.13's `torch.save` writes for the same structure, so PyTorch-Python
 * loads the files with `torch.load` (also with `weights_only=True`, for values it allows).
 *
 * Mapping of values (see also {@linkcode Pickler}):
 * - Tensors are saved as `torch.save` saves them (`torch._utils._rebuild_tensor_v2`), each with its
 *   own compact storage (a view is saved as its elements, not with its base's storage; the same
 *   Tensor object reached twice is saved once).
 * - Plain objects become Python dicts. State dicts are written as plain dicts, not as
 *   `collections.OrderedDict` with `_metadata` as Python's `state_dict()` returns: dicts keep their
 *   order in Python >= 3.7, `load_state_dict` accepts any mapping, and `_metadata` holds Python module
 *   versions that this library has no truthful values for (without it PyTorch assumes the current
 *   versions' key layout, which is what {@linkcode Module.stateDict} produces).
 * - Numbers: integral numbers within ±2^53 are Python ints, other numbers floats; {@linkcode Float}
 *   forces a float, bigints are ints. Arrays are lists, {@linkcode Tuple} tuples, Maps dicts.
 *
 * @module
 */

import { TORCH2 } from "../ffi/native.ts";
import { elementBytes } from "../tensor/bytes.ts";
import { Tensor } from "../tensor/tensor.ts";
import { recordNamesHash } from "../tensor/runtime.ts";
import { withAtomicPath } from "../util/fs.ts";
import { Op } from "./opcodes.ts";
import { Pickler } from "./pickler.ts";
import { STORAGE_OF_DTYPE } from "./storage_types.ts";
import { type ZipSink, ZipWriter } from "./zip_write.ts";

/** Options of {@linkcode saveToBytes}. */
export interface SaveToBytesOptions {
  /**
   * The folder name inside the zip (default `"archive"`, as `torch.save` to a buffer writes;
   * `save(path)` uses the file name without extension, as `torch.save(obj, path)` does).
   */
  archiveName?: string;
}

interface Storage {
  key: string;
  tensor: Tensor;
}

/** Pickles `value`, collecting the tensors' storages (keys "0", "1", ... in order of appearance). */
function pickleValue(value: unknown): { pickle: Uint8Array; storages: Storage[] } {
  const storages: Storage[] = [];
  const pickler = new Pickler((v, p, path) => {
    if (!(v instanceof Tensor)) return false;
    if (v.isDisposed) throw new TypeError(`save: ${path} is a disposed Tensor`);
    const dtype = v.dtype, shape = v.shape, device = v.device;
    const numel = shape.reduce((a, b) => a * b, 1);
    const key = String(storages.length);
    storages.push({ key, tensor: v });
    p.global("torch._utils", "_rebuild_tensor_v2");
    p.op(Op.MARK);
    // persistent id: ('storage', torch.<X>Storage, key, location, numel)
    p.op(Op.MARK);
    p.str("storage", "storage");
    p.global("torch", STORAGE_OF_DTYPE[dtype]);
    p.str(key, `key:${key}`);
    p.str(device, device === "cpu" ? "cpu" : undefined); // Python's 'cpu' is one constant; 'cuda:N' is built anew
    p.int(numel);
    p.op(Op.TUPLE);
    p.memoize({});
    p.op(Op.BINPERSID);
    p.int(0); // storage offset
    p.tuple(shape, `${path}.shape`);
    p.tuple(contiguousStrides(shape), `${path}.stride`);
    p.save(v.requiresGrad, path);
    p.global("collections", "OrderedDict"); // backward hooks: OrderedDict()
    p.op(Op.EMPTY_TUPLE);
    p.op(Op.REDUCE);
    p.memoize({});
    p.op(Op.TUPLE);
    p.memoize({});
    p.op(Op.REDUCE);
    p.memoize(v);
    return true;
  });
  return { pickle: pickler.dump(value), storages };
}

/** Row-major strides as PyTorch computes them (dimensions of size 0 count as 1). */
function contiguousStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= Math.max(shape[i], 1);
  }
  return strides;
}

/**
 * Writes the archive for `value` to `sink` (`zip64Threshold` is for tests: see {@linkcode ZipWriter}).
 *
 * @internal
 */
export function writeArchive(value: unknown, archiveName: string, sink: ZipSink, zip64Threshold?: number): void {
  if (archiveName === "" || archiveName.includes("/")) {
    throw new TypeError(`save: archiveName must be a non-empty name without "/", got ${JSON.stringify(archiveName)}`);
  }
  const { pickle, storages } = pickleValue(value);
  const zip = new ZipWriter(sink, zip64Threshold);
  // only the CRC-32 of each non-empty record is kept (for serialization_id), not its bytes: a storage's copy
  // goes once it is written, so a state dict is never held twice in memory
  const crcs: number[] = [];
  const names: string[] = [];
  const add = (name: string, data: Uint8Array) => {
    const crc = zip.add(`${archiveName}/${name}`, data);
    names.push(name);
    if (data.length > 0) crcs.push(crc);
  };
  add("data.pkl", pickle);
  if (TORCH2) add("byteorder", new TextEncoder().encode("little"));
  // torch.save writes the storages in the order of their keys sorted as strings ("10" before "2").
  for (const s of [...storages].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))) {
    add(`data/${s.key}`, elementBytes(s.tensor, "save"));
  }
  add("version", new TextEncoder().encode("3\n"));
  if (TORCH2) add(".data/serialization_id", new TextEncoder().encode(serializationId(names, crcs)));
  zip.finish();
}

/**
 * PyTorch 2's `.data/serialization_id`: 20 digits of the combined hash of the record names (computed by the
 * shim: it follows C++'s std::unordered_set order and std::hash), then 20 digits of the boost-style
 * hash_combine of the CRC-32 of every non-empty record written before it, in order.
 */
function serializationId(names: string[], crcs: number[]): string {
  const M = (1n << 64n) - 1n;
  let h = 0n;
  for (const crc of crcs) { // PyTorch's writer leaves empty records out of the combined CRC: so does `crcs`
    const c = BigInt(crc);
    h = (h ^ ((c + 0x9e3779b9n + ((h << 6n) & M) + (h >> 2n)) & M)) & M;
  }
  const nameHash = recordNamesHash(names);
  return nameHash.padStart(20, "0") + h.toString().padStart(20, "0");
}

/** The archive name `torch.save(obj, path)` uses: the file name up to its last dot. */
function archiveNameOf(path: string): string {
  const base = path.slice(Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\")) + 1);
  const dot = base.lastIndexOf(".");
  const stem = dot < 0 ? base : base.slice(0, dot);
  return stem === "" ? "archive" : stem;
}

/**
 * The bytes `torch.save(value, buffer)` would write for `value` (see the module documentation for how
 * values map to Python).
 *
 * @example
 * ```ts
 * import { saveToBytes, tensor } from "../mod.ts";
 * const bytes = saveToBytes({ weight: tensor([1, 2, 3], { dtype: "float32" }), step: 10 });
 * ```
 */
export function saveToBytes(value: unknown, options: SaveToBytesOptions = {}): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  writeArchive(value, options.archiveName ?? "archive", (c) => {
    chunks.push(c);
    total += c.length;
  });
  const out = new Uint8Array(total);
  let p = 0;
  for (const c of chunks) {
    out.set(c, p);
    p += c.length;
  }
  return out;
}

function writeAll(file: Deno.FsFile, chunk: Uint8Array): void {
  let p = 0;
  while (p < chunk.length) p += file.writeSync(chunk.subarray(p));
}

/**
 * Saves `value` to `path` as `torch.save(value, path)` would (the same bytes), atomically: the file
 * is written under a temporary name and renamed, so readers never see a partial file. Storages are
 * streamed to the file one at a time. Load it with {@linkcode load} here or `torch.load` in Python.
 *
 * @example
 * ```ts
 * import { Linear, save } from "../mod.ts";
 * const model = new Linear(4, 2);
 * await save("runs/linear.pt", model.stateDict());
 * ```
 */
export async function save(path: string, value: unknown): Promise<void> {
  const name = archiveNameOf(path);
  await withAtomicPath(path, (tmp) => {
    const file = Deno.openSync(tmp, { write: true, create: true, truncate: true });
    try {
      writeArchive(value, name, (c) => writeAll(file, c));
    } finally {
      file.close();
    }
  });
}
