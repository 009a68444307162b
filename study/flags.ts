/**
 * Command-line flags of the study tasks: declared once with their type, default, allowed range and help
 * text, parsed with `node:util`'s parseArgs, validated with messages that name the flag and the allowed
 * range, and listed by `--help`.
 *
 * @module
 */

import { parseArgs } from "node:util";

/** One flag's declaration. */
export type FlagSpec =
  | { kind: "int"; default: number; min: number; max: number; help: string }
  | { kind: "float"; default: number; min: number; max: number; help: string; exclusiveMin?: boolean }
  | { kind: "string"; default: string | null; help: string; choices?: readonly string[] }
  | { kind: "boolean"; default: boolean; help: string };

/** The declarations of a task's flags, by name (`batch-size`). */
export type FlagSpecs = Record<string, FlagSpec>;

/** Parsed flag values, by name. */
export type FlagValues = Record<string, number | string | boolean | null>;

/** The parsed values and which flags the command line gave explicitly. */
export interface ParsedFlags {
  /** Every flag's value (given or default). */
  values: FlagValues;
  /** The flags given on the command line. */
  given: Set<string>;
}

/** A bad command line: the message names the flag and what is allowed. */
export class FlagError extends Error {
  /** A usage error with `message`. */
  constructor(message: string) {
    super(message);
    this.name = "FlagError";
  }
}

function parseNumber(name: string, spec: FlagSpec & { kind: "int" | "float" }, raw: string): number {
  const v = Number(raw);
  const range = `${spec.kind === "float" && spec.exclusiveMin ? "(" : "["}${spec.min}, ${spec.max}]`;
  const what = spec.kind === "int" ? "an integer" : "a number";
  if (raw.trim() === "" || !Number.isFinite(v) || (spec.kind === "int" && !Number.isInteger(v))) {
    throw new FlagError(`--${name} must be ${what} in ${range}, got '${raw}'`);
  }
  if (v < spec.min || v > spec.max || (spec.kind === "float" && spec.exclusiveMin && v === spec.min)) {
    throw new FlagError(`--${name} must be ${what} in ${range}, got ${raw}`);
  }
  return v;
}

/**
 * Parses `args` against `specs`; `--help` returns null (print {@linkcode helpText} then).
 *
 * @example
 * ```ts
 * import { parseFlags } from "./flags.ts";
 * const parsed = parseFlags(["--epochs", "3"], { epochs: { kind: "int", default: 30, min: 1, max: 1000, help: "epochs" } });
 * // parsed.values.epochs === 3, parsed.given has "epochs"
 * ```
 */
export function parseFlags(args: readonly string[], specs: FlagSpecs): ParsedFlags | null {
  const options: Record<string, { type: "string" | "boolean" }> = { help: { type: "boolean" } };
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.kind === "boolean" ? "boolean" : "string" };
    if (spec.kind === "boolean") options[`no-${name}`] = { type: "boolean" };
  }
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: false, strict: true });
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/, "");
    throw new FlagError(`${msg} (see --help)`);
  }
  const raw = parsed.values as Record<string, string | boolean | undefined>;
  if (raw.help) return null;
  const values: FlagValues = {};
  const explicit = new Set<string>();
  for (const [name, spec] of Object.entries(specs)) {
    const given = raw[name];
    if (given !== undefined || raw[`no-${name}`] !== undefined) explicit.add(name);
    if (spec.kind === "boolean") {
      if (given && raw[`no-${name}`]) throw new FlagError(`--${name} and --no-${name} contradict each other`);
      values[name] = given === true ? true : raw[`no-${name}`] ? false : spec.default;
    } else if (given === undefined) {
      values[name] = spec.default;
    } else if (spec.kind === "string") {
      const s = given as string;
      if (spec.choices && !spec.choices.includes(s)) {
        throw new FlagError(`--${name} must be one of ${spec.choices.join(", ")}, got '${s}'`);
      }
      values[name] = s;
    } else {
      values[name] = parseNumber(name, spec, given as string);
    }
  }
  return { values, given: explicit };
}

/** The `--help` text: usage, then each flag with its default and allowed values. */
export function helpText(usage: string, specs: FlagSpecs, notes = ""): string {
  const lines = [usage, "", "Flags:"];
  for (const [name, spec] of Object.entries(specs)) {
    let flag = spec.kind === "boolean"
      ? `--${name}, --no-${name}`
      : `--${name} <${spec.kind === "string" ? "value" : spec.kind}>`;
    flag = flag.padEnd(30);
    let extra: string;
    switch (spec.kind) {
      case "int":
      case "float":
        extra = `default ${spec.default}; ${
          spec.kind === "float" && spec.exclusiveMin ? "(" : "["
        }${spec.min}, ${spec.max}]`;
        break;
      case "string":
        extra = `default ${spec.default ?? "none"}${spec.choices ? `; one of ${spec.choices.join(", ")}` : ""}`;
        break;
      case "boolean":
        extra = `default ${spec.default ? "on" : "off"}`;
        break;
    }
    lines.push(`  ${flag} ${spec.help} (${extra})`);
  }
  lines.push(`  ${"--help".padEnd(30)} this text`);
  if (notes) lines.push("", notes);
  return lines.join("\n");
}
