// Printouts (PyTorch's extra_repr) and state-dict keys of the new layers for option combinations the
// parity cases do not print. Fixture: scripts/fixtures/gen_nn_layers.py (repr_cases).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { liveTensors } from "../../mod.ts";
import {
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  CELU,
  Conv1d,
  ConvTranspose1d,
  ConvTranspose2d,
  CosineSimilarity,
  Dropout1d,
  Dropout2d,
  ELU,
  Embedding,
  EmbeddingBag,
  Fold,
  GroupNorm,
  GRU,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  InstanceNorm2d,
  LayerNorm,
  LeakyReLU,
  LogSoftmax,
  LSTM,
  MaxPool1d,
  Mish,
  type Module,
  MultiheadAttention,
  PairwiseDistance,
  PReLU,
  ReLU,
  ReLU6,
  RNN,
  SELU,
  SiLU,
  Softmax2d,
  Softmin,
  Softplus,
  Transformer,
  TransformerDecoderLayer,
  Unfold,
  Upsample,
} from "../../nn/mod.ts";
import { loadFixture } from "../fixture.ts";
import "./helpers.ts";

const f = loadFixture("nn/repr2");

const CASES: Record<string, () => Module> = {
  leaky_relu_inplace: () => new LeakyReLU({ negativeSlope: 0.3, inplace: true }),
  silu_inplace: () => new SiLU({ inplace: true }),
  elu_inplace: () => new ELU({ alpha: 0.5, inplace: true }),
  mish_inplace: () => new Mish({ inplace: true }),
  hardswish: () => new Hardswish(),
  softplus_float: () => new Softplus({ beta: 0.5, threshold: 10.5 }),
  log_softmax_none: () => new LogSoftmax(),
  prelu: () => new PReLU({ numParameters: 4, init: 0.5 }),
  layer_norm_list: () => new LayerNorm([2, 3], { eps: 1e-6, elementwiseAffine: false }),
  group_norm: () => new GroupNorm(1, 5, { eps: 0.01 }),
  instance_norm2d_affine: () => new InstanceNorm2d(4, { eps: 1e-3, momentum: 0.01, affine: true }),
  embedding_all: () => new Embedding(7, 2, { paddingIdx: 3, maxNorm: 2.5, normType: 1.5, scaleGradByFreq: true }),
  embedding_bag_all: () => new EmbeddingBag(7, 2, { maxNorm: 1.0, normType: 3.0, mode: "max", paddingIdx: -1 }),
  rnn_all: () =>
    new RNN(3, 4, {
      numLayers: 3,
      nonlinearity: "relu",
      bias: false,
      batchFirst: true,
      dropout: 0.5,
      bidirectional: true,
    }),
  lstm_proj_bidir: () => new LSTM(3, 5, { projSize: 2, bidirectional: true, bias: false }),
  gru: () => new GRU(2, 3, { dropout: 0.25, numLayers: 2 }),
  conv1d_all: () =>
    new Conv1d(4, 8, 5, { stride: 3, padding: 2, dilation: 2, groups: 4, bias: false, paddingMode: "reflect" }),
  conv1d_valid: () => new Conv1d(2, 2, 3, { padding: "valid" }),
  conv_transpose1d_all: () =>
    new ConvTranspose1d(4, 2, 3, { stride: 2, padding: 1, outputPadding: 1, groups: 2, bias: false, dilation: 2 }),
  conv_transpose2d: () => new ConvTranspose2d(3, 6, [2, 4]),
  max_pool1d_stride: () => new MaxPool1d(3, { stride: 1, padding: 1 }),
  avg_pool1d_stride: () => new AvgPool1d(4, { stride: 2, padding: 2 }),
  adaptive_max_pool2d_int: () => new AdaptiveMaxPool2d(5),
  upsample_size_int: () => new Upsample({ size: 5, mode: "nearest" }),
  upsample_scale_tuple: () => new Upsample({ scaleFactor: [2, 3], mode: "bicubic" }),
  dropout1d_inplace: () => new Dropout1d(0.2, { inplace: true }),
  dropout2d: () => new Dropout2d(),
  mha_kdim_bias_kv: () =>
    new MultiheadAttention(6, 3, { kdim: 4, vdim: 5, bias: false, addBiasKv: true, batchFirst: true }),
  decoder_layer_module_activation: () =>
    new TransformerDecoderLayer(4, 2, { dimFeedforward: 8, activation: new ReLU() }),
  hardtanh_inplace: () => new Hardtanh({ minVal: -2.0, maxVal: 2.5, inplace: true }),
  relu6_inplace: () => new ReLU6({ inplace: true }),
  selu_inplace: () => new SELU({ inplace: true }),
  celu_default: () => new CELU(),
  hardsigmoid_inplace: () => new Hardsigmoid({ inplace: true }),
  softmin_none: () => new Softmin(),
  softmax2d: () => new Softmax2d(),
  unfold_pairs: () => new Unfold([2, 3], { dilation: [1, 2], padding: 1, stride: [2, 1] }),
  fold_default: () => new Fold(5, 2),
  pairwise_distance: () => new PairwiseDistance(),
  cosine_similarity: () => new CosineSimilarity(),
  adaptive_max_pool1d: () => new AdaptiveMaxPool1d(7),
  transformer: () =>
    new Transformer({ dModel: 8, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 1, dimFeedforward: 16 }),
};

Deno.test("repr2: every fixture case has a TypeScript twin", () => {
  assertEquals(Object.keys(CASES).sort(), Object.keys(f.values).sort());
});

for (const [name, make] of Object.entries(CASES)) {
  Deno.test(`repr2: ${name} prints and names its state as torch.nn`, () => {
    const before = liveTensors();
    const m = make();
    try {
      assertEquals(m.toString(), f.values[name].repr);
      const sd = m.stateDict();
      assertEquals(Object.keys(sd), f.values[name].keys);
      for (const t of Object.values(sd)) t.dispose();
    } finally {
      m.dispose();
    }
    assertEquals(liveTensors(), before);
  });
}
