/**
 * Reading CIFAR-10's binary release: `data_batch_1.bin` ... `data_batch_5.bin`, `test_batch.bin` and
 * `batches.meta.txt`, into a uint8 image tensor `[N, 3, 32, 32]` and int64 labels `[N]`.
 *
 * Decoding copies the file bytes once into one uint8 tensor `[N, 3073]`; the images are then a
 * contiguous copy of its columns 1..3072 viewed as `[N, 3, 32, 32]` (the planes are already channel-major)
 * and the labels its column 0 as int64, all tensor operations: no JavaScript touches a pixel. Labels are
 * checked with tensor operations too. Files may hold any number of records.
 *
 * @module
 */

import { join } from "node:path";
import { fillBytes, fromBytes } from "../../tensor/creation.ts";
import { tidy } from "../../tensor/memory.ts";
import type { Tensor } from "../../tensor/tensor.ts";
import {
  CIFAR10_CLASSES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_META_FILE,
  CIFAR10_RECORD_BYTES,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  cifar10HowToGet,
} from "./format.ts";
import { ImageDataset } from "../dataset.ts";
import { checkOptionsObject, describe } from "../../tensor/checks.ts";
import { checkOptions } from "../../tensor/options.ts";

/** Decoded records: uint8 images `[N, 3, 32, 32]` and int64 labels `[N]`. */
export interface DecodedRecords {
  /** uint8 `[N, 3, 32, 32]`, contiguous. */
  images: Tensor;
  /** int64 `[N]`. */
  labels: Tensor;
}

/** A part of a byte buffer that came from one file, for error messages. */
export interface RecordSource {
  /** The file name or path to name in errors. */
  name: string;
  /** The number of records it holds. */
  records: number;
}

/** Options of {@linkcode decodeCifar10}. */
export interface DecodeOptions {
  /** Where the bytes came from, in order (default: one source named "CIFAR-10 records"). */
  sources?: readonly RecordSource[];
  /** Labels must be below this (default 10). */
  numClasses?: number;
}

/**
 * Decodes CIFAR-10 binary records held in `bytes` (a whole number of 3073-byte records) into tensors.
 * A label out of range is an error naming the source file and the record.
 *
 * @example
 * ```ts
 * import { decodeCifar10 } from "./reader.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * const bytes = Deno.readFileSync(`${cifar10Dir()}/test_batch.bin`);
 * const { images, labels } = decodeCifar10(bytes, { sources: [{ name: "test_batch.bin", records: bytes.length / 3073 }] });
 * ```
 */
export function decodeCifar10(bytes: Uint8Array, options: DecodeOptions = {}): DecodedRecords {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`decodeCifar10: bytes must be a Uint8Array (a file's contents), got ${describe(bytes)}`);
  }
  checkOptionsObject("decodeCifar10", options);
  checkOptions("decodeCifar10", options, ["sources", "numClasses"]);
  if (bytes.byteLength % CIFAR10_RECORD_BYTES !== 0) {
    const name = options.sources?.length === 1 ? options.sources[0].name : "CIFAR-10 records";
    throw new RangeError(
      `${name}: ${bytes.byteLength} bytes is not a whole number of ${CIFAR10_RECORD_BYTES}-byte records ` +
        `(1 label byte + 3072 pixel bytes); the file is truncated or not CIFAR-10's binary format`,
    );
  }
  const n = bytes.byteLength / CIFAR10_RECORD_BYTES;
  return tidy(() => decodeRecords(fromBytes(bytes, "uint8", [n, CIFAR10_RECORD_BYTES]), options));
}

/** Decodes a uint8 tensor of records `[N, 3073]` (labels checked, images made contiguous). */
function decodeRecords(raw: Tensor, options: DecodeOptions): DecodedRecords {
  const numClasses = options.numClasses ?? 10;
  const n = raw.shape[0];
  return tidy(() => {
    const labels = raw.select(1, 0).to({ dtype: "int64" });
    if (n > 0) {
      const bad = labels.ge(numClasses);
      if (bad.any().item()) {
        const first = bad.nonzero().select(1, 0).select(0, 0).item();
        const label = labels.select(0, first).item();
        throw new RangeError(describeBadLabel(first, label, numClasses, options.sources));
      }
    }
    const images = raw.narrow(1, 1, CIFAR10_IMAGE_BYTES).reshape([n, 3, 32, 32]).contiguous();
    return { images, labels };
  });
}

function describeBadLabel(index: number, label: number, numClasses: number, sources?: readonly RecordSource[]) {
  let name = "CIFAR-10 records", record = index;
  for (const s of sources ?? []) {
    if (record < s.records) {
      name = s.name;
      break;
    }
    record -= s.records;
  }
  return `${name}: record ${record} has label ${label}, but labels must be 0..${numClasses - 1}; ` +
    `the file is damaged or not CIFAR-10's binary format (1 label byte + 3072 pixel bytes per record)`;
}

function missing(path: string, dir: string): Error {
  return new Deno.errors.NotFound(`CIFAR-10: ${path} does not exist.\n${cifar10HowToGet(dir)}`);
}

/**
 * Reads and decodes CIFAR-10 binary files, in order, as one set of records. The files are read into one
 * buffer (no per-file copies) and decoded once. A missing file, or a size that is not a multiple of 3073
 * bytes, is an error naming the file.
 *
 * @example
 * ```ts
 * import { readCifar10Files } from "./reader.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * const dir = cifar10Dir();
 * const { images, labels } = readCifar10Files([`${dir}/data_batch_1.bin`, `${dir}/data_batch_2.bin`]);
 * ```
 */
export function readCifar10Files(paths: readonly string[], options: { numClasses?: number } = {}): DecodedRecords {
  if (!Array.isArray(paths) || !paths.every((p) => typeof p === "string")) {
    throw new TypeError(`readCifar10Files: paths must be an array of file paths, got ${describe(paths)}`);
  }
  checkOptionsObject("readCifar10Files", options);
  checkOptions("readCifar10Files", options, ["numClasses"]);
  const sizes = paths.map((path) => {
    let info: Deno.FileInfo;
    try {
      info = Deno.statSync(path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw missing(path, dirOf(path));
      throw e;
    }
    if (!info.isFile) throw new TypeError(`CIFAR-10: ${path} is not a file`);
    if (info.size % CIFAR10_RECORD_BYTES !== 0) {
      throw new RangeError(
        `CIFAR-10: ${path} has ${info.size} bytes, which is not a multiple of ${CIFAR10_RECORD_BYTES} ` +
          `(1 label byte + 3072 pixel bytes per record): the file is truncated or not CIFAR-10's binary format`,
      );
    }
    return info.size;
  });
  const total = sizes.reduce((a, b) => a + b, 0);
  // the files are read straight into the tensor's memory: no JS buffer, no copy
  using raw = fillBytes("uint8", [total / CIFAR10_RECORD_BYTES, CIFAR10_RECORD_BYTES], (buffer) => {
    let offset = 0;
    for (let i = 0; i < paths.length; i++) {
      const end = offset + sizes[i];
      using file = Deno.openSync(paths[i], { read: true });
      while (offset < end) {
        const got = file.readSync(buffer.subarray(offset, end));
        if (got === null) throw new RangeError(`CIFAR-10: ${paths[i]} shrank while it was read`);
        offset += got;
      }
    }
  });
  const sources = paths.map((name, i) => ({ name, records: sizes[i] / CIFAR10_RECORD_BYTES }));
  return decodeRecords(raw, { sources, numClasses: options.numClasses });
}

function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "." : path.slice(0, i) || "/";
}

/**
 * The class names listed in `batches.meta.txt` (one per line; blank lines are ignored).
 *
 * @example
 * ```ts
 * import { readCifar10Meta } from "./reader.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * readCifar10Meta(cifar10Dir()); // ["airplane", "automobile", "bird", ...]
 * ```
 */
export function readCifar10Meta(dir: string): string[] {
  const path = join(dir, CIFAR10_META_FILE);
  let text: string;
  try {
    text = Deno.readTextFileSync(path);
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) throw missing(path, dir);
    throw e;
  }
  const names = text.split(/\r?\n/).map((s) => s.trim()).filter((s) => s.length > 0);
  if (names.length === 0) throw new RangeError(`CIFAR-10: ${path} lists no class names`);
  return names;
}

/** Options of {@linkcode readCifar10}. */
export interface ReadCifar10Options {
  /** `"train"` (the five `data_batch_k.bin`, 50,000 records officially) or `"test"` (`test_batch.bin`). */
  split: "train" | "test";
}

/**
 * Reads one split of the CIFAR-10 binary folder `dir` as an {@linkcode ImageDataset} with uint8 images
 * `[N, 3, 32, 32]`, the official labels (0..9) and the class names of `batches.meta.txt`.
 *
 * @example
 * ```ts
 * import { readCifar10 } from "./reader.ts";
 * import { cifar10Dir } from "./data_dir.ts";
 * using train = readCifar10(cifar10Dir(), { split: "train" });
 * console.log(train.length, train.classes[2]); // ... "bird"
 * ```
 */
export function readCifar10(dir: string, options: ReadCifar10Options): ImageDataset {
  checkOptions("readCifar10", options, ["split"], 'readCifar10(dir, { split: "train" })');
  const split = options?.split;
  if (split !== "train" && split !== "test") {
    throw new TypeError(`readCifar10: option 'split' must be "train" or "test", got ${describe(split)}`);
  }
  const info = (() => {
    try {
      return Deno.statSync(dir);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) {
        throw new Deno.errors.NotFound(`CIFAR-10: the data folder ${dir} does not exist.\n${cifar10HowToGet(dir)}`);
      }
      throw e;
    }
  })();
  if (!info.isDirectory) throw new TypeError(`CIFAR-10: ${dir} is not a folder.\n${cifar10HowToGet(dir)}`);
  const classes = readCifar10Meta(dir);
  if (classes.length !== CIFAR10_CLASSES.length) {
    throw new RangeError(
      `CIFAR-10: ${
        join(dir, CIFAR10_META_FILE)
      } lists ${classes.length} class names, expected ${CIFAR10_CLASSES.length}`,
    );
  }
  const files = split === "train" ? CIFAR10_TRAIN_FILES : [CIFAR10_TEST_FILE];
  const { images, labels } = readCifar10Files(files.map((f) => join(dir, f)), { numClasses: classes.length });
  return new ImageDataset(images, labels, classes);
}
