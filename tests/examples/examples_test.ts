// The four ported programs of examples/ (the 60-minute-blitz CIFAR-10 classifier, an MLP regression, an
// Embedding + LSTM text classifier, a TransformerEncoder classifier), each run for a few optimizer steps
// through its exported `run(steps)`: every step's loss equals its PyTorch-Python twin's (examples/<name>.py)
// to the bit, and no tensor is left behind. Fixture: scripts/fixtures/gen_examples.py (which imports the
// twins).

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { assertThrows } from "../serialize/assert.ts";
import { liveTensors } from "../../mod.ts";
import { run as cifarClassifier } from "../../examples/cifar_classifier.ts";
import { run as mlpRegression } from "../../examples/mlp_regression.ts";
import { run as textLstm } from "../../examples/text_lstm.ts";
import { run as transformerClassifier } from "../../examples/transformer_classifier.ts";
import { assertValuesExact, fixtureTensor, loadFixture } from "../fixture.ts";

const f = loadFixture("examples/examples");

const EXAMPLES: [string, (steps: number) => number[]][] = [
  ["cifar_classifier", cifarClassifier],
  ["mlp_regression", mlpRegression],
  ["text_lstm", textLstm],
  ["transformer_classifier", transformerClassifier],
];

assertEquals(Object.keys(f.values).sort(), EXAMPLES.map(([name]) => name).sort(), "the fixture's examples");

for (const [name, run] of EXAMPLES) {
  Deno.test(`examples: ${name} trains with its PyTorch twin's losses, to the bit`, () => {
    const steps: number = f.values[name].steps;
    const expected = fixtureTensor(f, `${name}.losses`);
    const want = Array.from(expected.data() as Float32Array);
    expected.dispose();
    const before = liveTensors();
    const losses = run(steps);
    assertEquals(liveTensors(), before, "tensors left behind");
    assertEquals(losses.length, steps);
    assertValuesExact(losses, want, `${name} losses`);
  });
}

Deno.test("examples: a run is repeatable (each run seeds everything it draws)", () => {
  const steps = 3;
  for (const [name, run] of EXAMPLES) assertValuesExact(run(steps), run(steps), `${name} rerun`);
});

Deno.test("examples: a step count that is not a positive integer is refused with a clear error", () => {
  for (const [name, run] of EXAMPLES) {
    for (const bad of [0, -1, 2.5, NaN]) {
      assertThrows(() => run(bad), RangeError, `${name}: steps must be a positive integer, got ${bad}`);
    }
  }
});

Deno.test("examples: the CIFAR-10 example says where its data are missing and how to point to them", () => {
  const saved = Deno.env.get("CIFAR10_DIR");
  const before = liveTensors();
  Deno.env.set("CIFAR10_DIR", "/nonexistent/cifar");
  try {
    assertThrows(
      () => cifarClassifier(1),
      Error,
      "cifar_classifier: /nonexistent/cifar/data_batch_1.bin does not exist; set CIFAR10_DIR",
    );
  } finally {
    if (saved === undefined) Deno.env.delete("CIFAR10_DIR");
    else Deno.env.set("CIFAR10_DIR", saved);
  }
  assertEquals(liveTensors(), before, "tensors left behind");
});
