/**
 * Reading the zip container of `torch.save` and `torch.jit.save` files: the central directory
 * (zip64 included), and stored (uncompressed) entries with their CRC checked. Compressed entries are
 * refused with a clear message: PyTorch never compresses, so such a file was re-zipped by hand.
 *
 * @module
 */

import { crc32 } from "./crc32.ts";
import type { ByteSource } from "./source.ts";

/** One entry of a zip archive. */
export interface ZipEntry {
  /** The entry's full name (`archive/data.pkl`). */
  name: string;
  /** Compression method (0 stored, 8 deflate). */
  method: number;
  /** General purpose flags. */
  flags: number;
  /** CRC-32 of the uncompressed data. */
  crc32: number;
  /** Size as stored. */
  compressedSize: number;
  /** Size of the data. */
  size: number;
  /** Offset of the entry's local header. */
  localHeaderOffset: number;
}

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const METHOD_NAMES: Record<number, string> = { 8: "deflate", 9: "deflate64", 12: "bzip2", 14: "lzma", 93: "zstd" };

/** A zip archive opened for reading. */
export class ZipReader {
  /** The entries, in central directory order. */
  readonly entries: ZipEntry[] = [];
  readonly #byName = new Map<string, ZipEntry>();
  readonly #dataStart = new Map<ZipEntry, number>();

  /**
   * Reads the central directory of `source`. Throws {@linkcode NotAZipError} when the source holds
   * no end-of-central-directory record (not a zip, or truncated), and an Error naming the problem
   * when the directory is damaged.
   */
  constructor(readonly source: ByteSource) {
    const { name, size } = source;
    const tailLen = Math.min(size, 22 + 0xffff);
    const tail = source.read(size - tailLen, tailLen);
    const tv = view(tail);
    let eocd = -1;
    for (let i = tail.length - 22; i >= 0; i--) {
      if (tv.getUint32(i, true) === SIG_EOCD && i + 22 + tv.getUint16(i + 20, true) <= tail.length) {
        eocd = i;
        break;
      }
    }
    if (eocd < 0) throw new NotAZipError(name);
    let count = tv.getUint16(eocd + 10, true);
    let cdSize = tv.getUint32(eocd + 12, true);
    let cdOffset = tv.getUint32(eocd + 16, true);
    const eocdAbs = size - tailLen + eocd;
    if (eocdAbs >= 20) {
      const loc = view(source.read(eocdAbs - 20, 20));
      if (loc.getUint32(0, true) === SIG_ZIP64_LOCATOR) {
        const at = u64(loc, 8, name);
        const rec = view(source.read(at, 56));
        if (rec.byteLength < 56 || rec.getUint32(0, true) !== SIG_ZIP64_EOCD) {
          throw new Error(`${name}: damaged zip file (the zip64 end-of-central-directory record is missing)`);
        }
        count = u64(rec, 32, name);
        cdSize = u64(rec, 40, name);
        cdOffset = u64(rec, 48, name);
      }
    }
    if (cdOffset + cdSize > size) {
      throw new Error(`${name}: truncated or damaged zip file (the central directory lies past the end of the file)`);
    }
    const cd = source.read(cdOffset, cdSize);
    const cv = view(cd);
    let p = 0;
    const decoder = new TextDecoder();
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cv.getUint32(p, true) !== SIG_CENTRAL) {
        throw new Error(`${name}: damaged zip file (central directory entry ${i} of ${count} is invalid)`);
      }
      const flags = cv.getUint16(p + 8, true);
      const method = cv.getUint16(p + 10, true);
      const crc = cv.getUint32(p + 16, true);
      let compressedSize = cv.getUint32(p + 20, true);
      let usize = cv.getUint32(p + 24, true);
      const nameLen = cv.getUint16(p + 28, true);
      const extraLen = cv.getUint16(p + 30, true);
      const commentLen = cv.getUint16(p + 32, true);
      let localHeaderOffset = cv.getUint32(p + 42, true);
      const entryName = decoder.decode(cd.subarray(p + 46, p + 46 + nameLen));
      // zip64 extended information: the 32-bit fields set to 0xFFFFFFFF are given here, in order.
      let e = p + 46 + nameLen;
      const extraEnd = e + extraLen;
      while (e + 4 <= extraEnd) {
        const id = cv.getUint16(e, true), len = cv.getUint16(e + 2, true);
        if (id === 0x0001) {
          let q = e + 4;
          if (usize === 0xffffffff && q + 8 <= e + 4 + len) (usize = u64(cv, q, name)), (q += 8);
          if (compressedSize === 0xffffffff && q + 8 <= e + 4 + len) (compressedSize = u64(cv, q, name)), (q += 8);
          if (localHeaderOffset === 0xffffffff && q + 8 <= e + 4 + len) localHeaderOffset = u64(cv, q, name);
        }
        e += 4 + len;
      }
      const entry: ZipEntry = {
        name: entryName,
        method,
        flags,
        crc32: crc,
        compressedSize,
        size: usize,
        localHeaderOffset,
      };
      if (this.#byName.has(entryName)) throw new Error(`${name}: damaged zip file (two entries named '${entryName}')`);
      this.entries.push(entry);
      this.#byName.set(entryName, entry);
      p = extraEnd + commentLen;
    }
    this.#checkLayout(cdOffset);
  }

  /**
   * Refuses entries whose bytes overlap each other or the central directory: a crafted archive can point
   * many entries at the same data (a small file then loads as a huge one), which no zip writer produces.
   */
  #checkLayout(cdOffset: number): void {
    const { name } = this.source;
    const spans = this.entries.map((entry) => {
      const head = view(this.source.read(entry.localHeaderOffset, 30));
      if (head.byteLength < 30 || head.getUint32(0, true) !== SIG_LOCAL) {
        throw new Error(`${name}: damaged zip file (the local header of '${entry.name}' is invalid)`);
      }
      const start = entry.localHeaderOffset + 30 + head.getUint16(26, true) + head.getUint16(28, true);
      return { entry, start, end: start + entry.compressedSize };
    }).sort((a, b) => a.entry.localHeaderOffset - b.entry.localHeaderOffset);
    for (let i = 0; i < spans.length; i++) {
      const { entry, end } = spans[i];
      const next = i + 1 < spans.length ? spans[i + 1].entry : null;
      const limit = next === null ? cdOffset : next.localHeaderOffset;
      if (end > limit) {
        throw new Error(
          `${name}: damaged or crafted zip file: the data of entry '${entry.name}' overlaps ` +
            (next === null ? "the central directory" : `entry '${next.name}'`) + " (no zip writer makes such files)",
        );
      }
      this.#dataStart.set(entry, spans[i].start);
    }
  }

  /** The entry named `name`, or undefined. */
  entry(name: string): ZipEntry | undefined {
    return this.#byName.get(name);
  }

  /**
   * The bytes of `entry` as stored (compressed ones still compressed: `compressedSize` bytes), for readers
   * that inflate them themselves. Throws when the entry is encrypted or cut short.
   */
  readRaw(entry: ZipEntry): Uint8Array {
    const { name } = this.source;
    if (entry.flags & 1) throw new Error(`${name}: entry '${entry.name}' is encrypted; PyTorch files never are`);
    const start = this.#dataStart.get(entry);
    if (start === undefined) throw new Error(`${name}: '${entry.name}' is not an entry of this archive`);
    const data = this.source.read(start, entry.compressedSize);
    if (data.length !== entry.compressedSize) {
      throw new Error(
        `${name}: truncated file: entry '${entry.name}' needs ${entry.compressedSize} bytes but only ${data.length} are there`,
      );
    }
    return data;
  }

  /**
   * The data of `entry` (stored entries only), its CRC checked unless `verify` is false. Throws an
   * Error naming the entry when it is compressed, encrypted, truncated or corrupt.
   */
  read(entry: ZipEntry, verify = true): Uint8Array {
    const { name } = this.source;
    if (entry.flags & 1) throw new Error(`${name}: entry '${entry.name}' is encrypted; PyTorch files never are`);
    if (entry.method !== 0) {
      const m = METHOD_NAMES[entry.method] ?? `method ${entry.method}`;
      throw new Error(
        `${name}: entry '${entry.name}' is compressed (${m}); PyTorch writes stored (uncompressed) entries ` +
          "only, so this file was re-zipped: save it again with torch.save, or re-zip it without compression " +
          "(zip -0)",
      );
    }
    const start = this.#dataStart.get(entry);
    if (start === undefined) throw new Error(`${name}: '${entry.name}' is not an entry of this archive`);
    const data = this.source.read(start, entry.size);
    if (data.length !== entry.size) {
      throw new Error(
        `${name}: truncated file: entry '${entry.name}' needs ${entry.size} bytes but only ${data.length} are there`,
      );
    }
    if (verify && crc32(data) !== entry.crc32) {
      throw new Error(`${name}: corrupt file: the CRC-32 of entry '${entry.name}' does not match its data`);
    }
    return data;
  }
}

/** The source holds no zip end-of-central-directory record: not a zip file, or a truncated one. */
export class NotAZipError extends Error {
  /** For `name`. */
  constructor(name: string) {
    super(`${name}: not a zip file`);
    this.name = "NotAZipError";
  }
}

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(v: DataView, at: number, name: string): number {
  const x = v.getBigUint64(at, true);
  if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`${name}: damaged zip file (a zip64 size is out of range)`);
  return Number(x);
}
