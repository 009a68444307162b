/**
 * The wire format shared with the shim (see `native/include/torchshim.h`): values as a sequence of
 * 8-byte slots, each a double, tag first. Tensor handles travel as doubles; strings as their UTF-8
 * bytes packed into slots.
 *
 * @module
 */

/** Tags of the wire format, as in `enum tt_wire_tag`. */
export const Tag = {
  NONE: 0,
  TENSOR: 1,
  INT: 2,
  DOUBLE: 3,
  BOOL: 4,
  STR: 5,
  LIST: 6,
  TUPLE: 7,
  DICT: 8,
  DEVICE: 9,
  DTYPE: 10,
  DEFAULT: 11,
} as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * A growable buffer of wire slots. One writer is reused across calls on the hot path, so encoding an
 * operator's arguments allocates nothing.
 */
export class WireWriter {
  /** The slots. */
  f64: Float64Array;
  /** The same memory as bytes, the form FFI calls take. */
  u8: Uint8Array;
  /** Number of slots written. */
  n = 0;

  /** A writer with room for `slots` slots (it grows on demand). */
  constructor(slots = 1024) {
    this.f64 = new Float64Array(slots);
    this.u8 = new Uint8Array(this.f64.buffer);
  }

  /** Starts a new value sequence. */
  reset(): this {
    this.n = 0;
    return this;
  }

  /** Makes room for `k` more slots. */
  ensure(k: number): void {
    if (this.n + k <= this.f64.length) return;
    let size = this.f64.length * 2;
    while (size < this.n + k) size *= 2;
    const f64 = new Float64Array(size);
    f64.set(this.f64.subarray(0, this.n));
    this.f64 = f64;
    this.u8 = new Uint8Array(f64.buffer);
  }

  /** None (an omitted optional). */
  none(): void {
    this.ensure(1);
    this.f64[this.n++] = Tag.NONE;
  }

  /** Use the schema's default for this argument. */
  default(): void {
    this.ensure(1);
    this.f64[this.n++] = Tag.DEFAULT;
  }

  /** A tensor handle (the caller keeps ownership). */
  tensor(h: number): void {
    this.ensure(2);
    const f = this.f64;
    f[this.n] = Tag.TENSOR;
    f[this.n + 1] = h;
    this.n += 2;
  }

  /** An int (exact to 2^53). */
  int(v: number): void {
    this.ensure(2);
    const f = this.f64;
    f[this.n] = Tag.INT;
    f[this.n + 1] = v;
    this.n += 2;
  }

  /** A float. */
  double(v: number): void {
    this.ensure(2);
    const f = this.f64;
    f[this.n] = Tag.DOUBLE;
    f[this.n + 1] = v;
    this.n += 2;
  }

  /** A bool. */
  bool(v: boolean): void {
    this.ensure(2);
    const f = this.f64;
    f[this.n] = Tag.BOOL;
    f[this.n + 1] = v ? 1 : 0;
    this.n += 2;
  }

  /** A string, as UTF-8. */
  str(s: string): void {
    const max = s.length * 3;
    this.ensure(2 + Math.ceil(max / 8));
    const start = (this.n + 2) * 8;
    const { written } = encoder.encodeInto(s, this.u8.subarray(start, start + max));
    this.f64[this.n] = Tag.STR;
    this.f64[this.n + 1] = written;
    this.n += 2 + Math.ceil(written / 8);
  }

  /** The header of a list of `count` values (write them next). */
  list(count: number): void {
    this.ensure(2);
    this.f64[this.n] = Tag.LIST;
    this.f64[this.n + 1] = count;
    this.n += 2;
  }

  /** The header of a tuple of `count` values. */
  tuple(count: number): void {
    this.ensure(2);
    this.f64[this.n] = Tag.TUPLE;
    this.f64[this.n + 1] = count;
    this.n += 2;
  }

  /** The header of a dict of `count` key/value pairs (write key, value, key, value...). */
  dict(count: number): void {
    this.ensure(2);
    this.f64[this.n] = Tag.DICT;
    this.f64[this.n + 1] = count;
    this.n += 2;
  }

  /** A device (type code, index; -1 for the current device). */
  device(type: number, index: number): void {
    this.ensure(3);
    this.f64[this.n] = Tag.DEVICE;
    this.f64[this.n + 1] = type;
    this.f64[this.n + 2] = index;
    this.n += 3;
  }

  /** A dtype (its ScalarType code). */
  dtype(code: number): void {
    this.ensure(2);
    this.f64[this.n] = Tag.DTYPE;
    this.f64[this.n + 1] = code;
    this.n += 2;
  }

  /** A list of ints. */
  ints(values: readonly number[]): void {
    this.ensure(2 + 2 * values.length);
    this.list(values.length);
    for (const v of values) this.int(v);
  }
}

/** Reads wire slots written by the shim. */
export class WireReader {
  /** Position of the next slot. */
  pos = 0;

  /** Reads `n` slots of `f64`. */
  constructor(readonly f64: Float64Array, readonly n: number) {}

  /** Whether every slot was read. */
  get done(): boolean {
    return this.pos >= this.n;
  }

  /** The next slot. */
  next(): number {
    if (this.pos >= this.n) throw new Error("truncated wire data from the shim");
    return this.f64[this.pos++];
  }

  /** The bytes of a string whose tag was read. */
  str(): string {
    const len = this.next();
    const start = this.pos * 8;
    const bytes = new Uint8Array(this.f64.buffer, this.f64.byteOffset + start, len);
    this.pos += Math.ceil(len / 8);
    return decoder.decode(bytes);
  }
}
