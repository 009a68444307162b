"""DenseNet-121 forward throughput, PyTorch-Python side: the same as bench/densenet.ts."""

import json
import time

import torch

from common import args

a = args([("--weights", str, ""), ("--sizes", str, "64,224"), ("--batch", int, 16), ("--device", str, "cpu")])
model = torch.jit.load(a.weights, map_location=a.device).eval()
result = {}
for size in [int(s) for s in a.sizes.split(",")]:
    x = torch.randn(a.batch, 3, size, size, device=a.device)

    def once():  # batches for at least a second, as bench/densenet.ts
        t0 = time.perf_counter()
        images = 0
        while True:
            with torch.no_grad():
                model(x)
            if a.device != "cpu":
                torch.cuda.synchronize()
            images += a.batch
            if time.perf_counter() - t0 >= 1.0:
                break
        return images / (time.perf_counter() - t0)

    once()
    once()
    result[f"densenet_{size}"] = [once() for _ in range(a.repeats)]
print(json.dumps(result))
