/**
 * The single-step recurrent cells `RNNCell`, `LSTMCell` and `GRUCell`, as torch.nn's: PyTorch's
 * parameter names (`weight_ih`, `weight_hh`, `bias_ih`, `bias_hh`) drawn from U(-1/√hidden, 1/√hidden)
 * in PyTorch's order, unbatched input, and the ATen cell operators PyTorch-Python calls
 * (`aten::rnn_tanh_cell`, `aten::rnn_relu_cell`, `aten::lstm_cell`, `aten::gru_cell`).
 *
 * @module
 */

import { positionalOptions } from "../tensor/options.ts";
import { callN, callTA, op, type OpRef } from "../tensor/call.ts";
import { empty, zeros } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import type { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkOneOf, checkTensor } from "../tensor/checks.ts";
import { uniform_ } from "./init.ts";
import type { FactoryOptions } from "./module.ts";
import { Module } from "./module.ts";

const OPS = {
  rnnTanh: op("aten::rnn_tanh_cell"),
  rnnRelu: op("aten::rnn_relu_cell"),
  lstm: op("aten::lstm_cell"),
  gru: op("aten::gru_cell"),
};

/** Options of the recurrent cells. */
export interface RNNCellBaseOptions extends FactoryOptions {
  /** Learn the biases `bias_ih` and `bias_hh` (default true). */
  bias?: boolean;
}

/** Options of {@linkcode RNNCell}. */
export interface RNNCellOptions extends RNNCellBaseOptions {
  /** `"tanh"` (default) or `"relu"`. */
  nonlinearity?: "tanh" | "relu";
}

/** The common part of the cells (PyTorch's `RNNCellBase`). */
export abstract class RNNCellBase extends Module {
  /** The size of each input. */
  readonly inputSize: number;
  /** The size of the hidden state. */
  readonly hiddenSize: number;
  /** Whether there are biases. */
  readonly bias: boolean;
  /** The input weights [chunks · hidden, input]. */
  readonly weightIh: Tensor;
  /** The hidden weights [chunks · hidden, hidden]. */
  readonly weightHh: Tensor;
  /** The input bias, or null. */
  readonly biasIh: Tensor | null;
  /** The hidden bias, or null. */
  readonly biasHh: Tensor | null;

  /** A cell with `numChunks` gates. */
  constructor(inputSize: number, hiddenSize: number, numChunks: number, options: RNNCellBaseOptions = {}) {
    super();
    const where = this.typeName;
    this.inputSize = checkInt(where, "inputSize", inputSize, 0);
    this.hiddenSize = checkInt(where, "hiddenSize", hiddenSize, 0);
    this.bias = checkBoolean(where, "bias", options.bias ?? true);
    const factory = { dtype: options.dtype, device: options.device };
    this.weightIh = this.registerParameter("weight_ih", empty([numChunks * hiddenSize, inputSize], factory));
    this.weightHh = this.registerParameter("weight_hh", empty([numChunks * hiddenSize, hiddenSize], factory));
    this.biasIh = this.registerParameter("bias_ih", this.bias ? empty([numChunks * hiddenSize], factory) : null);
    this.biasHh = this.registerParameter("bias_hh", this.bias ? empty([numChunks * hiddenSize], factory) : null);
    this.resetParameters();
  }

  /** Every parameter from U(-1/√hiddenSize, 1/√hiddenSize), in order, as PyTorch's `reset_parameters`. */
  resetParameters(): void {
    const stdv = this.hiddenSize > 0 ? 1 / Math.sqrt(this.hiddenSize) : 0;
    for (const w of this.parameters()) uniform_(w, -stdv, stdv);
  }

  /** PyTorch's input check: 1-D (unbatched) or 2-D; whether it is batched. */
  protected checkCellInput(input: Tensor): boolean {
    checkTensor(this.typeName, "input", input);
    if (input.ndim !== 1 && input.ndim !== 2) {
      throw new RangeError(`${this.typeName}: Expected input to be 1-D or 2-D but received ${input.ndim}-D tensor`);
    }
    return input.ndim === 2;
  }

  /** One step of a single-state cell (RNN, GRU). */
  protected step(ref: OpRef, input: Tensor, hx: Tensor | null): Tensor {
    const batched = this.checkCellInput(input);
    checkTensor(this.typeName, "hx", hx, true);
    return tidy(() => {
      const x = batched ? input : input.unsqueeze(0);
      const h = hx === null
        ? zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype, device: x.device })
        : batched
        ? hx
        : hx.unsqueeze(0);
      const out = callTA(ref, [x, h, this.weightIh, this.weightHh, this.biasIh, this.biasHh]);
      return batched ? out : out.squeeze(0);
    });
  }

  /** `4, 5`, then `bias=False` and `nonlinearity=relu` where they differ from the defaults. */
  override extraRepr(): string {
    let s = `${this.inputSize}, ${this.hiddenSize}`;
    if (!this.bias) s += ", bias=False";
    const nl = (this as { nonlinearity?: string }).nonlinearity;
    if (nl !== undefined && nl !== "tanh") s += `, nonlinearity=${nl}`;
    return s;
  }
}

/**
 * One step of an Elman RNN, h' = tanh(x W_ihᵀ + b_ih + h W_hhᵀ + b_hh) (or ReLU) (torch.nn.RNNCell).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { RNNCell } from "./rnn_cell.ts";
 * const cell = new RNNCell(4, 5);
 * const h = cell.forward(randn([3, 4])); // [3, 5]
 * ```
 */
export class RNNCell extends RNNCellBase {
  /** `"tanh"` or `"relu"`. */
  readonly nonlinearity: "tanh" | "relu";

  /** A cell from `inputSize` to `hiddenSize`. */
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellOptions);
  /** PyTorch's positional form `RNNCell(input_size, hidden_size, bias, nonlinearity, *, device, dtype)`. */
  constructor(
    inputSize: number,
    hiddenSize: number,
    bias?: RNNCellOptions["bias"],
    nonlinearity?: RNNCellOptions["nonlinearity"],
    options?: RNNCellOptions,
  );
  constructor(inputSize: number, hiddenSize: number, ...args: unknown[]) {
    const options = positionalOptions<RNNCellOptions>(
      "RNNCell",
      args,
      ["bias", "nonlinearity"],
      ["device", "dtype"],
      "new RNNCell(inputSize, hiddenSize, { bias: ... })",
    );
    super(inputSize, hiddenSize, 1, options);
    this.nonlinearity = checkOneOf("RNNCell", "nonlinearity", options.nonlinearity ?? "tanh", ["tanh", "relu"]);
  }

  /** The next hidden state. */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step(this.nonlinearity === "tanh" ? OPS.rnnTanh : OPS.rnnRelu, input, hx);
  }
}

/**
 * One step of a gated recurrent unit (torch.nn.GRUCell, `aten::gru_cell`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { GRUCell } from "./rnn_cell.ts";
 * const h = new GRUCell(4, 5).forward(randn([4])); // [5]
 * ```
 */
export class GRUCell extends RNNCellBase {
  /** A cell from `inputSize` to `hiddenSize`. */
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellBaseOptions);
  /** PyTorch's positional form `GRUCell(input_size, hidden_size, bias, *, device, dtype)`. */
  constructor(inputSize: number, hiddenSize: number, bias?: RNNCellBaseOptions["bias"], options?: RNNCellBaseOptions);
  constructor(inputSize: number, hiddenSize: number, ...args: unknown[]) {
    const options = positionalOptions<RNNCellBaseOptions>(
      "GRUCell",
      args,
      ["bias"],
      ["device", "dtype"],
      "new GRUCell(inputSize, hiddenSize, { bias: ... })",
    );
    super(inputSize, hiddenSize, 3, options);
  }

  /** The next hidden state. */
  forward(input: Tensor, hx: Tensor | null = null): Tensor {
    return this.step(OPS.gru, input, hx);
  }
}

/**
 * One step of a long short-term memory cell (torch.nn.LSTMCell, `aten::lstm_cell`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LSTMCell } from "./rnn_cell.ts";
 * const [h, c] = new LSTMCell(4, 5).forward(randn([3, 4])); // [3, 5], [3, 5]
 * ```
 */
export class LSTMCell extends RNNCellBase {
  /** A cell from `inputSize` to `hiddenSize`. */
  constructor(inputSize: number, hiddenSize: number, options?: RNNCellBaseOptions);
  /** PyTorch's positional form `LSTMCell(input_size, hidden_size, bias, *, device, dtype)`. */
  constructor(inputSize: number, hiddenSize: number, bias?: RNNCellBaseOptions["bias"], options?: RNNCellBaseOptions);
  constructor(inputSize: number, hiddenSize: number, ...args: unknown[]) {
    const options = positionalOptions<RNNCellBaseOptions>(
      "LSTMCell",
      args,
      ["bias"],
      ["device", "dtype"],
      "new LSTMCell(inputSize, hiddenSize, { bias: ... })",
    );
    super(inputSize, hiddenSize, 4, options);
  }

  /** The next hidden and cell states. */
  forward(input: Tensor, hx: readonly [Tensor, Tensor] | null = null): [Tensor, Tensor] {
    const batched = this.checkCellInput(input);
    if (hx !== null) {
      if (!Array.isArray(hx) || hx.length !== 2) throw new TypeError("LSTMCell: hx must be null or a pair [h, c]");
      checkTensor("LSTMCell", "hx[0]", hx[0]);
      checkTensor("LSTMCell", "hx[1]", hx[1]);
    }
    return tidy(() => {
      const x = batched ? input : input.unsqueeze(0);
      let state: Tensor[];
      if (hx === null) {
        const z = zeros([x.shape[0], this.hiddenSize], { dtype: x.dtype, device: x.device });
        state = [z, z];
      } else state = batched ? [hx[0], hx[1]] : [hx[0].unsqueeze(0), hx[1].unsqueeze(0)];
      const [h, c] = callN(OPS.lstm, [x, state, this.weightIh, this.weightHh, this.biasIh, this.biasHh]) as [
        Tensor,
        Tensor,
      ];
      return (batched ? [h, c] : [h.squeeze(0), c.squeeze(0)]) as [Tensor, Tensor];
    });
  }
}
