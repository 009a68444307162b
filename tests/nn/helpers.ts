/**
 * Shared by the `nn` parity tests: pins LibTorch to one thread (as scripts/fixtures/gen_nn.py does, so
 * that reductions split the same way) and compares a module's tensors with a fixture's.
 *
 * @module
 */

import { type Module, setNumThreads, type Tensor, tidy } from "../../mod.ts";
import { assertTensorExact, type Fixture, fixtureTensor } from "../fixture.ts";

setNumThreads(1);

/** Asserts every entry of `module`'s state dict equals the fixture's `<prefix><key>` to the bit, keys in order. */
export function assertStateDictExact(module: Module, f: Fixture, prefix: string, keys: string[]): void {
  tidy(() => {
    const sd = module.stateDict();
    const actual = Object.keys(sd);
    if (JSON.stringify(actual) !== JSON.stringify(keys)) {
      throw new Error(`state dict keys ${JSON.stringify(actual)}, expected ${JSON.stringify(keys)}`);
    }
    for (const k of keys) assertTensorExact(sd[k], fixtureTensor(f, prefix + k), `${prefix}${k}`);
  });
}

/** Asserts `actual` equals the fixture tensor `name` to the bit (inside a scope that frees the copy). */
export function assertFixtureExact(actual: Tensor | null, f: Fixture, name: string): void {
  if (actual === null) throw new Error(`${name}: got null`);
  tidy(() => assertTensorExact(actual, fixtureTensor(f, name), name));
}
