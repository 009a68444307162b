/**
 * Ready-made models: the study's `LeNet` (LeNet-5 for 32x32 RGB, one logit) and `DenseNetTransfer`
 * (DenseNet-121 with ImageNet-style weights and a new head, for transfer learning).
 *
 * @example
 * ```ts
 * import { LeNet } from "./mod.ts";
 * const model = new LeNet();
 * ```
 *
 * @module
 */

export { LeNet, type LeNetOptions } from "./lenet.ts";
export { DenseNetTransfer, type DenseNetTransferOptions, type TrainFrom } from "./densenet_transfer.ts";
