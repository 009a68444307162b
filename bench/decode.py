"""CIFAR-10 decode (+ normalise) throughput, PyTorch-Python side: the same as bench/decode.ts (NumPy reads and
reshapes the records, torch converts and normalises)."""

import json
import os
import time

import numpy as np
import torch

from common import RECORD, args

a = args()
MEAN = torch.tensor([0.4914, 0.4822, 0.4465]).view(-1, 1, 1)
STD = torch.tensor([0.247, 0.243, 0.261]).view(-1, 1, 1)


def once(normalize_too):  # for at least half a second, as bench/decode.ts
    t0 = time.perf_counter()
    done = 0
    while True:
        raw = np.concatenate([np.fromfile(os.path.join(a.data, f"data_batch_{k}.bin"), dtype=np.uint8)
                              for k in range(1, 6)])
        recs = torch.from_numpy(raw).view(-1, RECORD)
        images = recs[:, 1:].reshape(-1, 3, 32, 32).contiguous()
        labels = recs[:, 0].long()
        if normalize_too:
            _ = (images.float().div(255) - MEAN) / STD
        done += raw.nbytes
        if time.perf_counter() - t0 >= 0.5:
            break
    return done / (time.perf_counter() - t0) / 1e9


once(True)
print(json.dumps({
    "decode_gbps": [once(False) for _ in range(a.repeats)],
    "decode_normalize_gbps": [once(True) for _ in range(a.repeats)],
}))
