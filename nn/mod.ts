/**
 * `nn`: PyTorch's `torch.nn` for denotorch: the `Module` base class, the layers (with PyTorch's default
 * initialisation, drawn in PyTorch's order), the losses, the functional forms (`functional`, also
 * exported one by one) and weight initialisation (`init`, also exported one by one).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { BatchNorm2d, Conv2d, Flatten, functional as F, Linear, MaxPool2d, ReLU, Sequential } from "./mod.ts";
 * manualSeed(0);
 * const net = new Sequential(new Conv2d(3, 6, 5), new BatchNorm2d(6), new ReLU(), new MaxPool2d(2), new Flatten(),
 *   new Linear(6 * 14 * 14, 1));
 * const p = F.sigmoid(net.forward(randn([4, 3, 32, 32]))); // [4, 1]
 * ```
 *
 * @module
 */

export { type LoadStateDictOptions, type LoadStateDictResult, Module, type StateDict } from "./module.ts";

export { type FactoryOptions, Identity, Linear, type LinearOptions } from "./linear.ts";
export { Conv2d, type Conv2dLayerOptions, type ConvPaddingMode } from "./conv.ts";
export { BatchNorm1d, BatchNorm2d, BatchNormBase, type BatchNormLayerOptions } from "./batchnorm.ts";
export { Dropout, type DropoutLayerOptions } from "./dropout.ts";
export {
  AdaptiveAvgPool2d,
  AvgPool2d,
  type AvgPool2dLayerOptions,
  MaxPool2d,
  type MaxPool2dLayerOptions,
  type Size2,
} from "./pooling.ts";
export { ReLU, type ReLUOptions, Sigmoid } from "./activation.ts";
export { Flatten, type FlattenOptions } from "./flatten.ts";
export { ModuleList, ModuleSequence, Sequential } from "./container.ts";
export {
  BCELoss,
  BCEWithLogitsLoss,
  type BCEWithLogitsLossOptions,
  CrossEntropyLoss,
  type CrossEntropyLossOptions,
  Loss,
  MSELoss,
  NLLLoss,
  type NLLLossOptions,
  type ReductionOptions,
  WeightedLoss,
  type WeightedLossOptions,
} from "./loss.ts";

export * as functional from "./functional.ts";
export {
  adaptiveAvgPool2d,
  type AdaptiveSize,
  avgPool2d,
  type AvgPool2dOptions,
  batchNorm,
  type BatchNormOptions,
  type BCEOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  conv2d,
  type Conv2dOptions,
  crossEntropy,
  type CrossEntropyOptions,
  dropout,
  type DropoutOptions,
  flatten,
  type InplaceOptions,
  interpolate,
  type InterpolateMode,
  type InterpolateOptions,
  linear,
  logSoftmax,
  maxPool2d,
  type MaxPool2dOptions,
  mseLoss,
  type MSEOptions,
  nllLoss,
  type NLLOptions,
  oneHot,
  pad,
  type PadMode,
  type PadOptions,
  type Reduction,
  relu,
  sigmoid,
  softmax,
  type SoftmaxOptions,
} from "./functional.ts";

export * as init from "./init.ts";
export {
  calculateFanInAndFanOut,
  calculateGain,
  constant_,
  kaimingNormal_,
  type KaimingOptions,
  kaimingUniform_,
  type Nonlinearity,
  normal_,
  ones_,
  uniform_,
  xavierNormal_,
  xavierUniform_,
  zeros_,
} from "./init.ts";
export {
  HuberLoss,
  huberLoss,
  type HuberLossOptions,
  type HuberOptions,
  L1Loss,
  l1Loss,
  type L1Options,
  SmoothL1Loss,
  smoothL1Loss,
  type SmoothL1LossOptions,
  type SmoothL1Options,
} from "./regression_loss.ts";
export {
  GaussianNLLLoss,
  gaussianNllLoss,
  type GaussianNLLLossOptions,
  type GaussianNLLOptions,
  klDiv,
  KLDivLoss,
  type KLDivLossOptions,
  type KLDivOptions,
  type KLDivReduction,
  PoissonNLLLoss,
  poissonNllLoss,
  type PoissonNLLLossOptions,
  type PoissonNLLOptions,
} from "./likelihood_loss.ts";
export {
  CosineEmbeddingLoss,
  cosineEmbeddingLoss,
  type MarginLossOptions,
  type MarginOptions,
  MarginRankingLoss,
  marginRankingLoss,
  TripletMarginLoss,
  tripletMarginLoss,
  type TripletMarginLossOptions,
  type TripletMarginOptions,
} from "./embedding_loss.ts";
export {
  MultiLabelSoftMarginLoss,
  multilabelSoftMarginLoss,
  type MultiLabelSoftMarginOptions,
} from "./multilabel_loss.ts";
export { CTCLoss, ctcLoss, type CTCLossOptions, type CTCOptions, type Lengths } from "./ctc_loss.ts";
