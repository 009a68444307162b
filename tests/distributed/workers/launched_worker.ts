// Started by scripts/launch.ts in tests/distributed/launch_test.ts: meets with env:// and reports what it
// was given. args: mode (ok | fail: rank 1 exits with code 3 while the others wait 60 s)
import * as dist from "../../../distributed/mod.ts";
import { tensor } from "../../../mod.ts";

const env = Object.fromEntries(
  ["RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT", "LOCAL_RANK", "LOCAL_WORLD_SIZE", "OMP_NUM_THREADS"].map((
    k,
  ) => [k, Deno.env.get(k)]),
);
await dist.initProcessGroup({ backend: "gloo", initMethod: "env://", timeout: 30_000 });
using t = tensor([dist.getRank() + 1], { dtype: "float32" });
await dist.allReduce(t).wait();
console.log(`sum ${t.item()}`);
console.error(`env ${JSON.stringify(env)}`);
if (Deno.args[0] === "fail") {
  if (dist.getRank() === 1) Deno.exit(3);
  await new Promise((r) => setTimeout(r, 60_000));
}
await dist.destroyProcessGroup();
