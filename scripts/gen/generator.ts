/**
 * The shape every code generator of `deno task gen` has: a name and a function that returns the files it
 * makes (paths relative to the repository root, and their whole text). Generators only compute; writing and
 * checking is `scripts/gen.ts`'s job, so a test can compare a generator's output with the committed files.
 *
 * @module
 */

/** One generated file: its path relative to the repository root and its whole text. */
export interface GeneratedFile {
  /** The path relative to the repository root, with forward slashes. */
  path: string;
  /** The whole text of the file. */
  text: string;
}

/** A code generator run by `deno task gen`. */
export interface Generator {
  /** A short name, shown by `deno task gen` and in test names. */
  name: string;
  /** What it reads its input from (for example "the linked LibTorch's operator schemas"). */
  source: string;
  /** Computes the files; must be deterministic for the same input. */
  generate(): Promise<GeneratedFile[]>;
}
