/**
 * The collectives of the default process group, each returning a {@linkcode Work} to `await work.wait()`:
 * `allReduce`, `broadcast`, `allGather`, `reduceScatter`, `send`, `recv`, `barrier`. They are c10d's
 * (ProcessGroupGloo's); nothing is reimplemented here.
 *
 * @module
 */

import { checkOptions } from "../tensor/options.ts";
import { DistReduceOp } from "../ffi/abi.ts";
import { errBuf, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { Tensor } from "../tensor/tensor.ts";
import { defaultGroup } from "./process_group.ts";
import { Work, WORK_TOKEN } from "./work.ts";

/** A reduction of `allReduce` and `reduceScatter` (PyTorch's `ReduceOp`, lower-cased). */
export type ReduceOpName = "sum" | "avg" | "product" | "min" | "max";

/** PyTorch's `torch.distributed.ReduceOp` names for the reductions: `ReduceOp.SUM` is `"sum"`. */
export const ReduceOp: Readonly<{ SUM: "sum"; AVG: "avg"; PRODUCT: "product"; MIN: "min"; MAX: "max" }> = {
  SUM: "sum",
  AVG: "avg",
  PRODUCT: "product",
  MIN: "min",
  MAX: "max",
};

// The shim's codes of c10d's ReduceOp; "avg" is done in the shim as a sum, then a division.
const OP_CODE: Record<ReduceOpName, number> = {
  sum: DistReduceOp.SUM,
  avg: DistReduceOp.AVG,
  product: DistReduceOp.PRODUCT,
  min: DistReduceOp.MIN,
  max: DistReduceOp.MAX,
};

/** Options of {@linkcode allReduce} and {@linkcode reduceScatter}. */
export interface ReduceOptions {
  /** The reduction, default `"sum"`. */
  op?: ReduceOpName;
}

/** Options of {@linkcode send} and {@linkcode recv}. */
export interface TagOptions {
  /** Matches a send with the recv of the same tag, default 0. */
  tag?: number;
}

function opCode(what: string, options: ReduceOptions | undefined): number {
  checkOptions(what, options, ["op"]);
  const op = options?.op ?? "sum";
  const code = OP_CODE[op as ReduceOpName];
  if (code === undefined || !Object.hasOwn(OP_CODE, op)) {
    throw new TypeError(`${what}: op must be one of ${Object.keys(OP_CODE).join(", ")}, got ${String(op)}`);
  }
  return code;
}

function tensorArg(what: string, t: unknown): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError(`${what} must be a Tensor, got ${t === null ? "null" : typeof t}`);
  if (t.isDisposed) throw new Error(`${what} was disposed`);
  return t;
}

function rankArg(what: string, v: unknown, worldSize: number): number {
  if (typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= worldSize) {
    throw new RangeError(`${what} must be a rank in [0, ${worldSize - 1}], got ${String(v)}`);
  }
  return v;
}

function tagArg(what: string, options: TagOptions | undefined): number {
  checkOptions(what, options, ["tag"]);
  const tag = options?.tag ?? 0;
  if (!Number.isInteger(tag) || tag < -(2 ** 31) || tag >= 2 ** 31) {
    throw new RangeError(`${what}: tag must be a 32-bit integer, got ${String(tag)}`);
  }
  return tag;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function started(handle: number, what: string): Work {
  if (handle === 0) throw new TorchError(readError(errBuf), what);
  return new Work(handle, what, WORK_TOKEN);
}

/**
 * Reduces `tensor` across all ranks in place: every rank ends with the sum (or average, product, min,
 * max) of every rank's tensor (PyTorch's `all_reduce`). `"avg"` is a sum followed by a division by the
 * world size once waited for, as Gloo has no average (PyTorch's gloo rejects `ReduceOp.AVG`); it needs a
 * floating point tensor.
 *
 * @example
 * ```ts ignore
 * const t = torch.tensor([getRank() + 1], { dtype: "float32" });
 * await allReduce(t, { op: "max" }).wait(); // worldSize on every rank
 * ```
 */
export function allReduce(tensor: Tensor, options?: ReduceOptions): Work {
  checkOptions("allReduce", options, ["op"]);
  const g = defaultGroup("allReduce");
  const t = tensorArg("allReduce: tensor", tensor);
  const code = opCode("allReduce", options);
  return started(lib.tt_dist_allreduce(g.handle, t.handle, code, errBuf, ERRCAP), "allReduce");
}

/** Copies rank `src`'s `tensor` into `tensor` on every other rank (PyTorch's `broadcast`). */
export function broadcast(tensor: Tensor, src: number): Work {
  const g = defaultGroup("broadcast");
  const t = tensorArg("broadcast: tensor", tensor);
  rankArg("broadcast: src", src, g.worldSize);
  return started(lib.tt_dist_broadcast(g.handle, t.handle, src, errBuf, ERRCAP), "broadcast");
}

function handles(what: string, list: unknown, input: Tensor, n: number): Float64Array {
  if (!Array.isArray(list)) throw new TypeError(`${what} must be an array of Tensors`);
  if (list.length !== n) throw new RangeError(`${what} must hold worldSize (${n}) tensors, got ${list.length}`);
  const out = new Float64Array(n);
  list.forEach((t, i) => {
    const x = tensorArg(`${what}[${i}]`, t);
    if (x.dtype !== input.dtype || !sameShape(x.shape, input.shape)) {
      throw new TypeError(
        `${what}[${i}] must have the dtype and shape of the tensor (${input.dtype} [${input.shape}]), ` +
          `got ${x.dtype} [${x.shape}]`,
      );
    }
    out[i] = x.handle;
  });
  return out;
}

/**
 * Gathers every rank's `tensor` into `tensorList` (one preallocated tensor per rank, of the same dtype and
 * shape) on every rank (PyTorch's `all_gather`).
 */
export function allGather(tensorList: Tensor[], tensor: Tensor): Work {
  const g = defaultGroup("allGather");
  const t = tensorArg("allGather: tensor", tensor);
  const list = handles("allGather: tensorList", tensorList, t, g.worldSize);
  return started(lib.tt_dist_allgather(g.handle, list, list.length, t.handle, errBuf, ERRCAP), "allGather");
}

/**
 * Reduces `inputList` (one tensor per rank) across ranks and leaves the i-th reduced tensor in `output` on
 * rank i (PyTorch's `reduce_scatter`). LibTorch 1.13's Gloo backend does not have it (PyTorch-Python raises
 * "ProcessGroupGloo does not support reduce_scatter" too, and does not emulate it): with gloo this throws
 * that error; use `allReduce` and take your slice instead.
 */
export function reduceScatter(output: Tensor, inputList: Tensor[], options?: ReduceOptions): Work {
  checkOptions("reduceScatter", options, ["op"]);
  const g = defaultGroup("reduceScatter");
  const t = tensorArg("reduceScatter: output", output);
  const code = opCode("reduceScatter", options);
  const list = handles("reduceScatter: inputList", inputList, t, g.worldSize);
  return started(
    lib.tt_dist_reduce_scatter(g.handle, t.handle, list, list.length, code, errBuf, ERRCAP),
    "reduceScatter",
  );
}

/**
 * Sends `tensor` to rank `dst` (PyTorch's `isend`; `await` the work for `send`). The receiver must post a
 * `recv` of the same shape, dtype and tag.
 */
export function send(tensor: Tensor, dst: number, options?: TagOptions): Work {
  checkOptions("send", options, ["tag"]);
  const g = defaultGroup("send");
  const t = tensorArg("send: tensor", tensor);
  rankArg("send: dst", dst, g.worldSize);
  if (dst === g.rank) throw new RangeError(`send: dst must be another rank than this one (${g.rank})`);
  return started(lib.tt_dist_send(g.handle, t.handle, dst, tagArg("send", options), errBuf, ERRCAP), "send");
}

/** Receives into `tensor` what rank `src` sends (PyTorch's `irecv`; `await` the work for `recv`). */
export function recv(tensor: Tensor, src: number, options?: TagOptions): Work {
  checkOptions("recv", options, ["tag"]);
  const g = defaultGroup("recv");
  const t = tensorArg("recv: tensor", tensor);
  rankArg("recv: src", src, g.worldSize);
  if (src === g.rank) throw new RangeError(`recv: src must be another rank than this one (${g.rank})`);
  return started(lib.tt_dist_recv(g.handle, t.handle, src, tagArg("recv", options), errBuf, ERRCAP), "recv");
}

/** Completes once every rank has entered the barrier (PyTorch's `barrier`). */
export function barrier(): Work {
  const g = defaultGroup("barrier");
  return started(lib.tt_dist_barrier(g.handle, errBuf, ERRCAP), "barrier");
}
