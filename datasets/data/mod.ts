/**
 * `data`: torch.utils.data for denotorch: map-style datasets of anything (`Dataset`, `TensorDataset`),
 * PyTorch's samplers (with PyTorch's draws) and default collate, and a `DataLoader` over them. (The
 * image-specific `DataLoader` of `datasets/` stays the fast path for CIFAR-10.)
 *
 * @example
 * ```ts
 * import { randn } from "../../mod.ts";
 * import { DataLoader, TensorDataset } from "./mod.ts";
 * const loader = new DataLoader(new TensorDataset(randn([10, 3]), randn([10])), { batchSize: 4, shuffle: true, seed: 0 });
 * ```
 *
 * @module
 */

export { checkDataset, type Dataset, type DatasetLike, itemOf, TensorDataset } from "./dataset.ts";
export {
  BatchSampler,
  generatorFromSeed,
  random64,
  RandomSampler,
  type RandomSamplerOptions,
  SequentialSampler,
} from "./sampler.ts";
export { type Collated, defaultCollate } from "./collate.ts";
export { DataLoader, type GenericDataLoaderOptions } from "./loader.ts";
