/**
 * Assertions of the calibration tests (node:assert, plus a closeness check that names the values).
 *
 * @module
 */

import assert from "node:assert/strict";

export { assert };

/** Asserts `|actual - expected| <= tol`, with both values in the message. */
export function assertClose(actual: number, expected: number, tol: number, what = "value"): void {
  if (!(Math.abs(actual - expected) <= tol)) {
    throw new assert.AssertionError({
      message: `${what}: ${actual} vs expected ${expected} (|diff| ${Math.abs(actual - expected)} > ${tol})`,
    });
  }
}

/** Asserts that `fn` throws an error of class `cls` whose message matches `pattern`. */
export function assertThrowsMatch(fn: () => unknown, cls: new (...a: never[]) => Error, pattern: RegExp): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof cls)) throw new assert.AssertionError({ message: `expected ${cls.name}, got ${e}` });
    if (!pattern.test((e as Error).message)) {
      throw new assert.AssertionError({ message: `message ${JSON.stringify((e as Error).message)} !~ ${pattern}` });
    }
    return;
  }
  throw new assert.AssertionError({ message: `expected ${cls.name} matching ${pattern}, nothing was thrown` });
}
