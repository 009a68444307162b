"""Helpers shared by the PyTorch-Python side of the benchmarks: argument parsing, the CIFAR-10 bird/cat
data (the same records, decoded with NumPy), peak memory."""

import argparse
import os
import resource
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts", "fixtures"))

RECORD = 3073


def args(extra=()):
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--data", default=os.environ.get("CIFAR10_DIR"))
    for name, kind, default in extra:
        p.add_argument(name, type=kind, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    return a


def read_split(directory, split, limit=0):
    """uint8 images [N, 3, 32, 32] and 0/1 labels (bird 0, cat 1) of a split's birds and cats."""
    files = [f"data_batch_{k}.bin" for k in range(1, 6)] if split == "train" else ["test_batch.bin"]
    raw = np.concatenate([np.fromfile(os.path.join(directory, f), dtype=np.uint8) for f in files])
    recs = raw.reshape(-1, RECORD)
    keep = (recs[:, 0] == 2) | (recs[:, 0] == 3)
    recs = recs[keep]
    if limit:
        recs = recs[:limit]
    images = torch.from_numpy(recs[:, 1:].copy()).reshape(-1, 3, 32, 32)
    labels = torch.from_numpy((recs[:, 0] == 3).astype(np.int64))
    return images, labels


def peak_rss_mib():
    """Peak resident memory of this process, MiB (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def rss_mib():
    """Resident memory of this process now, MiB (Linux VmRSS)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")
