// Parity of the new functional forms (activations, layer/group/instance norm, embeddings, distances,
// unfold/fold, 1-D and transposed convolutions, 1-D and adaptive max pooling, channel dropout and 1.13's
// scaled dot-product attention) with torch.nn.functional 1.13: outputs, input gradients and in-place
// effects (max_norm, running statistics), to the bit. Fixtures: scripts/fixtures/gen_nn_layers.py
// (functional_cases).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { liveTensors, manualSeed, type Tensor, tidy } from "../../mod.ts";
import * as F from "../../nn/functional.ts";
import { padSequence } from "../../nn/mod.ts";
import { fixtureTensor, loadFixture } from "../fixture.ts";
import { assertFixtureExact } from "./helpers.ts";

const f = loadFixture("nn/functional2");

type Fn = (...inputs: Tensor[]) => Tensor | [Tensor, Tensor];

/** The twins of gen_nn_layers.py's functional cases: seed and call. */
const CASES: Record<string, [number, Fn]> = {
  gelu: [1, (x) => F.gelu(x)],
  gelu_tanh: [2, (x) => F.gelu(x, { approximate: "tanh" })],
  silu: [3, (x) => F.silu(x)],
  layer_norm: [4, (x, w, b) => F.layerNorm(x, [3, 4], { weight: w, bias: b, eps: 1e-3 })],
  layer_norm_plain: [5, (x) => F.layerNorm(x, [5])],
  group_norm: [6, (x, w, b) => F.groupNorm(x, 3, { weight: w, bias: b })],
  group_norm_plain: [7, (x) => F.groupNorm(x, 2, { eps: 1e-2 })],
  embedding: [8, (i, w) => F.embedding(i, w, { paddingIdx: 2 })],
  embedding_max_norm: [9, (i, w) => F.embedding(i, w, { maxNorm: 1.5, normType: 3.0 })],
  embedding_bag: [10, (i, w, o) => F.embeddingBag(i, w, { offsets: o, mode: "sum" })],
  cosine_similarity: [11, (a, b) => F.cosineSimilarity(a, b)],
  cosine_similarity_dim0: [12, (a, b) => F.cosineSimilarity(a, b, { dim: 0, eps: 0.5 })],
  pairwise_distance: [13, (a, b) => F.pairwiseDistance(a, b)],
  pairwise_distance_p1_keepdim: [14, (a, b) => F.pairwiseDistance(a, b, { p: 1.0, eps: 1e-3, keepdim: true })],
  unfold: [15, (x) => F.unfold(x, 3, { dilation: 1, padding: 1, stride: 2 })],
  unfold_rect: [16, (x) => F.unfold(x, [2, 3], { dilation: [1, 2] })],
  fold: [17, (x) => F.fold(x, [4, 5], 2, { stride: [2, 1], padding: [0, 1] })],
  sdpa: [18, (q, k, v) => F.scaledDotProductAttention(q, k, v)],
  sdpa_mask_causal_weights: [
    19,
    (q, k, v, m) => F.scaledDotProductAttention(q, k, v, { attnMask: m, needAttnWeights: true }),
  ],
  sdpa_causal_dropout: [
    20,
    (q, k, v) => F.scaledDotProductAttention(q, k, v, { dropoutP: 0.3, needAttnWeights: true, isCausal: true }),
  ],
  leaky_relu: [21, (x) => F.leakyRelu(x, 0.3)],
  elu: [22, (x) => F.elu(x, 2.0)],
  softplus: [23, (x) => F.softplus(x, 3, 2)],
  hardswish: [24, (x) => F.hardswish(x)],
  mish: [25, (x) => F.mish(x)],
  prelu: [26, (x, w) => F.prelu(x, w)],
  instance_norm: [
    27,
    (x, rm, rv, w, b) =>
      F.instanceNorm(x, { runningMean: rm, runningVar: rv, weight: w, bias: b, momentum: 0.2, eps: 1e-4 }),
  ],
  conv1d: [28, (x, w, b) => F.conv1d(x, w, b, { stride: 2, padding: 1 })],
  conv_transpose1d: [29, (x, w, b) => F.convTranspose1d(x, w, b, { stride: 2, outputPadding: 1 })],
  conv_transpose2d: [30, (x, w) => F.convTranspose2d(x, w, null, { stride: [1, 2], padding: [0, 1], dilation: 2 })],
  max_pool1d: [31, (x) => F.maxPool1d(x, 3, { stride: 2, padding: 1 })],
  avg_pool1d: [32, (x) => F.avgPool1d(x, 3, { stride: 2, padding: 1, countIncludePad: false })],
  adaptive_max_pool2d: [33, (x) => F.adaptiveMaxPool2d(x, 2, { returnIndices: true })],
  dropout1d: [34, (x) => F.dropout1d(x, 0.5)],
  dropout2d: [35, (x) => F.dropout2d(x, 0.4)],
  tanh: [36, (x) => F.tanh(x)],
  pad_sequence: [37, (a, b, c) => padSequence([a, b, c], { batchFirst: true, paddingValue: 0.5 })],
  pad_sequence_seq_first: [38, (a, b) => padSequence([a, b])],
  hardtanh: [39, (x) => F.hardtanh(x, -0.3, 0.6)],
  relu6: [40, (x) => F.relu6(x)],
  selu: [41, (x) => F.selu(x)],
  celu: [42, (x) => F.celu(x, 1.5)],
  softsign: [43, (x) => F.softsign(x)],
  logsigmoid: [44, (x) => F.logsigmoid(x)],
  hardsigmoid: [45, (x) => F.hardsigmoid(x)],
  glu: [46, (x) => F.glu(x, 1)],
  softmin_f64: [47, (x) => F.softmin(x, 0, { dtype: "float64" })],
  adaptive_avg_pool1d: [48, (x) => F.adaptiveAvgPool1d(x, 3)],
  adaptive_max_pool1d: [49, (x) => F.adaptiveMaxPool1d(x, 3)],
};

Deno.test("functional2: every fixture case has a TypeScript twin", () => {
  assertEquals(Object.keys(CASES).sort(), Object.keys(f.values).sort());
});

for (const [name, [seed, fn]] of Object.entries(CASES)) {
  Deno.test(`functional2: ${name} matches torch.nn.functional to the bit`, () => {
    const v = f.values[name];
    const before = liveTensors();
    tidy(() => {
      const inputs = Array.from({ length: v.inputs }, (_, i) => {
        const t = fixtureTensor(f, `${name}.in${i}`);
        return v.grad.includes(i) ? t.requiresGrad_() : t;
      });
      manualSeed(seed);
      const result = fn(...inputs);
      const outs = Array.isArray(result) ? result : [result];
      assertEquals(outs.length, v.outputs);
      outs.forEach((o, i) => assertFixtureExact(o, f, `${name}.out${i}`));
      if (`${name}.g` in f.tensors) {
        outs[0].backward(fixtureTensor(f, `${name}.g`));
        for (const i of v.grad) {
          if (`${name}.in${i}.grad` in f.tensors) assertFixtureExact(inputs[i].grad, f, `${name}.in${i}.grad`);
          else assertEquals(inputs[i].grad, null);
        }
      } else {
        assertEquals(outs[0].requiresGrad, false);
      }
      inputs.forEach((t, i) => {
        if (`${name}.in${i}.after` in f.tensors) assertFixtureExact(t.detach(), f, `${name}.in${i}.after`);
      });
    });
    assertEquals(liveTensors(), before);
  });
}

Deno.test("functional2: the inplace activations overwrite and return their input", () => {
  tidy(() => {
    const pairs: [string, (x: Tensor) => Tensor][] = [
      ["silu", (x) => F.silu(x, { inplace: true })],
      ["leaky_relu", (x) => F.leakyRelu(x, 0.3, { inplace: true })],
      ["elu", (x) => F.elu(x, 2.0, { inplace: true })],
      ["hardswish", (x) => F.hardswish(x, { inplace: true })],
      ["mish", (x) => F.mish(x, { inplace: true })],
      ["hardtanh", (x) => F.hardtanh(x, -0.3, 0.6, { inplace: true })],
      ["relu6", (x) => F.relu6(x, { inplace: true })],
      ["selu", (x) => F.selu(x, { inplace: true })],
      ["celu", (x) => F.celu(x, 1.5, { inplace: true })],
      ["hardsigmoid", (x) => F.hardsigmoid(x, { inplace: true })],
    ];
    for (const [name, fn] of pairs) {
      const x = fixtureTensor(f, `${name}.in0`);
      assertEquals(fn(x) === x, true, name);
      assertFixtureExact(x, f, `${name}.out0`);
    }
    const z = fixtureTensor(f, "dropout1d.in0");
    manualSeed(34);
    assertEquals(F.dropout1d(z, 0.5, { inplace: true }) === z, true);
    assertFixtureExact(z, f, "dropout1d.out0");
  });
});
