"""A small TransformerEncoder text classifier, the Python twin of transformer_classifier.ts. The data are
those of text_lstm.py with another seed: random "sentences" of 3 to 8 tokens (right-padded with token 0 to 8)
over a vocabulary of 20, labelled 0, 1 or 2 as they hold fewer, as many or more "positive" tokens (1-6) than
"negative" ones (7-12). The model adds learned positions to the token embeddings, runs 2 encoder layers
(2 heads, batch first, dropout 0.1) with a key padding mask over the padding, averages the outputs over the
real tokens and classifies with a Linear layer; CrossEntropyLoss, AdamW, batches of 32 from a shuffling
DataLoader. Evaluation runs under no_grad (PyTorch 1.13's nested-tensor fast path).

    /usr/bin/python3 examples/transformer_classifier.py [steps]   # default 240: 30 epochs of 8 batches
"""

import os
import sys

if __name__ == "__main__":  # the portable kernel profile of `deno task test` (before torch), as the fixtures
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts", "fixtures"))
    import pinned  # noqa: F401

import warnings

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

# 1.13's nested-tensor fast path (evaluation under no_grad) warns that the API is a prototype
warnings.filterwarnings("ignore", message="The PyTorch API of nested tensors")

SEED = 3
SAMPLES = 256
VOCAB = 20
LENGTH = 8
D_MODEL = 16


class TransformerClassifier(nn.Module):
    """Embedding + learned positions -> 2 encoder layers -> mean over the real tokens -> Linear."""

    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(VOCAB, D_MODEL)
        self.pos = nn.Parameter(torch.zeros(1, LENGTH, D_MODEL))
        layer = nn.TransformerEncoderLayer(D_MODEL, 2, dim_feedforward=32, dropout=0.1, batch_first=True)
        self.enc = nn.TransformerEncoder(layer, 2)
        self.fc = nn.Linear(D_MODEL, 3)

    def forward(self, x, padding):
        h = self.enc(self.emb(x) + self.pos, src_key_padding_mask=padding)
        pooled = h.masked_fill(padding.unsqueeze(2), 0.0).sum(1).div(padding.logical_not().sum(1, keepdim=True))
        return self.fc(pooled)


def make_data():
    """Token ids [256, 8], their padding mask (True = padding) and labels [256] in {0, 1, 2}."""
    lengths = torch.randint(3, LENGTH + 1, (SAMPLES,))
    tokens = torch.randint(1, VOCAB, (SAMPLES, LENGTH))
    padding = torch.arange(LENGTH).unsqueeze(0).ge(lengths.unsqueeze(1))
    tokens = tokens.masked_fill(padding, 0)
    positive = tokens.ge(1).logical_and(tokens.le(6)).sum(1)
    negative = tokens.ge(7).logical_and(tokens.le(12)).sum(1)
    return tokens, padding, positive.sub(negative).sign().add(1)


def run(steps, print_every=0):
    """Trains `steps` batches (epochs as needed); returns every step's loss."""
    if not isinstance(steps, int) or steps < 1:
        raise ValueError(f"transformer_classifier: steps must be a positive integer, got {steps}")
    torch.manual_seed(SEED)
    tokens, padding, labels = make_data()
    loader = DataLoader(TensorDataset(tokens, padding, labels), batch_size=32, shuffle=True,
                        generator=torch.Generator().manual_seed(SEED))
    model = TransformerClassifier()
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=0.005, weight_decay=0.01)
    losses = []
    epoch = 0
    while len(losses) < steps:
        model.train()
        epoch_loss, batches = 0.0, 0
        for x, pad, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x, pad), y)
            loss.backward()
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
                correct = model(tokens, padding).argmax(1).eq(labels).sum().item()
            print(f"epoch {epoch:3d} mean loss {epoch_loss / batches!r} correct {correct}/{SAMPLES}")
    return losses


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 240, print_every=5)
