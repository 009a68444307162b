/**
 * The on-disk cache of a frozen backbone's outputs, keyed by the weights and the preprocessing, so that a
 * second run with the same backbone, image size, normalisation and split skips the expensive forward
 * passes. Files live in `$DENOTORCH_CACHE` (default `.cache/denotorch`) as `features-<sha256>.pt`
 * (torch.save format), written atomically.
 *
 * @module
 */

import { join } from "node:path";
import { ImageDataset } from "../datasets/mod.ts";
import { load, save } from "../serialize/mod.ts";
import type { Device } from "../tensor/device.ts";
import { Tensor } from "../tensor/tensor.ts";

/** The cache folder. */
export function cacheDir(): string {
  return Deno.env.get("DENOTORCH_CACHE") || ".cache/denotorch";
}

function fileFor(key: string): string {
  // a stable, short name: FNV-1a over the key is enough to name files (the key is checked on load)
  let h1 = 0x811c9dc5, h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    h1 = Math.imul(h1 ^ key.charCodeAt(i), 16777619) >>> 0;
    h2 = Math.imul(h2 ^ key.charCodeAt(key.length - 1 - i), 16777619) >>> 0;
  }
  return join(cacheDir(), `features-${h1.toString(16).padStart(8, "0")}${h2.toString(16).padStart(8, "0")}.pt`);
}

const SPLITS = ["train", "val", "test"] as const;

/** The cached features of `key` on `device`, or null when there are none (or they are unreadable). */
export function loadFeatureCache(key: string, device: Device): [ImageDataset, ImageDataset, ImageDataset] | null {
  const path = fileFor(key);
  let doc: Record<string, unknown>;
  try {
    doc = load(path, { device }) as Record<string, unknown>;
  } catch {
    return null; // missing or unreadable: compute again
  }
  if (doc?.key !== key) return null;
  const out = SPLITS.map((s) => {
    const x = doc[`${s}_features`], y = doc[`${s}_labels`];
    if (!(x instanceof Tensor) || !(y instanceof Tensor)) return null;
    return new ImageDataset(x, y, doc.classes as string[]);
  });
  if (out.some((d) => d === null)) return null;
  return out as [ImageDataset, ImageDataset, ImageDataset];
}

/** Saves the features of the three splits under `key`. */
export async function saveFeatureCache(key: string, sets: [ImageDataset, ImageDataset, ImageDataset]): Promise<void> {
  const doc: Record<string, unknown> = { key, classes: [...sets[0].classes] };
  SPLITS.forEach((s, i) => {
    doc[`${s}_features`] = sets[i].images;
    doc[`${s}_labels`] = sets[i].labels;
  });
  await save(fileFor(key), doc);
}
