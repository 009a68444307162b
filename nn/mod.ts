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

export {
  type FactoryOptions,
  type LoadStateDictOptions,
  type LoadStateDictResult,
  Module,
  type StateDict,
} from "./module.ts";

export { Identity, Linear, type LinearOptions } from "./linear.ts";
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

export {
  CELU,
  ELU,
  type ELUOptions,
  GELU,
  type GELUOptions,
  GLU,
  type GLUOptions,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  type HardtanhOptions,
  type InplaceLayerOptions,
  LeakyReLU,
  type LeakyReLUOptions,
  LogSigmoid,
  LogSoftmax,
  Mish,
  PReLU,
  type PReLUOptions,
  ReLU6,
  SELU,
  SiLU,
  Softmax,
  Softmax2d,
  type SoftmaxLayerOptions,
  Softmin,
  Softplus,
  type SoftplusOptions,
  Softsign,
  Tanh,
} from "./activation.ts";
export { Fold, type FoldLayerOptions, type FoldSize, Unfold } from "./fold.ts";
export {
  ConstantPad1d,
  ConstantPad2d,
  ReflectionPad1d,
  ReflectionPad2d,
  ReplicationPad1d,
  ReplicationPad2d,
  ZeroPad2d,
} from "./padding.ts";
export {
  CosineSimilarity,
  type CosineSimilarityLayerOptions,
  PairwiseDistance,
  type PairwiseDistanceLayerOptions,
} from "./distance.ts";
export { AdaptiveAvgPool1d, AdaptiveMaxPool1d, type AdaptiveMaxPool1dLayerOptions } from "./adaptive_pool_1d.ts";
export {
  GroupNorm,
  type GroupNormLayerOptions,
  InstanceNorm1d,
  InstanceNorm2d,
  InstanceNormBase,
  type InstanceNormLayerOptions,
  LayerNorm,
  type LayerNormLayerOptions,
} from "./normalization.ts";
export {
  Embedding,
  EmbeddingBag,
  type EmbeddingBagForwardOptions,
  type EmbeddingBagLayerOptions,
  type EmbeddingLayerOptions,
} from "./embedding.ts";
export {
  GRU,
  LSTM,
  type LSTMOptions,
  type LSTMOutput,
  type LSTMPackedOutput,
  RNN,
  RNNBase,
  type RNNBaseOptions,
  type RNNMode,
  type RNNOptions,
  type RNNOutput,
  type RNNPackedOutput,
} from "./rnn.ts";
export {
  disposePackedSequence,
  invertPermutation,
  isPackedSequence,
  makePackedSequence,
  type PackedSequence,
  packPaddedSequence,
  type PackPaddedSequenceOptions,
  packSequence,
  padPackedSequence,
  type PadPackedSequenceOptions,
  padSequence,
  type PadSequenceOptions,
} from "./packed_sequence.ts";
export { GRUCell, LSTMCell, RNNCell, RNNCellBase, type RNNCellBaseOptions, type RNNCellOptions } from "./rnn_cell.ts";
export { Conv1d, type Conv1dLayerOptions } from "./conv1d.ts";
export {
  ConvTranspose1d,
  ConvTranspose2d,
  ConvTransposeBase,
  type ConvTransposeLayerOptions,
} from "./conv_transpose.ts";
export { AvgPool1d, type AvgPool1dLayerOptions, MaxPool1d, type MaxPool1dLayerOptions } from "./pooling_1d.ts";
export { AdaptiveMaxPool2d, type AdaptiveMaxPool2dLayerOptions } from "./adaptive_max_pool.ts";
export { Upsample, type UpsampleOptions } from "./upsample.ts";
export { Dropout1d, Dropout2d, Dropout3d, type FeatureDropoutLayerOptions } from "./feature_dropout.ts";
export { FeatureDropoutBase } from "./feature_dropout.ts";
export { ConstantPadBase, PadBase } from "./padding.ts";
export { TripleInputLoss } from "./embedding_loss.ts";
export { Conv3d, type Conv3dLayerOptions } from "./conv3d.ts";
export {
  AdaptiveAvgPool3d,
  AvgPool3d,
  type AvgPool3dLayerOptions,
  MaxPool3d,
  type MaxPool3dLayerOptions,
} from "./pooling_3d.ts";
export { BatchNorm3d } from "./batchnorm3d.ts";
export {
  MultiheadAttention,
  type MultiheadAttentionForwardOptions,
  type MultiheadAttentionOptions,
  NonDynamicallyQuantizableLinear,
} from "./attention.ts";
export {
  Transformer,
  type TransformerActivation,
  TransformerDecoder,
  type TransformerDecoderForwardOptions,
  TransformerDecoderLayer,
  type TransformerDecoderLayerForwardOptions,
  type TransformerDecoderOptions,
  TransformerEncoder,
  type TransformerEncoderForwardOptions,
  TransformerEncoderLayer,
  type TransformerEncoderLayerForwardOptions,
  type TransformerEncoderOptions,
  type TransformerForwardOptions,
  type TransformerLayerOptions,
  type TransformerOptions,
} from "./transformer.ts";

export * as functional from "./functional.ts";
// The functional forms one by one as well, by name rather than `export *` because functional.ts also exports
// `convPadding`, a helper of the conv layers that is public only as `functional.convPadding`.
export {
  type ActivationInplaceOptions,
  adaptiveAvgPool1d,
  adaptiveAvgPool2d,
  adaptiveAvgPool3d,
  adaptiveMaxPool1d,
  adaptiveMaxPool2d,
  type AdaptiveMaxPool2dOptions,
  type AdaptiveSize,
  type AdaptiveSize2,
  type AdaptiveSize3,
  avgPool1d,
  type AvgPool1dOptions,
  avgPool2d,
  type AvgPool2dOptions,
  avgPool3d,
  type AvgPool3dOptions,
  batchNorm,
  type BatchNormOptions,
  type BCEOptions,
  type BCEWithLogitsOptions,
  binaryCrossEntropy,
  binaryCrossEntropyWithLogits,
  celu,
  conv1d,
  type Conv1dOptions,
  conv2d,
  type Conv2dOptions,
  conv3d,
  type Conv3dOptions,
  convTranspose1d,
  convTranspose2d,
  type ConvTransposeOptions,
  cosineSimilarity,
  type CosineSimilarityOptions,
  crossEntropy,
  type CrossEntropyOptions,
  dropout,
  dropout1d,
  dropout2d,
  dropout3d,
  type DropoutOptions,
  elu,
  embedding,
  embeddingBag,
  type EmbeddingBagMode,
  type EmbeddingBagOptions,
  type EmbeddingOptions,
  flatten,
  fold,
  type FoldOptions,
  gelu,
  type GeluApproximate,
  type GeluOptions,
  glu,
  groupNorm,
  type GroupNormOptions,
  hardsigmoid,
  hardswish,
  hardtanh,
  type InplaceOptions,
  instanceNorm,
  type InstanceNormOptions,
  interpolate,
  type InterpolateMode,
  type InterpolateOptions,
  layerNorm,
  type LayerNormOptions,
  leakyRelu,
  linear,
  logsigmoid,
  logSoftmax,
  maxPool1d,
  type MaxPool1dOptions,
  maxPool2d,
  type MaxPool2dOptions,
  maxPool3d,
  type MaxPool3dOptions,
  mish,
  mseLoss,
  type MSEOptions,
  multiHeadAttentionForward,
  type MultiHeadAttentionForwardOptions,
  nllLoss,
  type NLLOptions,
  oneHot,
  pad,
  type PadMode,
  type PadOptions,
  pairwiseDistance,
  type PairwiseDistanceOptions,
  prelu,
  type Reduction,
  relu,
  relu6,
  scaledDotProductAttention,
  type ScaledDotProductAttentionOptions,
  selu,
  sigmoid,
  silu,
  type Size3,
  softmax,
  type SoftmaxOptions,
  softmin,
  type SoftminOptions,
  softplus,
  softsign,
  tanh,
  unfold,
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
