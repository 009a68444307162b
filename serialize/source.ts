/**
 * Random-access byte sources for the zip reader: a file read on demand (a checkpoint is never read
 * into memory whole) or bytes already in memory.
 *
 * @module
 */

/** Bytes that can be read at any offset. */
export interface ByteSource {
  /** What the bytes are, for error messages (a path, or "bytes"). */
  readonly name: string;
  /** The total length in bytes. */
  readonly size: number;
  /** `length` bytes from `offset` (fewer only at the end of the source). */
  read(offset: number, length: number): Uint8Array;
  /** Releases the source (closes the file). */
  close(): void;
}

/**
 * Bytes in memory as a {@linkcode ByteSource}.
 *
 * @example
 * ```ts
 * import { bytesSource } from "./source.ts";
 * const src = bytesSource(new Uint8Array([1, 2, 3]));
 * src.read(1, 2); // Uint8Array [2, 3]
 * ```
 */
export function bytesSource(bytes: Uint8Array, name = "bytes"): ByteSource {
  return {
    name,
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
    close: () => {},
  };
}

/**
 * A file opened for reading as a {@linkcode ByteSource}; reads are positioned reads of what is asked.
 * Throws a clear error when the file is missing.
 *
 * @example
 * ```ts
 * import { fileSource } from "./source.ts";
 * const src = fileSource("model.pt");
 * try { console.log(src.size); } finally { src.close(); }
 * ```
 */
export function fileSource(path: string): ByteSource {
  let file: Deno.FsFile;
  try {
    file = Deno.openSync(path, { read: true });
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw new Error(`${path}: no such file`);
    if (e instanceof Deno.errors.PermissionDenied) {
      throw new Error(`${path}: permission denied (run Deno with --allow-read)`);
    }
    throw e;
  }
  const stat = file.statSync();
  if (stat.isDirectory) {
    file.close();
    throw new Error(`${path}: is a directory, not a saved file`);
  }
  const size = stat.size;
  return {
    name: path,
    size,
    read(offset, length) {
      const n = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(n);
      file.seekSync(offset, Deno.SeekMode.Start);
      let got = 0;
      while (got < n) {
        const r = file.readSync(out.subarray(got));
        if (r === null || r === 0) break;
        got += r;
      }
      return got === n ? out : out.subarray(0, got);
    },
    close: () => file.close(),
  };
}
