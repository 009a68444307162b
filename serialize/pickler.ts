/**
 * A pickle writer emitting exactly what CPython's C pickler emits at protocol 2 (the protocol of
 * `torch.save`) for the same structure: memo puts after every list, dict, tuple, string and global,
 * batches of 1000 items, the shortest int opcodes, big-endian BINFLOAT.
 *
 * JavaScript values map to Python as follows: `null` None, booleans bool, integral numbers within
 * ±2^53 and bigints int, other numbers float ({@linkcode Float} forces a float), strings str, arrays
 * list, {@linkcode Tuple} tuple, plain objects dict (string keys), Maps dict (any hashable keys).
 * The same object reached twice is written once and referenced (as Python's memo does).
 * Other values go to the `extension` hook (tensors, for torch.save) or are refused with an error
 * naming their path.
 *
 * @module
 */

import { describe } from "../tensor/describe.ts";
import { isOptionsObject } from "../tensor/options.ts";
import { Op } from "./opcodes.ts";
import { Float, Tuple } from "./values.ts";

const BATCHSIZE = 1000;
const encoder = new TextEncoder();

/** Handles values the pickler does not know (returns false to refuse them). */
export type PicklerExtension = (value: unknown, pickler: Pickler, path: string) => boolean;

/**
 * Writes one pickle (protocol 2).
 *
 * @example
 * ```ts
 * import { Pickler } from "./pickler.ts";
 * const p = new Pickler();
 * p.dump({ a: 1 }); // the bytes of pickle.dumps({"a": 1}, protocol=2)
 * ```
 */
export class Pickler {
  #buf = new Uint8Array(1 << 12);
  #n = 0;
  readonly #memo = new Map<unknown, number>();
  readonly #inProgress = new Set<unknown>();

  /** A pickler; `extension` handles other kinds of values (tensors). */
  constructor(readonly extension?: PicklerExtension) {}

  /** Pickles `value` and returns the bytes (PROTO 2 ... STOP). */
  dump(value: unknown): Uint8Array {
    this.#n = 0;
    this.op(Op.PROTO);
    this.byte(2);
    this.save(value, "value");
    this.op(Op.STOP);
    return this.#buf.slice(0, this.#n);
  }

  #ensure(k: number): void {
    if (this.#n + k <= this.#buf.length) return;
    let size = this.#buf.length * 2;
    while (size < this.#n + k) size *= 2;
    const b = new Uint8Array(size);
    b.set(this.#buf.subarray(0, this.#n));
    this.#buf = b;
  }

  /** Writes one opcode. */
  op(code: number): void {
    this.byte(code);
  }

  /** Writes one byte. */
  byte(b: number): void {
    this.#ensure(1);
    this.#buf[this.#n++] = b;
  }

  /** Writes raw bytes. */
  raw(bytes: Uint8Array): void {
    this.#ensure(bytes.length);
    this.#buf.set(bytes, this.#n);
    this.#n += bytes.length;
  }

  #u32(v: number): void {
    this.#ensure(4);
    new DataView(this.#buf.buffer).setUint32(this.#n, v, true);
    this.#n += 4;
  }

  /** Puts the value just written into the memo under `key` (an object, or a string id). */
  memoize(key: unknown): void {
    const i = this.#memo.size;
    this.#memo.set(key, i);
    if (i < 256) {
      this.op(Op.BINPUT);
      this.byte(i);
    } else {
      this.op(Op.LONG_BINPUT);
      this.#u32(i);
    }
  }

  /** Writes a reference to the memoized `key` and returns true, or returns false when it is not memoized. */
  memoGet(key: unknown): boolean {
    const i = this.#memo.get(key);
    if (i === undefined) return false;
    if (i < 256) {
      this.op(Op.BINGET);
      this.byte(i);
    } else {
      this.op(Op.LONG_BINGET);
      this.#u32(i);
    }
    return true;
  }

  /** A global (class or function), memoized by name as Python memoizes the object. */
  global(module: string, name: string): void {
    const key = `\0global:${module}.${name}`;
    if (this.memoGet(key)) return;
    this.op(Op.GLOBAL);
    this.raw(encoder.encode(`${module}\n${name}\n`));
    this.memoize(key);
  }

  /**
   * A str. Python memoizes strings by object identity; `shareKey` makes repeats of this string one
   * memo entry (as repeats of the same Python object are), otherwise each is written anew.
   */
  str(s: string, shareKey?: string): void {
    if (shareKey !== undefined && this.memoGet(`\0str:${shareKey}`)) return;
    const bytes = encoder.encode(s);
    this.op(Op.BINUNICODE);
    this.#u32(bytes.length);
    this.raw(bytes);
    this.memoize(shareKey !== undefined ? `\0str:${shareKey}` : {});
  }

  /** An int, with CPython's choice of opcode. */
  int(v: number | bigint): void {
    if (typeof v === "number" && v >= -0x80000000 && v <= 0x7fffffff) {
      if (v >= 0 && v <= 0xff) {
        this.op(Op.BININT1);
        this.byte(v);
      } else if (v >= 0 && v <= 0xffff) {
        this.op(Op.BININT2);
        this.byte(v & 0xff);
        this.byte(v >> 8);
      } else {
        this.op(Op.BININT);
        this.#ensure(4);
        new DataView(this.#buf.buffer).setInt32(this.#n, v, true);
        this.#n += 4;
      }
      return;
    }
    const x = BigInt(v);
    if (x >= -0x80000000n && x <= 0x7fffffffn) return this.int(Number(x));
    // LONG1: little-endian two's complement, (bit length of |x|) / 8 + 1 bytes, trimmed as CPython does.
    const abs = x < 0n ? -x : x;
    let nbytes = (abs.toString(2).length >> 3) + 1;
    const bytes = new Uint8Array(nbytes);
    let t = x < 0n ? (1n << BigInt(8 * nbytes)) + x : x;
    for (let i = 0; i < nbytes; i++) {
      bytes[i] = Number(t & 0xffn);
      t >>= 8n;
    }
    if (x < 0n && nbytes > 1 && bytes[nbytes - 1] === 0xff && (bytes[nbytes - 2] & 0x80) !== 0) nbytes--;
    this.op(Op.LONG1);
    this.byte(nbytes);
    this.raw(bytes.subarray(0, nbytes));
  }

  /** A float (BINFLOAT, big-endian). */
  float(v: number): void {
    this.op(Op.BINFLOAT);
    this.#ensure(8);
    new DataView(this.#buf.buffer).setFloat64(this.#n, v, false);
    this.#n += 8;
  }

  /** A tuple of the given items, written as CPython writes tuples (memoized unless empty). */
  tuple(items: readonly unknown[], path: string, key: unknown = {}): void {
    if (items.length === 0) {
      this.op(Op.EMPTY_TUPLE);
      return;
    }
    if (this.#inProgress.has(key)) throw new TypeError(`save: ${path} is a tuple that contains itself`);
    this.#inProgress.add(key);
    if (items.length > 3) this.op(Op.MARK);
    items.forEach((x, i) => this.save(x, `${path}[${i}]`));
    this.#inProgress.delete(key);
    if (items.length <= 3) this.op([0, Op.TUPLE1, Op.TUPLE2, Op.TUPLE3][items.length]);
    else this.op(Op.TUPLE);
    this.memoize(key);
  }

  /** Pickles one value (see the module documentation for the mapping); `path` names it in errors. */
  save(v: unknown, path: string): void {
    switch (typeof v) {
      case "boolean":
        this.op(v ? Op.NEWTRUE : Op.NEWFALSE);
        return;
      case "number":
        if (Number.isSafeInteger(v) && !Object.is(v, -0)) this.int(v);
        else this.float(v);
        return;
      case "bigint":
        this.int(v);
        return;
      case "string":
        this.str(v);
        return;
      case "undefined":
        throw new TypeError(`save: ${path} is undefined; use null for Python's None, or leave the key out`);
      case "object":
        break;
      default:
        throw new TypeError(`save: ${path} is a ${typeof v}, which has no Python equivalent`);
    }
    if (v === null) {
      this.op(Op.NONE);
      return;
    }
    if (v instanceof Float) {
      this.float(v.value);
      return;
    }
    if (this.memoGet(v)) return;
    if (v instanceof Tuple) {
      this.tuple(v.items, path, v);
    } else if (Array.isArray(v)) {
      this.op(Op.EMPTY_LIST);
      this.memoize(v);
      this.#batchList(v, path);
    } else if (v instanceof Map) {
      this.op(Op.EMPTY_DICT);
      this.memoize(v);
      for (const k of v.keys()) checkKey(k, path);
      this.#batchDict([...v.entries()], path);
    } else if (isOptionsObject(v)) {
      this.op(Op.EMPTY_DICT);
      this.memoize(v);
      this.#batchDict(Object.entries(v), path);
    } else if (this.extension?.(v, this, path)) {
      return;
    } else {
      throw new TypeError(`save: ${path} is ${describe(v, "kind")}, which save() cannot write${hint(v)}`);
    }
  }

  #batchList(items: readonly unknown[], path: string): void {
    if (items.length === 0) return;
    if (items.length === 1) {
      this.save(items[0], `${path}[0]`);
      this.op(Op.APPEND);
      return;
    }
    let i = 0;
    do {
      this.op(Op.MARK);
      const end = Math.min(items.length, i + BATCHSIZE);
      for (; i < end; i++) this.save(items[i], `${path}[${i}]`);
      this.op(Op.APPENDS);
    } while (i < items.length);
  }

  #batchDict(entries: [unknown, unknown][], path: string): void {
    if (entries.length === 0) return;
    const at = (k: unknown) => `${path}[${typeof k === "string" ? JSON.stringify(k) : String(k)}]`;
    if (entries.length === 1) {
      this.save(entries[0][0], `${path} key`);
      this.save(entries[0][1], at(entries[0][0]));
      this.op(Op.SETITEM);
      return;
    }
    // CPython's batch_dict_exact: a full last batch is followed by an empty MARK SETITEMS.
    let i = 0, inBatch: number;
    do {
      this.op(Op.MARK);
      inBatch = 0;
      while (i < entries.length && inBatch < BATCHSIZE) {
        const [k, x] = entries[i++];
        this.save(k, `${path} key`);
        this.save(x, at(k));
        inBatch++;
      }
      this.op(Op.SETITEMS);
    } while (inBatch === BATCHSIZE);
  }
}

function checkKey(k: unknown, path: string): void {
  if (
    k === null || typeof k === "string" || typeof k === "number" || typeof k === "boolean" ||
    typeof k === "bigint" || k instanceof Float || k instanceof Tuple
  ) return;
  throw new TypeError(
    `save: a key of ${path} is ${describe(k, "kind")}; Python dict keys must be hashable ` +
      "(numbers, strings, booleans, null, Tuples)",
  );
}

function hint(v: unknown): string {
  const name = typeof v === "object" && v !== null ? v.constructor?.name : "";
  if (name === "Set") return " (Sets are not supported: save an array)";
  if (ArrayBuffer.isView(v)) return " (wrap typed arrays in a tensor: fromBytes or tensor())";
  if (typeof v === "object" && v !== null && "stateDict" in v) return " (save its stateDict() instead)";
  return " (supported: null, booleans, numbers, bigints, strings, arrays, Tuple, plain objects, Maps, Tensors)";
}
