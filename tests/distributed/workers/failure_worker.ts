// One rank of the failure tests. args: rank worldSize port mode timeoutMs
//   die-before:   rank 1 exits right after joining; the others all-reduce
//   silent:       rank 1 joins and then sleeps past the timeout without taking part; the others all-reduce
//   port-in-use:  rank 0 meets at a port the test holds
//   alone:        only this rank starts (the others never join)
import * as dist from "../../../distributed/mod.ts";
import { ones } from "../../../mod.ts";

const [rank, worldSize, port] = Deno.args.slice(0, 3).map(Number);
const mode = Deno.args[3];
const timeout = Number(Deno.args[4]);
let t0 = performance.now(); // reset after joining: ms is the failing stage's own time
const report = (out: Record<string, unknown>) =>
  console.log("RESULT " + JSON.stringify({ ...out, ms: Math.round(performance.now() - t0) }));
try {
  await dist.initProcessGroup({ initMethod: `tcp://127.0.0.1:${port}`, rank, worldSize, timeout });
} catch (e) {
  report({ stage: "init", error: String(e) });
  Deno.exit(0);
}
if (rank === 1 && mode === "die-before") Deno.exit(7);
t0 = performance.now();
if (rank === 1 && mode === "silent") {
  await new Promise((r) => setTimeout(r, timeout + 1500));
  Deno.exit(0);
}
try {
  const t = ones([1000]);
  await dist.allReduce(t).wait();
  await dist.allReduce(t).wait();
  report({ stage: "allReduce", error: null });
} catch (e) {
  report({ stage: "allReduce", error: String(e) });
}
Deno.exit(0);
