/**
 * Operator handles: an ATen operator named by schema name and overload, looked up in the dispatcher
 * once, with its schema for callers that encode arguments by type.
 *
 * @module
 */

import { cstr, errBuf, ERRCAP, lib, readError, readString } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import type { TypedCall } from "../ffi/typed_support.ts";

/** One argument of an operator's schema. */
export interface SchemaArg {
  /** The argument's name (`self`, `other`, `alpha`). */
  name: string;
  /** Its type as the schema prints it (`Tensor`, `int[]`, `Scalar?`). */
  type: string;
  /** Keyword-only (after `*` in the schema). */
  kwargOnly: boolean;
  /** Has a default value (it may be omitted). */
  hasDefault: boolean;
  /** Written by the operator (in-place and out arguments). */
  writes: boolean;
  /** The fixed size of an `int[N]` list (a single int is repeated N times), -1 if none. */
  n: number;
}

/** An operator's schema, as far as calling it needs. */
export interface OpSchema {
  /** The schema text, `aten::add.Tensor(Tensor self, Tensor other, *, Scalar alpha=1) -> Tensor`. */
  text: string;
  /** Its arguments, in order. */
  args: SchemaArg[];
  /** Number of results. */
  returns: number;
}

/** A lazily resolved operator handle: the name is looked up in the dispatcher on first use. */
export class OpRef {
  /** The shim's handle, 0 until resolved. */
  h = 0;
  /** @internal its typed call returning a tensor (`tensor/call.ts`): undefined until looked up, null if none */
  _typedT: TypedCall | null | undefined = undefined;
  /** @internal its typed in-place call, likewise */
  _typedV: TypedCall | null | undefined = undefined;
  #schema?: OpSchema;

  /** An operator `name` (`aten::add`) with overload `overload` (`Tensor`, or `""`). */
  constructor(readonly name: string, readonly overload: string) {}

  /** `aten::add.Tensor`. */
  get qualifiedName(): string {
    return this.overload ? `${this.name}.${this.overload}` : this.name;
  }

  /** Looks the operator up (once). */
  resolve(): number {
    if (this.h !== 0) return this.h;
    const h = lib.tt_op_find(cstr(this.name), cstr(this.overload), errBuf, ERRCAP);
    if (h === 0) throw new TorchError(readError());
    this.h = h;
    return h;
  }

  /** The operator's schema. */
  schema(): OpSchema {
    if (this.#schema) return this.#schema;
    const h = this.resolve();
    const text = readString((out, cap) => lib.tt_op_schema(h, out, cap));
    const lines = readString((out, cap) => lib.tt_op_describe(h, out, cap)).split("\n").filter((l) => l);
    const args: SchemaArg[] = [];
    let returns = 0;
    for (const line of lines) {
      const f = line.split("\t");
      if (f[0] === "->") returns = Number(f[1]);
      else {args.push({
          name: f[0],
          type: f[1],
          kwargOnly: f[2] === "1",
          hasDefault: f[3] === "1",
          writes: f[4] === "1",
          n: f[5] === undefined ? -1 : Number(f[5]),
        });}
    }
    return (this.#schema = { text, args, returns });
  }
}

const opCache = new Map<string, OpRef>();

function checkName(name: unknown, overload: unknown, what: string): void {
  if (typeof name !== "string" || name === "") {
    throw new TypeError(
      `the operator name must be a non-empty string such as "aten::add" (${what}), got ${
        typeof name === "string" ? '""' : `${typeof name} ${String(name)}`
      }`,
    );
  }
  if (typeof overload !== "string") {
    throw new TypeError(`${what}: the overload name must be a string ("" for the default), got ${typeof overload}`);
  }
}

/**
 * The operator `name` with overload `overload`, e.g. `op("aten::add", "Tensor")`. Cached; resolved on
 * first call.
 */
export function op(name: string, overload = ""): OpRef {
  checkName(name, overload, "op");
  const key = `${name}.${overload}`;
  let ref = opCache.get(key);
  if (ref === undefined) opCache.set(key, ref = new OpRef(name, overload));
  return ref;
}

/** The overload names of operator `name` (`aten::max`). */
export function overloadsOf(name: string): string[] {
  checkName(name, "", "overloadsOf");
  const text = readString((out, cap) => lib.tt_op_overloads(cstr(name), out, cap));
  return text === "" ? [] : text.slice(0, -1).split("\n");
}
