"""The PyTorch 60-minute blitz CIFAR-10 classifier ("Training a classifier"), the Python twin of
cifar_classifier.ts: the tutorial's small conv net (10 outputs), CrossEntropyLoss, SGD(lr=0.001,
momentum=0.9), batches of 4 drawn by a shuffling DataLoader, inputs scaled as ToTensor() then
Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5)). The data are the first 2000 records of the bird/cat CIFAR-10
subset (data_batch_1.bin of $CIFAR10_DIR, else ../shared/data/cifar-10-batches-bin; labels 2 = bird and
3 = cat among the tutorial's 10 classes).

    /usr/bin/python3 examples/cifar_classifier.py [steps]   # default 500: one pass over the 2000 records
"""

import os
import sys

if __name__ == "__main__":  # the portable kernel profile of `deno task test` (before torch), as the fixtures
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
    import pinned  # noqa: F401

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader, TensorDataset

SEED = 0
RECORDS = 2000
RECORD_BYTES = 3073


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 5)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        x = self.fc3(x)
        return x


def cifar_dir():
    here = os.path.dirname(os.path.abspath(__file__))
    return os.environ.get("CIFAR10_DIR") or os.path.join(here, "..", "..", "shared", "data", "cifar-10-batches-bin")


def load_records(n):
    """The first n records of data_batch_1.bin: images as ToTensor + Normalize(0.5, 0.5) give them, labels."""
    path = os.path.join(cifar_dir(), "data_batch_1.bin")
    if not os.path.exists(path):
        raise FileNotFoundError(f"cifar_classifier: {path} does not exist; set CIFAR10_DIR to a CIFAR-10 binary folder")
    with open(path, "rb") as f:
        raw = f.read(n * RECORD_BYTES)
    records = torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(n, RECORD_BYTES)
    labels = records[:, 0].long()
    images = records[:, 1:].reshape(n, 3, 32, 32).float().div(255).sub(0.5).div(0.5)
    return images, labels


def run(steps, print_every=0):
    """Trains `steps` batches (epochs as needed); returns every step's loss."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"cifar_classifier: steps must be a positive integer, got {steps}")
    torch.manual_seed(SEED)
    images, labels = load_records(RECORDS)
    loader = DataLoader(TensorDataset(images, labels), batch_size=4, shuffle=True,
                        generator=torch.Generator().manual_seed(SEED))
    net = Net()
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
    losses = []
    running_loss = 0.0
    epoch = 0
    while len(losses) < steps:
        for inputs, targets in loader:
            optimizer.zero_grad()
            outputs = net(inputs)
            loss = criterion(outputs, targets)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            running_loss += losses[-1]
            if print_every and len(losses) % print_every == 0:
                print(f"[{epoch + 1}, {len(losses):5d}] loss: {running_loss / print_every!r}")
                running_loss = 0.0
            if len(losses) == steps:
                break
        epoch += 1
    return losses


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 500, print_every=100)
