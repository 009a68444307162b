/**
 * Devices: `"cpu"`, `"cuda"` (the current CUDA device) and `"cuda:N"`.
 *
 * @module
 */

import { describe } from "./describe.ts";

/** A device name, as in PyTorch. */
export type Device = "cpu" | "cuda" | `cuda:${number}`;

/** LibTorch's DeviceType codes of the devices supported here. */
export const DEVICE_TYPE = { cpu: 0, cuda: 1 } as const;

/** Parses a device name into its LibTorch type code and index (-1: the current device). */
export function parseDevice(device: unknown, argument = "device"): [type: number, index: number] {
  if (typeof device === "string") {
    if (device === "cpu") return [0, -1];
    if (device === "cuda") return [1, -1];
    const m = /^(cpu|cuda):(\d+)$/.exec(device);
    if (m) return [m[1] === "cpu" ? 0 : 1, Number(m[2])];
  }
  throw new TypeError(`${argument}: unknown device ${describe(device)}; use "cpu", "cuda" or "cuda:N"`);
}

/** The name of a device reported by LibTorch. */
export function formatDevice(type: number, index: number): Device {
  if (type === 0) return "cpu";
  if (type === 1) return index < 0 ? "cuda" : `cuda:${index}`;
  throw new TypeError(`LibTorch returned a tensor on an unsupported device type (code ${type})`);
}
