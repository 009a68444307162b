"""An MLP regression, the Python twin of mlp_regression.ts: seeded synthetic data
y = sin(x0) + 0.5 * x1^2 - 0.3 * x2 + noise over 8 features, a Sequential of Linear + ReLU layers, MSELoss,
Adam with a StepLR schedule (stepped each epoch), batches of 32 from a shuffling DataLoader.

    /usr/bin/python3 examples/mlp_regression.py [steps]   # default 400: 50 epochs of 8 batches
"""

import os
import sys

if __name__ == "__main__":  # the portable kernel profile of `deno task test` (before torch), as the fixtures
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
    import pinned  # noqa: F401

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 1
SAMPLES = 256
FEATURES = 8


def make_data():
    x = torch.randn(SAMPLES, FEATURES)
    y = x.narrow(1, 0, 1).sin() + x.narrow(1, 1, 1).square().mul(0.5) - x.narrow(1, 2, 1).mul(0.3)
    return x, y + torch.randn(SAMPLES, 1).mul(0.1)


def run(steps, print_every=0):
    """Trains `steps` batches (epochs as needed); returns every step's loss."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"mlp_regression: steps must be a positive integer, got {steps}")
    torch.manual_seed(SEED)
    x, y = make_data()
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(SEED))
    model = nn.Sequential(nn.Linear(FEATURES, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01)
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.5)
    losses = []
    epoch = 0
    while len(losses) < steps:
        epoch_loss, batches = 0.0, 0
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            epoch_loss += losses[-1]
            batches += 1
            if len(losses) == steps:
                break
        scheduler.step()
        epoch += 1
        if print_every and epoch % print_every == 0:
            print(f"epoch {epoch:3d} lr {scheduler.get_last_lr()[0]!r} mean loss {epoch_loss / batches!r}")
    return losses


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 400, print_every=5)
