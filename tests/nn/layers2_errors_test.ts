// The new layers' argument checks (TypeError for the wrong kind, RangeError out of range, each naming
// the argument and value), PyTorch's shape errors for recurrent and attention input, the fast-path
// decisions of PyTorch 1.13 in its words, TransformerEncoder's copies, and state-dict round trips,
// without leaking tensors.

import { deepStrictEqual as assertEquals, match } from "node:assert/strict";
import {
  getRngState,
  liveTensors,
  manualSeed,
  noGrad,
  randn,
  type Tensor,
  tensor,
  tidy,
  TorchError,
  zeros,
} from "../../mod.ts";
import {
  ConvTranspose2d,
  disposePackedSequence,
  Dropout1d,
  Embedding,
  EmbeddingBag,
  functional as F,
  GELU,
  GroupNorm,
  GRU,
  LayerNorm,
  LSTM,
  MultiheadAttention,
  packPaddedSequence,
  padPackedSequence,
  padSequence,
  PReLU,
  RNN,
  Softmax,
  Transformer,
  TransformerDecoder,
  TransformerEncoder,
  TransformerEncoderLayer,
  Upsample,
} from "../../nn/mod.ts";
import { assertTensorExact } from "../fixture.ts";
import "./helpers.ts";

/** Asserts `fn` throws an instance of `type` whose message matches every pattern. */
function throwsWith(fn: () => unknown, type: new (...a: never[]) => Error, ...patterns: RegExp[]): void {
  let caught: unknown;
  try {
    tidy(() => {
      fn();
    });
  } catch (e) {
    caught = e;
  }
  if (!(caught instanceof type)) throw new Error(`expected ${type.name}, got ${caught}`);
  for (const p of patterns) match(caught.message, p);
}

Deno.test("layers2 errors: options of the wrong kind or out of range name the option and the value", () => {
  throwsWith(() => new GELU({ approximate: "fast" as "tanh" }), RangeError, /GELU/, /approximate/, /"fast"/);
  throwsWith(() => new Softmax({ dim: 1.5 }), TypeError, /Softmax/, /dim/, /1\.5/);
  throwsWith(() => new PReLU({ numParameters: 0 }), RangeError, /PReLU/, /numParameters/);
  throwsWith(() => new LayerNorm([4, -1]), TypeError, /LayerNorm/, /normalizedShape/);
  throwsWith(() => new GroupNorm(3, 4), RangeError, /numChannels must be divisible by numGroups/);
  throwsWith(() => new Embedding(5, 3, { paddingIdx: 5 }), RangeError, /paddingIdx/, /within/);
  throwsWith(() => new Embedding(5, 3, { paddingIdx: -6 }), RangeError, /paddingIdx/);
  throwsWith(() => new Embedding(5, 3, { sparse: true }), RangeError, /sparse gradients are not supported/);
  throwsWith(() => new EmbeddingBag(5, 3, { mode: "median" as "sum" }), RangeError, /mode/, /"median"/);
  throwsWith(() => new LSTM(4, 3, { projSize: 3 }), RangeError, /projSize has to be smaller than hiddenSize/);
  throwsWith(() => new RNN(4, 3, { nonlinearity: "sigmoid" as "relu" }), RangeError, /nonlinearity/);
  throwsWith(() => new GRU(4, 3, { dropout: 1.5 }), RangeError, /dropout/, /1\.5/);
  throwsWith(() => new GRU(4, 3, { numLayers: 0 }), RangeError, /numLayers/);
  throwsWith(() => new MultiheadAttention(10, 3), RangeError, /embedDim must be divisible by numHeads/);
  throwsWith(() => new Dropout1d(2), RangeError, /Dropout1d/, /p/);
  throwsWith(() => new Upsample({ scaleFactor: -1 }), RangeError, /scaleFactor/);
  throwsWith(
    () => new TransformerEncoderLayer(8, 2, { activation: "tanh" as "relu" }),
    TypeError,
    /activation should be "relu", "gelu", a function or a Module/,
  );
});

Deno.test("layers2 errors: recurrent input and state shapes are checked as PyTorch checks them", () => {
  manualSeed(0);
  using lstm = new LSTM(4, 5, { numLayers: 2 });
  using gru = new GRU(4, 5);
  const before = liveTensors();
  throwsWith(
    () => lstm.forward(randn([3, 2, 6])),
    RangeError,
    /input.size\(-1\) must be equal to input_size. Expected 4, got 6/,
  );
  throwsWith(() => lstm.forward(randn([3, 2, 4, 1])), RangeError, /input must have 3 dimensions, got 5/);
  throwsWith(
    () => lstm.forward(randn([3, 2, 4]), [zeros([2, 2, 5]), zeros([1, 2, 5])]),
    RangeError,
    /Expected hidden\[1\] size \[2, 2, 5\], got \[1, 2, 5\]/,
  );
  throwsWith(
    () => lstm.forward(randn([3, 4]), [zeros([2, 2, 5]), zeros([2, 2, 5])]),
    RangeError,
    /For unbatched 2-D input, hx and cx should also be 2-D but got \(3-D, 3-D\) tensors/,
  );
  throwsWith(
    () => gru.forward(randn([3, 2, 4]), zeros([1, 3, 5])),
    RangeError,
    /Expected hidden size \[1, 2, 5\], got \[1, 3, 5\]/,
  );
  throwsWith(() => gru.forward(randn([3, 2, 4]), zeros([2, 5])), RangeError, /hx should also be 3-D but got 2-D/);
  throwsWith(() => gru.forward(randn([3, 2, 4]), 3 as unknown as Tensor), TypeError, /hx must be a Tensor or null/);
  assertEquals(liveTensors(), before);
});

Deno.test("layers2 errors: embeddings and attention reject bad indices, masks and shapes", () => {
  manualSeed(0);
  using emb = new Embedding(5, 3);
  using bag = new EmbeddingBag(5, 3);
  using mha = new MultiheadAttention(8, 2);
  const before = liveTensors();
  throwsWith(() => emb.forward(randn([2])), TypeError, /input must hold int64 or int32 indices, got float32/);
  throwsWith(
    () => bag.forward(tensor([[1, 2]]), tensor([0])),
    TypeError,
    /if input is 2D, then offsets has to be null/,
  );
  throwsWith(() => bag.forward(tensor([1, 2])), TypeError, /offsets has to be a 1D Tensor but got null/);
  throwsWith(
    () => bag.forward(tensor([1, 2]), tensor([0]), { perSampleWeights: randn([2]) }),
    RangeError,
    /perSampleWeights is only supported for mode "sum"/,
  );
  throwsWith(
    () => new Dropout1d().forward(randn([2, 3, 4, 5])),
    RangeError,
    /Expected 2D or 3D input, but received a 4D input/,
  );
  const x = randn([4, 2, 8]);
  throwsWith(
    () => mha.forward(x, x, x, { attnMask: zeros([4, 5]) }),
    RangeError,
    /The shape of the 2D attnMask is \[4, 5\], but should be \[4, 4\]/,
  );
  throwsWith(
    () => mha.forward(x, x, x, { keyPaddingMask: tensor([[0, 1, 0, 0], [0, 0, 0, 0]]) }),
    TypeError,
    /only bool and floating types of keyPaddingMask are supported/,
  );
  throwsWith(
    () => mha.forward(randn([4, 2, 6]), randn([4, 2, 6]), randn([4, 2, 6])),
    RangeError,
    /was expecting embedding dimension of 8, but got 6/,
  );
  throwsWith(
    () => mha.forward(randn([8]), randn([8]), randn([8])),
    RangeError,
    /query should be unbatched 2D or batched 3D tensor but received 1-D/,
  );
  x.dispose();
  assertEquals(liveTensors(), before);
});

Deno.test("layers2 errors: ConvTranspose2d checks a requested output size", () => {
  manualSeed(0);
  using up = new ConvTranspose2d(2, 3, 3, { stride: 2, padding: 1 });
  throwsWith(
    () => up.forward(randn([1, 2, 4, 4]), [9, 7]),
    RangeError,
    /requested an output size of \[9, 7\], but valid sizes range from \[7, 7\] to \[8, 8\]/,
  );
  throwsWith(
    () => up.forward(randn([1, 2, 4, 4]), [1, 2, 3]),
    RangeError,
    /outputSize must have 2 or 4 elements \(got 3\)/,
  );
  tidy(() => assertEquals(up.forward(randn([1, 2, 4, 4]), [1, 3, 8, 7]).shape, [1, 3, 8, 7]));
});

Deno.test("layers2: the fast-path decisions are PyTorch 1.13's, in its words", () => {
  manualSeed(0);
  using mha = new MultiheadAttention(8, 2, { batchFirst: true });
  using layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16, batchFirst: true });
  tidy(() => {
    const x = randn([2, 3, 8]);
    assertEquals(mha.whyNotFastPath(x, x, x), "training is enabled");
    mha.eval();
    assertEquals(
      mha.whyNotFastPath(x, x, x),
      "grad is enabled and at least one of query or the input/output projection weights or biases requires_grad",
    );
    assertEquals(noGrad(() => mha.whyNotFastPath(x, x, x)), "");
    assertEquals(
      mha.whyNotFastPath(x, randn([2, 3, 8]), x),
      "non-self attention was used (query, key, and value are not the same Tensor)",
    );
    assertEquals(noGrad(() => mha.whyNotFastPath(x, x, x, { attnMask: zeros([3, 3]) })), "attn_mask was not None");
    layer.eval();
    assertEquals(noGrad(() => layer.whyNotFastPath(x)), "");
    assertEquals(
      noGrad(() => layer.whyNotFastPath(x, { srcMask: zeros([3, 3]) })),
      "src_mask is not supported for fastpath",
    );
    assertEquals(
      noGrad(() => layer.whyNotFastPath(randn([3, 8]))),
      "input not batched; expected src.dim() of 3 but got 2",
    );
  });
});

Deno.test("layers2: TransformerEncoder copies its layer without drawing from the generator", () => {
  manualSeed(3);
  const layer = new TransformerEncoderLayer(8, 2, { dimFeedforward: 16 });
  const before = getRngState();
  using enc = new TransformerEncoder(layer, 3);
  tidy(() => {
    assertTensorExact(getRngState(), before, "generator state");
    const sd = enc.stateDict();
    for (const k of Object.keys(sd).filter((k) => k.startsWith("layers.0."))) {
      for (const i of [1, 2]) assertTensorExact(sd[k.replace("layers.0.", `layers.${i}.`)], sd[k], k);
    }
    const [l0, l1] = enc.layerList;
    assertEquals(l0 === layer, true);
    assertEquals(l0.linear1.weight === l1.linear1.weight, false);
    assertEquals(l1.linear1.weight.requiresGrad, true);
  });
  before.dispose();
});

Deno.test("layers2: an LSTM state dict loads into another LSTM and gives the same outputs", () => {
  manualSeed(1);
  using a = new LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
  manualSeed(2);
  using b = new LSTM(3, 4, { numLayers: 2, bidirectional: true, projSize: 2 });
  const before = liveTensors();
  tidy(() => {
    b.loadStateDict(a.stateDict());
    const x = randn([5, 2, 3]);
    const [ya, [ha, ca]] = a.forward(x);
    const [yb, [hb, cb]] = b.forward(x);
    assertTensorExact(yb, ya, "output");
    assertTensorExact(hb, ha, "h");
    assertTensorExact(cb, ca, "c");
    assertEquals(ya.shape, [5, 2, 4]);
    assertEquals(ha.shape, [4, 2, 2]);
    assertEquals(ca.shape, [4, 2, 4]);
  });
  assertEquals(liveTensors(), before);
  assertEquals(a.flatWeightsNames.slice(0, 5), [
    "weight_ih_l0",
    "weight_hh_l0",
    "bias_ih_l0",
    "bias_hh_l0",
    "weight_hr_l0",
  ]);
});

Deno.test("layers2: the functional forms reject bad arguments", () => {
  throwsWith(() => F.gelu(3 as unknown as Tensor), TypeError, /gelu: input must be a Tensor, got 3/);
  throwsWith(() => F.groupNorm(randn([1, 4]), 4), RangeError, /Expected more than 1 value per channel when training/);
  throwsWith(() => F.instanceNorm(randn([2, 3, 1])), RangeError, /Expected more than 1 spatial element when training/);
  throwsWith(() => F.unfold(randn([1, 1, 4, 4]), 0), RangeError, /unfold: kernelSize must be a positive integer/);
  throwsWith(
    () => F.conv1d(randn([1, 2, 5]), randn([3, 2, 2]), null, { padding: "full" as "same" }),
    RangeError,
    /padding/,
  );
  throwsWith(
    () => F.scaledDotProductAttention(randn([2, 3]), randn([2, 3]), randn([2, 3]), { dropoutP: 2 }),
    RangeError,
    /dropoutP/,
  );
});

Deno.test("layers2: packed sequences are checked and freed", () => {
  manualSeed(0);
  using lstm = new LSTM(3, 4);
  const before = liveTensors();
  throwsWith(
    () => padPackedSequence(packPaddedSequence(randn([5, 2, 3]), [5, 3]), { totalLength: 4 }),
    RangeError,
    /Expected totalLength to be at least the length of the longest sequence in input, but got totalLength=4 and max sequence length being 5/,
  );
  throwsWith(
    () => packPaddedSequence(randn([5, 2, 3]), [5.5, 3]),
    TypeError,
    /lengths must be a Tensor or an array of integers/,
  );
  throwsWith(() => packPaddedSequence(randn([5, 2, 3]), [3, 5]), TorchError, /sorted in decreasing order/);
  throwsWith(
    () => lstm.forward(packPaddedSequence(randn([5, 2, 2]), [5, 3])),
    RangeError,
    /input.size\(-1\) must be equal to input_size. Expected 3, got 2/,
  );
  throwsWith(() => padPackedSequence(randn([3]) as never), TypeError, /sequence must be a PackedSequence/);
  using x = randn([4, 3, 3]);
  const p = packPaddedSequence(x, [2, 4, 1], { enforceSorted: false });
  tidy(() => {
    assertEquals(p.sortedIndices!.toArray(), [1, 0, 2]);
    assertEquals(p.unsortedIndices!.toArray(), [1, 0, 2]);
    assertEquals(p.batchSizes.toArray(), [3, 2, 1, 1]);
    const [out] = lstm.forward(p);
    const [padded, lengths] = padPackedSequence(out);
    assertEquals(padded.shape, [4, 3, 4]);
    assertEquals(lengths.toArray(), [2, 4, 1]);
  });
  disposePackedSequence(p);
  x.dispose();
  assertEquals(liveTensors(), before);
});

Deno.test("layers2: Transformer's causal mask and input checks", () => {
  tidy(() => {
    const mask = Transformer.generateSquareSubsequentMask(3);
    assertEquals(mask.toArray(), [[0, -Infinity, -Infinity], [0, 0, -Infinity], [0, 0, 0]]);
    assertEquals(mask.dtype, "float32");
  });
  manualSeed(0);
  using model = new Transformer({ dModel: 4, nhead: 2, numEncoderLayers: 1, numDecoderLayers: 2, dimFeedforward: 8 });
  assertEquals((model.decoder as TransformerDecoder).layerList.length, 2);
  throwsWith(
    () => model.forward(randn([5, 2, 4]), randn([3, 3, 4])),
    RangeError,
    /the batch number of src and tgt must be equal/,
  );
  throwsWith(
    () => model.forward(randn([5, 2, 4]), randn([3, 2, 6])),
    RangeError,
    /the feature number of src and tgt must be equal to d_model/,
  );
  throwsWith(
    () => new TransformerDecoder(new LayerNorm(4) as never, 2),
    TypeError,
    /decoderLayer must be a TransformerDecoderLayer/,
  );
});

Deno.test("layers2: pretrained embeddings, RNN weight views, and 1.13's bias-free fast-path error", () => {
  const before = liveTensors();
  {
    using emb = Embedding.fromPretrained(tensor([[1, 2], [3, 4]], { dtype: "float32" }), { paddingIdx: 1 });
    assertEquals(emb.weight.requiresGrad, false);
    assertEquals(emb.toString(), "Embedding(2, 2, padding_idx=1)");
    tidy(() => assertEquals(emb.forward(tensor([1, 0])).toArray(), [[3, 4], [1, 2]]));
    using bag = EmbeddingBag.fromPretrained(tensor([[1, 2], [3, 4]], { dtype: "float32" }), {
      freeze: false,
      mode: "sum",
    });
    assertEquals(bag.weight.requiresGrad, true);
    tidy(() => assertEquals(bag.forward(tensor([[0, 1]])).toArray(), [[4, 6]]));
    throwsWith(() => Embedding.fromPretrained(zeros([3])), RangeError, /expected to be 2-dimensional/);
  }
  manualSeed(0);
  {
    using gru = new GRU(2, 3, { numLayers: 2, bidirectional: true });
    assertEquals(gru.allWeights.length, 4);
    assertEquals(gru.allWeights[3].map((t) => t.shape), [[9, 6], [9, 3], [9], [9]]);
    assertEquals(gru.allWeights[3][0] === gru.flatWeights[12], true);
    gru.flattenParameters();
    // PyTorch 1.13 passes a missing in-projection bias to the fused operator, which rejects it
    using mha = new MultiheadAttention(4, 2, { bias: false, batchFirst: true });
    mha.eval();
    const x = randn([2, 3, 4]);
    throwsWith(() => noGrad(() => mha.forward(x, x, x)), TorchError, /qkv_bias/);
    tidy(() => assertEquals(mha.forward(x, x, x)[0].shape, [2, 3, 4]));
    x.dispose();
  }
  assertEquals(liveTensors(), before);
});

Deno.test("layers2: inputs LibTorch rejects become TorchErrors naming the operator, never a crash", () => {
  manualSeed(0);
  const before = liveTensors();
  throwsWith(() => F.embedding(tensor([5]), randn([3, 2])), TorchError, /aten::embedding/, /index out of range/);
  throwsWith(
    () => F.embeddingBag(tensor([0, 1]), randn([3, 2]), { offsets: tensor([0, 5]) }),
    TorchError,
    /offsets\[-1\] can not be greater than input's length/,
  );
  throwsWith(
    () => F.embeddingBag(tensor([0, 7]), randn([3, 2]), { offsets: tensor([0]), maxNorm: 1 }),
    TorchError,
    /aten::embedding_renorm_/,
  );
  throwsWith(
    () => {
      using lstm = new LSTM(2, 3);
      lstm.forward(randn([4, 1, 2], { dtype: "float64" }));
    },
    TorchError,
    /aten::lstm/,
  );
  throwsWith(
    () => {
      using up = new ConvTranspose2d(2, 3, 3);
      up.forward(randn([1, 5, 4, 4]));
    },
    TorchError,
    /expected input\[1, 5, 4, 4\] to have 2 channels/,
  );
  throwsWith(() => padSequence([]), TorchError, /received an empty list of sequences/);
  throwsWith(() => F.fold(randn([1, 5, 3]), [4, 4], 2), TorchError, /aten::col2im/);
  throwsWith(() => F.glu(randn([3, 5])), TorchError, /Halving dimension must be even/);
  throwsWith(
    () => {
      using layer = new TransformerEncoderLayer(4, 2, { dimFeedforward: 8, batchFirst: true });
      layer.eval();
      noGrad(() => layer.forward(randn([2, 3, 4]), { srcKeyPaddingMask: zeros([2, 9], { dtype: "bool" }) }));
    },
    TorchError,
    /aten::_transformer_encoder_layer_fwd/,
  );
  assertEquals(liveTensors(), before);
});
