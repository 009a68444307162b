"""Data-parallel LeNet-5 benchmark, PyTorch-Python side: the same as bench/ddp_lenet.ts with
torch.nn.parallel.DistributedDataParallel. Run under a launcher that sets RANK, WORLD_SIZE, MASTER_ADDR and
MASTER_PORT: `PYTHON=/usr/bin/python3 deno task launch --nproc N bench/ddp_lenet.py --data <dir>`."""

import json
import time

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data.distributed import DistributedSampler

from common import args, read_split
from lenet_ref import LeNet

a = args([("--limit", int, 0)])
dist.init_process_group("gloo", init_method="env://")
rank, world = dist.get_rank(), dist.get_world_size()
prep = lambda t: t.float().div(255).sub(0.5).div(0.25)
train_x, train_y = read_split(a.data, "train", a.limit)
x, y = prep(train_x), train_y.float()
torch.manual_seed(0)
ddp = DistributedDataParallel(LeNet())
opt = torch.optim.Adam(ddp.parameters(), lr=1e-3)
loss_fn = torch.nn.BCEWithLogitsLoss()
sampler = DistributedSampler(range(x.shape[0]), seed=0)


def epoch(e):
    sampler.set_epoch(e)
    mine = list(sampler)
    dist.barrier()
    t0 = time.perf_counter()
    ddp.train()
    for s in range(0, len(mine), 64):
        idx = torch.tensor(mine[s:s + 64])
        opt.zero_grad()
        loss = loss_fn(ddp(x.index_select(0, idx)).squeeze(1), y.index_select(0, idx))
        loss.backward()
        opt.step()
    dist.barrier()
    return len(mine) * world / (time.perf_counter() - t0)


epoch(0)
rates = [epoch(r) for r in range(1, a.repeats + 1)]
if rank == 0:
    print(json.dumps({"world_size": world, "images_per_s": rates}))
dist.destroy_process_group()
