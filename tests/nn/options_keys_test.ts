// Every layer and loss constructor that takes an options object rejects an unknown key (a typo, or PyTorch's
// snake_case name) with a TypeError naming the key and the nearest known one; PyTorch's positional forms
// build the same layer as the options form.
import assert from "node:assert/strict";
import * as nn from "../../nn/mod.ts";
import * as F from "../../nn/functional.ts";
import * as init from "../../nn/init.ts";
import { liveTensors, manualSeed } from "../../mod.ts";

type Make = (options: Record<string, unknown>) => unknown;

let encoderLayer: nn.TransformerEncoderLayer;
let decoderLayer: nn.TransformerDecoderLayer;

// [owner in the message, constructor with the options object last, misspelt key, the key it suggests]
const CASES: [string, Make, string, string][] = [
  ["GELU", (o) => new nn.GELU(o), "aproximate", "approximate"],
  ["SiLU", (o) => new nn.SiLU(o), "in_place", "inplace"],
  ["LeakyReLU", (o) => new nn.LeakyReLU(o), "negative_slope", "negativeSlope"],
  ["ELU", (o) => new nn.ELU(o), "alhpa", "alpha"],
  ["Softplus", (o) => new nn.Softplus(o), "treshold", "threshold"],
  ["Softmax", (o) => new nn.Softmax(o), "dimm", "dim"],
  ["LogSoftmax", (o) => new nn.LogSoftmax(o), "dimm", "dim"],
  ["Softmin", (o) => new nn.Softmin(o), "dimm", "dim"],
  ["Hardswish", (o) => new nn.Hardswish(o), "inplce", "inplace"],
  ["Mish", (o) => new nn.Mish(o), "inplce", "inplace"],
  ["PReLU", (o) => new nn.PReLU(o), "num_parameters", "numParameters"],
  ["Hardtanh", (o) => new nn.Hardtanh(o), "min_val", "minVal"],
  ["ReLU6", (o) => new nn.ReLU6(o), "inplce", "inplace"],
  ["SELU", (o) => new nn.SELU(o), "inplce", "inplace"],
  ["CELU", (o) => new nn.CELU(o), "alhpa", "alpha"],
  ["Hardsigmoid", (o) => new nn.Hardsigmoid(o), "inplce", "inplace"],
  ["GLU", (o) => new nn.GLU(o), "dimm", "dim"],
  ["AdaptiveMaxPool1d", (o) => new nn.AdaptiveMaxPool1d(2, o), "return_indices", "returnIndices"],
  ["AdaptiveMaxPool2d", (o) => new nn.AdaptiveMaxPool2d(2, o), "return_indices", "returnIndices"],
  ["MultiheadAttention", (o) => new nn.MultiheadAttention(4, 2, o), "batch_first", "batchFirst"],
  ["Conv1d", (o) => new nn.Conv1d(1, 1, 3, o), "strid", "stride"],
  ["Conv3d", (o) => new nn.Conv3d(1, 1, 3, o), "padding_mode", "paddingMode"],
  ["ConvTranspose1d", (o) => new nn.ConvTranspose1d(1, 1, 3, o), "output_padding", "outputPadding"],
  ["ConvTranspose2d", (o) => new nn.ConvTranspose2d(1, 1, 3, o), "output_padding", "outputPadding"],
  ["PairwiseDistance", (o) => new nn.PairwiseDistance(o), "keep_dim", "keepdim"],
  ["CosineSimilarity", (o) => new nn.CosineSimilarity(o), "epsilon", "eps"],
  ["Embedding", (o) => new nn.Embedding(5, 2, o), "padding_idx", "paddingIdx"],
  ["EmbeddingBag", (o) => new nn.EmbeddingBag(5, 2, o), "include_last_offset", "includeLastOffset"],
  ["Dropout1d", (o) => new nn.Dropout1d(0.5, o), "inplce", "inplace"],
  ["Dropout2d", (o) => new nn.Dropout2d(0.5, o), "inplce", "inplace"],
  ["Dropout3d", (o) => new nn.Dropout3d(0.5, o), "inplce", "inplace"],
  ["Unfold", (o) => new nn.Unfold(2, o), "dilaton", "dilation"],
  ["Fold", (o) => new nn.Fold(4, 2, o), "strde", "stride"],
  ["LayerNorm", (o) => new nn.LayerNorm(3, o), "elementwise_affine", "elementwiseAffine"],
  ["GroupNorm", (o) => new nn.GroupNorm(1, 2, o), "afine", "affine"],
  ["InstanceNorm1d", (o) => new nn.InstanceNorm1d(2, o), "track_running_stats", "trackRunningStats"],
  ["InstanceNorm2d", (o) => new nn.InstanceNorm2d(2, o), "momentun", "momentum"],
  ["MaxPool1d", (o) => new nn.MaxPool1d(2, o), "ceil_mode", "ceilMode"],
  ["AvgPool1d", (o) => new nn.AvgPool1d(2, o), "count_include_pad", "countIncludePad"],
  ["MaxPool3d", (o) => new nn.MaxPool3d(2, o), "return_indices", "returnIndices"],
  ["AvgPool3d", (o) => new nn.AvgPool3d(2, o), "divisor_override", "divisorOverride"],
  ["RNN", (o) => new nn.RNN(3, 4, o), "non_linearity", "nonlinearity"],
  ["GRU", (o) => new nn.GRU(3, 4, o), "num_layers", "numLayers"],
  ["LSTM", (o) => new nn.LSTM(3, 4, o), "proj_size", "projSize"],
  ["RNNCell", (o) => new nn.RNNCell(3, 4, o), "nonlinerity", "nonlinearity"],
  ["GRUCell", (o) => new nn.GRUCell(3, 4, o), "bais", "bias"],
  ["LSTMCell", (o) => new nn.LSTMCell(3, 4, o), "bais", "bias"],
  ["TransformerEncoderLayer", (o) => new nn.TransformerEncoderLayer(4, 2, o), "dim_feedforward", "dimFeedforward"],
  ["TransformerDecoderLayer", (o) => new nn.TransformerDecoderLayer(4, 2, o), "norm_first", "normFirst"],
  [
    "TransformerEncoder",
    (o) => new nn.TransformerEncoder(encoderLayer, 1, o),
    "enable_nested_tensor",
    "enableNestedTensor",
  ],
  [
    "TransformerDecoder",
    (o) => new nn.TransformerDecoder(decoderLayer, 1, o),
    "nrom",
    "norm",
  ],
  ["Transformer", (o) => new nn.Transformer(o), "d_model", "dModel"],
  ["Upsample", (o) => new nn.Upsample(o), "scale_factor", "scaleFactor"],
  ["CTCLoss", (o) => new nn.CTCLoss(o), "zero_infinity", "zeroInfinity"],
  ["CosineEmbeddingLoss", (o) => new nn.CosineEmbeddingLoss(o), "margn", "margin"],
  ["MarginRankingLoss", (o) => new nn.MarginRankingLoss(o), "reductoin", "reduction"],
  ["TripletMarginLoss", (o) => new nn.TripletMarginLoss(o), "swapp", "swap"],
  ["KLDivLoss", (o) => new nn.KLDivLoss(o), "log_target", "logTarget"],
  ["PoissonNLLLoss", (o) => new nn.PoissonNLLLoss(o), "log_input", "logInput"],
  ["GaussianNLLLoss", (o) => new nn.GaussianNLLLoss(o), "ful", "full"],
  ["SmoothL1Loss", (o) => new nn.SmoothL1Loss(o), "betta", "beta"],
  ["HuberLoss", (o) => new nn.HuberLoss(o), "delat", "delta"],
  ["L1Loss", (o) => new nn.L1Loss(o), "reductoin", "reduction"],
  ["MultiLabelSoftMarginLoss", (o) => new nn.MultiLabelSoftMarginLoss(o), "wieght", "weight"],
];

function unknownKey(owner: string, make: () => unknown, key: string, near: string): void {
  assert.throws(make, (e: Error) => {
    assert.ok(e instanceof TypeError, `${owner}: ${e.name}: ${e.message}`);
    assert.ok(
      e.message.includes(`${owner}: unknown option '${key}' (did you mean '${near}'?)`),
      `${owner}: the message was: ${e.message}`,
    );
    return true;
  });
}

Deno.test("every layer and loss constructor names an unknown option key and the nearest known one", () => {
  const before = liveTensors();
  encoderLayer = new nn.TransformerEncoderLayer(4, 2, { dimFeedforward: 8 });
  decoderLayer = new nn.TransformerDecoderLayer(4, 2, { dimFeedforward: 8 });
  for (const [owner, make, key, near] of CASES) {
    unknownKey(owner, () => make({ [key]: 1 }), key, near);
    // the known key itself is accepted (the check is on names, not on a fixed set of values)
    const made = make({});
    assert.ok(made instanceof nn.Module, `${owner} with no options`);
    made.dispose();
  }
  encoderLayer.dispose();
  decoderLayer.dispose();
  assert.equal(liveTensors(), before);
});

function sameState(a: nn.Module, b: nn.Module): void {
  const sa = a.stateDict(), sb = b.stateDict();
  assert.deepEqual(Object.keys(sa), Object.keys(sb));
  assert.ok(Object.keys(sa).length > 0);
  for (const k of Object.keys(sa)) assert.ok(sa[k].equal(sb[k]), `${k} differs`);
}

function seeded<M extends nn.Module>(make: () => M): M {
  manualSeed(0);
  return make();
}

Deno.test("PyTorch's positional forms build the same layer as the options form", () => {
  sameState(
    seeded(() => new nn.LSTM(3, 4, 2, false, true, 0, true)),
    seeded(() => new nn.LSTM(3, 4, { numLayers: 2, bias: false, batchFirst: true, bidirectional: true })),
  );
  const lstm = new nn.LSTM(3, 4, 2, true, true);
  assert.equal(lstm.numLayers, 2);
  assert.equal(lstm.batchFirst, true);
  sameState(seeded(() => new nn.GRU(3, 4, 2)), seeded(() => new nn.GRU(3, 4, { numLayers: 2 })));
  sameState(seeded(() => new nn.GRUCell(3, 4, false)), seeded(() => new nn.GRUCell(3, 4, { bias: false })));
  sameState(
    seeded(() => new nn.Embedding(10, 3, 1)),
    seeded(() => new nn.Embedding(10, 3, { paddingIdx: 1 })),
  );
  assert.equal(new nn.Embedding(10, 3, 1).paddingIdx, 1);
  sameState(
    seeded(() => new nn.Conv1d(2, 3, 3, 2, 1, 1, 1, false)),
    seeded(() => new nn.Conv1d(2, 3, 3, { stride: 2, padding: 1, bias: false })),
  );
  sameState(
    seeded(() => new nn.MultiheadAttention(4, 2, 0.0, false)),
    seeded(() => new nn.MultiheadAttention(4, 2, { bias: false })),
  );
  sameState(
    seeded(() => new nn.LayerNorm(3, 1e-3, true)),
    seeded(() => new nn.LayerNorm(3, { eps: 1e-3, elementwiseAffine: true })),
  );
  const lr = new nn.LeakyReLU(0.2, true);
  assert.equal(lr.negativeSlope, 0.2);
  assert.equal(lr.inplace, true);
  const d2 = new nn.Dropout2d(0.3, true);
  assert.equal(d2.p, 0.3);
  assert.equal(d2.inplace, true);
  assert.equal(new nn.Dropout2d(0.3, { inplace: true }).inplace, true);
  assert.equal(new nn.Dropout2d().p, 0.5);
  assert.equal(new nn.LayerNorm(3, 1e-3, false).eps, 1e-3);
  assert.equal(new nn.LayerNorm(3, 1e-3, false).weight, null);
  assert.equal(new nn.Softmax(1).dim, 1);
  const mp = new nn.MaxPool1d(3, 1);
  assert.equal(mp.stride, 1);
  // too many positional arguments or a value given twice: a TypeError that shows the options form
  assert.throws(
    () => new (nn.LeakyReLU as unknown as new (...a: unknown[]) => unknown)(0.2, true, 1),
    /LeakyReLU: takes at most 2 positional options/,
  );
  assert.throws(
    () => new nn.LSTM(3, 4, 2, { numLayers: 2 } as never),
    /LSTM: got two values for 'numLayers' \(by position and by name\)/,
  );
});

type Call = (...args: unknown[]) => unknown;

// The functional forms check the options object before anything else, so the other arguments do not matter.
const FUNCTIONS: [string, (options: Record<string, unknown>) => unknown, string, string][] = [
  ["conv3d", (o) => (F.conv3d as unknown as Call)(null, null, null, o), "strid", "stride"],
  ["maxPool3d", (o) => (F.maxPool3d as unknown as Call)(null, null, o), "strid", "stride"],
  ["avgPool3d", (o) => (F.avgPool3d as unknown as Call)(null, null, o), "strid", "stride"],
  ["dropout3d", (o) => (F.dropout3d as unknown as Call)(null, null, o), "trainin", "training"],
  ["gelu", (o) => (F.gelu as unknown as Call)(null, o), "approximat", "approximate"],
  ["silu", (o) => (F.silu as unknown as Call)(null, o), "inplac", "inplace"],
  ["leakyRelu", (o) => (F.leakyRelu as unknown as Call)(null, null, o), "inplac", "inplace"],
  ["elu", (o) => (F.elu as unknown as Call)(null, null, o), "inplac", "inplace"],
  ["hardswish", (o) => (F.hardswish as unknown as Call)(null, o), "inplac", "inplace"],
  ["mish", (o) => (F.mish as unknown as Call)(null, o), "inplac", "inplace"],
  ["hardtanh", (o) => (F.hardtanh as unknown as Call)(null, null, null, o), "inplac", "inplace"],
  ["relu6", (o) => (F.relu6 as unknown as Call)(null, o), "inplac", "inplace"],
  ["selu", (o) => (F.selu as unknown as Call)(null, o), "inplac", "inplace"],
  ["celu", (o) => (F.celu as unknown as Call)(null, null, o), "inplac", "inplace"],
  ["hardsigmoid", (o) => (F.hardsigmoid as unknown as Call)(null, o), "inplac", "inplace"],
  ["softmin", (o) => (F.softmin as unknown as Call)(null, null, o), "dtyp", "dtype"],
  [
    "scaledDotProductAttention",
    (o) => (F.scaledDotProductAttention as unknown as Call)(null, null, null, o),
    "attnMas",
    "attnMask",
  ],
  [
    "multiHeadAttentionForward",
    (o) => (F.multiHeadAttentionForward as unknown as Call)(null, null, null, null, null, o),
    "inProjWeigh",
    "inProjWeight",
  ],
  ["conv1d", (o) => (F.conv1d as unknown as Call)(null, null, null, o), "strid", "stride"],
  ["convTranspose1d", (o) => (F.convTranspose1d as unknown as Call)(null, null, null, o), "strid", "stride"],
  ["convTranspose2d", (o) => (F.convTranspose2d as unknown as Call)(null, null, null, o), "strid", "stride"],
  ["cosineSimilarity", (o) => (F.cosineSimilarity as unknown as Call)(null, null, o), "dimx", "dim"],
  ["pairwiseDistance", (o) => (F.pairwiseDistance as unknown as Call)(null, null, o), "px", "p"],
  ["dropout1d", (o) => (F.dropout1d as unknown as Call)(null, null, o), "trainin", "training"],
  ["dropout2d", (o) => (F.dropout2d as unknown as Call)(null, null, o), "trainin", "training"],
  ["unfold", (o) => (F.unfold as unknown as Call)(null, null, o), "dilatio", "dilation"],
  ["fold", (o) => (F.fold as unknown as Call)(null, null, null, o), "dilatio", "dilation"],
  ["layerNorm", (o) => (F.layerNorm as unknown as Call)(null, null, o), "weigh", "weight"],
  ["groupNorm", (o) => (F.groupNorm as unknown as Call)(null, null, o), "weigh", "weight"],
  ["instanceNorm", (o) => (F.instanceNorm as unknown as Call)(null, o), "runningMea", "runningMean"],
  ["maxPool1d", (o) => (F.maxPool1d as unknown as Call)(null, null, o), "strid", "stride"],
  ["avgPool1d", (o) => (F.avgPool1d as unknown as Call)(null, null, o), "strid", "stride"],
  [
    "adaptiveMaxPool2d",
    (o) => (F.adaptiveMaxPool2d as unknown as Call)(null, null, o),
    "returnIndice",
    "returnIndices",
  ],
  [
    "adaptiveMaxPool1d",
    (o) => (F.adaptiveMaxPool1d as unknown as Call)(null, null, o),
    "returnIndice",
    "returnIndices",
  ],
  ["embedding", (o) => (F.embedding as unknown as Call)(null, null, o), "paddingId", "paddingIdx"],
  ["embeddingBag", (o) => (F.embeddingBag as unknown as Call)(null, null, o), "offset", "offsets"],
  ["ctcLoss", (o) => (F.ctcLoss as unknown as Call)(null, null, null, null, o), "blan", "blank"],
  ["cosineEmbeddingLoss", (o) => (F.cosineEmbeddingLoss as unknown as Call)(null, null, null, o), "margi", "margin"],
  ["marginRankingLoss", (o) => (F.marginRankingLoss as unknown as Call)(null, null, null, o), "margi", "margin"],
  ["tripletMarginLoss", (o) => (F.tripletMarginLoss as unknown as Call)(null, null, null, o), "margi", "margin"],
  ["klDiv", (o) => (F.klDiv as unknown as Call)(null, null, o), "reductio", "reduction"],
  ["poissonNllLoss", (o) => (F.poissonNllLoss as unknown as Call)(null, null, o), "logInpu", "logInput"],
  ["gaussianNllLoss", (o) => (F.gaussianNllLoss as unknown as Call)(null, null, null, o), "ful", "full"],
  [
    "multilabelSoftMarginLoss",
    (o) => (F.multilabelSoftMarginLoss as unknown as Call)(null, null, o),
    "weigh",
    "weight",
  ],
  ["l1Loss", (o) => (F.l1Loss as unknown as Call)(null, null, o), "reductio", "reduction"],
  ["smoothL1Loss", (o) => (F.smoothL1Loss as unknown as Call)(null, null, o), "reductio", "reduction"],
  ["huberLoss", (o) => (F.huberLoss as unknown as Call)(null, null, o), "reductio", "reduction"],
  ["packPaddedSequence", (o) => (nn.packPaddedSequence as unknown as Call)(null, null, o), "batchFirs", "batchFirst"],
  ["padPackedSequence", (o) => (nn.padPackedSequence as unknown as Call)(null, o), "batchFirs", "batchFirst"],
  ["padSequence", (o) => (nn.padSequence as unknown as Call)(null, o), "batchFirs", "batchFirst"],
  ["kaimingUniform_", (o) => (init.kaimingUniform_ as unknown as Call)(null, o), "ax", "a"],
  ["kaimingNormal_", (o) => (init.kaimingNormal_ as unknown as Call)(null, o), "ax", "a"],
];

Deno.test("every functional form with an options object names an unknown key and the nearest known one", () => {
  for (const [owner, call, key, near] of FUNCTIONS) unknownKey(owner, () => call({ [key]: 1 }), key, near);
});
