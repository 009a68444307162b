/**
 * Command-line flags of the study tasks: declared once with their type, default, allowed range and help
 * text, parsed with `node:util`'s parseArgs, validated with messages that name the flag and the allowed
 * range, and listed by `--help` (or `-h`). An unknown flag names the nearest known one; numbers are parsed
 * strictly (decimal only: `--bins 0x10` or `--epochs 1e3` is an error, never 16 or 1000).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { unknownNameText } from "../tensor/options.ts";

/** One flag's declaration. */
export type FlagSpec =
  & (
    | { kind: "int"; default: number; min: number; max: number; help: string }
    | { kind: "float"; default: number; min: number; max: number; help: string; exclusiveMin?: boolean }
    | { kind: "string"; default: string | null; help: string; choices?: readonly string[] }
    | { kind: "boolean"; default: boolean; help: string }
  )
  & {
    /**
     * What `--help` shows as the default when the declared one stands for something else (`null` for the
     * data folder means `$CIFAR10_DIR`, else `data/cifar-10-batches-bin`).
     */
    defaultText?: string;
  };

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

const INT_TEXT = /^[+-]?\d+$/;
const FLOAT_TEXT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

function parseNumber(name: string, spec: FlagSpec & { kind: "int" | "float" }, raw: string): number {
  const v = Number(raw);
  const range = `${spec.kind === "float" && spec.exclusiveMin ? "(" : "["}${spec.min}, ${spec.max}]`;
  const what = spec.kind === "int" ? "an integer" : "a number";
  // Number() also reads hex, octal, binary, "Infinity" and whitespace: only plain decimal text is a number here
  const text = spec.kind === "int" ? INT_TEXT : FLOAT_TEXT;
  if (!text.test(raw) || !Number.isFinite(v) || (spec.kind === "int" && !Number.isSafeInteger(v))) {
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
  const options: Record<string, { type: "string" | "boolean"; short?: string }> = {
    help: { type: "boolean", short: "h" },
  };
  for (const [name, spec] of Object.entries(specs)) {
    options[name] = { type: spec.kind === "boolean" ? "boolean" : "string" };
    if (spec.kind === "boolean") options[`no-${name}`] = { type: "boolean" };
  }
  checkFlagNames(args, Object.keys(options));
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

/** An unknown `--flag` (or `-x`) is a FlagError that names the nearest known flag. */
function checkFlagNames(args: readonly string[], known: readonly string[]): void {
  const flags = known.map((k) => `--${k}`);
  for (const arg of args) {
    if (arg === "--") break;
    if (arg === "-h" || !arg.startsWith("-") || /^-\d/.test(arg) || /^-\.\d/.test(arg)) continue;
    const name = arg.split("=")[0];
    if (!flags.includes(name)) {
      throw new FlagError(`${unknownNameText("flag", name, flags)} (see --help)`);
    }
  }
}

/** The default `--help` shows for `spec`. */
export function defaultText(spec: FlagSpec): string {
  if (spec.defaultText !== undefined) return spec.defaultText;
  if (spec.kind === "boolean") return spec.default ? "on" : "off";
  return spec.default === null ? "none" : String(spec.default);
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
        extra = `default ${defaultText(spec)}; ${
          spec.kind === "float" && spec.exclusiveMin ? "(" : "["
        }${spec.min}, ${spec.max}]`;
        break;
      case "string":
        extra = `default ${defaultText(spec)}${spec.choices ? `; one of ${spec.choices.join(", ")}` : ""}`;
        break;
      case "boolean":
        extra = `default ${defaultText(spec)}`;
        break;
    }
    lines.push(`  ${flag} ${spec.help} (${extra})`);
  }
  lines.push(`  ${"-h, --help".padEnd(30)} this text`);
  if (notes) lines.push("", notes);
  return lines.join("\n");
}
