// One rank of the DDP tests. args: rank worldSize port mode
//   plain:  the fixture's steps, batch perRank per rank, through DistributedDataParallel
//   accum:  the same steps, each as two micro-batches of perRank/2, the first inside noSync
// Rank 1 perturbs its initial weights: DDP's construction broadcast must overwrite them.
// Prints "RESULT {losses, params: [[...flat values]], ...}".
import * as dist from "../../../distributed/mod.ts";
import { cat, liveTensors, noGrad, type Tensor, tidy, zerosLike } from "../../../mod.ts";
import { ddpFixture, fixtureMlp, fixtureSgd, lossOf } from "../mlp.ts";

const [rank, worldSize, port] = Deno.args.slice(0, 3).map(Number);
const mode = Deno.args[3];
await dist.initProcessGroup({ initMethod: `tcp://127.0.0.1:${port}`, rank, worldSize, timeout: 30_000 });
if (mode === "big") await big();
const net = fixtureMlp();
if (rank !== 0) noGrad(() => net.parameters().forEach((p) => p.add_(1)));
const live0 = liveTensors();
const ddp = await dist.DistributedDataParallel.create(net, mode === "small-buckets" ? { bucketCapMB: 0.001 } : {});
const opt = fixtureSgd(ddp);
const { steps, perRank } = ddpFixture.values;
const losses: number[] = [];
let gradsDifferInsideNoSync = false;
let liveAfterFirstStep = 0;
for (let s = 0; s < steps; s++) {
  opt.zeroGrad();
  const from = rank * perRank;
  if (mode === "accum") {
    const half = perRank / 2;
    let first = 0;
    await ddp.noSync(async () => {
      using l1 = lossOf(ddp, s, from, from + half);
      using scaled = l1.div(2);
      await ddp.backward(scaled);
      first = l1.item();
    });
    // inside noSync nothing was exchanged: the ranks' gradients differ
    using mine = tidy(() => cat(net.parameters().map((p) => p.grad!.reshape(-1))));
    const gathered = [zerosLike(mine), zerosLike(mine)];
    await dist.allGather(gathered, mine).wait();
    gradsDifferInsideNoSync = !gathered[0].equal(gathered[1]);
    gathered.forEach((g) => g.dispose());
    using l2 = lossOf(ddp, s, from + half, from + perRank);
    using scaled2 = l2.div(2);
    await ddp.backward(scaled2);
    losses.push(first / 2 + l2.item() / 2);
  } else {
    using loss = lossOf(ddp, s, from, from + perRank);
    await ddp.backward(loss);
    losses.push(loss.item());
  }
  opt.step();
  if (s === 0) liveAfterFirstStep = liveTensors();
}
const liveGrowthAfterFirstStep = liveTensors() - liveAfterFirstStep;
const sd = ddp.stateDict();
const stateDictKeys = Object.keys(sd);
Object.values(sd).forEach((t) => t.dispose());
const params = net.parameters().map((p: Tensor) => Array.from(p.data() as Float32Array));
const out = {
  losses,
  params,
  buckets: ddp.bucketIndices,
  gradsDifferInsideNoSync,
  stateDictKeys,
  liveGrowth: liveTensors() - live0,
  liveGrowthAfterFirstStep,
};
await dist.destroyProcessGroup();
console.log("RESULT " + JSON.stringify(out));

// Two buckets (a Linear(600, 600) weight is over the first bucket's 1 MiB) on worldSize ranks: after
// reduceGradients every rank holds the same gradients, the mean of the ranks' own ones.
async function big(): Promise<never> {
  const { Linear, Sequential, manualSeed, randn, ReLU } = await import("../../../mod.ts");
  manualSeed(3);
  const model = new Sequential(new Linear(600, 600), new ReLU(), new Linear(600, 600));
  const ddp = await dist.DistributedDataParallel.create(model);
  manualSeed(100 + rank); // different data per rank
  using x = randn([8, 600]);
  using loss = tidy(() => (ddp.forward(x) as Tensor).pow(2).mean());
  loss.backward();
  const flatGrads = () => tidy(() => cat(model.parameters().map((p) => p.grad!.reshape(-1))));
  const gatherAll = async (t: Tensor) => {
    const list = Array.from({ length: worldSize }, () => zerosLike(t));
    await dist.allGather(list, t).wait();
    return list;
  };
  using local = flatGrads();
  const before = await gatherAll(local);
  using expected = tidy(() => before.reduce((a, b) => a.add(b)).div(worldSize));
  await ddp.reduceGradients();
  using reduced = flatGrads();
  const after = await gatherAll(reduced);
  const out = {
    buckets: ddp.bucketIndices,
    maxDiffFromMean: tidy(() => reduced.sub(expected).abs().max().item()),
    sameOnEveryRank: after.every((t) => t.equal(after[0])),
    ranksDifferedBefore: !before.every((t) => t.equal(before[0])),
  };
  [...before, ...after].forEach((t) => t.dispose());
  await dist.destroyProcessGroup();
  console.log("RESULT " + JSON.stringify(out));
  Deno.exit(0);
}
