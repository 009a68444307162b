"""Per-operator overhead in PyTorch-Python: small tensors, each result freed at once.
Prints {"<case>": [microseconds per iteration of each repeat], ...} as JSON."""

import argparse
import json
import time

import torch


def time_it(fn, iters, repeats):
    for _ in range(iters // 10 + 1):
        fn()
    out = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(iters):
            fn()
        out.append((time.perf_counter() - t0) / iters * 1e6)
    return out


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--iters", type=int, default=100000)
    p.add_argument("--repeats", type=int, default=7)
    a = p.parse_args()
    iters, repeats = a.iters, a.repeats
    torch.set_num_threads(a.threads)
    a, b = torch.rand(2, 2), torch.rand(2, 2)
    m, n = torch.rand(4, 4), torch.rand(4, 4)
    r = torch.rand(16, 16)
    result = {
        "add_2x2": time_it(lambda: a + b, iters, repeats),
        "matmul_4x4": time_it(lambda: m @ n, iters, repeats),
        "sum_16x16": time_it(lambda: r.sum(), iters, repeats),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
