/**
 * The TypeScript twins of scripts/fixtures/gen_nn_layers.py's LAYER_CASES (seed, factory, forward) and
 * the runner that compares a module with its fixture to the bit: printout, parameter and buffer names,
 * initial state dict, and per step (train, eval, or eval under noGrad) the outputs, the input and
 * parameter gradients and the parameters and buffers after the step, with no tensor left behind.
 *
 * @module
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { backward, liveTensors, manualSeed, noGrad, type Tensor, tidy } from "../../mod.ts";
import {
  AdaptiveAvgPool1d,
  AdaptiveAvgPool3d,
  AdaptiveMaxPool1d,
  AdaptiveMaxPool2d,
  AvgPool1d,
  AvgPool3d,
  BatchNorm3d,
  CELU,
  ConstantPad1d,
  ConstantPad2d,
  Conv1d,
  Conv3d,
  ConvTranspose1d,
  ConvTranspose2d,
  CosineSimilarity,
  Dropout1d,
  Dropout2d,
  Dropout3d,
  ELU,
  Embedding,
  EmbeddingBag,
  Fold,
  GELU,
  GLU,
  GroupNorm,
  GRU,
  GRUCell,
  Hardsigmoid,
  Hardswish,
  Hardtanh,
  InstanceNorm1d,
  InstanceNorm2d,
  isPackedSequence,
  LayerNorm,
  LeakyReLU,
  LogSigmoid,
  LogSoftmax,
  LSTM,
  LSTMCell,
  MaxPool1d,
  MaxPool3d,
  Mish,
  type Module,
  MultiheadAttention,
  packPaddedSequence,
  packSequence,
  padPackedSequence,
  PairwiseDistance,
  PReLU,
  ReflectionPad1d,
  ReflectionPad2d,
  ReLU6,
  ReplicationPad1d,
  ReplicationPad2d,
  RNN,
  RNNCell,
  SELU,
  SiLU,
  Softmax,
  Softmax2d,
  Softmin,
  Softplus,
  Softsign,
  Tanh,
  Transformer,
  TransformerDecoder,
  TransformerDecoderLayer,
  TransformerEncoder,
  TransformerEncoderLayer,
  Unfold,
  Upsample,
  ZeroPad2d,
} from "../../nn/mod.ts";
import { assertTensorExact, type Fixture, fixtureTensor } from "../fixture.ts";
import { assertFixtureExact, assertStateDictExact } from "./helpers.ts";

/** A twin: the seed before building, the factory, and the forward pass over the step's inputs. */
export type LayerCase = [seed: number, make: () => Module, forward?: (m: Module, x: Tensor[]) => unknown];

// deno-lint-ignore no-explicit-any
type AnyModule = any;
const call = (m: AnyModule, x: Tensor[]) => m.forward(...x);
const selfAttn = (m: AnyModule, [x]: Tensor[]) => m.forward(x, x, x);

/** Activations, normalisation, embeddings, convolution, pooling, resizing and channel dropout. */
export const LAYER_CASES: Record<string, LayerCase> = {
  gelu: [1, () => new GELU()],
  gelu_tanh: [2, () => new GELU({ approximate: "tanh" })],
  silu: [3, () => new SiLU()],
  tanh: [4, () => new Tanh()],
  leaky_relu: [5, () => new LeakyReLU()],
  leaky_relu_slope: [6, () => new LeakyReLU({ negativeSlope: 0.2 })],
  elu: [7, () => new ELU()],
  elu_alpha: [8, () => new ELU({ alpha: 0.5 })],
  softplus: [9, () => new Softplus()],
  softplus_beta: [10, () => new Softplus({ beta: 2, threshold: 1 })],
  softmax: [11, () => new Softmax({ dim: 1 })],
  softmax_implicit: [12, () => new Softmax()],
  log_softmax: [13, () => new LogSoftmax({ dim: -1 })],
  hardswish: [14, () => new Hardswish()],
  mish: [15, () => new Mish()],
  prelu: [16, () => new PReLU()],
  prelu_channels: [17, () => new PReLU({ numParameters: 3, init: 0.1 })],
  layer_norm: [20, () => new LayerNorm(5)],
  layer_norm_2d: [21, () => new LayerNorm([4, 5], { eps: 1e-3 })],
  layer_norm_no_affine: [22, () => new LayerNorm(4, { elementwiseAffine: false })],
  group_norm: [23, () => new GroupNorm(2, 4)],
  group_norm_no_affine: [24, () => new GroupNorm(3, 6, { eps: 1e-3, affine: false })],
  instance_norm1d: [25, () => new InstanceNorm1d(3)],
  instance_norm1d_track: [26, () => new InstanceNorm1d(3, { affine: true, trackRunningStats: true })],
  instance_norm1d_unbatched: [27, () => new InstanceNorm1d(3)],
  instance_norm2d: [28, () => new InstanceNorm2d(2, { momentum: 0.3, trackRunningStats: true })],
  embedding: [30, () => new Embedding(10, 3)],
  embedding_padding: [31, () => new Embedding(8, 4, { paddingIdx: -2 })],
  embedding_max_norm: [32, () => new Embedding(10, 4, { maxNorm: 1.0 })],
  embedding_max_norm_l1_freq: [
    33,
    () => new Embedding(6, 3, { maxNorm: 0.5, normType: 1.0, scaleGradByFreq: true }),
  ],
  embedding_bag: [34, () => new EmbeddingBag(10, 3)],
  embedding_bag_sum_offsets: [35, () => new EmbeddingBag(10, 3, { mode: "sum" })],
  embedding_bag_weights: [
    36,
    () => new EmbeddingBag(10, 3, { mode: "sum" }),
    (m: AnyModule, [x, o, w]) => m.forward(x, o, { perSampleWeights: w }),
  ],
  embedding_bag_max_last: [37, () => new EmbeddingBag(8, 2, { mode: "max", includeLastOffset: true })],
  embedding_bag_padding: [38, () => new EmbeddingBag(6, 3, { mode: "sum", paddingIdx: 0, maxNorm: 2.0 })],
  conv1d: [60, () => new Conv1d(3, 4, 3)],
  conv1d_options: [61, () => new Conv1d(4, 6, 3, { stride: 2, padding: 1, dilation: 2, groups: 2, bias: false })],
  conv1d_same: [62, () => new Conv1d(2, 3, 4, { padding: "same" })],
  conv1d_circular: [63, () => new Conv1d(2, 2, 3, { padding: 2, paddingMode: "circular" })],
  conv1d_unbatched: [64, () => new Conv1d(3, 2, 2)],
  conv_transpose1d: [65, () => new ConvTranspose1d(3, 2, 3, { stride: 2, padding: 1, outputPadding: 1 })],
  conv_transpose2d: [66, () => new ConvTranspose2d(2, 4, 3)],
  conv_transpose2d_options: [
    67,
    () =>
      new ConvTranspose2d(4, 2, [3, 2], { stride: [2, 1], padding: [1, 0], groups: 2, dilation: [1, 2], bias: false }),
  ],
  conv_transpose2d_output_size: [
    68,
    () => new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 }),
    (m: AnyModule, [x]) => m.forward(x, [8, 7]),
  ],
  max_pool1d: [70, () => new MaxPool1d(2)],
  max_pool1d_options: [71, () => new MaxPool1d(3, { stride: 2, padding: 1, dilation: 2, ceilMode: true })],
  max_pool1d_indices: [72, () => new MaxPool1d(2, { returnIndices: true })],
  avg_pool1d: [73, () => new AvgPool1d(2)],
  avg_pool1d_options: [74, () => new AvgPool1d(3, { stride: 2, padding: 1, ceilMode: true, countIncludePad: false })],
  adaptive_max_pool2d: [75, () => new AdaptiveMaxPool2d([3, 2])],
  adaptive_max_pool2d_none: [76, () => new AdaptiveMaxPool2d([null, 2], { returnIndices: true })],
  upsample: [77, () => new Upsample({ scaleFactor: 2 })],
  upsample_bilinear: [78, () => new Upsample({ size: [5, 7], mode: "bilinear", alignCorners: true })],
  upsample_linear: [79, () => new Upsample({ scaleFactor: 1.5, mode: "linear" })],
  dropout1d: [80, () => new Dropout1d(0.4)],
  dropout1d_unbatched: [81, () => new Dropout1d()],
  dropout2d: [82, () => new Dropout2d(0.3)],
  hardtanh: [140, () => new Hardtanh({ minVal: -0.5, maxVal: 0.8 })],
  relu6: [141, () => new ReLU6()],
  selu: [142, () => new SELU()],
  celu: [143, () => new CELU({ alpha: 0.7 })],
  softsign: [144, () => new Softsign()],
  log_sigmoid: [145, () => new LogSigmoid()],
  hardsigmoid: [146, () => new Hardsigmoid()],
  glu: [147, () => new GLU()],
  glu_dim0: [148, () => new GLU({ dim: 0 })],
  softmin: [149, () => new Softmin({ dim: 1 })],
  softmin_implicit: [150, () => new Softmin()],
  softmax2d: [151, () => new Softmax2d()],
  unfold: [152, () => new Unfold(3, { padding: 1, stride: 2 })],
  fold: [153, () => new Fold([4, 5], 2, { stride: [2, 1], padding: [0, 1] })],
  pairwise_distance: [154, () => new PairwiseDistance({ p: 1.5, keepdim: true })],
  cosine_similarity: [155, () => new CosineSimilarity({ dim: 0, eps: 1e-6 })],
  adaptive_avg_pool1d: [156, () => new AdaptiveAvgPool1d(4)],
  adaptive_max_pool1d: [157, () => new AdaptiveMaxPool1d(3, { returnIndices: true })],
  constant_pad1d: [160, () => new ConstantPad1d([1, 2], 1.5)],
  constant_pad2d: [161, () => new ConstantPad2d(1, -0.5)],
  zero_pad2d: [162, () => new ZeroPad2d([1, 0, 2, 1])],
  reflection_pad1d: [163, () => new ReflectionPad1d(2)],
  reflection_pad2d: [164, () => new ReflectionPad2d([1, 2, 0, 1])],
  replication_pad1d: [165, () => new ReplicationPad1d([0, 3])],
  replication_pad2d: [166, () => new ReplicationPad2d(1)],
  conv3d: [170, () => new Conv3d(2, 3, 3)],
  conv3d_options: [
    171,
    () =>
      new Conv3d(4, 2, [2, 3, 1], {
        stride: [1, 2, 1],
        padding: [1, 0, 1],
        dilation: [2, 1, 1],
        groups: 2,
        bias: false,
      }),
  ],
  conv3d_same_reflect: [172, () => new Conv3d(2, 2, 3, { padding: "same", paddingMode: "reflect" })],
  max_pool3d: [173, () => new MaxPool3d(2, { stride: 1, padding: 1, ceilMode: true })],
  max_pool3d_indices: [174, () => new MaxPool3d([2, 2, 1], { returnIndices: true })],
  avg_pool3d: [175, () => new AvgPool3d(2, { stride: [1, 2, 2], padding: 1, countIncludePad: false })],
  avg_pool3d_divisor: [176, () => new AvgPool3d(2, { divisorOverride: 3 })],
  adaptive_avg_pool3d: [177, () => new AdaptiveAvgPool3d([2, null, 3])],
  bn3d: [178, () => new BatchNorm3d(3)],
  dropout3d: [179, () => new Dropout3d(0.4)],
  dropout3d_unbatched: [180, () => new Dropout3d()],
};

/** The recurrent layers. */
export const RNN_CASES: Record<string, LayerCase> = {
  rnn: [40, () => new RNN(4, 5)],
  rnn_relu_2layer_bidir: [41, () => new RNN(4, 5, { numLayers: 2, nonlinearity: "relu", bidirectional: true })],
  rnn_batch_first_nobias: [42, () => new RNN(3, 4, { bias: false, batchFirst: true })],
  rnn_unbatched: [43, () => new RNN(3, 4)],
  lstm: [44, () => new LSTM(4, 6)],
  lstm_2layer_dropout: [45, () => new LSTM(3, 5, { numLayers: 2, dropout: 0.3 })],
  lstm_bidir_batch_first_hx: [
    46,
    () => new LSTM(4, 5, { batchFirst: true, bidirectional: true }),
    (m: AnyModule, [x, h, c]) => m.forward(x, [h, c]),
  ],
  lstm_proj: [47, () => new LSTM(4, 6, { projSize: 3, numLayers: 2 })],
  lstm_unbatched: [48, () => new LSTM(3, 4, { bias: false })],
  gru: [49, () => new GRU(4, 5)],
  gru_2layer_bidir_dropout: [
    50,
    () => new GRU(3, 4, { numLayers: 2, bidirectional: true, dropout: 0.2, batchFirst: true }),
  ],
  lstm_f64: [119, () => new LSTM(3, 4, { numLayers: 2, dtype: "float64" })],
  rnn_cell: [128, () => new RNNCell(3, 4)],
  rnn_cell_relu_nobias_unbatched: [129, () => new RNNCell(3, 4, { bias: false, nonlinearity: "relu" })],
  lstm_cell: [130, () => new LSTMCell(3, 5), (m: AnyModule, [x, h, c]) => m.forward(x, [h, c])],
  lstm_cell_unbatched_zero_state: [131, () => new LSTMCell(2, 3)],
  gru_cell: [132, () => new GRUCell(3, 4)],
  gru_cell_unbatched_hx: [133, () => new GRUCell(3, 4, { bias: false })],
  lstm_packed_unsorted: [
    121,
    () => new LSTM(4, 5, { numLayers: 2, bidirectional: true }),
    (m: AnyModule, [x, lengths]) => m.forward(packPaddedSequence(x, lengths, { enforceSorted: false })),
  ],
  gru_packed_batch_first_hx: [
    122,
    () => new GRU(3, 4, { batchFirst: true }),
    (m: AnyModule, [x, lengths, h]) => m.forward(packPaddedSequence(x, lengths, { batchFirst: true }), h),
  ],
  rnn_packed_unsorted_hx: [
    123,
    () => new RNN(3, 4, { nonlinearity: "relu" }),
    (m: AnyModule, [x, lengths, h]) => m.forward(packPaddedSequence(x, lengths, { enforceSorted: false }), h),
  ],
  lstm_packed_padded_back: [
    124,
    () => new LSTM(3, 4, { projSize: 2, dropout: 0.5, numLayers: 2 }),
    (m: AnyModule, [x, lengths, h, c]) => [
      padPackedSequence(m.forward(packPaddedSequence(x, lengths, { enforceSorted: false }), [h, c])[0], {
        paddingValue: -1.0,
        totalLength: 6,
      }),
    ],
  ],
  lstm_pack_sequence_batch_first_out: [
    125,
    () => new LSTM(2, 3),
    (m: AnyModule, [a, b, c]) =>
      padPackedSequence(m.forward(packSequence([a, b, c], { enforceSorted: false }))[0], { batchFirst: true }),
  ],
};

/** Attention and the transformer layers. */
export const TRANSFORMER_CASES: Record<string, LayerCase> = {
  mha: [90, () => new MultiheadAttention(8, 2), selfAttn],
  mha_dropout: [91, () => new MultiheadAttention(8, 4, { dropout: 0.2 }), selfAttn],
  mha_cross_kdim_vdim: [92, () => new MultiheadAttention(8, 2, { kdim: 5, vdim: 6 })],
  mha_encoder_decoder: [
    93,
    () => new MultiheadAttention(6, 3, { bias: false }),
    (m: AnyModule, [q, kv]) => m.forward(q, kv, kv),
  ],
  mha_bias_kv_zero_attn_masks: [
    94,
    () => new MultiheadAttention(8, 2, { addBiasKv: true, addZeroAttn: true }),
    (m: AnyModule, [x, kpm, am]) => m.forward(x, x, x, { keyPaddingMask: kpm, attnMask: am }),
  ],
  mha_batch_first_bool_masks: [
    95,
    () => new MultiheadAttention(8, 2, { batchFirst: true }),
    (m: AnyModule, [x, am, kpm]) =>
      m.forward(x, x, x, { attnMask: am, keyPaddingMask: kpm, averageAttnWeights: false }),
  ],
  mha_no_weights_3d_mask: [
    96,
    () => new MultiheadAttention(4, 2),
    (m: AnyModule, [x, am]) => m.forward(x, x, x, { attnMask: am, needWeights: false }),
  ],
  mha_unbatched: [97, () => new MultiheadAttention(8, 2), selfAttn],
  mha_fast_path: [98, () => new MultiheadAttention(8, 2, { batchFirst: true }), selfAttn],
  mha_fast_path_kpm: [
    99,
    () => new MultiheadAttention(8, 4, { batchFirst: true }),
    (m: AnyModule, [x, kpm]) => m.forward(x, x, x, { keyPaddingMask: kpm }),
  ],
  mha_fast_path_no_weights: [
    100,
    () => new MultiheadAttention(8, 2, { batchFirst: true }),
    (m: AnyModule, [x]) => m.forward(x, x, x, { needWeights: false }),
  ],
  encoder_layer: [110, () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 })],
  encoder_layer_gelu_norm_first: [
    111,
    () =>
      new TransformerEncoderLayer(8, 2, {
        dimFeedforward: 12,
        dropout: 0.2,
        activation: "gelu",
        normFirst: true,
        batchFirst: true,
      }),
    (m: AnyModule, [x, mask]) => m.forward(x, { srcMask: mask }),
  ],
  encoder_layer_fast_path: [112, () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true })],
  encoder_layer_fast_path_kpm_gelu: [
    113,
    () =>
      new TransformerEncoderLayer(8, 4, {
        dimFeedforward: 16,
        activation: "gelu",
        layerNormEps: 1e-4,
        batchFirst: true,
      }),
    (m: AnyModule, [x, kpm]) => m.forward(x, { srcKeyPaddingMask: kpm }),
  ],
  encoder: [
    114,
    () =>
      new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 }), 2, { norm: new LayerNorm(8) }),
  ],
  encoder_nested_fast_path: [
    115,
    () => new TransformerEncoder(new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true }), 2),
    (m: AnyModule, [x, kpm]) => m.forward(x, { srcKeyPaddingMask: kpm }),
  ],
  decoder_layer: [
    116,
    () => new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }),
    (m: AnyModule, [t, mem, mask]) => m.forward(t, mem, { tgtMask: mask }),
  ],
  decoder_layer_norm_first_masks: [
    117,
    () =>
      new TransformerDecoderLayer(8, 4, {
        dimFeedforward: 16,
        dropout: 0.3,
        activation: "gelu",
        batchFirst: true,
        normFirst: true,
      }),
    (m: AnyModule, [t, mem, kpm]) => m.forward(t, mem, { memoryKeyPaddingMask: kpm }),
  ],
  encoder_layer_module_activation: [
    118,
    () => new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, activation: new GELU(), batchFirst: true }),
  ],
  decoder: [
    126,
    () =>
      new TransformerDecoder(new TransformerDecoderLayer(8, 2, { dimFeedforward: 16 }), 2, { norm: new LayerNorm(8) }),
    (m: AnyModule, [t, mem, mask]) => m.forward(t, mem, { tgtMask: mask }),
  ],
  transformer: [
    127,
    () =>
      new Transformer({
        dModel: 8,
        nhead: 2,
        numEncoderLayers: 2,
        numDecoderLayers: 1,
        dimFeedforward: 16,
        batchFirst: true,
      }),
    (m: AnyModule, [src, tgt, mask, kpm]) =>
      m.forward(src, tgt, { tgtMask: mask, srcKeyPaddingMask: kpm, memoryKeyPaddingMask: kpm }),
  ],
  encoder_layer_f64: [
    120,
    () => new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, dtype: "float64", batchFirst: true }),
  ],
};

/** The tensors of a (nested) output in order, nulls left out (as the generator's `flat`). */
export function flat(out: unknown): Tensor[] {
  if (out === null || out === undefined) return [];
  if (isPackedSequence(out)) return flat([out.data, out.batchSizes, out.sortedIndices, out.unsortedIndices]);
  if (Array.isArray(out)) return out.flatMap(flat);
  return [out as Tensor];
}

function has(f: Fixture, name: string): boolean {
  return f.tensors[name] !== undefined;
}

/** Runs one twin against its fixture; throws at the first difference. */
export function runLayerCase(f: Fixture, name: string, [seed, make, fwd]: LayerCase): void {
  const v = f.values[name];
  const before = liveTensors();
  manualSeed(seed);
  const m = make();
  try {
    assertEquals(m.toString(), v.repr);
    assertEquals(m.namedParameters().map(([k]) => k), v.params);
    assertEquals(m.namedBuffers().map(([k]) => k), v.buffers);
    assertStateDictExact(m, f, `${name}.init.`, v.keys);
    v.modes.forEach((mode: string, s: number) => {
      const p = `${name}.${s}`;
      tidy(() => {
        m.train(mode === "train");
        const paramsBefore = new Map(m.namedParameters().map(([k, t]) => [k, t.detach().clone()]));
        const nograd = mode === "eval_nograd";
        const inputs: Tensor[] = [];
        while (has(f, `${p}.in${inputs.length}`)) inputs.push(fixtureTensor(f, `${p}.in${inputs.length}`));
        const gradIdx: number[] = v.grad[s];
        if (!nograd) { for (const i of gradIdx) inputs[i].requiresGrad_(); }
        manualSeed(seed * 100 + s);
        const run = () => flat((fwd ?? call)(m, inputs));
        const outs = nograd ? noGrad(run) : run();
        assertEquals(outs.length, v.outputs[s], `${p}: number of outputs`);
        outs.forEach((o, j) => assertFixtureExact(o, f, `${p}.out${j}`));
        if (!nograd) {
          const diff = outs.map((o, j) => [o, j] as const).filter(([o]) => o.requiresGrad);
          assertEquals(diff.map(([, j]) => has(f, `${p}.g${j}`)), diff.map(() => true), `${p}: differentiable outputs`);
          backward(diff.map(([o]) => o), diff.map(([, j]) => fixtureTensor(f, `${p}.g${j}`)));
          inputs.forEach((x, i) => {
            if (has(f, `${p}.in${i}.grad`)) assertFixtureExact(x.grad, f, `${p}.in${i}.grad`);
            else assertEquals(x.grad, null, `${p}.in${i}.grad`);
          });
          for (const [k, param] of m.namedParameters()) {
            if (has(f, `${p}.grad.${k}`)) assertFixtureExact(param.grad, f, `${p}.grad.${k}`);
            else assertEquals(param.grad, null, `${p}.grad.${k}`);
          }
          m.zeroGrad();
        }
        // parameters changed in place (max_norm) have a fixture; the others must be unchanged
        for (const [k, t] of m.namedParameters()) {
          if (has(f, `${p}.after.${k}`)) assertFixtureExact(t, f, `${p}.after.${k}`);
          else assertTensorExact(t.detach(), paramsBefore.get(k)!, `${p}: ${k} unchanged`);
        }
        for (const [k, t] of m.namedBuffers()) assertFixtureExact(t, f, `${p}.after.${k}`);
      });
    });
  } finally {
    m.dispose();
  }
  assertEquals(liveTensors(), before, `${name}: tensors left behind`);
}
