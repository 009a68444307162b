/**
 * Devices: `"cpu"`, `"cuda"` (the current CUDA device) and `"cuda:N"`.
 *
 * @module
 */

import { DeviceType } from "../ffi/abi.ts";
import { type DType, toDType } from "./dtype.ts";
import { describe } from "./describe.ts";

/** A device name, as in PyTorch. */
export type Device = "cpu" | "cuda" | `cuda:${number}`;

/** Parses a device name into its LibTorch type code and index (-1: the current device). */
export function parseDevice(device: unknown, argument = "device"): [type: number, index: number] {
  if (typeof device === "string") {
    if (device === "cpu") return [DeviceType.CPU, -1];
    if (device === "cuda") return [DeviceType.CUDA, -1];
    const m = /^(cpu|cuda):(\d+)$/.exec(device);
    if (m) return [m[1] === "cpu" ? DeviceType.CPU : DeviceType.CUDA, Number(m[2])];
  }
  throw new TypeError(`${argument}: unknown device ${describe(device)}; use "cpu", "cuda" or "cuda:N"`);
}

/** The name of a device reported by LibTorch. */
export function formatDevice(type: number, index: number): Device {
  if (type === DeviceType.CPU) return "cpu";
  if (type === DeviceType.CUDA) return index < 0 ? "cuda" : `cuda:${index}`;
  throw new TypeError(`LibTorch returned a tensor on an unsupported device type (code ${type})`);
}

/**
 * The target of a module's `to()`: a dtype name, a device name, or `{ dtype, device }`, checked (a wrong
 * value throws a TypeError naming it instead of being ignored).
 */
export function parseMoveTarget(target: unknown, what = "to"): { dtype?: DType; device?: Device } {
  if (typeof target === "string") {
    if (target === "cpu" || target.startsWith("cuda")) {
      parseDevice(target, what);
      return { device: target as Device };
    }
    return { dtype: toDType(target, what) };
  }
  if (typeof target === "object" && target !== null && !Array.isArray(target)) {
    const { dtype, device, ...rest } = target as Record<string, unknown>;
    const extra = Object.keys(rest);
    if (extra.length > 0) {
      throw new TypeError(`${what}: unknown option ${JSON.stringify(extra[0])}; the options are dtype and device`);
    }
    const out: { dtype?: DType; device?: Device } = {};
    if (dtype !== undefined) out.dtype = toDType(dtype, `${what}: dtype`);
    if (device !== undefined) {
      parseDevice(device, `${what}: device`);
      out.device = device as Device;
    }
    return out;
  }
  throw new TypeError(
    `${what}: expected a dtype ("float64"), a device ("cpu", "cuda:0") or { dtype, device }, got ${
      typeof target === "number" ? `the number ${target}` : String(target)
    }`,
  );
}
