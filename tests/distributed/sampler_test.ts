// DistributedSampler's per-rank order and the bucket assignment against PyTorch 1.13's own (fixtures
// from scripts/fixtures/gen_distributed.py).
import { deepStrictEqual as assertEquals, throws } from "node:assert/strict";
import { loadFixture } from "../fixture.ts";
import { assignBuckets, DistributedSampler, FIRST_BUCKET_BYTES } from "../../distributed/mod.ts";
import { type DType, empty, getRngState, liveTensors, manualSeed, rand } from "../../mod.ts";

Deno.test("DistributedSampler gives every rank exactly PyTorch's indices (lengths, world sizes, seeds, epochs)", () => {
  const cases = loadFixture("distributed/sampler").values.cases;
  const live = liveTensors();
  for (const c of cases) {
    const s = new DistributedSampler(c.n, {
      numReplicas: c.numReplicas,
      rank: c.rank,
      shuffle: c.shuffle,
      seed: c.seed,
      dropLast: c.dropLast,
    });
    s.setEpoch(c.epoch);
    const what = JSON.stringify({ ...c, indices: undefined });
    assertEquals(s.length, c.length, what);
    assertEquals(s.indices(), c.indices, what);
    assertEquals([...s], c.indices, what);
  }
  assertEquals(liveTensors(), live);
});

Deno.test("DistributedSampler leaves the global generator alone and checks its arguments", () => {
  manualSeed(5);
  using before = getRngState();
  new DistributedSampler(100, { numReplicas: 2, rank: 0, seed: 3 }).indices();
  using after = getRngState();
  assertEquals(before.toArray(), after.toArray());
  manualSeed(5);
  using a = rand([3]);
  manualSeed(5);
  new DistributedSampler({ length: 10 }, { numReplicas: 3, rank: 2 }).indices();
  using b = rand([3]);
  assertEquals(a.toArray(), b.toArray());
  throws(
    () => new DistributedSampler(10, { numReplicas: 2, rank: 2 }),
    /Invalid rank 2, rank should be in the interval \[0, 1\]/,
  );
  throws(() => new DistributedSampler(10, { numReplicas: 0, rank: 0 }), /numReplicas must be an integer >= 1, got 0/);
  throws(() => new DistributedSampler(10), /pass numReplicas, or call initProcessGroup first/);
  throws(() => new DistributedSampler(-1, { numReplicas: 1, rank: 0 }), /the dataset's length must be an integer >= 0/);
  throws(() => new DistributedSampler(10, { numReplicas: 1, rank: 0 }).setEpoch(1.5), /epoch must be an integer >= 0/);
});

Deno.test("gradient and broadcast buckets are c10d's compute_bucket_assignment_by_size", () => {
  const cases = loadFixture("distributed/buckets").values.cases;
  for (const c of cases) {
    const tensors = c.sizes.map(([n, d]: [number, DType]) => empty([n], { dtype: d }));
    try {
      const got = c.kind === "ddp"
        ? assignBuckets(
          tensors,
          [FIRST_BUCKET_BYTES, Math.floor(c.capMB * 1024 * 1024)],
          tensors.map((_: unknown, i: number) => tensors.length - 1 - i),
          false,
        )
        : assignBuckets(tensors, [c.limit]);
      assertEquals(got, c.buckets, JSON.stringify(c));
    } finally {
      tensors.forEach((t: { dispose(): void }) => t.dispose());
    }
  }
});
