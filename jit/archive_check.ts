/**
 * Checks a TorchScript archive before LibTorch reads it. LibTorch 1.13's own readers trust the file: a
 * crafted pickle (REDUCE, BINPERSID or BUILD on an empty stack) crashes its unpickler, deeply nested code
 * overflows its parser's stack, and a parameter record shorter than its tensor makes it compute over
 * memory outside the record. Since models are downloaded files, `jit.load` first reads every pickle with
 * the project's own unpickler (which never runs code and fails cleanly), checks every storage record's
 * size and every tensor's size, stride and offset against its storage, and bounds the bracket nesting
 * of the code and the depth of its expressions, so that a hostile file is a clear error instead.
 *
 * @module
 */

import { inflateRawSync } from "node:zlib";
import { crc32 } from "../serialize/crc32.ts";
import { checkStorageBounds } from "../serialize/storage_bounds.ts";
import { type PyGlobal, unpickle, type UnpicklerHooks } from "../serialize/unpickler.ts";
import { Tuple } from "../serialize/values.ts";
import type { ZipEntry, ZipReader } from "../serialize/zip_read.ts";

/** The deepest bracket nesting accepted in TorchScript code (LibTorch's parser overflows its stack in the thousands). */
export const MAX_CODE_NESTING = 500;

/** The deepest operator chain accepted in TorchScript code (LibTorch crashes between 5,000 and 50,000). */
export const MAX_EXPRESSION_DEPTH = 1000;

/** The largest code or pickle record read for the check (a real model's are a few MB at most). */
const MAX_RECORD_BYTES = 512 * 1024 * 1024;

/** Bytes per element of each storage class TorchScript archives may name. */
const STORAGE_ITEM_SIZE: Readonly<Record<string, number>> = {
  FloatStorage: 4,
  DoubleStorage: 8,
  HalfStorage: 2,
  BFloat16Storage: 2,
  LongStorage: 8,
  IntStorage: 4,
  ShortStorage: 2,
  CharStorage: 1,
  ByteStorage: 1,
  BoolStorage: 1,
  ComplexFloatStorage: 8,
  ComplexDoubleStorage: 16,
  ComplexHalfStorage: 4,
  QInt8Storage: 1,
  QUInt8Storage: 1,
  QInt32Storage: 4,
  QUInt4x2Storage: 1,
  QUInt2x4Storage: 1,
};

/** A storage named by a persistent id, as the check sees it. */
class Storage {
  constructor(readonly key: string, readonly type: string, readonly numel: number) {}
}

/** An object an allowed global made (opaque to the check). */
class Opaque {
  constructor(readonly of: string) {}
}

/**
 * Throws an Error naming `path` and the problem when the TorchScript archive in `zip` (its records under
 * `prefix`, e.g. `model/`) holds a malformed pickle, a storage record shorter than its tensor, a tensor
 * outside its storage, or code nested deeper than {@linkcode MAX_CODE_NESTING}.
 */
export function checkArchive(zip: ZipReader, prefix: string, path: string): void {
  const fail = (message: string): never => {
    throw new Error(`jit.load: ${path} is damaged or crafted: ${message}`);
  };
  const read = (entry: ZipEntry): Uint8Array => {
    try {
      if (entry.size > MAX_RECORD_BYTES) {
        fail(`the record '${entry.name}' claims ${entry.size} bytes (code and pickles are far smaller)`);
      }
      if (entry.method === 0) return zip.read(entry, true);
      if (entry.method !== 8) return zip.read(entry, true); // refused there, with the method's name
      // torch.jit.save deflates code and debug records
      const data = new Uint8Array(inflateRawSync(zip.readRaw(entry), { maxOutputLength: entry.size + 1 }));
      if (data.length !== entry.size || crc32(data) !== entry.crc32) {
        fail(`entry '${entry.name}' does not inflate to its recorded size and CRC-32`);
      }
      return data;
    } catch (e) {
      if ((e as Error).message.startsWith("jit.load: ")) throw e;
      return fail((e as Error).message);
    }
  };
  for (const entry of zip.entries) {
    if (!entry.name.startsWith(prefix)) continue;
    const rel = entry.name.slice(prefix.length);
    if (rel === "data.pkl" || rel === "constants.pkl") {
      checkPickle(read(entry), rel, rel === "data.pkl" ? "data" : "constants", zip, prefix, fail);
    } else if (rel.endsWith(".pkl")) {
      checkPickle(read(entry), rel, null, zip, prefix, fail);
    } else if (rel.startsWith("code/") && rel.endsWith(".py")) {
      checkNesting(read(entry), rel, fail);
    }
  }
}

function checkPickle(
  bytes: Uint8Array,
  record: string,
  storageFolder: string | null,
  zip: ZipReader,
  prefix: string,
  fail: (message: string) => never,
): void {
  const storages = new Map<string, Storage>();
  const rebuild = (args: unknown[]): unknown => {
    const [storage, offset, size, stride] = args;
    if (!(storage instanceof Storage)) return new Opaque("tensor");
    const dims = ints(size), strides = ints(stride);
    if (typeof offset !== "number" || dims === null || strides === null || dims.length !== strides.length) {
      fail(`${record}: malformed tensor arguments (storage ${storage.key})`);
    }
    checkStorageBounds(
      dims,
      strides,
      offset,
      storage.numel,
      storage.type,
      STORAGE_ITEM_SIZE[storage.type],
      `${record}: storage ${storage.key}`,
      fail,
    );
    return new Opaque("tensor");
  };
  const hooks: UnpicklerHooks = {
    findGlobal(module: string, name: string): PyGlobal {
      const qualifiedName = `${module}.${name}`;
      if (qualifiedName === "torch._utils._rebuild_tensor_v2") return { qualifiedName, call: rebuild, value: null };
      return { qualifiedName, call: () => new Opaque(qualifiedName), value: null };
    },
    persistentLoad(pid: unknown): unknown {
      const items = pid instanceof Tuple ? pid.items : null;
      if (storageFolder === null) fail(`${record}: a persistent id where none belongs`);
      if (items === null || items.length !== 5 || items[0] !== "storage") {
        fail(`${record}: a persistent id that is not a storage reference`);
      }
      const [, type, key, , numel] = items;
      const typeName = typeof type === "object" && type !== null && "qualifiedName" in type
        ? String((type as PyGlobal).qualifiedName).replace(/^torch\./, "")
        : "";
      const itemSize = STORAGE_ITEM_SIZE[typeName];
      if (itemSize === undefined) fail(`${record}: unknown storage type ${JSON.stringify(typeName || String(type))}`);
      if (typeof key !== "string" || !Number.isSafeInteger(numel) || (numel as number) < 0) {
        fail(`${record}: malformed storage reference`);
      }
      const known = storages.get(key);
      if (known !== undefined) return known;
      const entry = zip.entry(`${prefix}${storageFolder}/${key}`);
      if (entry === undefined) fail(`${record}: the record ${storageFolder}/${key} of a storage is missing`);
      const need = (numel as number) * itemSize;
      if (entry.size < need) {
        fail(
          `the record ${storageFolder}/${key} holds ${entry.size} bytes but its storage of ${numel} ` +
            `${typeName} elements needs ${need} (cut short?)`,
        );
      }
      const s = new Storage(key, typeName, numel as number);
      storages.set(key, s);
      return s;
    },
    build(): void {}, // TorchScript objects take their state by BUILD: opaque here
  };
  try {
    unpickle(bytes, hooks, record);
  } catch (e) {
    const message = (e as Error).message;
    fail(message.startsWith(record) ? message : `${record}: ${message}`);
  }
}

function ints(v: unknown): number[] | null {
  const items = v instanceof Tuple ? v.items : Array.isArray(v) ? v : null;
  if (items === null || !items.every((x) => typeof x === "number" && Number.isInteger(x))) return null;
  return items as number[];
}

/**
 * Refuses code that would build expression trees deeper than LibTorch's recursive parser and compiler
 * can walk: brackets nested deeper than MAX_CODE_NESTING, or more than MAX_EXPRESSION_DEPTH operators
 * on one path (`x+x+...`, `- - x`, `not not x`, `.t().t()`, counted per comma-separated part at each
 * bracket level, summed over the open brackets: an upper bound of the tree's depth). Wide code (long
 * lists, many statements) is fine. Number literals, string literals and comments are skipped.
 */
function checkNesting(bytes: Uint8Array, record: string, fail: (message: string) => never): void {
  const levels: number[] = [0]; // operators in the current part at each open bracket level
  let total = 0, line = 1, word = "";
  const op = () => {
    levels[levels.length - 1]++;
    if (++total > MAX_EXPRESSION_DEPTH) {
      fail(
        `${record}: an expression at line ${line} is nested more than ${MAX_EXPRESSION_DEPTH} operators deep ` +
          "(LibTorch's parser would overflow its stack)",
      );
    }
  };
  const endPart = () => {
    total -= levels[levels.length - 1];
    levels[levels.length - 1] = 0;
  };
  for (let i = 0; i < bytes.length; i++) {
    const c = bytes[i];
    const alnum = (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;
    const number = word !== "" && word.charCodeAt(0) >= 0x30 && word.charCodeAt(0) <= 0x39;
    if (
      alnum || (c === 0x2e && (number || (word === "" && isDigit(bytes[i + 1])))) ||
      ((c === 0x2b || c === 0x2d) && number && /[eE]$/.test(word))
    ) {
      word += String.fromCharCode(c); // a name, a keyword or a number literal (1.5e-3)
      continue;
    }
    if (word === "not" || word === "and" || word === "or" || word === "if" || word === "lambda") op();
    word = "";
    if (c === 0x28 || c === 0x5b || c === 0x7b) { // ( [ {
      if (c === 0x5b) op(); // indexing
      levels.push(0);
      if (levels.length - 1 > MAX_CODE_NESTING) {
        fail(
          `${record}: the code nests brackets deeper than ${MAX_CODE_NESTING} levels at line ${line} ` +
            "(LibTorch's parser would overflow its stack)",
        );
      }
    } else if (c === 0x29 || c === 0x5d || c === 0x7d) {
      if (levels.length > 1) {
        endPart();
        levels.pop();
      }
    } else if (c === 0x2c || c === 0x3a || (c === 0x3d && isAssignment(bytes, i))) {
      endPart(); // , : = end a part (arguments, items, annotations, assignments)
    } else if (c === 0x22 || c === 0x27) { // a string literal: skip to its closing quote
      for (i++; i < bytes.length && bytes[i] !== c && bytes[i] !== 0x0a; i++) if (bytes[i] === 0x5c) i++;
    } else if (c === 0x23) { // a comment: skip to the end of the line
      while (i + 1 < bytes.length && bytes[i + 1] !== 0x0a) i++;
    } else if (c === 0x0a) {
      line++;
      if (levels.length === 1) endPart(); // a statement ends
    } else if (OPERATOR_CHARS.has(c) || c === 0x3d) {
      op();
    }
  }
}

/** Whether the "=" at `i` is an assignment or a default (not part of ==, <=, >=, !=, +=, ...). */
function isAssignment(bytes: Uint8Array, i: number): boolean {
  return bytes[i + 1] !== 0x3d && !OPERATOR_CHARS.has(bytes[i - 1]) && bytes[i - 1] !== 0x3d && bytes[i - 1] !== 0x21;
}

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 0x30 && c <= 0x39;
}

/** + - * / % @ & | ^ ~ < > . = (in ==): the characters of operators and attribute access. */
const OPERATOR_CHARS = new Set([0x2b, 0x2d, 0x2a, 0x2f, 0x25, 0x40, 0x26, 0x7c, 0x5e, 0x7e, 0x3c, 0x3e, 0x2e]);
