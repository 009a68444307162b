/**
 * The generators `deno task gen` runs, in order. Add a generator here (one import, one entry).
 *
 * @module
 */

import type { Generator } from "./generator.ts";
import { atenTypes } from "./aten_types.ts";
import { typedOpsGenerator } from "./typed_ops.ts";

/** Every code generator of the repository. */
export const GENERATORS: Generator[] = [
  atenTypes,
  typedOpsGenerator,
];
