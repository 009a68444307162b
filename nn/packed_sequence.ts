/**
 * Packed sequences, as `torch.nn.utils.rnn`: a batch of variable-length sequences without the padding
 * (`PackedSequence`: the steps' data, the batch size at each step, and the sorting permutation), made by
 * `packPaddedSequence` / `packSequence` and undone by `padPackedSequence`; `padSequence` pads a list.
 * The recurrent layers (`RNN`, `LSTM`, `GRU`) take and return them as PyTorch's do, through the
 * `.data` overloads of `aten::lstm`, `aten::gru`, `aten::rnn_tanh` and `aten::rnn_relu`.
 *
 * A `PackedSequence` is a plain object, so `tidy` keeps its tensors when it is returned; dispose it with
 * {@linkcode disposePackedSequence}.
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { LSTM } from "./rnn.ts";
 * import { packPaddedSequence, padPackedSequence } from "./packed_sequence.ts";
 * const x = randn([5, 3, 4]); // [seq, batch, feature], lengths 5, 2 and 4
 * const packed = packPaddedSequence(x, [5, 2, 4], { enforceSorted: false });
 * const [out, [hN, cN]] = new LSTM(4, 6).forward(packed);
 * const [padded, lengths] = padPackedSequence(out); // [5, 3, 6], [5, 2, 4]
 * ```
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { callN, callT, floatArg, op } from "../tensor/call.ts";
import { arange, emptyLike, tensor } from "../tensor/creation.ts";
import { tidy } from "../tensor/memory.ts";
import { Tensor } from "../tensor/tensor.ts";
import { checkBoolean, checkInt, checkNumber, checkTensor, describe } from "../tensor/checks.ts";

const OPS = {
  pack: op("aten::_pack_padded_sequence"),
  unpack: op("aten::_pad_packed_sequence"),
  padSequence: op("aten::pad_sequence"),
  sort: op("aten::sort"),
  scatter_: op("aten::scatter_", "src"),
};

/** A packed batch of sequences (torch.nn.utils.rnn.PackedSequence). */
export interface PackedSequence {
  /** The steps' elements, [sum of lengths, *]: all batch elements of step 0, then of step 1, ... */
  data: Tensor;
  /** How many sequences are still running at each step (int64, on the CPU). */
  batchSizes: Tensor;
  /** The order (longest first) the batch was sorted into, or null when it came sorted. */
  sortedIndices: Tensor | null;
  /** The inverse of `sortedIndices`, or null. */
  unsortedIndices: Tensor | null;
}

/** Whether `v` is a {@linkcode PackedSequence}. */
export function isPackedSequence(v: unknown): v is PackedSequence {
  if (typeof v !== "object" || v === null || v instanceof Tensor) return false;
  const p = v as Record<string, unknown>;
  return p.data instanceof Tensor && p.batchSizes instanceof Tensor && "sortedIndices" in p && "unsortedIndices" in p;
}

/** Frees the tensors of a packed sequence. */
export function disposePackedSequence(p: PackedSequence): void {
  if (typeof p !== "object" || p === null || !(p.data instanceof Tensor) || !(p.batchSizes instanceof Tensor)) {
    throw new TypeError("disposePackedSequence: expected a PackedSequence ({ data, batchSizes, ... })");
  }
  p.data.dispose();
  p.batchSizes.dispose();
  p.sortedIndices?.dispose();
  p.unsortedIndices?.dispose();
}

/**
 * The inverse of a permutation (torch.nn.utils.rnn.invert_permutation): `out[perm[i]] = i`.
 *
 * @example
 * ```ts
 * import { tensor } from "../mod.ts";
 * import { invertPermutation } from "./packed_sequence.ts";
 * invertPermutation(tensor([2, 0, 1])); // [1, 2, 0]
 * ```
 */
export function invertPermutation(permutation: Tensor): Tensor {
  checkTensor("invertPermutation", "permutation", permutation);
  return tidy(() => {
    const out = emptyLike(permutation);
    callN(OPS.scatter_, [out, 0, permutation, arange(0, permutation.numel(), 1, { device: permutation.device })]);
    return out;
  });
}

/** Options of {@linkcode packPaddedSequence}. */
export interface PackPaddedSequenceOptions {
  /** The input is [batch, seq, *] (default false: [seq, batch, *]). */
  batchFirst?: boolean;
  /** The lengths are already in decreasing order (default true); false sorts them (and records it). */
  enforceSorted?: boolean;
}

/** The packed-sequence constructor PyTorch uses: the inverse permutation computed from the sorted one. */
function packedOf(data: Tensor, batchSizes: Tensor, sorted: Tensor | null, unsorted: Tensor | null): PackedSequence {
  return {
    data,
    batchSizes,
    sortedIndices: sorted,
    unsortedIndices: unsorted ?? (sorted === null ? null : invertPermutation(sorted)),
  };
}

/** A packed sequence built from parts (PyTorch's `PackedSequence(data, batch_sizes, ...)`), as the layers return it. */
export function makePackedSequence(
  data: Tensor,
  batchSizes: Tensor,
  sortedIndices: Tensor | null = null,
  unsortedIndices: Tensor | null = null,
): PackedSequence {
  checkTensor("makePackedSequence", "data", data);
  checkTensor("makePackedSequence", "batchSizes", batchSizes);
  checkTensor("makePackedSequence", "sortedIndices", sortedIndices, true);
  checkTensor("makePackedSequence", "unsortedIndices", unsortedIndices, true);
  if (batchSizes.device !== "cpu") {
    throw new RangeError("makePackedSequence: batchSizes should always be on CPU");
  }
  return packedOf(data, batchSizes, sortedIndices, unsortedIndices);
}

/**
 * Packs a padded batch of sequences with the given lengths (torch.nn.utils.rnn.pack_padded_sequence,
 * `aten::_pack_padded_sequence`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { packPaddedSequence } from "./packed_sequence.ts";
 * const p = packPaddedSequence(randn([2, 4, 3]), [4, 1], { batchFirst: true }); // data [5, 3]
 * ```
 */
export function packPaddedSequence(
  input: Tensor,
  lengths: Tensor | readonly number[],
  options: PackPaddedSequenceOptions = {},
): PackedSequence {
  checkOptions("packPaddedSequence", options, ["batchFirst", "enforceSorted"]);
  const where = "packPaddedSequence";
  checkTensor(where, "input", input);
  const batchFirst = checkBoolean(where, "batchFirst", options.batchFirst ?? false);
  const enforceSorted = checkBoolean(where, "enforceSorted", options.enforceSorted ?? true);
  if (!(lengths instanceof Tensor)) {
    if (!Array.isArray(lengths) || !lengths.every((l) => Number.isInteger(l))) {
      throw new TypeError(
        `${where}: lengths must be a Tensor or an array of integers, got ${describe(lengths, "size")}`,
      );
    }
  }
  return tidy(() => {
    let lens = lengths instanceof Tensor ? lengths.to({ dtype: "int64" }) : tensor([...lengths], { dtype: "int64" });
    let x = input;
    let sorted: Tensor | null = null;
    if (!enforceSorted) {
      [lens, sorted] = callN(OPS.sort, [lens, -1, true]) as [Tensor, Tensor];
      sorted = sorted.to({ device: input.device });
      x = input.indexSelect(batchFirst ? 0 : 1, sorted);
    }
    const [data, batchSizes] = callN(OPS.pack, [x, lens, batchFirst]) as [Tensor, Tensor];
    return packedOf(data, batchSizes, sorted, null);
  });
}

/** Options of {@linkcode padPackedSequence}. */
export interface PadPackedSequenceOptions {
  /** Return [batch, seq, *] (default false: [seq, batch, *]). */
  batchFirst?: boolean;
  /** The value of the padding (default 0). */
  paddingValue?: number;
  /** Pad to this length instead of the longest sequence's (default none). */
  totalLength?: number | null;
}

/**
 * Unpacks to a padded batch and the lengths, in the original batch order
 * (torch.nn.utils.rnn.pad_packed_sequence, `aten::_pad_packed_sequence`).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { packPaddedSequence, padPackedSequence } from "./packed_sequence.ts";
 * const p = packPaddedSequence(randn([4, 2, 3]), [4, 1]);
 * const [padded, lengths] = padPackedSequence(p, { totalLength: 6 }); // [6, 2, 3], [4, 1]
 * ```
 */
export function padPackedSequence(sequence: PackedSequence, options: PadPackedSequenceOptions = {}): [Tensor, Tensor] {
  checkOptions("padPackedSequence", options, ["batchFirst", "paddingValue", "totalLength"]);
  const where = "padPackedSequence";
  if (!isPackedSequence(sequence)) {
    throw new TypeError(`${where}: sequence must be a PackedSequence, got ${describe(sequence, "size")}`);
  }
  const batchFirst = checkBoolean(where, "batchFirst", options.batchFirst ?? false);
  const paddingValue = checkNumber(where, "paddingValue", options.paddingValue ?? 0);
  let maxLength = sequence.batchSizes.shape[0];
  const total = options.totalLength ?? null;
  if (total !== null) {
    checkInt(where, "totalLength", total);
    if (total < maxLength) {
      throw new RangeError(
        `${where}: Expected totalLength to be at least the length of the longest sequence in input, but got totalLength=${total} and max sequence length being ${maxLength}`,
      );
    }
    maxLength = total;
  }
  return tidy(() => {
    const [padded, lengths] = callN(OPS.unpack, [
      sequence.data,
      sequence.batchSizes,
      batchFirst,
      floatArg(paddingValue),
      maxLength,
    ]) as [Tensor, Tensor];
    const unsorted = sequence.unsortedIndices;
    if (unsorted !== null) {
      return [padded.indexSelect(batchFirst ? 0 : 1, unsorted), lengths.index([unsorted.cpu()])] as [Tensor, Tensor];
    }
    return [padded, lengths] as [Tensor, Tensor];
  });
}

/** Options of {@linkcode padSequence}. */
export interface PadSequenceOptions {
  /** Return [batch, longest, *] (default false: [longest, batch, *]). */
  batchFirst?: boolean;
  /** The value of the padding (default 0). */
  paddingValue?: number;
}

/**
 * Stacks sequences [Lᵢ, *] into one padded batch (torch.nn.utils.rnn.pad_sequence, `aten::pad_sequence`).
 *
 * @example
 * ```ts
 * import { ones } from "../mod.ts";
 * import { padSequence } from "./packed_sequence.ts";
 * padSequence([ones([3, 2]), ones([1, 2])], { batchFirst: true }); // [2, 3, 2]
 * ```
 */
export function padSequence(sequences: readonly Tensor[], options: PadSequenceOptions = {}): Tensor {
  checkOptions("padSequence", options, ["batchFirst", "paddingValue"]);
  const where = "padSequence";
  if (!Array.isArray(sequences)) {
    throw new TypeError(`${where}: sequences must be an array of Tensors, got ${describe(sequences, "size")}`);
  }
  sequences.forEach((s, i) => checkTensor(where, `sequences[${i}]`, s));
  const batchFirst = checkBoolean(where, "batchFirst", options.batchFirst ?? false);
  const paddingValue = checkNumber(where, "paddingValue", options.paddingValue ?? 0);
  return callT(OPS.padSequence, [...sequences], batchFirst, floatArg(paddingValue));
}

/**
 * Packs a list of sequences [Lᵢ, *] (torch.nn.utils.rnn.pack_sequence).
 *
 * @example
 * ```ts
 * import { randn } from "../mod.ts";
 * import { packSequence } from "./packed_sequence.ts";
 * const p = packSequence([randn([2, 3]), randn([4, 3])], { enforceSorted: false }); // data [6, 3]
 * ```
 */
export function packSequence(sequences: readonly Tensor[], options: { enforceSorted?: boolean } = {}): PackedSequence {
  const where = "packSequence";
  if (!Array.isArray(sequences)) {
    throw new TypeError(`${where}: sequences must be an array of Tensors, got ${describe(sequences, "size")}`);
  }
  sequences.forEach((s, i) => checkTensor(where, `sequences[${i}]`, s));
  return tidy(() =>
    packPaddedSequence(padSequence(sequences), sequences.map((s) => s.shape[0]), {
      enforceSorted: options.enforceSorted ?? true,
    })
  );
}
