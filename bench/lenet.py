"""LeNet-5 benchmark, PyTorch-Python side: the same epoch, inference and peak memory as bench/lenet.ts."""

import json
import time

import torch

from common import args, peak_rss_mib, read_split, rss_mib
from lenet_ref import LeNet

a = args([("--limit", int, 0), ("--mode", str, "both")])
prep = lambda t: t.float().div(255).sub(0.5).div(0.25)
train_x, train_y = read_split(a.data, "train", a.limit)
test_x, _ = read_split(a.data, "test", a.limit)
x, y, xt = prep(train_x), train_y.float(), prep(test_x)
rss_after_load = rss_mib()
torch.manual_seed(0)
model = LeNet()
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = torch.nn.BCEWithLogitsLoss()
n = x.shape[0]


last_loss = [float("nan")]


def epoch():
    t0 = time.perf_counter()
    model.train()
    perm = torch.randperm(n)
    for s in range(0, n, 64):
        idx = perm[s:s + 64]
        opt.zero_grad()
        loss = loss_fn(model(x.index_select(0, idx)).squeeze(1), y.index_select(0, idx))
        loss.backward()
        opt.step()
        if s + 64 >= n:
            last_loss[0] = loss.item()
    return time.perf_counter() - t0


def infer():
    t0 = time.perf_counter()
    model.eval()
    with torch.no_grad():
        for s in range(0, xt.shape[0], 256):
            model(xt[s:s + 256])
    return time.perf_counter() - t0


result = {}
if a.mode != "infer":
    epoch()
    result["train_epoch_s"] = [epoch() for _ in range(a.repeats)]
    result["final_loss"] = last_loss
if a.mode != "train":
    infer()
    result["infer_s"] = [infer() for _ in range(a.repeats)]
result["peak_rss_mib"] = [peak_rss_mib()]
result["rss_after_load_mib"] = [rss_after_load]
print(json.dumps(result))
