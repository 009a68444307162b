"""Exports torchvision's DenseNet-121 as TorchScript for `deno task densenet --weights <file>`.

    python3 scripts/export_densenet121.py --out densenet121.pt            # ImageNet weights (IMAGENET1K_V1)
    python3 scripts/export_densenet121.py --out densenet121.pt --random   # random weights, offline

The ImageNet weights are downloaded by torchvision (into ~/.cache/torch) the first time, so that needs
internet; --random works anywhere torchvision is installed (for example Debian's python3-torchvision).
The file holds the whole model (`features` + `classifier`), scripted with torch.jit.script in eval mode.
"""

import argparse
import os

import torch
import torchvision


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", default="densenet121.pt", help="the TorchScript file to write")
    parser.add_argument("--random", action="store_true", help="random weights instead of ImageNet's (offline)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the random weights")
    args = parser.parse_args()

    if args.random:
        torch.manual_seed(args.seed)
        model = torchvision.models.densenet121(weights=None)
    else:
        weights = torchvision.models.DenseNet121_Weights.IMAGENET1K_V1
        model = torchvision.models.densenet121(weights=weights)
    model.eval()
    scripted = torch.jit.script(model)
    tmp = args.out + ".tmp"
    scripted.save(tmp)
    os.replace(tmp, args.out)
    kind = "random" if args.random else "ImageNet (IMAGENET1K_V1)"
    print(f"wrote {args.out}: DenseNet-121 with {kind} weights, {os.path.getsize(args.out)} bytes")


if __name__ == "__main__":
    main()
