/**
 * The study's data: CIFAR-10's birds and cats (bird -> 0, cat -> 1), a seeded validation part held out of
 * the training split (it only fits the temperature), the test split, and the per-channel statistics of
 * the training part (for normalisation). The folder comes from `--data`, else `CIFAR10_DIR`, else
 * `data/cifar-10-batches-bin`; when that folder is missing or empty the official archive is downloaded
 * into it (verified by MD5; `DENOTORCH_CIFAR10_URL` overrides the address, for mirrors and tests), and
 * when that fails the error names the URL and the flag.
 *
 * @module
 */

import {
  channelStats,
  CIFAR10_DIR_ENV,
  CIFAR10_URL,
  downloadCifar10,
  hasCifar10,
  type ImageDataset,
  loadCifar10,
  trainValSplit,
} from "../datasets/mod.ts";
import { arange } from "../tensor/creation.ts";
import { pathExists } from "../util/fs.ts";

/**
 * The study's classes, in their new label order: bird -> 0, cat -> 1, so a model's single logit is the
 * log-odds of "cat" (`datasets.BIRD_CAT` is the same list, kept for compatibility).
 */
export const BIRD_CAT: readonly string[] = Object.freeze(["bird", "cat"]);

/** Where the data are downloaded when neither `--data` nor `CIFAR10_DIR` names a folder. */
export const DEFAULT_DATA_DIR = "data/cifar-10-batches-bin";

/** The bird/cat splits and the normalisation statistics. */
export interface StudyData {
  /** The folder read. */
  dir: string;
  /** The training part (the training split minus the validation part). */
  train: ImageDataset;
  /** The validation part (seeded), for fitting the temperature. */
  val: ImageDataset;
  /** The test split. */
  test: ImageDataset;
  /** Per-channel mean of the training part's pixels in [0, 1]. */
  mean: number[];
  /** Per-channel standard deviation (population) of the training part's pixels in [0, 1]. */
  std: number[];
  /** The class names, label order: ["bird", "cat"]. */
  classes: readonly string[];
}

/** Options of {@linkcode loadStudyData}. */
export interface StudyDataOptions {
  /** The folder (`--data`), or null for `CIFAR10_DIR` / the default. */
  data: string | null;
  /** Download into a named folder that is missing CIFAR-10 (`--download`; default false). */
  download?: boolean;
  /** Fraction of the training split held out for validation. */
  valFraction: number;
  /** Seed of the split. */
  seed: number;
  /** Use only the first `limit` records of each split (0: all), for quick runs. */
  limit: number;
  /** Say what happens (downloads). */
  log?: (line: string) => void;
}

function isMissingOrEmpty(dir: string): boolean {
  try {
    for (const _ of Deno.readDirSync(dir)) return false;
    return true;
  } catch (e) {
    if (e instanceof Deno.errors.NotFound) return true;
    throw e;
  }
}

/**
 * The data folder to use: `data` (`--data`), else `CIFAR10_DIR`, else the default folder. CIFAR-10 is
 * downloaded into the default folder when it is missing or empty there; a folder that was named (by the
 * flag or the variable) and does not hold it is an error, unless `download` asks for the download (a typo
 * in `--data` never starts a 170 MB download).
 */
export async function resolveDataDir(
  data: string | null,
  log?: (line: string) => void,
  download = false,
): Promise<string> {
  const fromEnv = Deno.env.get(CIFAR10_DIR_ENV) || null;
  const dir = data ?? fromEnv ?? DEFAULT_DATA_DIR;
  if (hasCifar10(dir) || !isMissingOrEmpty(dir)) return dir; // a malformed folder is reported by the reader
  if (!download && (data !== null || fromEnv !== null)) {
    const named = data !== null ? `--data ${data}` : `${CIFAR10_DIR_ENV}=${fromEnv}`;
    throw new Error(
      `${named}: ${pathExists(dir) ? "the folder is empty" : "no such folder"}; give the cifar-10-batches-bin ` +
        `folder of CIFAR-10's binary version, or add --download to download it there (about 170 MB)`,
    );
  }
  const url = Deno.env.get("DENOTORCH_CIFAR10_URL") || CIFAR10_URL;
  log?.(`CIFAR-10 is not in ${dir}: downloading ${url} (about 170 MB)`);
  try {
    await downloadCifar10({ dir, url });
  } catch (e) {
    throw new Error(
      `CIFAR-10 (binary version) is not in ${dir}, and downloading it failed: ${(e as Error).message}\n` +
        `Download ${url} yourself, unpack it, and pass its cifar-10-batches-bin folder with --data <folder> ` +
        `(or set ${CIFAR10_DIR_ENV}).`,
    );
  }
  return dir;
}

function head(ds: ImageDataset, limit: number): ImageDataset {
  if (limit <= 0 || limit >= ds.length) return ds;
  using idx = arange(limit);
  const sub = ds.subset(idx);
  ds.dispose();
  return sub;
}

/**
 * Loads the bird/cat splits: the training split (its first `limit` records when set) divided into
 * training and validation parts by a seeded permutation, the test split, and the training part's
 * channel statistics.
 *
 * @example
 * ```ts
 * import { loadStudyData } from "./data.ts";
 * const data = await loadStudyData({ data: null, valFraction: 0.1, seed: 0, limit: 0 });
 * console.log(data.train.length, data.val.length, data.test.length); // 9000 1000 2000
 * ```
 */
export async function loadStudyData(options: StudyDataOptions): Promise<StudyData> {
  const dir = await resolveDataDir(options.data, options.log, options.download ?? false);
  const full = head(loadCifar10(dir, { split: "train", classes: BIRD_CAT }), options.limit);
  const { train, val } = trainValSplit(full, { valFraction: options.valFraction, seed: options.seed });
  full.dispose();
  const test = head(loadCifar10(dir, { split: "test", classes: BIRD_CAT }), options.limit);
  const stats = channelStats(train.images);
  return { dir, train, val, test, mean: stats.mean, std: stats.std, classes: BIRD_CAT };
}

/** Frees the datasets' tensors. */
export function disposeStudyData(data: StudyData): void {
  data.train.dispose();
  data.val.dispose();
  data.test.dispose();
}
