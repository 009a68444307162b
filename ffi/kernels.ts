/**
 * Kernel profiles: the settings that decide the last bits of CPU results, fixed before LibTorch loads.
 *
 * LibTorch picks kernels by the CPU it runs on: ATen's vectorised kernels by CPU capability
 * (`ATEN_CPU_CAPABILITY`), oneDNN's JIT-compiled convolutions by instruction set (`DNNL_MAX_CPU_ISA`),
 * matrix products by whichever BLAS `libblas.so.3` is (Debian's reference BLAS, or OpenBLAS with threads of
 * its own). Two machines therefore agree to the bit only when these agree. A profile names one set of
 * choices that every machine of a kind can make alike. `DENOTORCH_KERNELS=portable` (what `deno task test`
 * and the fixture generators use) applies the `portable` profile of `kernel_profiles.json`: its environment
 * variables are set and its BLAS and LAPACK are loaded before LibTorch, which then binds to them instead of
 * the system's alternatives (the dynamic loader reuses an already loaded library of the same soname).
 * Unset, LibTorch makes its own choices for this machine, as PyTorch-Python does.
 *
 * @module
 */

import profiles from "./kernel_profiles.json" with { type: "json" };

/** A kernel profile as `kernel_profiles.json` declares it. */
export interface KernelProfile {
  /** What the profile is for. */
  description: string;
  /** The machine architecture it applies to (`Deno.build.arch`). */
  arch: string;
  /** CPU flags (as /proc/cpuinfo names them) it needs. */
  cpuFlags: string[];
  /** Environment variables set before LibTorch loads (they win over the caller's). */
  env: Record<string, string>;
  /** Libraries loaded before LibTorch, so that LibTorch binds to them. */
  preload: string[];
  /** Threads for every pool. */
  threads: number;
  /** What {@linkcode KernelInfo} must report for the profile to be in effect. */
  expect: { capability: string; onednnIsa: string; mkldnn: boolean; blasVendor: string };
}

/** The known profiles, by name. */
export const KERNEL_PROFILES: Readonly<Record<string, KernelProfile>> = profiles;

/** What applying the requested profile did. */
export interface ProfileState {
  /** The profile's name, or null when LibTorch makes its own choices. */
  name: string | null;
  /** Why the profile could not be applied in full (empty when it was). */
  problems: string[];
}

function envGet(name: string): string | undefined {
  try {
    if (Deno.permissions.querySync({ name: "env", variable: name }).state !== "granted") return undefined;
    return Deno.env.get(name);
  } catch {
    return undefined;
  }
}

function cpuFlags(): Set<string> | null {
  try {
    const text = Deno.readTextFileSync("/proc/cpuinfo");
    const line = text.split("\n").find((l) => /^(flags|Features)\s*:/.test(l));
    return line ? new Set(line.split(":")[1].trim().split(/\s+/)) : null;
  } catch {
    return null;
  }
}

let state: ProfileState | null = null;

/**
 * Applies the profile named by `DENOTORCH_KERNELS` (once, before the shim loads); returns what it did.
 * An unknown name throws; a profile this machine cannot honour in full is applied as far as it can be, and
 * the reasons are kept in `problems` (and printed once on stderr).
 */
export function applyKernelProfile(): ProfileState {
  if (state !== null) return state;
  const name = envGet("DENOTORCH_KERNELS") || null;
  if (name === null || name === "native") return (state = { name: null, problems: [] });
  const profile = KERNEL_PROFILES[name];
  if (profile === undefined) {
    throw new Error(
      `DENOTORCH_KERNELS=${name} is not a kernel profile: use one of ${
        Object.keys(KERNEL_PROFILES).join(", ")
      }, or "native" (LibTorch's own choices)`,
    );
  }
  const problems: string[] = [];
  if (Deno.build.arch !== profile.arch) {
    problems.push(`the ${name} profile is for ${profile.arch} CPUs and this is ${Deno.build.arch}`);
  }
  const flags = cpuFlags();
  const missing = flags === null ? [] : profile.cpuFlags.filter((f) => !flags.has(f));
  if (missing.length > 0) problems.push(`this CPU lacks ${missing.join(", ")}, which the ${name} profile needs`);
  for (const [k, v] of Object.entries(profile.env)) {
    try {
      Deno.env.set(k, v);
    } catch (e) {
      problems.push(`could not set ${k}=${v} (${(e as Error).message}; run with --allow-env)`);
    }
  }
  for (const path of profile.preload) {
    try {
      Deno.dlopen(path, {});
    } catch (e) {
      problems.push(
        `could not load ${path} (${(e as Error).message.split("\n")[0]}): install Debian's reference BLAS and ` +
          "LAPACK (apt-get install libblas3 liblapack3)",
      );
    }
  }
  if (problems.length > 0) console.error(`denotorch: DENOTORCH_KERNELS=${name}: ${problems.join("; ")}`);
  return (state = { name, problems });
}

/** The settings that decide CPU results, as the loaded LibTorch reports them. */
export interface KernelInfo {
  /** The kernel profile applied at load (`DENOTORCH_KERNELS`), or null for LibTorch's own choices. */
  profile: string | null;
  /** Why the profile is not fully in effect (empty when it is, or when there is none). */
  profileProblems: string[];
  /** ATen's CPU capability in use: `default`, `avx2`, `avx512` (x86-64). */
  capability: string;
  /** Whether oneDNN kernels may be used (`torch.backends.mkldnn.enabled`). */
  mkldnn: boolean;
  /** oneDNN's instruction set in effect (`none` when oneDNN is not found). */
  onednnIsa: string;
  /** The BLAS library loaded, its kind and its own threads (0 when it has no pool of its own). */
  blas: { path: string; vendor: string; threads: number };
  /** The LAPACK library loaded. */
  lapack: string;
  /** Threads of every pool: ATen intra-op and inter-op, OpenMP's maximum. */
  threads: { intraop: number; interop: number; openmp: number };
  /** The CPU: its model name and the instruction-set flags that change kernel choices. */
  cpu: { model: string; flags: string[] };
}

/** Parses the shim's `tt_kernel_info` text. */
export function parseKernelInfo(text: string, profile: ProfileState): KernelInfo {
  const f: Record<string, string> = {};
  for (const kv of text.split(";")) {
    const i = kv.indexOf("=");
    if (i > 0) f[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (f.error !== undefined) throw new Error(`the shim could not report its kernel settings: ${f.error}`);
  const problems = [...profile.problems];
  const info: KernelInfo = {
    profile: profile.name,
    profileProblems: problems,
    capability: f.capability,
    mkldnn: f.mkldnn === "1",
    onednnIsa: f.onednn_isa,
    blas: { path: f.blas, vendor: f.blas_vendor, threads: Number(f.blas_threads) },
    lapack: f.lapack,
    threads: { intraop: Number(f.intraop_threads), interop: Number(f.interop_threads), openmp: Number(f.omp_threads) },
    cpu: { model: f.cpu_model, flags: f.cpu_flags ? f.cpu_flags.split(",") : [] },
  };
  const p = profile.name === null ? undefined : KERNEL_PROFILES[profile.name];
  if (p !== undefined) {
    const e = p.expect;
    if (info.capability !== e.capability) {
      problems.push(`ATen's CPU capability is ${info.capability}, not ${e.capability}`);
    }
    if (info.onednnIsa !== "none" && info.onednnIsa !== e.onednnIsa) {
      problems.push(`oneDNN's instruction set is ${info.onednnIsa}, not ${e.onednnIsa}`);
    }
    if (info.mkldnn !== e.mkldnn) {
      problems.push(`oneDNN is ${info.mkldnn ? "on" : "off"}, not ${e.mkldnn ? "on" : "off"}`);
    }
    if (info.blas.vendor !== e.blasVendor) {
      problems.push(`the BLAS is ${info.blas.vendor} (${info.blas.path || "none"}), not ${e.blasVendor}`);
    }
  }
  return info;
}
