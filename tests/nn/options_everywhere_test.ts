// Every public function and class that takes an options object rejects an unknown key with a TypeError that
// names the nearest known one; the functional forms also take PyTorch's positional arguments.
import assert from "node:assert/strict";
import * as torch from "../../mod.ts";
import {
  calibration,
  datasets,
  jit,
  Linear,
  liveTensors,
  manualSeed,
  ones,
  randn,
  tensor,
  tidy,
  zeros,
} from "../../mod.ts";
import * as F from "../../nn/functional.ts";

function typeError(fn: () => unknown, message: RegExp): void {
  assert.throws(fn, (e: Error) => {
    assert.ok(e instanceof TypeError, `${e.name}: ${e.message}`);
    assert.match(e.message, message);
    return true;
  });
}

const f32 = { dtype: "float32" } as const;

Deno.test("functional forms take PyTorch's positional arguments and give the options form's values", () => {
  const before = liveTensors();
  tidy(() => {
    manualSeed(0);
    const x = randn([1, 2, 6, 6]);
    const w = randn([2, 2, 3, 3]);
    const b = randn([2]);
    assert.ok(F.conv2d(x, w, b, 2, 1).equal(F.conv2d(x, w, b, { stride: 2, padding: 1 })));
    assert.deepEqual(F.conv2d(x, w, null, 1, 0, 1, 1).shape, [1, 2, 4, 4]);
    // F.max_pool2d's order: stride, padding, dilation, ceil_mode, return_indices
    const [v, i] = F.maxPool2d(x, 2, 2, 0, 1, false, true);
    assert.ok(v.equal(F.maxPool2d(x, 2)));
    assert.deepEqual(i.shape, [1, 2, 3, 3]);
    assert.deepEqual(F.maxPool2d(x, 3, 1).shape, [1, 2, 4, 4]);
    assert.ok(
      F.avgPool2d(x, 3, 1, 1, false, false).equal(F.avgPool2d(x, 3, { stride: 1, padding: 1, countIncludePad: false })),
    );
    assert.ok(F.pad(x, [1, 1, 1, 1], "reflect").equal(F.pad(x, [1, 1, 1, 1], { mode: "reflect" })));
    assert.deepEqual(F.interpolate(x, [3, 3], null, "bilinear", false).shape, [1, 2, 3, 3]);
    assert.ok(F.dropout(x, 0.5, false).equal(x)); // training false: the identity
    assert.ok(F.dropout(x, { p: 0.5, training: false }).equal(x));
    const mean = zeros([2]), variance = ones([2]);
    assert.ok(F.batchNorm(x, mean, variance, null, null, false, 0.1, 1e-5).equal(F.batchNorm(x, mean, variance)));
    const y = tensor([-1, 2], f32);
    assert.deepEqual(F.relu(y.clone(), true).toArray(), [0, 2]);
    const p = tensor([0.8, 0.3], f32), t = tensor([1, 0], f32), wt = tensor([2, 1], f32);
    assert.ok(F.binaryCrossEntropy(p, t, wt).equal(F.binaryCrossEntropy(p, t, { weight: wt })));
    const logits = tensor([[1, 2], [0, 1]], f32), cls = tensor([1, 0]);
    assert.ok(F.crossEntropy(logits, cls, wt).equal(F.crossEntropy(logits, cls, { weight: wt })));
    assert.ok(F.nllLoss(logits, cls, wt).equal(F.nllLoss(logits, cls, { weight: wt })));
  });
  assert.equal(liveTensors(), before);
});

Deno.test("functional forms: unknown keys and PyTorch's arguments we do not take are TypeErrors", () => {
  tidy(() => {
    const x = randn([1, 1, 4, 4]), w = randn([1, 1, 3, 3]);
    typeError(
      () => F.conv2d(x, w, null, { strides: 2 } as never),
      /conv2d: unknown option 'strides' \(did you mean 'stride'\?\)/,
    );
    typeError(() => F.maxPool2d(x, 2, { ceil_mode: true } as never), /did you mean 'ceilMode'/);
    typeError(() => F.avgPool2d(x, 2, { count_include_pad: true } as never), /did you mean 'countIncludePad'/);
    typeError(() => F.softmax(x, 1, 3 as never), /softmax: options must be an object \(as softmax\(x, 1, \{ dtype/);
    typeError(() => F.logSoftmax(x, 1, { dtpye: "float64" } as never), /did you mean 'dtype'/);
    typeError(() => F.relu(x, { in_place: true } as never), /did you mean 'inplace'/);
    typeError(() => F.interpolate(x, { scale_factor: 2 } as never), /did you mean 'scaleFactor'/);
    typeError(() => F.pad(x, [1, 1], { modee: "reflect" } as never), /did you mean 'mode'/);
    typeError(() => F.batchNorm(x, null, null, { trainig: true } as never), /did you mean 'training'/);
    typeError(() => F.mseLoss(x, x, true as never), /mseLoss: takes no positional options/);
    typeError(() => F.crossEntropy(x, x, { ignore_index: 1 } as never), /did you mean 'ignoreIndex'/);
    typeError(() => F.binaryCrossEntropyWithLogits(x, x, { pos_weight: x } as never), /did you mean 'posWeight'/);
  });
});

Deno.test("Module methods: PyTorch's positional forms and checked options", () => {
  using m = new Linear(2, 1);
  assert.deepEqual(m.namedParameters("fc").map(([n]) => n), ["fc.weight", "fc.bias"]);
  assert.deepEqual(m.namedParameters({ prefix: "fc" }).map(([n]) => n), ["fc.weight", "fc.bias"]);
  typeError(() => m.namedParameters({ recursive: false } as never), /did you mean 'recurse'/);
  const sd = m.stateDict();
  delete sd["bias"];
  assert.deepEqual(m.loadStateDict(sd, false).missingKeys, ["bias"]);
  typeError(() => m.loadStateDict(sd, { stict: false } as never), /did you mean 'strict'/);
  for (const t of Object.values(sd)) t.dispose();
  typeError(() => m.zeroGrad({ set_to_none: true } as never), /did you mean 'setToNone'/);
  m.zeroGrad(false);
});

Deno.test("calibration: every options object is checked", () => {
  tidy(() => {
    const p = tensor([0.9, 0.2, 0.7], { dtype: "float64" }), y = tensor([1, 0, 0]);
    typeError(
      () => calibration.expectedCalibrationError(p, y, { n_bins: 10 } as never),
      /unknown option 'n_bins' \(did you mean 'nBins'\?\)/,
    );
    typeError(() => calibration.maximumCalibrationError(p, y, { nbin: 10 } as never), /did you mean 'nBins'/);
    typeError(() => calibration.rmsCalibrationError(p, y, { debiased: true } as never), /did you mean 'debias'/);
    typeError(() => calibration.adaptiveCalibrationError(p, y, { inputs: "logits" } as never), /did you mean 'input'/);
    typeError(
      () => calibration.calibrationReport(p, y, { bin_edges: "(lower, upper]" } as never),
      /did you mean 'binEdges'/,
    );
    typeError(() => calibration.negativeLogLikelihood(p, y, { epsilon: 1e-6 } as never), /unknown option 'epsilon'/);
    typeError(() => calibration.brierScore(p, y, { modle: "sigmoid" } as never), /did you mean 'model'/);
    typeError(() => calibration.accuracy(p, y, { binery: "positive" } as never), /did you mean 'binary'/);
    typeError(() => calibration.fitTemperature(p, y, { max_iterations: 5 } as never), /did you mean 'maxIterations'/);
    typeError(() => calibration.temperatureSweep(p, y, { temperature: [1] } as never), /did you mean 'temperatures'/);
    typeError(() => calibration.eceBootstrap(p, y, { resample: 10 } as never), /did you mean 'resamples'/);
    typeError(() => calibration.scaledLogits(p, 2, { binary: "positive" } as never), /unknown option 'binary'/);
    typeError(
      () => new calibration.TemperatureScaling({ tol: 1 } as never),
      /TemperatureScaling: unknown option 'tol'/,
    );
    typeError(() => new calibration.PlattScaling({ target: "platt" } as never), /did you mean 'targets'/);
    typeError(() => new calibration.HistogramBinning({ empty_bins: "midpoint" } as never), /did you mean 'emptyBins'/);
    typeError(() => new calibration.IsotonicRegression({ interp: "step" } as never), /did you mean 'interpolation'/);
  });
});

Deno.test("datasets and jit: every options object is checked", () => {
  typeError(
    () => datasets.loadCifar10("/nonexistent", { splitt: "train" } as never),
    /loadCifar10: unknown option 'splitt' \(did you mean 'split'\?\)/,
  );
  typeError(
    () => datasets.readCifar10("/nonexistent", { split: "test", classes: [] } as never),
    /readCifar10: unknown option 'classes'/,
  );
  typeError(() => datasets.decodeCifar10(new Uint8Array(0), { num_classes: 10 } as never), /did you mean 'numClasses'/);
  typeError(() => datasets.cifar10Dir({ argv: [] } as never), /did you mean 'args'/);
  typeError(() => new datasets.ByteProgress({ lable: "x" } as never), /did you mean 'label'/);
  typeError(() => datasets.randomSplitIndices(10, [5, 5], { sed: 0 } as never), /did you mean 'seed'/);
  typeError(() => datasets.valCount(10, { val_fraction: 0.1 } as never), /did you mean 'valFraction'/);
  typeError(
    () => jit.load("/nonexistent.pt", { devcie: "cpu" } as never),
    /jit\.load: unknown option 'devcie' \(did you mean 'device'\?\)/,
  );
  tidy(() => {
    const images = zeros([2, 3, 4, 4], { dtype: "uint8" });
    typeError(() => datasets.channelStats(images, { chunks: 1 } as never), /did you mean 'chunk'/);
    typeError(() => datasets.toFloat(images, { dtyp: "float64" } as never), /did you mean 'dtype'/);
    typeError(() => datasets.pad(images, 1, { padding_mode: "edge" } as never), /did you mean 'paddingMode'/);
    typeError(() => datasets.rotate(images, 10, { interpolate: "bilinear" } as never), /did you mean 'interpolation'/);
    typeError(() => datasets.resize(images, 8, { interpolate: "bilinear" } as never), /did you mean 'interpolation'/);
    typeError(() => datasets.randomCrop(images, 4, { pad: 1 } as never), /unknown option 'pad'/);
    typeError(() => datasets.randomHorizontalFlip(images, { prob: 0.5 } as never), /unknown option 'prob'/);
    typeError(() => datasets.randomRotation(images, 10, { fil: 0 } as never), /did you mean 'fill'/);
  });
});

Deno.test("optim: PyTorch's positional forms; unknown options name the nearest known one", () => {
  using m = new Linear(2, 1);
  typeError(
    () => new torch.Adam(m.parameters(), { weight_decay: 0.1 } as never),
    /^Adam: unknown option 'weight_decay' \(did you mean 'weightDecay'\?\); the options are /,
  );
  typeError(() => new torch.AdamW(m.parameters(), { amsGrad: true } as never), /did you mean 'amsgrad'/);
  const sgd = new torch.SGD(m.parameters(), 0.1, 0.9, 0, 0.01, true);
  assert.deepEqual(
    [sgd.defaults.lr, sgd.defaults.momentum, sgd.defaults.weightDecay, sgd.defaults.nesterov],
    [0.1, 0.9, 0.01, true],
  );
  const adam = new torch.Adam(m.parameters(), 0.01, [0.8, 0.9], 1e-6, 0.1, true);
  assert.deepEqual([adam.defaults.lr, adam.defaults.betas, adam.defaults.eps, adam.defaults.amsgrad], [
    0.01,
    [0.8, 0.9],
    1e-6,
    true,
  ]);
  assert.equal(new torch.AdamW(m.parameters(), 0.02).defaults.lr, 0.02);
  assert.equal(new torch.LBFGS(m.parameters(), 0.5, 5).defaults.maxIter, 5);
  typeError(
    // @ts-expect-error: PyTorch's SGD has five positional hyperparameters (maximize is by name)
    () => new torch.SGD(m.parameters(), 0.1, 0, 0, 0, false, true),
    /SGD: takes at most 5 positional options \(lr, momentum, dampening, weightDecay, nesterov\)/,
  );
  const step = new torch.StepLR(sgd, 30, 0.5);
  assert.deepEqual([step.stepSize, step.gamma], [30, 0.5]);
  const cos = new torch.CosineAnnealingLR(adam, 100, 0.001);
  assert.deepEqual([cos.tMax, cos.etaMin], [100, 0.001]);
  const plateau = new torch.ReduceLROnPlateau(new torch.SGD(m.parameters(), 0.1), "max", 0.5, 3);
  assert.deepEqual([plateau.mode, plateau.factor, plateau.patience], ["max", 0.5, 3]);
  typeError(() => new torch.StepLR(sgd, { step_size: 3 } as never), /did you mean 'stepSize'/);
});

Deno.test("creation, to() and autograd: options checked, PyTorch's positional forms of grad and backward", () => {
  typeError(
    () => zeros([2], { dtyp: "float64" } as never),
    /tensor creation: unknown option 'dtyp' \(did you mean 'dtype'\?\)/,
  );
  typeError(() => torch.arange(3, { requires_grad: true } as never), /did you mean 'requiresGrad'/);
  typeError(() => tensor([1], { shap: [1] } as never), /tensor: unknown option 'shap' \(did you mean 'shape'\?\)/);
  tidy(() => {
    const x = tensor([3], { dtype: "float32", requiresGrad: true });
    typeError(() => x.to({ dtpe: "float64" } as never), /to: unknown option 'dtpe' \(did you mean 'dtype'\?\)/);
    const y = x.pow(2).sum();
    const [g] = torch.grad(y, x, null, true, true); // retain_graph, create_graph by position
    assert.deepEqual(g?.toArray(), [6]);
    assert.equal(g?.requiresGrad, true);
    typeError(() => torch.grad(y, x, { allow_unused: true } as never), /did you mean 'allowUnused'/);
    torch.backward([y], null, false);
    assert.deepEqual(x.grad?.toArray(), [6]);
  });
  using m = new Linear(1, 1);
  typeError(() => m.to({ dvice: "cpu" } as never), /Linear\.to: unknown option "dvice"/);
});
