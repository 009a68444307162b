/**
 * Datasets for denotorch. The generic parts sit at the top of this folder: an image dataset
 * (`dataset.ts`), class selection (`select.ts`), seeded splits (`split.ts`, `seeded.ts`), per-channel
 * statistics (`stats.ts`), batched transforms, torchvision-exact (`transforms/`), a seeded data loader
 * (`loader.ts`, and the generic `data/`), the verified download (`download.ts`, with its progress bar in
 * `progress.ts`), archives (`archive.ts`: `.tar.gz` and single-file gunzip) and the `--data` flag
 * (`data_dir.ts`). Each dataset has its own folder with its format, reader, download and loader:
 * CIFAR-10's official binary release is in `cifar10/` (a new dataset, say MNIST, would go in `mnist/`).
 *
 * @example
 * ```ts
 * import { cifar10Dir, compose, DataLoader, loadCifar10, randomCrop, randomHorizontalFlip, toFloat,
 *   trainValSplit } from "./mod.ts";
 * using full = loadCifar10(cifar10Dir(), { split: "train", classes: ["bird", "cat"] });
 * const { train, val } = trainValSplit(full, { valFraction: 0.1, seed: 0 });
 * const loader = new DataLoader(train, {
 *   batchSize: 64, shuffle: true, seed: 0, labelDType: "float32",
 *   transform: compose((x) => randomCrop(x, 32, { padding: 4 }), (x) => randomHorizontalFlip(x), (x) => toFloat(x)),
 * });
 * ```
 *
 * @module
 */

export {
  CIFAR10_ARCHIVE_FOLDER,
  CIFAR10_CLASSES,
  CIFAR10_DIR_ENV,
  CIFAR10_FILES,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_IMAGE_SHAPE,
  CIFAR10_MD5,
  CIFAR10_META_FILE,
  CIFAR10_RECORD_BYTES,
  CIFAR10_TEST_FILE,
  CIFAR10_TRAIN_FILES,
  CIFAR10_URL,
  cifar10HowToGet,
} from "./cifar10/format.ts";
export {
  decodeCifar10,
  type DecodedRecords,
  type DecodeOptions,
  readCifar10,
  readCifar10Files,
  readCifar10Meta,
  type ReadCifar10Options,
  type RecordSource,
} from "./cifar10/reader.ts";
export { loadCifar10, type LoadCifar10Options } from "./cifar10/dataset.ts";
export { ImageDataset } from "./dataset.ts";
export { type DataDirOptions, dataFlag } from "./data_dir.ts";
export { cifar10Dir } from "./cifar10/data_dir.ts";
export { BIRD_CAT, classIndices, selectClasses } from "./select.ts";
export { checkSeed, SeededGenerator, seededRandperm } from "./seeded.ts";
export {
  randomSplit,
  randomSplitIndices,
  splitLengths,
  trainValSplit,
  type TrainValSplitOptions,
  valCount,
} from "./split.ts";
export { type ChannelStats, channelStats, type ChannelStatsOptions } from "./stats.ts";
export {
  crop,
  hflip,
  type Interpolation,
  normalize,
  pad,
  type PaddingMode,
  type PadOptions,
  resize,
  resizedSize,
  type ResizeOptions,
  rotate,
  type RotateOptions,
  toFloat,
  vflip,
} from "./transforms/functional.ts";
export {
  randomCrop,
  type RandomCropOptions,
  randomHorizontalFlip,
  randomRotation,
  type RandomRotationOptions,
} from "./transforms/random.ts";
export { compose, type Transform } from "./transforms/compose.ts";
export { type Batch, DataLoader, type DataLoaderOptions } from "./loader.ts";
export { createTarGz, extractTarGz } from "./archive.ts";
export { ByteProgress, formatBytes, type ProgressOptions } from "./progress.ts";
export { type DownloadOptions, type DownloadResult, downloadVerified } from "./download.ts";
export { downloadCifar10, type DownloadCifar10Options, hasCifar10 } from "./cifar10/download.ts";
export { type DecodeThroughput, measureDecodeThroughput } from "./cifar10/throughput.ts";
export * as data from "./data/mod.ts";
