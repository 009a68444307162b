"""The PyTorch-Python twin of a whole study task, for the `tasks` case of `deno task bench`: the same work as
`deno task lenet` and as `deno task densenet --no-augment --train-from classifier` (the frozen backbone's
features computed once and cached), written as a PyTorch user would write it.

The same steps in the same order as study/pipeline.ts:
1. data: CIFAR-10 birds and cats (the first --limit records of each split), the seeded validation part, the
   training part's channel mean and std (exact integer sums);
2. model: torch.manual_seed(seed), then the LeNet-5 (dropout 0.5), or the TorchScript DenseNet's `features`
   frozen with a new Linear(C, 1) head; for DenseNet the pooled features of the three parts are computed once
   (evaluation mode, no gradients) and saved to a feature cache file (torch.save);
3. train: Adam, BCE-with-logits, batches in the order of a seeded generator, the running loss and accuracy
   read every step, a validation pass after every epoch, a checkpoint (model, optimizer, RNG and loader
   states) written atomically after every epoch;
4. evaluate: the last validation's logits and the test logits;
5. calibrate: the temperature by Newton on log T (minimum validation NLL), the metrics before and after (accuracy,
   NLL, Brier, top-label ECE/MCE/RMSCE/ACE with 10 (lower, upper] bins, positive-class ECE/MCE, a 1000-resample
   bootstrap interval of the ECE) and a sweep of 2^(k/4), k = -8..8, plus the fitted T;
6. write: model.pt (a state dict), the five figures (SVG, and PNG with --png; with matplotlib when it is
   installed, else none, and the report says so), report.json, report.md and log.txt, each atomically.

Prints one JSON line: the phase timings, the figures' renderer and the headline numbers.

Run: /usr/bin/python3 bench/study_task.py --task lenet --data <cifar-10-batches-bin> --out <dir> [--epochs 3]
"""

import argparse
import json
import math
import os
import sys
import time

T0 = time.perf_counter()
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "scripts", "fixtures"))
if os.environ.get("DENOTORCH_KERNELS", "portable") != "native":
    import pinned  # noqa: F401  (the study tasks' `portable` kernel profile, as scripts/study_kernels.ts)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from common import peak_rss_mib, read_split, rss_mib  # noqa: E402
from lenet_ref import LeNet  # noqa: E402

IMAGENET_MEAN, IMAGENET_STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]
DEFAULTS = {"lenet": (20, 64, 1e-3), "densenet": (10, 64, 1e-3)}


def parse():
    p = argparse.ArgumentParser()
    p.add_argument("--task", choices=["lenet", "densenet"], required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--epochs", type=int, default=0)
    p.add_argument("--batch-size", type=int, default=0)
    p.add_argument("--lr", type=float, default=0.0)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--val-fraction", type=float, default=0.1)
    p.add_argument("--threads", type=int, default=1)
    p.add_argument("--bins", type=int, default=10)
    p.add_argument("--limit", type=int, default=0)
    p.add_argument("--png", action="store_true")
    p.add_argument("--weights", default="")
    p.add_argument("--image-size", type=int, default=32)
    p.add_argument("--cache-dir", default="")
    a = p.parse_args()
    epochs, batch, lr = DEFAULTS[a.task]
    a.epochs, a.batch_size, a.lr = a.epochs or epochs, a.batch_size or batch, a.lr or lr
    return a


class Log:
    def __init__(self):
        self.lines = []

    def info(self, line):
        self.lines.append(line)
        print(line, file=sys.stderr, flush=True)


def save_atomic(obj, path):
    tmp = f"{path}.tmp-{os.getpid()}"
    torch.save(obj, tmp)
    os.replace(tmp, path)


def write_text_atomic(text, path):
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def channel_stats(x):
    """Per-channel mean and population std of uint8 images [N, 3, H, W] in [0, 1], from exact integer sums."""
    m = x.shape[0] * x.shape[2] * x.shape[3]
    mean, std = [], []
    for c in range(3):
        v = x[:, c].long()
        s, ss = int(v.sum()), int((v * v).sum())
        mean.append(s / (m * 255))
        std.append(math.sqrt(float(m * ss - s * s) / (m * m)) / 255)
    return mean, std


def normalizer(mean, std, size=None):
    mean_t, std_t = torch.tensor(mean).view(-1, 1, 1), torch.tensor(std).view(-1, 1, 1)

    def transform(x):
        x = x.float().div(255)
        if size is not None and x.shape[-1] != size:
            x = F.interpolate(x, size=(size, size), mode="bilinear", align_corners=False)
        return x.sub(mean_t).div(std_t)

    return transform


def predict(forward, x, transform, batch):
    with torch.no_grad():
        return torch.cat([forward(transform(x[s:s + batch])) for s in range(0, x.shape[0], batch)])


# --- calibration ---------------------------------------------------------------------------------------------


def top_label(z, y):
    p = torch.sigmoid(z)
    conf = torch.maximum(p, 1 - p)
    correct = ((z > 0) == (y > 0.5)).double()
    return conf.double(), correct


def binned(conf, hit, n_bins):
    """Equal-width (lower, upper] bins: counts, mean confidence and mean hit per bin; ECE, MCE, RMSCE."""
    idx = (conf * n_bins).ceil().long().sub(1).clamp(0, n_bins - 1)
    count = torch.zeros(n_bins, dtype=torch.float64).index_add_(0, idx, torch.ones_like(conf))
    conf_sum = torch.zeros(n_bins, dtype=torch.float64).index_add_(0, idx, conf)
    hit_sum = torch.zeros(n_bins, dtype=torch.float64).index_add_(0, idx, hit)
    nz = count > 0
    gap = torch.zeros(n_bins, dtype=torch.float64)
    gap[nz] = (hit_sum[nz] - conf_sum[nz]).abs() / count[nz]
    w = count / conf.numel()
    rows = [{"lower": b / n_bins, "upper": (b + 1) / n_bins, "count": int(count[b]),
             "confidence": float(conf_sum[b] / count[b]) if count[b] else 0.0,
             "accuracy": float(hit_sum[b] / count[b]) if count[b] else 0.0} for b in range(n_bins)]
    return float((w * gap).sum()), float(gap.max()), float((w * gap * gap).sum().sqrt()), rows


def adaptive_ece(conf, hit, n_bins):
    order = conf.argsort()
    chunks = [c for c in torch.tensor_split(order, n_bins) if c.numel()]
    return sum(c.numel() * abs(float(hit[c].mean() - conf[c].mean())) for c in chunks) / conf.numel()


def bootstrap_ece(conf, hit, n_bins, resamples=1000, seed=0):
    g = torch.Generator().manual_seed(seed)
    n = conf.numel()
    idx = torch.randint(n, (resamples, n), generator=g)
    c, h = conf[idx], hit[idx]
    b = (c * n_bins).ceil().long().sub(1).clamp(0, n_bins - 1)
    zeros = torch.zeros(resamples, n_bins, dtype=torch.float64)
    diff = zeros.scatter_add(1, b, h - c)
    eces = diff.abs().sum(1) / n
    lo, hi = torch.quantile(eces, torch.tensor([0.025, 0.975], dtype=torch.float64)).tolist()
    return {"lower": lo, "upper": hi, "level": 0.95, "resamples": resamples}


def metrics(z, y, n_bins):
    conf, hit = top_label(z, y)
    p = torch.sigmoid(z.double())
    ece, mce, rmsce, bins = binned(conf, hit, n_bins)
    ece_pos, mce_pos, _, _ = binned(p, y.double(), n_bins)
    return {
        "accuracy": float(hit.mean()),
        "nll": float(F.binary_cross_entropy_with_logits(z.double(), y.double())),
        "brier": float(((p - y.double()) ** 2).mean()),
        "eceTopLabel": ece,
        "eceInterval": bootstrap_ece(conf, hit, n_bins),
        "mceTopLabel": mce,
        "ecePositive": ece_pos,
        "mcePositive": mce_pos,
        "rmsce": rmsce,
        "ace": adaptive_ece(conf, hit, n_bins),
        "bins": bins,
    }


def fit_temperature(z, y, tol=1e-10, max_iter=100):
    """T minimising the mean BCE of z / T: Newton on s = log T (the NLL is smooth in s)."""
    z, y = z.double(), y.double()

    def derivs(s):
        u = z / math.exp(s)
        p = torch.sigmoid(u)
        f = float(F.binary_cross_entropy_with_logits(u, y))
        g = float(((p - y) * -u).mean())
        h = float((p * (1 - p) * u * u + (p - y) * u).mean())
        return f, g, h

    s = 0.0
    f, g, h = derivs(s)
    nll_at_one = f
    for it in range(1, max_iter + 1):
        if abs(g) <= tol:
            break
        step = -g / h if h > 0 else -math.copysign(0.5, g)
        step = max(-1.0, min(1.0, step))
        while True:  # backtrack until the NLL does not increase
            f2, g2, h2 = derivs(s + step)
            if f2 <= f or abs(step) < 1e-12:
                break
            step /= 2
        s, f, g, h = s + step, f2, g2, h2
    return {"temperature": math.exp(s), "nll": f, "nllAtOne": nll_at_one, "gradient": g, "iterations": it}


def calibration_study(val_z, val_y, test_z, test_y, n_bins):
    fit = fit_temperature(val_z, val_y)
    T = fit["temperature"]
    grid = [2 ** (k / 4) for k in range(-8, 9)]
    if not any(abs(t - T) <= 1e-12 * t for t in grid):
        grid.append(T)
    sweep = []
    for t in sorted(grid):
        conf, hit = top_label(test_z / t, test_y)
        ece, _, _, bins = binned(conf, hit, n_bins)
        nll = float(F.binary_cross_entropy_with_logits(test_z.double() / t, test_y.double()))
        sweep.append({"temperature": t, "ece": ece, "nll": nll, "bins": bins})
    return {"before": metrics(test_z, test_y, n_bins), "after": metrics(test_z / T, test_y, n_bins),
            "temperature": fit, "sweep": sweep}


# --- figures ---------------------------------------------------------------------------------------------------


def figures(out, title, history, cal, png):
    """The run's five figures with matplotlib; returns the files written, or None without matplotlib."""
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return None
    files = []

    def finish(fig, base):
        for ext in ["svg"] + (["png"] if png else []):
            path = os.path.join(out, f"{base}.{ext}")
            tmp = f"{path}.tmp-{os.getpid()}.{ext}"
            fig.savefig(tmp, format=ext, dpi=150)
            os.replace(tmp, path)
            files.append(path)
        plt.close(fig)

    def reliability(ax, bins, label, color):
        centers = [(b["lower"] + b["upper"]) / 2 for b in bins]
        width = 1 / len(bins)
        ax.bar(centers, [b["accuracy"] for b in bins], width=width, color=color, alpha=0.7, edgecolor="k",
               label=label)
        ax.bar(centers, [b["confidence"] - b["accuracy"] for b in bins], bottom=[b["accuracy"] for b in bins],
               width=width, color="none", edgecolor="r", hatch="//", label="gap")
        for c, b in zip(centers, bins):
            if b["count"]:
                ax.text(c, 0.02, str(b["count"]), ha="center", fontsize=6)
        ax.plot([0, 1], [0, 1], "k--", lw=1)
        ax.set_xlim(0.5, 1)
        ax.set_ylim(0, 1)
        ax.set_xlabel("confidence")
        ax.set_ylabel("accuracy")

    epochs = [h["epoch"] for h in history]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(9, 3.5))
    a1.plot(epochs, [h["loss"] for h in history], label="train")
    a1.plot(epochs, [h["valLoss"] for h in history], label="validation")
    a1.set_title("loss")
    a1.legend()
    a2.plot(epochs, [h["accuracy"] for h in history], label="train")
    a2.plot(epochs, [h["valAccuracy"] for h in history], label="validation")
    a2.set_title("accuracy")
    a2.legend()
    fig.suptitle(title)
    finish(fig, "training_curves")
    for key, base, color in [("before", "reliability_uncalibrated", "tab:blue"),
                             ("after", "reliability_calibrated", "tab:red")]:
        m = cal[key]
        fig, ax = plt.subplots(figsize=(4.5, 4.5))
        reliability(ax, m["bins"], key, color)
        i = m["eceInterval"]
        ax.set_title(f"{title}\nECE {m['eceTopLabel']:.4f} [{i['lower']:.4f}, {i['upper']:.4f}]", fontsize=8)
        ax.legend(loc="upper left")
        finish(fig, base)
    fig, ax = plt.subplots(figsize=(4.5, 4.5))
    for key, color in [("before", "tab:blue"), ("after", "tab:red")]:
        bins = [b for b in cal[key]["bins"] if b["count"]]
        ax.plot([b["confidence"] for b in bins], [b["accuracy"] for b in bins], "o-", color=color, label=key)
    ax.plot([0, 1], [0, 1], "k--", lw=1)
    ax.set_xlim(0.5, 1)
    ax.set_ylim(0, 1)
    ax.legend()
    ax.set_title(f"{title}: T = {cal['temperature']['temperature']:.3f}", fontsize=8)
    finish(fig, "reliability_overlay")
    cols = 6
    rows = -(-len(cal["sweep"]) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(2.2 * cols, 2.2 * rows), squeeze=False)
    cmap = plt.get_cmap("viridis")
    for k, (ax, row) in enumerate(zip(axes.flat, cal["sweep"])):
        reliability(ax, row["bins"], f"T={row['temperature']:.2f}", cmap(k / len(cal["sweep"])))
        ax.set_title(f"T = {row['temperature']:.3f}, ECE {row['ece']:.3f}", fontsize=7)
    for ax in list(axes.flat)[len(cal["sweep"]):]:
        ax.axis("off")
    fig.tight_layout()
    finish(fig, "reliability_grid")
    return files


# --- the task --------------------------------------------------------------------------------------------------


def main():
    a = parse()
    torch.set_num_threads(a.threads)
    log = Log()
    os.makedirs(a.out, exist_ok=True)
    timings = {}
    title = {"lenet": "LeNet-5, CIFAR-10 bird vs cat", "densenet": "DenseNet-121 fine-tuned, CIFAR-10 bird vs cat"}
    log.info(f"{title[a.task]}: run folder {a.out} (PyTorch {torch.__version__}, {torch.get_num_threads()} thread(s))")

    # 1. data
    t = time.perf_counter()
    x, y = read_split(a.data, "train", a.limit)
    test_x, test_y = read_split(a.data, "test", a.limit)
    n = x.shape[0]
    g = torch.Generator().manual_seed(a.seed)
    perm = torch.randperm(n, generator=g)
    n_val = math.floor(n * a.val_fraction)
    tx, ty, vx, vy = x[perm[:n - n_val]], y[perm[:n - n_val]], x[perm[n - n_val:]], y[perm[n - n_val:]]
    del x, y
    mean, std = channel_stats(tx)
    rss_after_load = rss_mib()
    timings["data"] = time.perf_counter() - t
    log.info(f"data: {len(ty)} train, {len(vy)} validation, {len(test_y)} test from {a.data}")

    # 2. model (and the DenseNet's cached features)
    torch.manual_seed(a.seed)
    if a.task == "lenet":
        model = LeNet(0.5)
        forward = lambda xb: model(xb).squeeze(1)  # noqa: E731
        transform = normalizer(mean, std)
        trainable = list(model.parameters())
    else:
        scripted = torch.jit.load(a.weights)
        backbone = scripted.features
        for p in backbone.parameters():
            p.requires_grad_(False)
        probe = backbone(torch.zeros(1, 3, a.image_size, a.image_size))
        head = nn.Linear(probe.shape[1], 1)
        model = nn.Module()
        model.features, model.classifier = backbone, head
        t = time.perf_counter()
        backbone.eval()
        to_inputs = normalizer(IMAGENET_MEAN, IMAGENET_STD, a.image_size)
        pool = lambda xb: F.adaptive_avg_pool2d(F.relu(backbone(xb)), (1, 1))  # noqa: E731
        tx, vx, test_x = (predict(pool, part, to_inputs, a.batch_size) for part in (tx, vx, test_x))
        cache = a.cache_dir or os.path.join(a.out, "cache")
        os.makedirs(cache, exist_ok=True)
        save_atomic({"train_features": tx, "train_labels": ty, "val_features": vx, "val_labels": vy,
                     "test_features": test_x, "test_labels": test_y}, os.path.join(cache, "features.pt"))
        timings["features"] = time.perf_counter() - t
        log.info(f"features: computed in {timings['features']:.1f} s and cached")
        forward = lambda f: head(f.flatten(1)).squeeze(1)  # noqa: E731
        transform = lambda f: f  # noqa: E731
        trainable = list(head.parameters())

    # 3. train
    opt = torch.optim.Adam(trainable, lr=a.lr)
    loader_gen = torch.Generator().manual_seed(a.seed)
    history, step_losses = [], []
    t = time.perf_counter()
    for epoch in range(a.epochs):
        e0 = time.perf_counter()
        order = torch.randperm(len(ty), generator=loader_gen)
        loss_sum, batches, correct, seen = 0.0, 0, 0, 0
        model.train()
        if a.task == "densenet":
            model.features.eval()
        for s in range(0, len(ty), a.batch_size):
            idx = order[s:s + a.batch_size]
            xb, yb = transform(tx[idx]), ty[idx].float()
            opt.zero_grad()
            logits = forward(xb)
            loss = F.binary_cross_entropy_with_logits(logits, yb)
            loss.backward()
            opt.step()
            with torch.no_grad():
                right = ((logits > 0) == (yb > 0.5)).sum()
            value = loss.item()
            step_losses.append(value)
            loss_sum, batches, correct, seen = loss_sum + value, batches + 1, correct + right.item(), seen + len(idx)
        seconds = time.perf_counter() - e0
        model.eval()
        val_logits = predict(forward, vx, transform, a.batch_size)
        val_loss = float(F.binary_cross_entropy_with_logits(val_logits, vy.float()))
        val_acc = float(((val_logits > 0) == (vy > 0.5)).float().mean())
        history.append({"epoch": epoch + 1, "loss": loss_sum / batches, "accuracy": correct / seen,
                        "valLoss": val_loss, "valAccuracy": val_acc, "seconds": seconds,
                        "imagesPerSecond": seen / seconds})
        h = history[-1]
        log.info(f"epoch {epoch + 1}/{a.epochs}: loss {h['loss']:.4f} acc {h['accuracy']:.3f} | val loss "
                 f"{val_loss:.4f} acc {val_acc:.3f} | {seconds:.1f} s, {round(h['imagesPerSecond'])} img/s")
        trained = model.classifier if a.task == "densenet" else model
        save_atomic({"epoch": epoch + 1, "batch": 0, "model": trained.state_dict(), "optimizer": opt.state_dict(),
                     "rng_cpu": torch.get_rng_state(), "loader": loader_gen.get_state(), "history": history,
                     "step_losses": step_losses}, os.path.join(a.out, "checkpoint.pt"))
    timings["train"] = time.perf_counter() - t

    # 4. evaluate
    t = time.perf_counter()
    model.eval()
    test_logits = predict(forward, test_x, transform, a.batch_size)
    timings["evaluate"] = time.perf_counter() - t

    # 5. calibrate
    t = time.perf_counter()
    cal = calibration_study(val_logits, vy, test_logits, test_y, a.bins)
    timings["calibrate"] = time.perf_counter() - t
    b, af = cal["before"], cal["after"]
    log.info(f"test accuracy {b['accuracy']:.4f}; top-label ECE {b['eceTopLabel']:.4f} -> {af['eceTopLabel']:.4f} "
             f"with T = {cal['temperature']['temperature']:.4f}; NLL {b['nll']:.4f} -> {af['nll']:.4f}")

    # 6. the run folder
    t = time.perf_counter()
    save_atomic(model.state_dict(), os.path.join(a.out, "model.pt"))  # the whole model, as the study writes it
    timings["report"] = time.perf_counter() - t
    t = time.perf_counter()
    drawn = figures(a.out, title[a.task], history, cal, a.png)
    timings["figures"] = time.perf_counter() - t
    timings["total"] = time.perf_counter() - T0
    report = {"task": a.task, "title": title[a.task], "config": vars(a), "data": {"mean": mean, "std": std},
              "training": {"history": history, "stepLosses": step_losses}, "calibration": cal,
              "timings": timings, "figures": "matplotlib" if drawn is not None else None,
              "memory": {"peakMiB": peak_rss_mib(), "afterLoadMiB": rss_after_load, "atEndMiB": rss_mib()}}
    write_text_atomic(json.dumps(report, indent=2) + "\n", os.path.join(a.out, "report.json"))
    md = [f"# {title[a.task]}", "", "| | accuracy | NLL | top-label ECE | 95% interval |", "| --- | --- | --- | --- | --- |"]
    for key in ("before", "after"):
        m = cal[key]
        i = m["eceInterval"]
        md.append(f"| {key} | {m['accuracy']:.4f} | {m['nll']:.4f} | {m['eceTopLabel']:.4f} | "
                  f"[{i['lower']:.4f}, {i['upper']:.4f}] |")
    md += ["", f"Temperature {cal['temperature']['temperature']:.4f}.", ""]
    write_text_atomic("\n".join(md), os.path.join(a.out, "report.md"))
    write_text_atomic("\n".join(log.lines) + "\n", os.path.join(a.out, "log.txt"))
    print(json.dumps({"timings": timings, "figures": report["figures"], "eceBefore": b["eceTopLabel"],
                      "eceAfter": af["eceTopLabel"], "temperature": cal["temperature"]["temperature"],
                      "testAccuracy": b["accuracy"], "finalLoss": step_losses[-1]}))


if __name__ == "__main__":
    main()
