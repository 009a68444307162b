// Isotonic regression with tied scores: ties pooled first (the label mean per unique score, weighted by count),
// then PAV, as scikit-learn's IsotonicRegression; the fit does not depend on the order of equal samples.
// Expected values derived by hand in the comments.

import { liveTensors, type Tensor, tensor, tidy } from "../../mod.ts";
import { IsotonicRegression, pav } from "../../calibration/mod.ts";
import { assert, assertClose, assertThrowsMatch } from "./assert.ts";

const f64 = (xs: number[]) => tensor(xs, { dtype: "float64" });
const values = (t: Tensor) => Array.from(t.data() as Float64Array);

Deno.test("isotonic ties: the issue's case gives scikit-learn's [0.5, 0.75]", () => {
  // 0.1: labels {1, 0} -> 1/2 (weight 2); 0.2: {0, 1, 1, 1} -> 3/4 (weight 4); 1/2 <= 3/4, so no merge
  assert.deepEqual(pav([0.1, 0.1, 0.2, 0.2, 0.2, 0.2], [1, 0, 0, 1, 1, 1]), { x: [0.1, 0.2], y: [0.5, 0.75] });
  const before = liveTensors();
  tidy(() => {
    const iso = new IsotonicRegression().fit(f64([0.1, 0.1, 0.2, 0.2, 0.2, 0.2]), tensor([1, 0, 0, 1, 1, 1]));
    assert.deepEqual(iso.x, [0.1, 0.2]);
    assert.deepEqual(iso.y, [0.5, 0.75]);
    // linear between the breakpoints, clipped outside: 0.15 -> 0.625
    const out = values(iso.apply(f64([0, 0.1, 0.15, 0.2, 1])));
    [0.5, 0.5, 0.625, 0.75, 0.75].forEach((v, i) => assertClose(out[i], v, 1e-15, `apply[${i}]`));
  });
  assert.equal(liveTensors(), before);
});

Deno.test("isotonic ties: the order of equal samples does not matter", () => {
  const scores = [0.1, 0.1, 0.2, 0.2, 0.2, 0.2];
  const orders: number[][] = [
    [1, 0, 0, 1, 1, 1],
    [0, 1, 1, 1, 1, 0],
    [1, 0, 1, 0, 1, 1],
    [0, 1, 1, 1, 0, 1],
  ];
  for (const labels of orders) assert.deepEqual(pav(scores, labels), { x: [0.1, 0.2], y: [0.5, 0.75] }, `${labels}`);
  tidy(() => {
    // the same samples shuffled (unsorted input): the tensor sort groups the ties, whatever their order
    const a = new IsotonicRegression().fit(f64([0.2, 0.1, 0.2, 0.2, 0.1, 0.2]), tensor([1, 0, 0, 1, 1, 1]));
    const b = new IsotonicRegression().fit(f64([0.1, 0.2, 0.2, 0.1, 0.2, 0.2]), tensor([1, 1, 1, 0, 1, 0]));
    assert.deepEqual(a.y, [0.5, 0.75]);
    assert.deepEqual(b.y, [0.5, 0.75]);
  });
});

Deno.test("isotonic ties: pooled ties that violate the order merge as blocks", () => {
  // 0.1: {1, 0} -> 1/2 (w 2); 0.2: {0, 1, 0} -> 1/3 (w 3); 0.3: {0, 1} -> 1/2 (w 2).
  // 1/2 > 1/3 merges the first two: 2/5 over [0.1, 0.2]; 2/5 <= 1/2 stays.
  const fit = pav([0.1, 0.1, 0.2, 0.2, 0.2, 0.3, 0.3], [1, 0, 0, 1, 0, 0, 1]);
  assert.deepEqual(fit, { x: [0.1, 0.2, 0.3], y: [0.4, 0.4, 0.5] });
  // 0.1: {1, 1} -> 1 (w 2); 0.2: {0, 1} -> 1/2 (w 2); 0.3: {0} -> 0: all merge to 3/5
  assert.deepEqual(pav([0.1, 0.1, 0.2, 0.2, 0.3], [1, 1, 0, 1, 0]), { x: [0.1, 0.3], y: [0.6, 0.6] });
  // a tie arriving after a merge joins its own unique score's pool, not the merged block:
  // 0.1: {1} (w 1); 0.2: {0, 0, 1, 1} -> 1/2 (w 4); 1 > 1/2 merges: 3/5 over [0.1, 0.2]
  assert.deepEqual(pav([0.1, 0.2, 0.2, 0.2, 0.2], [1, 0, 0, 1, 1]), { x: [0.1, 0.2], y: [0.6, 0.6] });
});

Deno.test("pav: unsorted scores or mismatched lengths are RangeErrors", () => {
  assertThrowsMatch(() => pav([0.2, 0.1], [0, 1]), RangeError, /xs must be sorted/);
  assertThrowsMatch(() => pav([0.1, 0.2], [0]), RangeError, /same length/);
});
