/**
 * The few assertions these tests need, over Node's built-in `assert` (no registry needed).
 *
 * @module
 */

import assert from "node:assert/strict";

/** Deep equality (`assert.deepStrictEqual`). */
export function assertEquals(actual: unknown, expected: unknown, message?: string): void {
  assert.deepStrictEqual(actual, expected, message);
}

/** Identity (`Object.is`). */
export function assertStrictEquals(actual: unknown, expected: unknown, message?: string): void {
  assert.strictEqual(actual, expected, message);
}

/** A truthy value. */
export function assertTrue(value: unknown, message?: string): void {
  assert.ok(value, message);
}

function checkError(e: unknown, type: abstract new (...args: never[]) => Error, includes?: string): Error {
  if (!(e instanceof type)) throw new Error(`expected a ${type.name}, got ${String(e)}`, { cause: e });
  if (includes !== undefined && !e.message.includes(includes)) {
    throw new Error(`expected the message to include ${JSON.stringify(includes)}, got ${JSON.stringify(e.message)}`);
  }
  return e;
}

/** `fn` throws a `type` whose message includes `includes`; returns the error. */
export function assertThrows(
  fn: () => unknown,
  type: abstract new (...args: never[]) => Error = Error,
  includes?: string,
): Error {
  try {
    fn();
  } catch (e) {
    return checkError(e, type, includes);
  }
  throw new Error(`expected ${type.name}${includes ? ` with "${includes}"` : ""} to be thrown`);
}

/** `fn`'s promise rejects with a `type` whose message includes `includes`; returns the error. */
export async function assertRejects(
  fn: () => Promise<unknown>,
  type: abstract new (...args: never[]) => Error = Error,
  includes?: string,
): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return checkError(e, type, includes);
  }
  throw new Error(`expected ${type.name}${includes ? ` with "${includes}"` : ""} to be rejected`);
}
