/**
 * The toolkit's version (kept equal to `deno.json`'s).
 *
 * @module
 */

/** The version of denotorch. */
export const VERSION = "0.1.0";
