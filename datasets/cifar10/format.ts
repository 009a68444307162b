/**
 * CIFAR-10's binary release: its record layout, file names, class names, download address and checksum,
 * and the message that says how to get the data when a folder lacks them.
 *
 * A record is 3073 bytes: one label byte (0..9), then the 32x32 red, green and blue planes, each
 * row-major (the first 32 bytes are the top row). Files have no header.
 *
 * @module
 */

/** Bytes per record: 1 label byte and 3 x 32 x 32 pixel bytes. */
export const CIFAR10_RECORD_BYTES = 3073;

/** Pixel bytes per record (3 channel planes of 32 x 32). */
export const CIFAR10_IMAGE_BYTES = 3072;

/** The shape of one image, channels first (PyTorch's layout). */
export const CIFAR10_IMAGE_SHAPE: readonly [3, 32, 32] = [3, 32, 32];

/**
 * The ten class names in label order, as `batches.meta.txt` lists them.
 *
 * @example
 * ```ts
 * import { CIFAR10_CLASSES } from "./format.ts";
 * CIFAR10_CLASSES.indexOf("bird"); // 2
 * ```
 */
export const CIFAR10_CLASSES: readonly string[] = Object.freeze([
  "airplane",
  "automobile",
  "bird",
  "cat",
  "deer",
  "dog",
  "frog",
  "horse",
  "ship",
  "truck",
]);

/** The training files of the binary release, in order (`data_batch_1.bin` ... `data_batch_5.bin`). */
export const CIFAR10_TRAIN_FILES: readonly string[] = Object.freeze([1, 2, 3, 4, 5].map((k) => `data_batch_${k}.bin`));

/** The test file of the binary release. */
export const CIFAR10_TEST_FILE = "test_batch.bin";

/** The class-name file of the binary release (one name per line, in label order). */
export const CIFAR10_META_FILE = "batches.meta.txt";

/** Every file a complete CIFAR-10 binary folder holds. */
export const CIFAR10_FILES: readonly string[] = Object.freeze([
  ...CIFAR10_TRAIN_FILES,
  CIFAR10_TEST_FILE,
  CIFAR10_META_FILE,
]);

/** The folder name inside the official archive (`cifar-10-binary.tar.gz`). */
export const CIFAR10_ARCHIVE_FOLDER = "cifar-10-batches-bin";

/** The official address of CIFAR-10's binary version (a `.tar.gz` of about 170 MB). */
export const CIFAR10_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz";

/** The published MD5 of {@linkcode CIFAR10_URL}'s archive. */
export const CIFAR10_MD5 = "c32a1d4ab5d03f1284b67883e8d87530";

/** The environment variable that names the CIFAR-10 binary folder. */
export const CIFAR10_DIR_ENV = "CIFAR10_DIR";

/**
 * How to get CIFAR-10, for error messages about a missing or incomplete data folder.
 *
 * @example
 * ```ts
 * import { cifar10HowToGet } from "./format.ts";
 * const message = `no CIFAR-10 data in runs/cifar\n${cifar10HowToGet("runs/cifar")}`;
 * ```
 */
export function cifar10HowToGet(dir = "DIR"): string {
  return [
    `To get CIFAR-10's binary version, run \`deno run -A scripts/cifar10_download.ts --data ${dir}\``,
    `(or call downloadCifar10({ dir: "${dir}" }) from denotorch's datasets), which fetches ${CIFAR10_URL}`,
    `(MD5 ${CIFAR10_MD5}) and unpacks its ${CIFAR10_ARCHIVE_FOLDER}/ folder there.`,
    `Then point tasks at the folder with \`--data ${dir}\` or the environment variable ${CIFAR10_DIR_ENV}=${dir}.`,
  ].join("\n");
}
