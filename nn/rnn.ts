/**
 * The recurrent layers `RNN`, `LSTM` and `GRU`, as torch.nn's: any number of layers, bidirectional,
 * `batchFirst`, dropout between layers, LSTM projections (`projSize`), unbatched input, PyTorch's
 * parameter names (`weight_ih_l0`, `bias_hh_l1_reverse`, `weight_hr_l0`) drawn from U(-1/√hidden, 1/√hidden)
 * in PyTorch's order, and the very ATen operators PyTorch-Python calls (`aten::lstm`, `aten::gru`,
 * `aten::rnn_tanh`, `aten::rnn_relu` with the flat weight list in PyTorch's order), on padded input or
 * on packed sequences (`packed_sequence.ts`, the operators' `.data` overloads).
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { type Arg, callN, floatArg, op, type OpRef } from "../tensor/call.ts";
import { empty, zeros } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkOneOf, checkTensor, sizeText } from "../tensor/checks.ts";
import { uniform_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";
import { isPackedSequence, makePackedSequence, type PackedSequence } from "./packed_sequence.ts";
import { pyFloat } from "./python_repr.ts";

const OPS = {
  lstm: op("aten::lstm", "input"),
  gru: op("aten::gru", "input"),
  rnnTanh: op("aten::rnn_tanh", "input"),
  rnnRelu: op("aten::rnn_relu", "input"),
  lstmData: op("aten::lstm", "data"),
  gruData: op("aten::gru", "data"),
  rnnTanhData: op("aten::rnn_tanh", "data"),
  rnnReluData: op("aten::rnn_relu", "data"),
};

/** The kinds of recurrence, as PyTorch's `RNNBase.mode`. */
export type RNNMode = "LSTM" | "GRU" | "RNN_TANH" | "RNN_RELU";

/** Options of the recurrent layers. */
export interface RNNBaseOptions extends FactoryOptions {
  /** The number of stacked layers (default 1). */
  numLayers?: number;
  /** Learn the biases `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
  /** Input and output are [batch, seq, feature] instead of [seq, batch, feature] (default false). */
  batchFirst?: boolean;
  /** Dropout on the outputs of each layer but the last, in training (default 0). */
  dropout?: number;
  /** Run a second layer over the reversed sequence (default false). */
  bidirectional?: boolean;
}

/** Options of {@linkcode RNN}. */
export interface RNNOptions extends RNNBaseOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: "tanh" | "relu";
}

/** Options of {@linkcode LSTM}. */
export interface LSTMOptions extends RNNBaseOptions {
  /** Project the hidden state to this size (0, the default: no projection). */
  projSize?: number;
}

/** The common part of the recurrent layers (PyTorch's `RNNBase`). */
export abstract class RNNBase extends Module {
  /** The recurrence. */
  readonly mode: RNNMode;
  /** The size of each input element. */
  readonly inputSize: number;
  /** The size of the hidden state. */
  readonly hiddenSize: number;
  /** The number of stacked layers. */
  readonly numLayers: number;
  /** Whether there are biases. */
  readonly bias: boolean;
  /** Whether input and output are batch first. */
  readonly batchFirst: boolean;
  /** The dropout between layers. */
  readonly dropout: number;
  /** Whether the layers are bidirectional. */
  readonly bidirectional: boolean;
  /** The LSTM projection size (0: none). */
  readonly projSize: number;
  /** The parameter names in PyTorch's flat order (`weight_ih_l0`, `weight_hh_l0`, ...). */
  readonly flatWeightsNames: string[] = [];
  readonly #flat: Tensor[] = [];

  /** A recurrent layer of `mode` from `inputSize` to `hiddenSize`. */
  constructor(mode: RNNMode, inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super();
    const where = this.typeName;
    this.mode = mode;
    this.inputSize = checkInt(where, "inputSize", inputSize, 0);
    this.hiddenSize = checkInt(where, "hiddenSize", hiddenSize, 0);
    this.numLayers = checkInt(where, "numLayers", options.numLayers ?? 1, 1);
    this.bias = checkBoolean(where, "bias", options.bias ?? true);
    this.batchFirst = checkBoolean(where, "batchFirst", options.batchFirst ?? false);
    this.dropout = checkNumber(where, "dropout", options.dropout ?? 0, { min: 0, max: 1 });
    this.bidirectional = checkBoolean(where, "bidirectional", options.bidirectional ?? false);
    this.projSize = checkInt(where, "projSize", options.projSize ?? 0, 0);
    if (this.projSize >= hiddenSize && this.projSize > 0) {
      throw new RangeError(
        `${where}: projSize has to be smaller than hiddenSize, got ${this.projSize} >= ${hiddenSize}`,
      );
    }
    const gateSize = { LSTM: 4, GRU: 3, RNN_TANH: 1, RNN_RELU: 1 }[mode] * hiddenSize;
    const dirs = this.bidirectional ? 2 : 1;
    const factory = { dtype: options.dtype, device: options.device };
    const realHidden = this.projSize > 0 ? this.projSize : hiddenSize;
    for (let layer = 0; layer < this.numLayers; layer++) {
      for (let d = 0; d < dirs; d++) {
        const layerInput = layer === 0 ? inputSize : realHidden * dirs;
        const suffix = `_l${layer}${d === 1 ? "_reverse" : ""}`;
        const shapes: [string, number[]][] = [
          [`weight_ih${suffix}`, [gateSize, layerInput]],
          [`weight_hh${suffix}`, [gateSize, realHidden]],
        ];
        if (this.bias) shapes.push([`bias_ih${suffix}`, [gateSize]], [`bias_hh${suffix}`, [gateSize]]);
        if (this.projSize > 0) shapes.push([`weight_hr${suffix}`, [this.projSize, hiddenSize]]);
        for (const [name, shape] of shapes) {
          this.#flat.push(this.registerParameter(name, empty(shape, factory)));
          this.flatWeightsNames.push(name);
        }
      }
    }
    this.resetParameters();
  }

  /** Every parameter from U(-1/√hiddenSize, 1/√hiddenSize), in order, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) uniform_(w, -stdv, stdv);
  }

  /** The parameters in PyTorch's flat order (`_flat_weights`). */
  get flatWeights(): Tensor[] {
    return [...this.#flat];
  }

  /** The parameters per layer and direction (PyTorch's `all_weights`). */
  get allWeights(): Tensor[][] {
    const perCell = this.#flat.length / (this.numLayers * (this.bidirectional ? 2 : 1));
    const out: Tensor[][] = [];
    for (let i = 0; i < this.#flat.length; i += perCell) out.push(this.#flat.slice(i, i + perCell));
    return out;
  }

  /**
   * PyTorch's `flatten_parameters()`: packs the weights into one buffer for cuDNN. There is no cuDNN
   * RNN path here (PyTorch itself returns early on the CPU), so this does nothing; it exists so that
   * ported code runs unchanged.
   */
  flattenParameters(): void {}

  /** [numLayers · directions, batch, size]. */
  protected expectedHidden(input: Tensor, size: number): number[] {
    const batch = this.batchFirst ? input.shape[0] : input.shape[1];
    return [this.numLayers * (this.bidirectional ? 2 : 1), batch, size];
  }

  /** PyTorch's `check_input`. */
  protected checkInput(input: Tensor): void {
    if (input.ndim !== 3) throw new RangeError(`${this.typeName}: input must have 3 dimensions, got ${input.ndim}`);
    if (input.shape[2] !== this.inputSize) {
      throw new RangeError(
        `${this.typeName}: input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${
          input.shape[2]
        }`,
      );
    }
  }

  /** PyTorch's `check_hidden_size`. */
  protected checkHidden(hx: Tensor, expected: number[], what = "hidden"): void {
    const s = hx.shape;
    if (s.length !== expected.length || s.some((d, i) => d !== expected[i])) {
      throw new RangeError(`${this.typeName}: Expected ${what} size ${sizeText(expected)}, got ${sizeText(s)}`);
    }
  }

  /** The flat arguments after the hidden state of `aten::lstm/gru/rnn_*.input`. */
  protected opArgs(): Arg[] {
    return [
      this.#flat,
      this.bias,
      this.numLayers,
      floatArg(this.dropout),
      this.training,
      this.bidirectional,
      this.batchFirst,
    ];
  }

  /** The arguments after the hidden state of the `.data` overloads (packed input): no batchFirst. */
  protected opArgsPacked(): Arg[] {
    return this.opArgs().slice(0, 6);
  }

  /** PyTorch's checks of packed input: 2-D data of `inputSize` features; the batch of the first step. */
  checkPacked(input: PackedSequence): number {
    const data = input.data;
    if (data.ndim !== 2) throw new RangeError(`${this.typeName}: input must have 2 dimensions, got ${data.ndim}`);
    if (data.shape[1] !== this.inputSize) {
      throw new RangeError(
        `${this.typeName}: input.size(-1) must be equal to input_size. Expected ${this.inputSize}, got ${
          data.shape[1]
        }`,
      );
    }
    return tidy(() => input.batchSizes.select(0, 0).item());
  }

  /** The output packed sequence: the new data with (new handles of) the input's batch sizes and permutations. */
  packedLike(data: Tensor, input: PackedSequence): PackedSequence {
    return makePackedSequence(
      data,
      input.batchSizes.detach(),
      input.sortedIndices?.detach() ?? null,
      input.unsortedIndices?.detach() ?? null,
    );
  }

  /** `4, 5, num_layers=2, ...` (what differs from the defaults). */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (this.projSize !== 0) s += `, proj_size=${this.projSize}`;
    if (this.numLayers !== 1) s += `, num_layers=${this.numLayers}`;
    if (!this.bias) s += ", bias=False";
    if (this.batchFirst) s += ", batch_first=True";
    if (this.dropout !== 0) s += `, dropout=${pyFloat(this.dropout)}`;
    if (this.bidirectional) s += ", bidirectional=True";
    return s;
  }
}

/** The result of {@linkcode RNN.forward} and {@linkcode GRU.forward}: [output, final hidden state]. */
export type RNNOutput = [output: Tensor, hN: Tensor];

/** The result of {@linkcode RNN.forward} and {@linkcode GRU.forward} on packed input. */
export type RNNPackedOutput = [output: PackedSequence, hN: Tensor];

/** Runs RNN or GRU on packed input (the `.data` overload). */
function forwardSinglePacked(
  m: RNNBase,
  ref: OpRef,
  input: PackedSequence,
  hx: Tensor | null,
  args: Arg[],
): RNNPackedOutput {
  const where = m.typeName;
  checkTensor(where, "hx", hx, true);
  return tidy(() => {
    const batch = m.checkPacked(input);
    const expected = [m.numLayers * (m.bidirectional ? 2 : 1), batch, m.hiddenSize];
    const x = input.data;
    let h: Tensor;
    if (hx === null) h = zeros(expected, { dtype: x.dtype, device: x.device });
    else h = input.sortedIndices === null ? hx : hx.indexSelect(1, input.sortedIndices);
    const hs = h.shape;
    if (hs.length !== 3 || hs.some((d, i) => d !== expected[i])) {
      throw new RangeError(`${where}: Expected hidden size ${sizeText(expected)}, got ${sizeText(hs)}`);
    }
    const [output, hidden] = callN(ref, [x, input.batchSizes, h, ...args]) as [Tensor, Tensor];
    const unsorted = input.unsortedIndices;
    return [
      m.packedLike(output, input),
      unsorted === null ? hidden : hidden.indexSelect(1, unsorted),
    ] as RNNPackedOutput;
  });
}

/** Runs RNN or GRU (a single hidden state). */
function forwardSingle(m: RNNBase, ref: OpRef, input: Tensor, hx: Tensor | null, args: Arg[]): RNNOutput {
  const where = m.typeName;
  checkTensor(where, "input", input);
  checkTensor(where, "hx", hx, true);
  return tidy(() => {
    const isBatched = input.ndim === 3;
    const batchDim = m.batchFirst ? 0 : 1;
    let x = input, h = hx;
    if (!isBatched) {
      x = input.unsqueeze(batchDim);
      if (h !== null) {
        if (h.ndim !== 2) {
          throw new RangeError(`${where}: For unbatched 2-D input, hx should also be 2-D but got ${h.ndim}-D tensor`);
        }
        h = h.unsqueeze(1);
      }
    } else if (h !== null && h.ndim !== 3) {
      throw new RangeError(`${where}: For batched 3-D input, hx should also be 3-D but got ${h.ndim}-D tensor`);
    }
    if (x.ndim !== 3) throw new RangeError(`${where}: input must have 3 dimensions, got ${x.ndim}`);
    const expected = [
      m.numLayers * (m.bidirectional ? 2 : 1),
      m.batchFirst ? x.shape[0] : x.shape[1],
      m.hiddenSize,
    ];
    if (h === null) h = zeros(expected, { dtype: x.dtype, device: x.device });
    if (x.shape[2] !== m.inputSize) {
      throw new RangeError(
        `${where}: input.size(-1) must be equal to input_size. Expected ${m.inputSize}, got ${x.shape[2]}`,
      );
    }
    const hs = h.shape;
    if (hs.length !== 3 || hs.some((d, i) => d !== expected[i])) {
      throw new RangeError(`${where}: Expected hidden size ${sizeText(expected)}, got ${sizeText(hs)}`);
    }
    let [output, hidden] = callN(ref, [x, h, ...args]) as [Tensor, Tensor];
    if (!isBatched) {
      output = output.squeeze(batchDim);
      hidden = hidden.squeeze(1);
    }
    return [output, hidden] as RNNOutput;
  });
}

/**
 * An Elman RNN, hₜ = tanh(xₜ W_ihᵀ + b_ih + hₜ₋₁ W_hhᵀ + b_hh) (or ReLU) (torch.nn.RNN,
 * `aten::rnn_tanh` / `aten::rnn_relu`).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { RNN } from "./rnn.ts";
 * manualSeed(0);
 * const rnn = new RNN(4, 5, { numLayers: 2 });
 * const [out, hN] = rnn.forward(randn([6, 3, 4])); // [6, 3, 5], [2, 3, 5]
 * ```
 */
export class RNN extends RNNBase {
  /** `"tanh"` or `"relu"`. */
  readonly nonlinearity: "tanh" | "relu";

  /** An RNN from `inputSize` to `hiddenSize`. */
  constructor(inputSize: number, hiddenSize: number, options?: RNNOptions);
  /** PyTorch's positional form `RNN(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, *, nonlinearity, device, dtype)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers?: RNNOptions["numLayers"],
    bias?: RNNOptions["bias"],
    batchFirst?: RNNOptions["batchFirst"],
    dropout?: RNNOptions["dropout"],
    bidirectional?: RNNOptions["bidirectional"],
    options?: RNNOptions,
  );
  constructor(inputSize: number, hiddenSize: number, ...args: unknown[]) {
    const options = positionalOptions<RNNOptions>(
      "RNN",
      args,
      ["numLayers", "bias", "batchFirst", "dropout", "bidirectional"],
      ["nonlinearity", "device", "dtype"],
      "new RNN(inputSize, hiddenSize, { numLayers: ... })",
    );
    const nl = checkOneOf("RNN", "nonlinearity", options.nonlinearity ?? "tanh", ["tanh", "relu"]);
    if ("projSize" in options) throw new TypeError("RNN: projSize is only available for LSTM");
    super(nl === "tanh" ? "RNN_TANH" : "RNN_RELU", inputSize, hiddenSize, options);
    this.nonlinearity = nl;
  }

  /** The outputs of the last layer for every step, and the final hidden state of every layer. */
  forward(input: Tensor, hx?: Tensor | null): RNNOutput;
  /** The same on packed input: the outputs as a packed sequence. */
  forward(input: PackedSequence, hx?: Tensor | null): RNNPackedOutput;
  forward(input: Tensor | PackedSequence, hx: Tensor | null = null): RNNOutput | RNNPackedOutput {
    const tanh = this.mode === "RNN_TANH";
    if (isPackedSequence(input)) {
      return forwardSinglePacked(this, tanh ? OPS.rnnTanhData : OPS.rnnReluData, input, hx, this.opArgsPacked());
    }
    return forwardSingle(this, tanh ? OPS.rnnTanh : OPS.rnnRelu, input, hx, this.opArgs());
  }
}

/**
 * A gated recurrent unit (torch.nn.GRU, `aten::gru`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { GRU } from "./rnn.ts";
 * const gru = new GRU(4, 5, { batchFirst: true, bidirectional: true });
 * const [out, hN] = gru.forward(randn([3, 6, 4])); // [3, 6, 10], [2, 3, 5]
 * ```
 */
export class GRU extends RNNBase {
  /** A GRU from `inputSize` to `hiddenSize`. */
  constructor(inputSize: number, hiddenSize: number, options?: RNNBaseOptions);
  /** PyTorch's positional form `GRU(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, *, device, dtype)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers?: RNNBaseOptions["numLayers"],
    bias?: RNNBaseOptions["bias"],
    batchFirst?: RNNBaseOptions["batchFirst"],
    dropout?: RNNBaseOptions["dropout"],
    bidirectional?: RNNBaseOptions["bidirectional"],
    options?: RNNBaseOptions,
  );
  constructor(inputSize: number, hiddenSize: number, ...args: unknown[]) {
    const options = positionalOptions<RNNBaseOptions>(
      "GRU",
      args,
      ["numLayers", "bias", "batchFirst", "dropout", "bidirectional"],
      ["device", "dtype"],
      "new GRU(inputSize, hiddenSize, { numLayers: ... })",
    );
    if ("projSize" in options) throw new TypeError("GRU: projSize is only available for LSTM");
    super("GRU", inputSize, hiddenSize, options);
  }

  /** The outputs of the last layer for every step, and the final hidden state of every layer. */
  forward(input: Tensor, hx?: Tensor | null): RNNOutput;
  /** The same on packed input: the outputs as a packed sequence. */
  forward(input: PackedSequence, hx?: Tensor | null): RNNPackedOutput;
  forward(input: Tensor | PackedSequence, hx: Tensor | null = null): RNNOutput | RNNPackedOutput {
    if (isPackedSequence(input)) return forwardSinglePacked(this, OPS.gruData, input, hx, this.opArgsPacked());
    return forwardSingle(this, OPS.gru, input, hx, this.opArgs());
  }
}

/** The result of {@linkcode LSTM.forward}: [output, [final hidden state, final cell state]]. */
export type LSTMOutput = [output: Tensor, state: [hN: Tensor, cN: Tensor]];

/**
 * A long short-term memory layer, optionally with projections (torch.nn.LSTM, `aten::lstm`).
 *
 * @example
 * ```ts
 * import { manualSeed, randn } from "../mod.ts";
 * import { LSTM } from "./rnn.ts";
 * manualSeed(0);
 * const lstm = new LSTM(4, 6, { projSize: 3 });
 * const [out, [hN, cN]] = lstm.forward(randn([5, 2, 4])); // [5, 2, 3], [1, 2, 3], [1, 2, 6]
 * ```
 */
export class LSTM extends RNNBase {
  /** An LSTM from `inputSize` to `hiddenSize`. */
  constructor(inputSize: number, hiddenSize: number, options?: LSTMOptions);
  /** PyTorch's positional form `LSTM(input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional, proj_size, *, device, dtype)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    numLayers?: LSTMOptions["numLayers"],
    bias?: LSTMOptions["bias"],
    batchFirst?: LSTMOptions["batchFirst"],
    dropout?: LSTMOptions["dropout"],
    bidirectional?: LSTMOptions["bidirectional"],
    projSize?: LSTMOptions["projSize"],
    options?: LSTMOptions,
  );
  constructor(inputSize: number, hiddenSize: number, ...args: unknown[]) {
    const options = positionalOptions<LSTMOptions>(
      "LSTM",
      args,
      ["numLayers", "bias", "batchFirst", "dropout", "bidirectional", "projSize"],
      ["device", "dtype"],
      "new LSTM(inputSize, hiddenSize, { numLayers: ... })",
    );
    super("LSTM", inputSize, hiddenSize, options);
  }

  /** The outputs of the last layer for every step, and the final hidden and cell states of every layer. */
  forward(input: Tensor, hx?: readonly [Tensor, Tensor] | null): LSTMOutput;
  /** The same on packed input: the outputs as a packed sequence. */
  forward(input: PackedSequence, hx?: readonly [Tensor, Tensor] | null): LSTMPackedOutput;
  forward(input: Tensor | PackedSequence, hx: readonly [Tensor, Tensor] | null = null): LSTMOutput | LSTMPackedOutput {
    const where = this.typeName;
    if (hx !== null && (!Array.isArray(hx) || hx.length !== 2)) {
      throw new TypeError(`${where}: hx must be null or a pair [h0, c0] of Tensors`);
    }
    if (hx !== null) {
      checkTensor(where, "hx[0]", hx[0]);
      checkTensor(where, "hx[1]", hx[1]);
    }
    if (isPackedSequence(input)) return this.#forwardPacked(input, hx);
    checkTensor(where, "input", input);
    return tidy(() => {
      const isBatched = input.ndim === 3;
      const batchDim = this.batchFirst ? 0 : 1;
      const x = isBatched ? input : input.unsqueeze(batchDim);
      let h: Tensor, c: Tensor;
      if (x.ndim !== 3) this.checkInput(x);
      const realHidden = this.projSize > 0 ? this.projSize : this.hiddenSize;
      if (hx === null) {
        h = zeros(this.expectedHidden(x, realHidden), { dtype: x.dtype, device: x.device });
        c = zeros(this.expectedHidden(x, this.hiddenSize), { dtype: x.dtype, device: x.device });
      } else if (isBatched) {
        if (hx[0].ndim !== 3 || hx[1].ndim !== 3) {
          throw new RangeError(
            `${where}: For batched 3-D input, hx and cx should also be 3-D but got (${hx[0].ndim}-D, ${
              hx[1].ndim
            }-D) tensors`,
          );
        }
        [h, c] = hx;
      } else {
        if (hx[0].ndim !== 2 || hx[1].ndim !== 2) {
          throw new RangeError(
            `${where}: For unbatched 2-D input, hx and cx should also be 2-D but got (${hx[0].ndim}-D, ${
              hx[1].ndim
            }-D) tensors`,
          );
        }
        h = hx[0].unsqueeze(1);
        c = hx[1].unsqueeze(1);
      }
      this.checkInput(x);
      this.checkHidden(h, this.expectedHidden(x, realHidden), "hidden[0]");
      this.checkHidden(c, this.expectedHidden(x, this.hiddenSize), "hidden[1]");
      let [output, hN, cN] = callN(OPS.lstm, [x, [h, c], ...this.opArgs()]) as [Tensor, Tensor, Tensor];
      if (!isBatched) {
        output = output.squeeze(batchDim);
        hN = hN.squeeze(1);
        cN = cN.squeeze(1);
      }
      return [output, [hN, cN]] as LSTMOutput;
    });
  }

  #forwardPacked(input: PackedSequence, hx: readonly [Tensor, Tensor] | null): LSTMPackedOutput {
    return tidy(() => {
      const batch = this.checkPacked(input);
      const x = input.data;
      const dirs = this.numLayers * (this.bidirectional ? 2 : 1);
      const realHidden = this.projSize > 0 ? this.projSize : this.hiddenSize;
      let h: Tensor, c: Tensor;
      if (hx === null) {
        h = zeros([dirs, batch, realHidden], { dtype: x.dtype, device: x.device });
        c = zeros([dirs, batch, this.hiddenSize], { dtype: x.dtype, device: x.device });
      } else if (input.sortedIndices === null) [h, c] = hx;
      else [h, c] = [hx[0].indexSelect(1, input.sortedIndices), hx[1].indexSelect(1, input.sortedIndices)];
      this.checkHidden(h, [dirs, batch, realHidden], "hidden[0]");
      this.checkHidden(c, [dirs, batch, this.hiddenSize], "hidden[1]");
      const [output, hN, cN] = callN(OPS.lstmData, [x, input.batchSizes, [h, c], ...this.opArgsPacked()]) as [
        Tensor,
        Tensor,
        Tensor,
      ];
      const u = input.unsortedIndices;
      const state: [Tensor, Tensor] = u === null ? [hN, cN] : [hN.indexSelect(1, u), cN.indexSelect(1, u)];
      return [this.packedLike(output, input), state] as LSTMPackedOutput;
    });
  }
}

/** The result of {@linkcode LSTM.forward} on packed input. */
export type LSTMPackedOutput = [output: PackedSequence, state: [hN: Tensor, cN: Tensor]];
