"""A PyTorch-Python rank in a group with Deno ranks (tests/distributed/mixed_test.ts).

args: rank world_size port mode
  collectives: all_reduce (sum, product, min, max), broadcast from rank 0, all_gather, send/recv with rank 1-rank
  train:       the DDP fixture's steps, with the collectives denotorch's DistributedDataParallel issues:
               _broadcast_coalesced of the module states from rank 0 (as torch's DDP does at construction),
               then per step one bucket: the gradients in reverse parameter order, each times 1/world_size,
               flattened, all_reduce(sum), copied back (as torch's reducer does)
Prints "RESULT <json>".
"""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "scripts", "fixtures"))
import pinned  # noqa: F401,E402  (the portable kernel profile, as the fixtures were made: before torch)
import datetime  # noqa: E402
import json  # noqa: E402

import torch  # noqa: E402
import torch.distributed as dist  # noqa: E402
import torch.nn as nn  # noqa: E402

from gen_distributed import LR, MOMENTUM, PER_RANK, STEPS, data, mlp  # noqa: E402

torch.set_num_threads(1)
rank, world, port = (int(a) for a in sys.argv[1:4])
mode = sys.argv[4]
dist.init_process_group("gloo", init_method=f"tcp://127.0.0.1:{port}", rank=rank, world_size=world,
                        timeout=datetime.timedelta(seconds=30))
out = {"rank": dist.get_rank(), "world": dist.get_world_size()}

if mode == "collectives":
    for op, name in [(dist.ReduceOp.SUM, "sum"), (dist.ReduceOp.PRODUCT, "product"), (dist.ReduceOp.MIN, "min"),
                     (dist.ReduceOp.MAX, "max")]:
        t = torch.tensor([rank + 1.5, -2.0 * rank, 7.0])
        dist.all_reduce(t, op=op)
        out[name] = t.tolist()
    b = torch.tensor([rank * 3, rank * 3 + 1], dtype=torch.int64)
    dist.broadcast(b, 0)
    out["broadcast"] = b.tolist()
    gathered = [torch.zeros(3, dtype=torch.float64) for _ in range(world)]
    dist.all_gather(gathered, torch.tensor([rank, rank + 0.25, -rank], dtype=torch.float64))
    out["allGather"] = [g.tolist() for g in gathered]
    got = torch.zeros(2)
    other = 1 - rank
    if rank == 0:
        dist.send(torch.tensor([10.0 + rank, 20.0 + rank]), other, tag=3)
        dist.recv(got, other, tag=3)
    else:
        dist.recv(got, other, tag=3)
        dist.send(torch.tensor([10.0 + rank, 20.0 + rank]), other, tag=3)
    out["recv"] = got.tolist()
    dist.barrier()
else:
    model = mlp()
    if rank != 0:
        with torch.no_grad():
            for p in model.parameters():
                p.add_(1)
    pg = dist.distributed_c10d._get_default_group()
    states = [p.detach() for p in model.parameters()] + [b.detach() for b in model.buffers()]
    dist._broadcast_coalesced(pg, states, 250 * 1024 * 1024, 0)
    opt = torch.optim.SGD(model.parameters(), lr=LR, momentum=MOMENTUM)
    x, y = data()
    params = list(model.parameters())
    losses = []
    for s in range(STEPS):
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(x[s, rank * PER_RANK:(rank + 1) * PER_RANK]),
                                           y[s, rank * PER_RANK:(rank + 1) * PER_RANK])
        loss.backward()
        order = list(reversed(range(len(params))))
        flat = torch.cat([params[i].grad.reshape(-1) for i in order]) * (1.0 / world)
        dist.all_reduce(flat)
        offset = 0
        for i in order:
            n = params[i].numel()
            params[i].grad.copy_(flat[offset:offset + n].view_as(params[i]))
            offset += n
        opt.step()
        losses.append(loss.item())
    out["losses"] = losses
    out["params"] = [p.detach().reshape(-1).tolist() for p in params]

dist.destroy_process_group()
print("RESULT " + json.dumps(out), flush=True)
