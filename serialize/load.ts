/**
 * `load`: reads files written by `torch.save` (PyTorch >= 1.6 zip format, any pickle protocol) and by
 * {@linkcode save}, without running Python code: only tensors, state dicts and plain containers are
 * rebuilt (an allowlist of globals, as `torch.load(weights_only=True)`).
 *
 * Values come back as: tensors as Tensors (several views of one storage share it, as in PyTorch),
 * dicts whose keys are all strings as plain objects (`{"fc.weight": Tensor, ...}`), other dicts as
 * Maps, lists and tuples (and `torch.Size`) as arrays, ints as numbers (bigints beyond 2^53), floats
 * as numbers, bytes as Uint8Array, sets as Sets, None as null, dtypes as their names. An OrderedDict
 * loads as a dict (its `_metadata`, Python module versions, is dropped). Tensors are rebuilt as PyTorch
 * does (`set_` over the storage with the saved offset, size and stride), so views keep their layout.
 *
 * @module
 */

import { noGrad } from "../tensor/autograd.ts";
import { callV, op } from "../tensor/call.ts";
import { empty, fromBytes } from "../tensor/creation.ts";
import type { Device } from "../tensor/device.ts";
import { type DType, isFloatingPoint, ITEM_SIZE } from "../tensor/dtype.ts";
import { cuda } from "../tensor/runtime.ts";
import { Tensor } from "../tensor/tensor.ts";
import { type ByteSource, bytesSource, fileSource } from "./source.ts";
import { DTYPE_OF_STORAGE, STORAGE_OF_DTYPE, TORCH_DTYPE_NAMES, UNSUPPORTED_STORAGES } from "./storage_types.ts";
import { PyDict, type PyGlobal, unpickle } from "./unpickler.ts";
import { Tuple } from "./values.ts";
import { checkStorageBounds } from "./storage_bounds.ts";
import { NotAZipError, ZipReader } from "./zip_read.ts";

/** Options of {@linkcode load}. */
export interface LoadOptions {
  /**
   * Put every tensor on this device (PyTorch's `map_location`). By default tensors go where they were
   * saved from ("cuda:1" stays "cuda:1"), which needs that device.
   */
  device?: Device;
  /** Check the CRC-32 of every entry (default true; false saves a pass over the data). */
  verifyChecksums?: boolean;
}

/** Options of {@linkcode loadFromBytes}. */
export interface LoadFromBytesOptions extends LoadOptions {
  /** What the bytes are, for error messages (default "bytes"). */
  name?: string;
}

const LEGACY_MAGIC = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];
const SET_STORAGE = op("aten::set_", "source_Tensor_storage_offset");

/**
 * Loads a file written by `torch.save` (Python) or {@linkcode save}. Throws an Error naming the path
 * and the problem for a missing, empty, truncated or corrupt file, a file in PyTorch's legacy
 * (pre-1.6) format, a TorchScript module, a pickled Python object, or an unsupported dtype.
 *
 * @example
 * ```ts
 * import { load, type StateDict } from "../mod.ts";
 * const sd = load<StateDict>("resnet18.pth", { device: "cpu" }); // `T` only types the result
 * console.log(sd["fc.weight"].shape); // [1000, 512]
 * ```
 */
export function load<T = unknown>(path: string, options: LoadOptions = {}): T {
  let source: ByteSource;
  try {
    source = fileSource(path);
  } catch (e) {
    if (e instanceof Error && e.message.endsWith("no such file")) {
      throw new Error(`load: ${path}: no such file (write one with save(path, value) or torch.save in Python)`);
    }
    throw e;
  }
  try {
    return loadFrom(source, options) as T;
  } finally {
    source.close();
  }
}

/**
 * Loads the bytes of a file written by `torch.save` or {@linkcode save} (see {@linkcode load}).
 *
 * @example
 * ```ts
 * import { loadFromBytes, saveToBytes } from "../mod.ts";
 * const copy = loadFromBytes(saveToBytes({ epoch: 3, lr: 0.1 })); // { epoch: 3, lr: 0.1 }
 * ```
 */
export function loadFromBytes<T = unknown>(bytes: Uint8Array, options: LoadFromBytesOptions = {}): T {
  return loadFrom(bytesSource(bytes, options.name ?? "bytes"), options) as T;
}

/** Why `source` is not a zip archive, as a message. */
function notAZipReason(source: ByteSource): string {
  const head = source.read(0, 512);
  if (head.length === 0) return "is empty (0 bytes)";
  if (LEGACY_MAGIC.every((b, i) => head[i] === b) || isTar(head)) {
    return "was saved in PyTorch's legacy format (PyTorch < 1.6, or torch.save(..., " +
      "_use_new_zipfile_serialization=False)), which load() does not read: load it in Python and save it " +
      "again with torch.save(obj, path) (PyTorch >= 1.6)";
  }
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) {
    return `is truncated or damaged: it starts as a zip archive but has no end-of-central-directory record ` +
      `(${source.size} bytes); write or copy it again`;
  }
  if (head[0] === 0x80 && head[1] >= 2 && head[1] <= 5) {
    return "is a plain Python pickle, not a torch.save archive: save it with torch.save";
  }
  return "is not a PyTorch file (not a zip archive as torch.save writes): expected a file from torch.save or save()";
}

function isTar(head: Uint8Array): boolean {
  return head.length >= 262 && new TextDecoder().decode(head.subarray(257, 262)) === "ustar";
}

function loadFrom(source: ByteSource, options: LoadOptions): unknown {
  const { name } = source;
  let zip: ZipReader;
  try {
    zip = new ZipReader(source);
  } catch (e) {
    if (e instanceof NotAZipError) throw new Error(`load: ${name} ${notAZipReason(source)}`);
    throw new Error(`load: ${(e as Error).message}`);
  }
  const first = zip.entries[0]?.name ?? "";
  const prefix = first.includes("/") ? first.slice(0, first.indexOf("/") + 1) : "";
  const record = (n: string) => zip.entry(prefix + n);
  if (record("constants.pkl") !== undefined || zip.entries.some((e) => e.name.startsWith(`${prefix}code/`))) {
    throw new Error(
      `load: ${name} is a TorchScript module (written by torch.jit.save), not a torch.save file: ` +
        "load it with jit.load(path)",
    );
  }
  const pkl = record("data.pkl");
  if (pkl === undefined) {
    const names = zip.entries.slice(0, 8).map((e) => e.name).join(", ");
    throw new Error(
      `load: ${name} is a zip archive but not a torch.save file (it has no data.pkl; entries: ${names || "none"})`,
    );
  }
  const verify = options.verifyChecksums ?? true;
  let bigEndian = false;
  const byteorder = record("byteorder");
  if (byteorder !== undefined) {
    const order = new TextDecoder().decode(zip.read(byteorder, verify)).trim();
    if (order !== "little" && order !== "big") throw new Error(`load: ${name}: unknown byteorder '${order}'`);
    bigEndian = order === "big";
  }
  const ctx = new LoadContext(zip, prefix, name, options, verify, bigEndian);
  try {
    const raw = unpickle(wrapRead(() => zip.read(pkl, verify)), ctx, `load: ${name}: data.pkl`);
    const value = toJs(raw, new Map(), name);
    ctx.disposeStorages();
    return value;
  } catch (e) {
    ctx.disposeAll();
    throw e;
  }
}

function wrapRead(read: () => Uint8Array): Uint8Array {
  try {
    return read();
  } catch (e) {
    throw new Error(`load: ${(e as Error).message}`);
  }
}

/** A storage named by a persistent id: loaded on first use, once. */
class StorageRef {
  tensor: Tensor | null = null;
  constructor(readonly key: string, readonly dtype: DType, readonly location: string, readonly numel: number) {}
}

class LoadContext {
  readonly #storages = new Map<string, StorageRef>();
  readonly #created: Tensor[] = [];
  readonly #globals: Map<string, PyGlobal>;

  constructor(
    readonly zip: ZipReader,
    readonly prefix: string,
    readonly name: string,
    readonly options: LoadOptions,
    readonly verify: boolean,
    readonly bigEndian: boolean,
  ) {
    this.#globals = this.#allowlist();
  }

  #fail(message: string): never {
    throw new Error(`load: ${this.name}: ${message}`);
  }

  findGlobal(module: string, name: string): PyGlobal {
    const qualified = `${module}.${name}`;
    const g = this.#globals.get(qualified);
    if (g !== undefined) return g;
    if (module === "torch" && name.endsWith("Storage")) {
      const what = UNSUPPORTED_STORAGES[name];
      this.#fail(
        `it holds tensors of dtype ${what ?? "unknown"} (torch.${name}), which this library does not support ` +
          `(supported: ${Object.keys(STORAGE_OF_DTYPE).join(", ")}); convert ` +
          "them in Python (t.float(), t.long()) and save again",
      );
    }
    if (qualified.startsWith("torch._utils._rebuild_")) {
      this.#fail(
        `it holds a kind of tensor load() does not rebuild (${qualified}: sparse, quantized, meta or ` +
          "nested tensors); convert them to dense CPU tensors in Python and save again",
      );
    }
    this.#fail(
      `this file holds a pickled Python object (${qualified}), which load() does not rebuild (only tensors, ` +
        "state dicts and plain containers are); save a state_dict instead: torch.save(model.state_dict(), path)",
    );
  }

  persistentLoad(pid: unknown): unknown {
    const items = pid instanceof Tuple ? pid.items : null;
    if (items === null || items.length !== 5 || items[0] !== "storage") {
      this.#fail("unsupported persistent id in data.pkl (expected a storage reference)");
    }
    const [, type, key, location, numel] = items;
    const storageName = typeof type === "object" && type !== null && "qualifiedName" in type
      ? String((type as PyGlobal).qualifiedName)
      : "";
    const dtype = DTYPE_OF_STORAGE.get(storageName.replace(/^torch\./, ""));
    if (
      dtype === undefined || typeof key !== "string" || typeof location !== "string" || !Number.isSafeInteger(numel) ||
      (numel as number) < 0
    ) {
      this.#fail(`malformed storage reference in data.pkl (${storageName || String(type)})`);
    }
    let ref = this.#storages.get(key);
    if (ref === undefined) this.#storages.set(key, ref = new StorageRef(key, dtype, location, numel as number));
    else if (ref.dtype !== dtype) this.#fail(`storage ${key} is used with two dtypes (${ref.dtype}, ${dtype})`);
    return ref;
  }

  #device(location: string): Device {
    if (this.options.device !== undefined) return this.options.device;
    if (location === "cpu") return "cpu";
    const m = /^cuda(?::(\d+))?$/.exec(location);
    if (m) {
      const index = Number(m[1] ?? 0);
      if (!cuda.isAvailable()) {
        this.#fail(
          `it holds tensors saved on ${location} but CUDA is not available here; ` +
            `load it with { device: "cpu" }`,
        );
      }
      if (index >= cuda.deviceCount()) {
        this.#fail(
          `it holds tensors saved on ${location} but this machine has ${cuda.deviceCount()} CUDA device(s); ` +
            `load it with { device: "cuda:0" } or { device: "cpu" }`,
        );
      }
      return `cuda:${index}`;
    }
    this.#fail(
      `it holds tensors saved on device '${location}', which is not supported; load it with { device: "cpu" }`,
    );
  }

  #storageTensor(ref: StorageRef): Tensor {
    if (ref.tensor !== null) return ref.tensor;
    const entry = this.zip.entry(`${this.prefix}data/${ref.key}`);
    if (entry === undefined) this.#fail(`the data of storage ${ref.key} is missing (no entry data/${ref.key})`);
    const nbytes = ref.numel * ITEM_SIZE[ref.dtype];
    if (entry.size < nbytes) {
      this.#fail(`storage ${ref.key} holds ${entry.size} bytes but ${ref.numel} ${ref.dtype} elements need ${nbytes}`);
    }
    let bytes = wrapRead(() => this.zip.read(entry, this.verify)).subarray(0, nbytes);
    if (this.bigEndian && ITEM_SIZE[ref.dtype] > 1) bytes = swapBytes(bytes, ITEM_SIZE[ref.dtype]);
    let t = fromBytes(bytes, ref.dtype, [ref.numel]);
    const device = this.#device(ref.location);
    if (device !== "cpu") {
      const moved = t.to({ device });
      t.dispose();
      t = moved;
    }
    ref.tensor = t;
    return t;
  }

  /** `_rebuild_tensor_v2`: a tensor over (a part of) a storage, as PyTorch's `set_` makes it. */
  rebuildTensor(args: unknown[], what: string): Tensor {
    const [ref, offset, size, stride, requiresGrad] = args;
    if (!(ref instanceof StorageRef)) this.#fail(`${what}: the first argument is not a storage`);
    const dims = intList(size), strides = intList(stride);
    if (typeof offset !== "number" || dims === null || strides === null || dims.length !== strides.length) {
      this.#fail(`${what}: malformed tensor arguments`);
    }
    checkStorageBounds(
      dims,
      strides,
      offset,
      ref.numel,
      ref.dtype,
      ITEM_SIZE[ref.dtype],
      `${what}: storage ${ref.key}`,
      (m) => this.#fail(m),
    );
    const storage = this.#storageTensor(ref);
    const t = noGrad(() => {
      const out = empty([0], { dtype: ref.dtype, device: storage.device });
      try {
        callV(SET_STORAGE, out, storage, offset, dims, strides);
      } catch (e) {
        out.dispose();
        this.#fail(`storage ${ref.key}: ${(e as Error).message}`);
      }
      return out;
    });
    this.#created.push(t);
    if (requiresGrad === true && isFloatingPoint(ref.dtype)) t.requiresGrad = true;
    return t;
  }

  #allowlist(): Map<string, PyGlobal> {
    const g = new Map<string, PyGlobal>();
    const fn = (qualifiedName: string, call: (args: unknown[]) => unknown, value?: unknown) =>
      g.set(qualifiedName, { qualifiedName, call, value });
    const cls = (qualifiedName: string, value?: unknown) => g.set(qualifiedName, { qualifiedName, value });
    fn("torch._utils._rebuild_tensor_v2", (a) => this.rebuildTensor(a, "_rebuild_tensor_v2"));
    fn("torch._utils._rebuild_tensor", (a) => this.rebuildTensor([...a.slice(0, 4), false], "_rebuild_tensor"));
    const parameter = (a: unknown[]) => {
      const [data, requiresGrad] = a;
      if (!(data instanceof Tensor)) this.#fail("_rebuild_parameter: the data is not a tensor");
      if (requiresGrad === true && isFloatingPoint(data.dtype) && !data.requiresGrad) data.requiresGrad = true;
      return data;
    };
    fn("torch._utils._rebuild_parameter", parameter);
    fn("torch._utils._rebuild_parameter_with_state", parameter);
    cls("torch.Tensor");
    cls("torch.nn.parameter.Parameter");
    fn("torch._tensor._rebuild_from_type_v2", (a) => {
      const [func, type, args] = a;
      const t = (type as PyGlobal | null)?.qualifiedName;
      if (t !== "torch.Tensor" && t !== "torch.nn.parameter.Parameter") {
        this.#fail(`this file holds a tensor subclass (${t}), which load() does not rebuild`);
      }
      const f = func as PyGlobal | null;
      if (f?.call === undefined || !(args instanceof Tuple)) this.#fail("_rebuild_from_type_v2: malformed arguments");
      return f.call([...args.items]);
    });
    for (const s of DTYPE_OF_STORAGE.keys()) cls(`torch.${s}`);
    for (const d of TORCH_DTYPE_NAMES) cls(`torch.${d}`, d);
    fn("torch.Size", (a) => new Tuple(a[0] instanceof Tuple ? a[0].items : []));
    fn("torch.device", (a) => (a.length > 1 && a[1] !== null ? `${a[0]}:${a[1]}` : String(a[0])));
    fn("collections.OrderedDict", (a) => {
      const d = new PyDict("collections.OrderedDict");
      const items = a[0] instanceof Tuple ? a[0].items : Array.isArray(a[0]) ? a[0] : [];
      for (const it of items) {
        const kv = it instanceof Tuple ? it.items : Array.isArray(it) ? it : [];
        d.map.set(kv[0], kv[1]);
      }
      return d;
    });
    // LibTorch's C++ pickler (torch::pickle_save) tags typed lists and dicts with these helpers.
    for (const n of ["build_intlist", "build_tensorlist", "build_doublelist", "build_boollist"]) {
      fn(`torch.jit._pickle.${n}`, (a) => a[0]);
    }
    fn("torch.jit._pickle.restore_type_tag", (a) => a[0]);
    fn("_codecs.encode", (a) => {
      const s = String(a[0]);
      return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff); // latin-1, as protocol 2 stores bytes
    });
    fn("builtins.set", (a) => new Set(Array.isArray(a[0]) ? a[0] : a[0] instanceof Tuple ? a[0].items : []));
    fn("builtins.frozenset", (a) => new Set(Array.isArray(a[0]) ? a[0] : a[0] instanceof Tuple ? a[0].items : []));
    fn("builtins.bytearray", (a) => {
      if (a.length === 0) return new Uint8Array(0);
      if (a[0] instanceof Uint8Array) return a[0];
      return Uint8Array.from(String(a[0]), (c) => c.charCodeAt(0) & 0xff);
    });
    return g;
  }

  /** Frees the storage handles (the loaded tensors keep their storages alive). */
  disposeStorages(): void {
    for (const ref of this.#storages.values()) ref.tensor?.dispose();
  }

  /** Frees everything made so far (after a failure). */
  disposeAll(): void {
    this.disposeStorages();
    for (const t of this.#created) t.dispose();
  }
}

function intList(v: unknown): number[] | null {
  const items = v instanceof Tuple ? v.items : Array.isArray(v) ? v : null;
  if (items === null || !items.every((x) => typeof x === "number" && Number.isInteger(x))) return null;
  return items as number[];
}

function swapBytes(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  for (let i = 0; i < bytes.length; i += size) {
    for (let k = 0; k < size; k++) out[i + k] = bytes[i + size - 1 - k];
  }
  return out;
}

/** Turns unpickled values into plain JavaScript ones (shared and cyclic structures stay so). */
function toJs(v: unknown, seen: Map<unknown, unknown>, name: string): unknown {
  if (typeof v !== "object" || v === null || v instanceof Tensor || v instanceof Uint8Array) return v;
  const done = seen.get(v);
  if (done !== undefined) return done;
  if (v instanceof PyDict) {
    const stringKeys = [...v.map.keys()].every((k) => typeof k === "string");
    if (stringKeys) {
      const out: Record<string, unknown> = {};
      seen.set(v, out);
      for (const [k, x] of v.map) {
        Object.defineProperty(out, k as string, {
          value: toJs(x, seen, name),
          writable: true,
          enumerable: true,
          configurable: true,
        });
      }
      return out;
    }
    const out = new Map<unknown, unknown>();
    seen.set(v, out);
    for (const [k, x] of v.map) out.set(toJs(k, seen, name), toJs(x, seen, name));
    return out;
  }
  if (v instanceof Tuple || Array.isArray(v)) {
    const items = v instanceof Tuple ? v.items : v;
    const out: unknown[] = new Array(items.length);
    seen.set(v, out);
    for (let i = 0; i < items.length; i++) out[i] = toJs(items[i], seen, name);
    return out;
  }
  if (v instanceof Set) {
    const out = new Set<unknown>();
    seen.set(v, out);
    for (const x of v) out.add(toJs(x, seen, name));
    return out;
  }
  if (v instanceof StorageRef) {
    throw new Error(`load: ${name} holds a bare storage (torch.${v.dtype} storage), not a tensor: save tensors`);
  }
  if ("qualifiedName" in v) {
    const g = v as PyGlobal;
    if (g.value !== undefined) return g.value;
    throw new Error(`load: ${name} holds a Python class or function (${g.qualifiedName}) as a value`);
  }
  return v;
}
