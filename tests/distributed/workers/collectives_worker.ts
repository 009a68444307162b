// One rank of the collectives test: runs every collective and prints what it got as "RESULT <json>".
// args: rank worldSize port
import * as dist from "../../../distributed/mod.ts";
import { liveTensors, tensor, tidy, zeros } from "../../../mod.ts";

const [rank, worldSize, port] = Deno.args.map(Number);
await dist.initProcessGroup({
  backend: "gloo",
  initMethod: `tcp://127.0.0.1:${port}`,
  rank,
  worldSize,
  timeout: 20_000,
});
const out: Record<string, unknown> = {
  rank: dist.getRank(),
  worldSize: dist.getWorldSize(),
  backend: dist.getBackend(),
};
const live0 = liveTensors();

// every reduction on float32 and int64; the values differ per rank
for (const op of ["sum", "avg", "product", "min", "max"] as const) {
  const f = tensor([rank + 1, -(rank + 1) * 0.5, 3 - rank], { dtype: "float32" });
  await dist.allReduce(f, { op }).wait();
  out[`float32.${op}`] = f.toArray();
  f.dispose();
  if (op !== "avg") {
    const i = tensor([rank + 1, 10 - 3 * rank], { dtype: "int64" });
    await dist.allReduce(i, { op }).wait();
    out[`int64.${op}`] = i.toArray();
    i.dispose();
  }
}
// average of a tensor that requires grad (a parameter): in place, outside autograd, as Gloo writes it
const param = tensor([rank + 1, 2 * rank], { dtype: "float32", requiresGrad: true });
await dist.allReduce(param, { op: "avg" }).wait();
out["param.avg"] = param.toArray();
param.dispose();
// average of float64 by 3 is not a power of two: sum, then divide, as PyTorch users do (t /= world)
const d = tidy(() => tensor([1, 2], { dtype: "float64" }).add(rank / 10));
await dist.allReduce(d, { op: "avg" }).wait();
out["float64.avg"] = d.toArray();
d.dispose();
tidy(() => {
  try {
    dist.allReduce(tensor([1, 2]), { op: "avg" });
  } catch (e) {
    out["int64.avg.error"] = String(e);
  }
});

// the event loop keeps running while a wait is pending: the last rank joins 300 ms late
let ticks = 0;
const timer = setInterval(() => ticks++, 10);
if (rank === worldSize - 1) await new Promise((r) => setTimeout(r, 300));
const late = tensor([rank], { dtype: "float32" });
const beforeTicks = ticks;
await dist.allReduce(late).wait();
clearInterval(timer);
out.ticksDuringWait = ticks - beforeTicks;
late.dispose();

// broadcast from the last rank, and a work whose input tensor is disposed before the wait
const b = tensor([rank * 7, rank * 7 + 1], { dtype: "float32" });
await dist.broadcast(b, worldSize - 1).wait();
out.broadcast = b.toArray();
b.dispose();
const early = tensor([rank + 100], { dtype: "float32" });
const w = dist.allReduce(early);
early.dispose(); // the native side keeps its own reference until the work is done
await w.wait();
out.disposedEarlyCompleted = w.isCompleted();

// allGather
const outs = Array.from({ length: worldSize }, () => zeros([2], { dtype: "float32" }));
const mine = tensor([rank, rank * rank], { dtype: "float32" });
await dist.allGather(outs, mine).wait();
out.allGather = outs.map((o) => o.toArray());
outs.forEach((o) => o.dispose());
for (
  const [name, fn] of [
    ["allGather.length", () => dist.allGather([mine], mine)],
    ["allGather.shape", () => dist.allGather(Array.from({ length: worldSize }, () => zeros([3])), mine)],
    ["reduceScatter", () => dist.reduceScatter(mine, Array.from({ length: worldSize }, () => zeros([2])))],
    ["broadcast.src", () => dist.broadcast(mine, worldSize)],
    ["send.self", () => dist.send(mine, rank)],
    ["allReduce.op", () => dist.allReduce(mine, { op: "mean" as "sum" })],
    ["allReduce.noncontiguous", () => dist.allReduce(zeros([2, 3]).t())],
  ] as const
) {
  tidy(() => {
    try {
      (fn as () => unknown)();
      out[`${name}.error`] = "no error";
    } catch (e) {
      out[`${name}.error`] = String(e);
    }
  });
}
mine.dispose();

// send/recv around a ring, with a tag
const next = (rank + 1) % worldSize;
const prev = (rank + worldSize - 1) % worldSize;
const sent = tensor([rank * 10, rank * 10 + 1, rank * 10 + 2], { dtype: "float64" });
const got = zeros([3], { dtype: "float64" });
const sw = dist.send(sent, next, { tag: 5 });
const rw = dist.recv(got, prev, { tag: 5 });
await Promise.all([sw.wait(), rw.wait()]);
out.recv = got.toArray();
sent.dispose();
got.dispose();

await dist.barrier().wait();
out.liveTensorsLeaked = liveTensors() - live0;
await dist.destroyProcessGroup();
out.initializedAfterDestroy = dist.isInitialized();
console.log("RESULT " + JSON.stringify(out));
