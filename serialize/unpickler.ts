/**
 * A pickle reader: a small virtual machine over the opcodes of protocols 0-5 (all that `torch.save`
 * and LibTorch's C++ pickler produce), which never imports or runs code. Globals (classes and
 * functions) are resolved by the caller's allowlist; anything else is an error naming the global.
 *
 * Values come out in an intermediate form ({@linkcode PyDict}, {@linkcode Tuple}, arrays for lists,
 * Sets, Uint8Array for bytes, numbers, bigints beyond 2^53, strings, booleans, null), which the caller
 * turns into plain JavaScript values.
 *
 * @module
 */

import { describe } from "../tensor/describe.ts";
import { Op, opName } from "./opcodes.ts";
import { Tuple } from "./values.ts";

/** A Python dict (or OrderedDict) being built: keys in insertion order. */
export class PyDict {
  /** The items. */
  readonly map: Map<unknown, unknown> = new Map();
  /** The attributes set by BUILD (an OrderedDict's `_metadata`). */
  state: unknown = undefined;

  /** An empty dict; `className` is `"dict"` or the qualified name of a dict subclass. */
  constructor(readonly className = "dict") {}
}

/** A global (class or function) admitted by the allowlist. */
export interface PyGlobal {
  /** The qualified name, `torch._utils._rebuild_tensor_v2`. */
  readonly qualifiedName: string;
  /** What calling it (REDUCE, NEWOBJ) returns; absent when it cannot be called. */
  readonly call?: (args: unknown[]) => unknown;
  /** What it stands for when it appears as a plain value (a dtype's name); absent when it cannot. */
  readonly value?: unknown;
}

/** The caller's side of unpickling. */
export interface UnpicklerHooks {
  /** Resolves `module.name`, throwing when it is not allowed. */
  findGlobal(module: string, name: string): PyGlobal;
  /** Resolves a persistent id (torch.save's storages). */
  persistentLoad(pid: unknown): unknown;
  /**
   * Applies BUILD's `state` to `obj` (the object under it on the stack). Without this hook only dict
   * subclasses take a state; a hook may accept other objects (or throw).
   */
  build?(obj: unknown, state: unknown): void;
}

const decoder = new TextDecoder("utf-8");
const latin1 = new TextDecoder("latin1");
const RENAMED_MODULES: Record<string, string> = { __builtin__: "builtins", copy_reg: "copyreg" };

/**
 * Unpickles `data` (the bytes of one pickle) with `hooks`; `what` names the data in errors.
 *
 * @example
 * ```ts
 * import { unpickle } from "./unpickler.ts";
 * const v = unpickle(new Uint8Array([0x80, 2, 0x4b, 7, 0x2e]), {
 *   findGlobal: (m, n) => { throw new Error(`${m}.${n} not allowed`); },
 *   persistentLoad: () => { throw new Error("no persistent ids"); },
 * }); // 7
 * ```
 */
export function unpickle(data: Uint8Array, hooks: UnpicklerHooks, what = "pickle"): unknown {
  return new Unpickler(data, hooks, what).load();
}

class Unpickler {
  #pos = 0;
  #stack: unknown[] = [];
  readonly #metastack: unknown[][] = [];
  readonly #memo = new Map<number, unknown>();
  readonly #view: DataView;

  constructor(readonly data: Uint8Array, readonly hooks: UnpicklerHooks, readonly what: string) {
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  }

  #fail(message: string): never {
    throw new Error(`${this.what}: ${message}`);
  }

  #need(n: number): number {
    const p = this.#pos;
    if (p + n > this.data.length) this.#fail("truncated pickle data");
    this.#pos = p + n;
    return p;
  }

  #bytes(n: number): Uint8Array {
    const p = this.#need(n);
    return this.data.subarray(p, p + n);
  }

  #line(): string {
    const end = this.data.indexOf(0x0a, this.#pos);
    if (end < 0) this.#fail("truncated pickle data (a text line has no end)");
    const s = latin1.decode(this.data.subarray(this.#pos, end));
    this.#pos = end + 1;
    return s;
  }

  #pop(): unknown {
    if (this.#stack.length === 0) this.#fail("corrupt pickle (stack underflow)");
    return this.#stack.pop();
  }

  #top(): unknown {
    if (this.#stack.length === 0) this.#fail("corrupt pickle (stack underflow)");
    return this.#stack[this.#stack.length - 1];
  }

  #popMark(): unknown[] {
    const items = this.#stack;
    const previous = this.#metastack.pop();
    if (previous === undefined) this.#fail("corrupt pickle (no MARK)");
    this.#stack = previous;
    return items;
  }

  #memoGet(i: number): unknown {
    if (!this.#memo.has(i)) this.#fail(`corrupt pickle (memo entry ${i} is missing)`);
    return this.#memo.get(i);
  }

  #global(module: string, name: string): PyGlobal {
    return this.hooks.findGlobal(RENAMED_MODULES[module] ?? module, name);
  }

  #call(fn: unknown, args: unknown[], opcode: string): unknown {
    if (!isGlobal(fn) || fn.call === undefined) {
      this.#fail(`${opcode} on ${isGlobal(fn) ? fn.qualifiedName : pythonKind(fn)}, which cannot be called`);
    }
    return fn.call(args);
  }

  #setItems(dict: unknown, items: unknown[]): void {
    if (!(dict instanceof PyDict)) this.#fail(`corrupt pickle (SETITEM on ${pythonKind(dict)})`);
    if (items.length % 2) this.#fail("corrupt pickle (odd number of SETITEMS items)");
    for (let i = 0; i < items.length; i += 2) dict.map.set(items[i], items[i + 1]);
  }

  load(): unknown {
    const d = this.data, v = this.#view;
    for (;;) {
      const code = d[this.#need(1)];
      switch (code) {
        case Op.PROTO: {
          const proto = d[this.#need(1)];
          if (proto > 5) this.#fail(`unsupported pickle protocol ${proto}`);
          break;
        }
        case Op.FRAME:
          this.#need(8);
          break;
        case Op.STOP:
          if (this.#stack.length !== 1 || this.#metastack.length !== 0) this.#fail("corrupt pickle (stack at STOP)");
          return this.#stack[0];
        case Op.MARK:
          this.#metastack.push(this.#stack);
          this.#stack = [];
          break;
        case Op.POP:
          if (this.#stack.length > 0) this.#stack.pop();
          else this.#popMark();
          break;
        case Op.POP_MARK:
          this.#popMark();
          break;
        case Op.DUP:
          this.#stack.push(this.#top());
          break;

        case Op.NONE:
          this.#stack.push(null);
          break;
        case Op.NEWTRUE:
          this.#stack.push(true);
          break;
        case Op.NEWFALSE:
          this.#stack.push(false);
          break;
        case Op.BININT:
          this.#stack.push(v.getInt32(this.#need(4), true));
          break;
        case Op.BININT1:
          this.#stack.push(d[this.#need(1)]);
          break;
        case Op.BININT2:
          this.#stack.push(v.getUint16(this.#need(2), true));
          break;
        case Op.LONG1:
          this.#stack.push(decodeLong(this.#bytes(d[this.#need(1)])));
          break;
        case Op.LONG4: {
          const n = v.getInt32(this.#need(4), true);
          if (n < 0) this.#fail("corrupt pickle (negative LONG4 length)");
          this.#stack.push(decodeLong(this.#bytes(n)));
          break;
        }
        case Op.INT: {
          const s = this.#line();
          if (s === "00" || s === "01") this.#stack.push(s === "01");
          else this.#stack.push(textInt(s, this.what));
          break;
        }
        case Op.LONG:
          this.#stack.push(textInt(this.#line().replace(/L$/, ""), this.what));
          break;
        case Op.FLOAT:
          this.#stack.push(textFloat(this.#line(), this.what));
          break;
        case Op.BINFLOAT:
          this.#stack.push(v.getFloat64(this.#need(8), false));
          break;

        case Op.BINUNICODE:
          this.#stack.push(decoder.decode(this.#bytes(v.getUint32(this.#need(4), true))));
          break;
        case Op.SHORT_BINUNICODE:
          this.#stack.push(decoder.decode(this.#bytes(d[this.#need(1)])));
          break;
        case Op.BINUNICODE8:
          this.#stack.push(decoder.decode(this.#bytes(u64(v, this.#need(8)))));
          break;
        case Op.UNICODE:
          this.#stack.push(
            this.#line().replace(
              /\\u([0-9a-fA-F]{4})|\\U([0-9a-fA-F]{8})/g,
              (_, a, b) => String.fromCodePoint(parseInt(a ?? b, 16)),
            ),
          );
          break;
        case Op.BINSTRING: // Python 2 str: decoded as latin-1, as torch.load's encoding does for text
          this.#stack.push(latin1.decode(this.#bytes(v.getInt32(this.#need(4), true))));
          break;
        case Op.SHORT_BINSTRING:
          this.#stack.push(latin1.decode(this.#bytes(d[this.#need(1)])));
          break;
        case Op.BINBYTES:
          this.#stack.push(this.#bytes(v.getUint32(this.#need(4), true)).slice());
          break;
        case Op.SHORT_BINBYTES:
          this.#stack.push(this.#bytes(d[this.#need(1)]).slice());
          break;
        case Op.BINBYTES8:
        case Op.BYTEARRAY8:
          this.#stack.push(this.#bytes(u64(v, this.#need(8))).slice());
          break;

        case Op.EMPTY_TUPLE:
          this.#stack.push(new Tuple([]));
          break;
        case Op.TUPLE: {
          const items = this.#popMark(); // before naming this.#stack, which popMark replaces
          this.#stack.push(new Tuple(items));
          break;
        }
        case Op.TUPLE1:
          this.#stack.push(new Tuple([this.#pop()]));
          break;
        case Op.TUPLE2: {
          const b = this.#pop(), a = this.#pop();
          this.#stack.push(new Tuple([a, b]));
          break;
        }
        case Op.TUPLE3: {
          const c = this.#pop(), b = this.#pop(), a = this.#pop();
          this.#stack.push(new Tuple([a, b, c]));
          break;
        }
        case Op.EMPTY_LIST:
          this.#stack.push([]);
          break;
        case Op.LIST: {
          const items = this.#popMark();
          this.#stack.push(items);
          break;
        }
        case Op.APPEND: {
          const item = this.#pop();
          const list = this.#top();
          if (!Array.isArray(list)) this.#fail(`corrupt pickle (APPEND to ${pythonKind(list)})`);
          list.push(item);
          break;
        }
        case Op.APPENDS: {
          const items = this.#popMark();
          const list = this.#top();
          if (!Array.isArray(list)) this.#fail(`corrupt pickle (APPENDS to ${pythonKind(list)})`);
          for (const x of items) list.push(x);
          break;
        }
        case Op.EMPTY_DICT:
          this.#stack.push(new PyDict());
          break;
        case Op.DICT: {
          const dict = new PyDict();
          const items = this.#popMark();
          this.#setItems(dict, items);
          this.#stack.push(dict);
          break;
        }
        case Op.SETITEM: {
          const value = this.#pop(), key = this.#pop();
          this.#setItems(this.#top(), [key, value]);
          break;
        }
        case Op.SETITEMS: {
          const items = this.#popMark();
          this.#setItems(this.#top(), items);
          break;
        }
        case Op.EMPTY_SET:
          this.#stack.push(new Set());
          break;
        case Op.ADDITEMS: {
          const items = this.#popMark();
          const set = this.#top();
          if (!(set instanceof Set)) this.#fail(`corrupt pickle (ADDITEMS to ${pythonKind(set)})`);
          for (const x of items) set.add(x);
          break;
        }
        case Op.FROZENSET: {
          const items = this.#popMark();
          this.#stack.push(new Set(items));
          break;
        }

        case Op.GLOBAL: {
          const module = this.#line(), name = this.#line();
          this.#stack.push(this.#global(module, name));
          break;
        }
        case Op.STACK_GLOBAL: {
          const name = this.#pop(), module = this.#pop();
          if (typeof module !== "string" || typeof name !== "string") {
            this.#fail("corrupt pickle (STACK_GLOBAL needs two strings)");
          }
          this.#stack.push(this.#global(module, name));
          break;
        }
        case Op.REDUCE: {
          const args = this.#pop();
          const fn = this.#pop();
          if (!(args instanceof Tuple)) this.#fail(`corrupt pickle (REDUCE arguments are ${pythonKind(args)})`);
          this.#stack.push(this.#call(fn, [...args.items], "REDUCE"));
          break;
        }
        case Op.NEWOBJ: {
          const args = this.#pop();
          const cls = this.#pop();
          if (!(args instanceof Tuple)) this.#fail(`corrupt pickle (NEWOBJ arguments are ${pythonKind(args)})`);
          this.#stack.push(this.#call(cls, [...args.items], "NEWOBJ"));
          break;
        }
        case Op.BUILD: {
          const state = this.#pop();
          const obj = this.#top();
          if (this.hooks.build !== undefined) this.hooks.build(obj, state);
          else if (obj instanceof PyDict && obj.className !== "dict") obj.state = state;
          else if (!(isGlobal(obj) || obj === null)) {
            this.#fail(`BUILD (setting the state of an object) on ${pythonKind(obj)} is not supported`);
          } else this.#fail("corrupt pickle (BUILD on a class)");
          break;
        }
        case Op.BINPERSID:
          this.#stack.push(this.hooks.persistentLoad(this.#pop()));
          break;
        case Op.PERSID:
          this.#stack.push(this.hooks.persistentLoad(this.#line()));
          break;

        case Op.BINGET:
          this.#stack.push(this.#memoGet(d[this.#need(1)]));
          break;
        case Op.LONG_BINGET:
          this.#stack.push(this.#memoGet(v.getUint32(this.#need(4), true)));
          break;
        case Op.GET:
          this.#stack.push(this.#memoGet(Number(this.#line())));
          break;
        case Op.BINPUT:
          this.#memo.set(d[this.#need(1)], this.#top());
          break;
        case Op.LONG_BINPUT:
          this.#memo.set(v.getUint32(this.#need(4), true), this.#top());
          break;
        case Op.PUT:
          this.#memo.set(Number(this.#line()), this.#top());
          break;
        case Op.MEMOIZE:
          this.#memo.set(this.#memo.size, this.#top());
          break;

        case Op.INST:
        case Op.OBJ:
          this.#fail(
            `this pickle builds an arbitrary Python object (${code === Op.INST ? this.#instName() : "OBJ"}), ` +
              "which is not supported",
          );
          break;
        default:
          this.#fail(`unsupported pickle opcode ${opName(code)} at byte ${this.#pos - 1}`);
      }
    }
  }

  #instName(): string {
    const module = this.#line(), name = this.#line();
    return `${module}.${name}`;
  }
}

function isGlobal(v: unknown): v is PyGlobal {
  return typeof v === "object" && v !== null && "qualifiedName" in v && !(v instanceof PyDict);
}

/** What an unpickled value is, in Python's terms where it has one (`None`, `a tuple`, `a list`, a global's name). */
function pythonKind(v: unknown): string {
  if (v === null) return "None";
  if (isGlobal(v)) return v.qualifiedName;
  if (v instanceof PyDict) return `a ${v.className}`;
  if (v instanceof Tuple) return "a tuple";
  if (Array.isArray(v)) return "a list";
  return describe(v, "kind");
}

function u64(v: DataView, at: number): number {
  const n = v.getBigUint64(at, true);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error("pickle: length out of range");
  return Number(n);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/**
 * A little-endian two's complement integer, as a number when exact, else a bigint. Linear in the length
 * (one hexadecimal parse), not quadratic as shifting a bigint byte by byte is.
 */
function decodeLong(b: Uint8Array): number | bigint {
  const n = b.length;
  if (n === 0) return 0;
  if (n <= 6) { // fits a double exactly
    let v = 0;
    for (let i = n - 1; i >= 0; i--) v = v * 256 + b[i];
    return b[n - 1] & 0x80 ? v - 2 ** (8 * n) : v;
  }
  const digits = new Array<string>(n);
  for (let i = 0; i < n; i++) digits[n - 1 - i] = HEX[b[i]];
  let x = BigInt(`0x${digits.join("")}`);
  if (b[n - 1] & 0x80) x -= 1n << BigInt(8 * n);
  return Number.isSafeInteger(Number(x)) && BigInt(Number(x)) === x ? Number(x) : x;
}

/** A FLOAT opcode's text as Python's `float()` reads it; garbage is an error, never NaN. */
function textFloat(s: string, what: string): number {
  const t = s.trim().replace(/(?<=\d)_(?=\d)/g, "");
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  const special = /^([+-]?)(nan|inf|infinity)$/i.exec(t);
  if (special) return special[2].toLowerCase() === "nan" ? NaN : special[1] === "-" ? -Infinity : Infinity;
  throw new Error(`${what}: corrupt pickle (bad float ${JSON.stringify(s.slice(0, 40))})`);
}

function textInt(s: string, what: string): number | bigint {
  if (!/^[+-]?\d+$/.test(s.trim())) throw new Error(`${what}: corrupt pickle (bad integer ${JSON.stringify(s)})`);
  const x = BigInt(s.trim());
  return Number.isSafeInteger(Number(x)) ? Number(x) : x;
}
