/**
 * The default process group: `initProcessGroup`, `destroyProcessGroup`, `getRank`, `getWorldSize`, as in
 * `torch.distributed`. The group is made as PyTorch-Python makes it, so Deno and Python ranks can share one.
 *
 * @module
 */

import { checkInt } from "../tensor/checks.ts";
import { checkOptions } from "../tensor/options.ts";
import { buildInfo, cstr, ERRCAP, lib, readError } from "../ffi/native.ts";
import { TorchError } from "../ffi/errors.ts";
import { parseInitMethod } from "./init_method.ts";

/** The communication backends of `torch.distributed` that this module knows. */
export type Backend = "gloo" | "nccl";

/** Options of {@linkcode initProcessGroup} (PyTorch's keyword arguments, camelCased). */
export interface InitProcessGroupOptions {
  /** The backend: `"gloo"` (CPU tensors). `"nccl"` needs a LibTorch with CUDA and NCCL. Default `"gloo"`. */
  backend?: Backend;
  /**
   * Where to meet: `"tcp://host:port"` (rank 0 listens there) or `"env://"` (MASTER_ADDR, MASTER_PORT,
   * RANK, WORLD_SIZE from the environment, as `deno task launch` and torchrun set them). Default `"env://"`.
   */
  initMethod?: string;
  /** This process's rank, in [0, worldSize). Required with tcp://; env:// reads RANK when absent. */
  rank?: number;
  /** The number of processes. Required with tcp://; env:// reads WORLD_SIZE when absent. */
  worldSize?: number;
  /**
   * Milliseconds to wait for the other ranks when meeting and in every collective (Gloo's timeout);
   * PyTorch's default is 30 minutes.
   */
  timeout?: number;
}

/** The default timeout of PyTorch's process groups: 30 minutes. */
export const DEFAULT_TIMEOUT_MS = 30 * 60 * 1000;

interface GroupState {
  handle: number;
  rank: number;
  worldSize: number;
  backend: Backend;
}

let current: GroupState | null = null;
let pending = false;

/** The native handle of the default group (internal), with a clear error when there is none. */
export function defaultGroup(what: string): GroupState {
  if (current === null) {
    throw new Error(`${what}: the default process group has not been initialized (call initProcessGroup first)`);
  }
  return current;
}

/** The largest rank or world size: the shim takes them as int32. */
const INT32_MAX = 2 ** 31 - 1;

/**
 * Joins the default process group (PyTorch's `torch.distributed.init_process_group`). Resolves once every
 * rank has joined; rejects with a clear error when one does not join within `timeout`, when the address
 * cannot be reached or its port is taken. The waiting runs off Deno's event loop.
 *
 * @example
 * ```ts ignore
 * import { allReduce, getRank, initProcessGroup, ones } from "../mod.ts";
 * await initProcessGroup({ backend: "gloo", initMethod: "env://" }); // under `deno task launch --nproc 2`
 * const t = ones([3]).mul(getRank() + 1);
 * await allReduce(t, { op: "sum" }).wait(); // [3, 3, 3] on both ranks
 * ```
 */
export async function initProcessGroup(options: InitProcessGroupOptions = {}): Promise<void> {
  checkOptions("initProcessGroup", options, ["backend", "initMethod", "rank", "worldSize", "timeout"]);
  if (current !== null || pending) {
    throw new Error(
      "initProcessGroup: trying to initialize the default process group twice (destroyProcessGroup first)",
    );
  }
  const backend = options.backend ?? "gloo";
  if (backend === "nccl") {
    const info = buildInfo();
    throw new Error(
      info.cudaBuild
        ? 'initProcessGroup: backend "nccl" is not built into this shim yet (only gloo is): use backend "gloo"'
        : `initProcessGroup: backend "nccl" needs a LibTorch with CUDA and NCCL; this one (${info.torch}, CPU only) ` +
          `has neither: use backend "gloo"`,
    );
  }
  if (backend !== "gloo") {
    throw new TypeError(`initProcessGroup: unknown backend "${String(backend)}" (use "gloo" or "nccl")`);
  }
  const initMethod = options.initMethod ?? "env://";
  if (typeof initMethod !== "string") throw new TypeError("initProcessGroup: initMethod must be a string");
  if (options.rank !== undefined) checkInt("initProcessGroup", "rank", options.rank, 0, INT32_MAX);
  if (options.worldSize !== undefined) checkInt("initProcessGroup", "worldSize", options.worldSize, 1, INT32_MAX);
  const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
  if (typeof timeout !== "number" || !Number.isFinite(timeout) || timeout <= 0) {
    throw new RangeError(`initProcessGroup: timeout must be a positive number of milliseconds, got ${String(timeout)}`);
  }
  const r = parseInitMethod(initMethod, options.rank, options.worldSize);
  checkInt("initProcessGroup", "worldSize", r.worldSize, 1, INT32_MAX);
  checkInt("initProcessGroup", "rank", r.rank, 0, r.worldSize - 1);
  checkInt("initProcessGroup", "port", r.port, 0, 65535);
  if (lib.tt_dist_available() !== 1) {
    throw new Error(
      "initProcessGroup: this shim was built without Gloo's headers: install them (Debian: apt-get install " +
        "libgloo-dev) and rebuild (deno task build --clean)",
    );
  }
  pending = true;
  try {
    const err = new Uint8Array(ERRCAP);
    const host = cstr(r.host);
    const call = lib.tt_dist_init(host, r.port, r.rank, r.worldSize, Math.ceil(timeout), err, ERRCAP);
    // c10d bounds every stage by the timeout, except a store client talking to something at the port that
    // is not a store (rank 0 failed and another program holds the port): a watchdog bounds that too.
    let timer: ReturnType<typeof setTimeout> | undefined;
    const watchdog = new Promise<"watchdog">((resolve) => {
      timer = setTimeout(() => resolve("watchdog"), 2 * timeout + 5000);
    });
    const handle = await Promise.race([call, watchdog]).finally(() => clearTimeout(timer));
    if (handle === "watchdog") {
      call.then((h) => {
        if (h !== 0) lib.tt_dist_group_free(h); // should it ever finish, free it
      });
      throw new TorchError(
        `no answer from the store within twice the timeout (${timeout} ms) plus 5 s: is a store listening at ` +
          `${r.host}:${r.port}, and did rank 0 start?\n(rendezvous at ${r.host}:${r.port}, rank ${r.rank} of ` +
          `${r.worldSize})`,
        "initProcessGroup",
      );
    }
    if (handle === 0) {
      throw new TorchError(
        `${readError(err)}\n(rendezvous at ${r.host}:${r.port}, rank ${r.rank} of ${r.worldSize})`,
        "initProcessGroup",
      );
    }
    current = { handle, rank: r.rank, worldSize: r.worldSize, backend };
  } finally {
    pending = false;
  }
}

/**
 * Leaves and frees the default process group (PyTorch's `destroy_process_group`); waits, off the event
 * loop, for Gloo's queued work to drain. Rank 0's store goes with it: destroy it last when others may
 * still be using the store.
 */
export async function destroyProcessGroup(): Promise<void> {
  const g = defaultGroup("destroyProcessGroup");
  current = null;
  await lib.tt_dist_group_free(g.handle);
}

/** Whether the default process group is initialized (PyTorch's `is_initialized`). */
export function isInitialized(): boolean {
  return current !== null;
}

/** Whether this build can run `torch.distributed` (PyTorch's `is_available`): true when Gloo was built in. */
export function isAvailable(): boolean {
  return lib.tt_dist_available() === 1;
}

/** This process's rank in the default group (PyTorch's `get_rank`). */
export function getRank(): number {
  return defaultGroup("getRank").rank;
}

/** The number of processes in the default group (PyTorch's `get_world_size`). */
export function getWorldSize(): number {
  return defaultGroup("getWorldSize").worldSize;
}

/** The default group's backend (PyTorch's `get_backend`). */
export function getBackend(): Backend {
  return defaultGroup("getBackend").backend;
}
