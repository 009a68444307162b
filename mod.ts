/**
 * denotorch: PyTorch's tensors, autograd, modules and optimizers for Deno, over LibTorch through a
 * thin C shim, with PyTorch-parity numerics.
 *
 * @example
 * ```ts
 * import * as torch from "./mod.ts";
 * torch.manualSeed(0);
 * const x = torch.randn([3, 4], { requiresGrad: true });
 * const loss = x.pow(2).sum();
 * loss.backward();
 * console.log(x.grad!.toString());
 * ```
 *
 * @module
 */

// Every folder lists its public names once, in its own mod.ts; this file gathers them. The folders whose names
// are all top-level (as torch.* has them) come in with `export *`, `nn` and `optim` also as namespaces; `jit`,
// `datasets`, `data`, `calibration`, `distributed` (and `autograd`, from tensor/mod.ts) are namespaces only.
export * from "./ffi/mod.ts";
export * from "./tensor/mod.ts";
export * from "./nn/mod.ts";
export * as nn from "./nn/mod.ts";
export * from "./optim/mod.ts";
export * as optim from "./optim/mod.ts";
export * from "./serialize/mod.ts";
export * from "./models/mod.ts";
export * as jit from "./jit/mod.ts";
export * as datasets from "./datasets/mod.ts";
export * as data from "./datasets/data/mod.ts";
export * as calibration from "./calibration/mod.ts";
export * as distributed from "./distributed/mod.ts";

// The few names of namespaced folders that torch also has at the top level (torch.Generator,
// torch.jit.ScriptModule, torch.utils.data.*, torch.nn.parallel.DistributedDataParallel).
export { SeededGenerator } from "./datasets/mod.ts";
export { ScriptModule } from "./jit/mod.ts";
export {
  BatchSampler,
  type Collated,
  type Dataset,
  type DatasetLike,
  defaultCollate,
  RandomSampler,
  SequentialSampler,
  TensorDataset,
} from "./datasets/data/mod.ts";
export { DistributedDataParallel, DistributedSampler } from "./distributed/mod.ts";
