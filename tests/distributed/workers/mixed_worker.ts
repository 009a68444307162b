// The Deno rank of a mixed Deno + PyTorch-Python group (tests/distributed/mixed_test.ts).
// args: rank worldSize port mode (collectives | train), mirroring workers/python_rank.py
import * as dist from "../../../distributed/mod.ts";
import { type Tensor, tensor, zeros } from "../../../mod.ts";
import { ddpFixture, fixtureMlp, fixtureSgd, lossOf } from "../mlp.ts";

const [rank, world, port] = Deno.args.slice(0, 3).map(Number);
const mode = Deno.args[3];
await dist.initProcessGroup({ initMethod: `tcp://127.0.0.1:${port}`, rank, worldSize: world, timeout: 30_000 });
const out: Record<string, unknown> = { rank: dist.getRank(), world: dist.getWorldSize() };
if (mode === "collectives") {
  for (const op of ["sum", "product", "min", "max"] as const) {
    using t = tensor([rank + 1.5, -2 * rank, 7], { dtype: "float32" });
    await dist.allReduce(t, { op }).wait();
    out[op] = t.toArray();
  }
  using b = tensor([rank * 3, rank * 3 + 1]);
  await dist.broadcast(b, 0).wait();
  out.broadcast = b.toArray();
  const gathered = Array.from({ length: world }, () => zeros([3], { dtype: "float64" }));
  using mine = tensor([rank, rank + 0.25, -rank], { dtype: "float64" });
  await dist.allGather(gathered, mine).wait();
  out.allGather = gathered.map((g) => g.toArray());
  gathered.forEach((g) => g.dispose());
  using got = zeros([2], { dtype: "float32" });
  using sent = tensor([10 + rank, 20 + rank], { dtype: "float32" });
  const other = 1 - rank;
  await Promise.all([dist.send(sent, other, { tag: 3 }).wait(), dist.recv(got, other, { tag: 3 }).wait()]);
  out.recv = got.toArray();
  await dist.barrier().wait();
} else {
  const net = fixtureMlp();
  if (rank !== 0) net.parameters().forEach((p) => p.detach().add_(1));
  const ddp = await dist.DistributedDataParallel.create(net);
  const opt = fixtureSgd(ddp);
  const losses: number[] = [];
  const { steps, perRank } = ddpFixture.values;
  for (let s = 0; s < steps; s++) {
    opt.zeroGrad();
    using loss = lossOf(ddp, s, rank * perRank, (rank + 1) * perRank);
    await ddp.backward(loss);
    opt.step();
    losses.push(loss.item());
  }
  out.losses = losses;
  out.params = net.parameters().map((p: Tensor) => Array.from(p.data() as Float32Array));
}
await dist.destroyProcessGroup();
console.log("RESULT " + JSON.stringify(out));
