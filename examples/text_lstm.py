"""An Embedding + LSTM text classifier, the Python twin of text_lstm.ts. The data are seeded random
"sentences" of 3 to 8 tokens (right-padded with token 0 to 8) over a vocabulary of 20; the label says whether
the sentence holds more "positive" tokens (1-6) than "negative" ones (7-12): 0 fewer, 1 as many, 2 more.
The model embeds the tokens (padding_idx=0), runs a 2-layer LSTM (dropout 0.2 between the layers) and
classifies the last layer's final hidden state with a Linear layer; CrossEntropyLoss, Adam, the gradient
norm clipped to 1 before each step, batches of 32 from a shuffling DataLoader.

    /usr/bin/python3 examples/text_lstm.py [steps]   # default 240: 30 epochs of 8 batches
"""

import os
import sys

if __name__ == "__main__":  # the portable kernel profile of `deno task test` (before torch), as the fixtures
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
    import pinned  # noqa: F401

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 2
SAMPLES = 256
VOCAB = 20
LENGTH = 8


class TextLSTM(nn.Module):
    """Embedding -> 2-layer LSTM -> Linear on the last layer's final hidden state."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, 16, padding_idx=0)
        self.lstm = nn.LSTM(16, 32, num_layers=2, dropout=0.2, batch_first=True)
        self.fc = nn.Linear(32, 3)

    def forward(self, x):
        _, (h, _) = self.lstm(self.emb(x))
        return self.fc(h[-1])


def make_data():
    """Token ids [256, 8] (0 = padding) and labels [256] in {0, 1, 2}."""
    lengths = torch.randint(3, LENGTH + 1, (SAMPLES,))
    tokens = torch.randint(1, VOCAB, (SAMPLES, LENGTH))
    tokens = tokens.masked_fill(torch.arange(LENGTH).unsqueeze(0).ge(lengths.unsqueeze(1)), 0)
    positive = tokens.ge(1).logical_and(tokens.le(6)).sum(1)
    negative = tokens.ge(7).logical_and(tokens.le(12)).sum(1)
    return tokens, positive.sub(negative).sign().add(1)


def run(steps, print_every=0):
    """Trains `steps` batches (epochs as needed); returns every step's loss."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"text_lstm: steps must be a positive integer, got {steps}")
    torch.manual_seed(SEED)
    tokens, labels = make_data()
    loader = DataLoader(TensorDataset(tokens, labels), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(SEED))
    model = TextLSTM()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=0.005)
    losses = []
    epoch = 0
    while len(losses) < steps:
        model.train()
        epoch_loss, batches = 0.0, 0
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            losses.append(loss.item())
            epoch_loss += losses[-1]
            batches += 1
            if len(losses) == steps:
                break
        epoch += 1
        if print_every and epoch % print_every == 0:
            model.eval()
            with torch.no_grad():
                correct = model(tokens).argmax(1).eq(labels).sum().item()
            print(f"epoch {epoch:3d} mean loss {epoch_loss / batches!r} correct {correct}/{SAMPLES}")
    return losses


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 240, print_every=5)
