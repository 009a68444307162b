/**
 * Writing zip archives the way PyTorch's `PyTorchStreamWriter` (miniz in zip64 mode) does, byte for
 * byte: stored entries, the data of each aligned to 64 bytes by an `FB` extra field of `Z`s, data
 * descriptors, zero timestamps, and a zip64 end-of-central-directory record. Files written here are
 * identical to `torch.save`'s for the same pickle and storages.
 *
 * A dedicated writer rather than a general zip library: PyTorch readers need the 64-byte alignment
 * (LibTorch maps storages in place), and byte-identical output needs miniz's exact header choices,
 * which general libraries (fflate and others) make differently.
 *
 * @module
 */

import { crc32 } from "./crc32.ts";

const ALIGNMENT = 64;
const U32_MAX = 0xffffffff;

/** Where the archive's bytes go, in order. */
export type ZipSink = (chunk: Uint8Array) => void;

/**
 * Writes a zip archive as PyTorch does.
 *
 * @example
 * ```ts
 * import { ZipWriter } from "./zip_write.ts";
 * const chunks: Uint8Array[] = [];
 * const zip = new ZipWriter((c) => chunks.push(c));
 * zip.add("archive/version", new TextEncoder().encode("3\n"));
 * zip.finish();
 * ```
 */
export class ZipWriter {
  #offset = 0;
  #count = 0;
  readonly #central: Uint8Array[] = [];
  #centralSize = 0;
  #finished = false;

  /**
   * A writer sending bytes to `sink`. `zip64Threshold` (for tests only) lowers the size and offset
   * from which zip64 fields are written; PyTorch's is 0xFFFFFFFF.
   */
  constructor(readonly sink: ZipSink, readonly zip64Threshold: number = U32_MAX) {}

  /** Bytes written so far. */
  get offset(): number {
    return this.#offset;
  }

  #emit(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    this.sink(chunk);
    this.#offset += chunk.length;
  }

  /** Adds a stored entry `name` holding `data`; returns the data's CRC-32 (written in the entry). */
  add(name: string, data: Uint8Array): number {
    if (this.#finished) throw new Error("ZipWriter: add() after finish()");
    const nameBytes = new TextEncoder().encode(name);
    if (nameBytes.length > 0xffff) throw new RangeError(`zip entry name too long: ${name.slice(0, 80)}...`);
    const size = data.length;
    const headerOffset = this.#offset;
    const bigSize = size >= this.zip64Threshold;
    const bigOffset = headerOffset >= this.zip64Threshold;
    const zip64 = zip64Extra(bigSize ? size : null, bigOffset ? headerOffset : null);
    // PyTorch's getPadding(): align the data that follows header, name, zip64 field and the FB field.
    const start = headerOffset + 30 + nameBytes.length + 4 + zip64.length;
    const padding = (ALIGNMENT - (start % ALIGNMENT)) % ALIGNMENT;
    const fb = new Uint8Array(4 + padding).fill(0x5a); // 'Z'
    fb[0] = 0x46; // 'F'
    fb[1] = 0x42; // 'B'
    fb[2] = padding & 0xff;
    fb[3] = padding >> 8;
    const flags = size > 0 ? 0x0808 : 0x0800; // data descriptor follows (when there is data); UTF-8 names
    const crc = crc32(data);

    const local = new Uint8Array(30);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(6, flags, true);
    lv.setUint16(26, nameBytes.length, true);
    lv.setUint16(28, zip64.length + fb.length, true);
    this.#emit(local);
    this.#emit(nameBytes);
    this.#emit(zip64);
    this.#emit(fb);
    this.#emit(data);
    if (size > 0) {
      const wide = zip64.length > 0;
      const desc = new Uint8Array(wide ? 24 : 16);
      const dv = new DataView(desc.buffer);
      dv.setUint32(0, 0x08074b50, true);
      dv.setUint32(4, crc, true);
      if (wide) {
        dv.setBigUint64(8, BigInt(size), true);
        dv.setBigUint64(16, BigInt(size), true);
      } else {
        dv.setUint32(8, size, true);
        dv.setUint32(12, size, true);
      }
      this.#emit(desc);
    }

    const central = new Uint8Array(46 + nameBytes.length + zip64.length);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(8, flags, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, bigSize ? U32_MAX : size, true);
    cv.setUint32(24, bigSize ? U32_MAX : size, true);
    cv.setUint16(28, nameBytes.length, true);
    cv.setUint16(30, zip64.length, true);
    cv.setUint32(42, bigOffset ? U32_MAX : headerOffset, true);
    central.set(nameBytes, 46);
    central.set(zip64, 46 + nameBytes.length);
    this.#central.push(central);
    this.#centralSize += central.length;
    this.#count++;
    return crc;
  }

  /** Writes the central directory and the end records. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    const cdOffset = this.#offset;
    for (const c of this.#central) this.#emit(c);
    const zip64At = this.#offset;
    const end = new Uint8Array(56 + 20 + 22);
    const v = new DataView(end.buffer);
    // zip64 end of central directory record
    v.setUint32(0, 0x06064b50, true);
    v.setBigUint64(4, 44n, true);
    v.setUint16(12, 0x031e, true);
    v.setUint16(14, 0x002d, true);
    v.setBigUint64(24, BigInt(this.#count), true);
    v.setBigUint64(32, BigInt(this.#count), true);
    v.setBigUint64(40, BigInt(this.#centralSize), true);
    v.setBigUint64(48, BigInt(cdOffset), true);
    // zip64 end of central directory locator
    v.setUint32(56, 0x07064b50, true);
    v.setBigUint64(64, BigInt(zip64At), true);
    v.setUint32(72, 1, true);
    // end of central directory record
    v.setUint32(76, 0x06054b50, true);
    v.setUint16(84, Math.min(0xffff, this.#count), true);
    v.setUint16(86, Math.min(0xffff, this.#count), true);
    v.setUint32(88, Math.min(U32_MAX, this.#centralSize), true);
    v.setUint32(92, Math.min(U32_MAX, cdOffset), true);
    this.#emit(end);
  }
}

/** miniz's zip64 extended information field: sizes (uncompressed, compressed) and/or the offset. */
function zip64Extra(size: number | null, offset: number | null): Uint8Array {
  if (size === null && offset === null) return new Uint8Array(0);
  const n = (size === null ? 0 : 16) + (offset === null ? 0 : 8);
  const out = new Uint8Array(4 + n);
  const v = new DataView(out.buffer);
  v.setUint16(0, 0x0001, true);
  v.setUint16(2, n, true);
  let p = 4;
  if (size !== null) {
    v.setBigUint64(p, BigInt(size), true);
    v.setBigUint64(p + 8, BigInt(size), true);
    p += 16;
  }
  if (offset !== null) v.setBigUint64(p, BigInt(offset), true);
  return out;
}
