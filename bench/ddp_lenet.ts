/**
 * Data-parallel LeNet-5 benchmark, denotorch side: run under the launcher,
 * `deno task launch --nproc N bench/ddp_lenet.ts --data <cifar-10-batches-bin>`. Each rank trains on its
 * DistributedSampler share of the bird/cat training split (batch 64 per rank, Adam lr 1e-3,
 * BCE-with-logits, one thread), gradients averaged by DistributedDataParallel; one warm-up epoch, then
 * `--repeats` timed epochs. Rank 0 prints `{"world_size", "images_per_s": [...]}` (images of all ranks per
 * second of wall time). `bench/ddp_lenet.py` is the same with PyTorch's DDP.
 *
 * @module
 */

import { BCEWithLogitsLoss, LeNet, manualSeed, type Tensor, tensor, tidy } from "../mod.ts";
import * as dist from "../distributed/mod.ts";
import { Adam } from "../optim/mod.ts";
import { benchArgs, readSplit } from "./common.ts";

const a = benchArgs({ limit: "0" });
await dist.initProcessGroup({ backend: "gloo", initMethod: "env://" });
const rank = dist.getRank(), world = dist.getWorldSize();
const prep = (x: Tensor) => x.float().div_(255).sub_(0.5).div_(0.25);
const train = readSplit(a.data, "train", Number(a.opt.limit));
const x = prep(train.images), y = train.labels.float();
manualSeed(0);
const ddp = await dist.DistributedDataParallel.create(new LeNet());
const opt = new Adam(ddp.parameters(), { lr: 1e-3 });
const lossFn = new BCEWithLogitsLoss();
const sampler = new dist.DistributedSampler(x.shape[0], { seed: 0 });

async function epoch(e: number): Promise<number> {
  sampler.setEpoch(e);
  const mine = sampler.indices();
  await dist.barrier().wait();
  const t0 = performance.now();
  ddp.train();
  for (let s = 0; s < mine.length; s += 64) {
    using idx = tensor(mine.slice(s, s + 64));
    opt.zeroGrad();
    using loss = tidy(() =>
      lossFn.forward((ddp.forward(x.indexSelect(0, idx)) as Tensor).squeeze(1), y.indexSelect(0, idx))
    );
    await ddp.backward(loss);
    opt.step();
  }
  await dist.barrier().wait();
  return (mine.length * world) / ((performance.now() - t0) / 1000);
}

await epoch(0); // warm-up
const rates: number[] = [];
for (let r = 1; r <= a.repeats; r++) rates.push(await epoch(r));
if (rank === 0) console.log(JSON.stringify({ world_size: world, images_per_s: rates }));
await dist.destroyProcessGroup();
