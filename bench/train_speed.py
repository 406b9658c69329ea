"""How fast does cnnlib.train.fit train the note's CNN, against a bare PyTorch loop and the machine's peak?

Measured in one run, as ratios, so the numbers compare like with like:
- images per second of `fit` and of a bare loop over the same in-memory tensors and model;
- the machine's float32 matrix-multiply rate (FLOP/s), and the fraction of it training reaches,
  counting 3x the forward FLOPs of the model per training image (forward + backward).

Usage: python bench/train_speed.py [--images 12800] [--batch-size 128] [--repeats 3] [--json PATH]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import torch
from torch import nn

from cnnlib import data, train
from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import layer_table


def matmul_flops_per_second(size=2048, seconds=2.0):
    """float32 matrix-multiply rate of this machine: 2*n^3 FLOPs per product, best of a few runs."""
    a, b = torch.randn(size, size), torch.randn(size, size)
    a @ b  # warm up
    best, began = 0.0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        t = time.perf_counter()
        a @ b
        best = max(best, 2 * size**3 / (time.perf_counter() - t))
    return best


def bare_loop(model, x, y, batch_size, lr, seed):
    """The plainest training epoch: shuffle, forward, cross-entropy, backward, Adam step. Returns seconds."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, fused=True)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    model.train()
    began = time.perf_counter()
    for idx in order.split(batch_size):
        loss = loss_fn(model(x[idx]), y[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    return time.perf_counter() - began


def fresh_model(seed):
    """The note's default model, initialised the same way every time."""
    train.set_seed(seed)
    return ConvolutionalNeuralNetworkClass()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--images", type=int, default=12_800, help="training images per timed epoch")
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3, help="timed epochs of each kind, interleaved")
    parser.add_argument("--json", default="bench/results/train_speed.json")
    args = parser.parse_args()

    full = data.load("fashion-mnist")
    subset = data.Data(full.name, full.classes, full.train_x[: args.images], full.train_y[: args.images],
                       full.test_x[:1000], full.test_y[:1000], full.mean, full.std)
    device = torch.device("cpu")
    flops_per_image = 3 * layer_table(fresh_model(0), full.train_x.shape[1:]).total_flops

    bare_loop(fresh_model(0), subset.train_x, subset.train_y, args.batch_size, 1e-3, 0)  # warm up
    fit_rates, bare_rates = [], []
    for r in range(args.repeats):  # interleaved, so drifts in machine load hit both alike
        history = train.fit(fresh_model(r), subset, epochs=1, batch_size=args.batch_size, device=device,
                            seed=r, progress=False)
        fit_rates.append(args.images / history[0]["seconds"])
        seconds = bare_loop(fresh_model(r), subset.train_x, subset.train_y, args.batch_size, 1e-3, r)
        bare_rates.append(args.images / seconds)
    peak = matmul_flops_per_second()

    fit_rate, bare_rate = statistics.median(fit_rates), statistics.median(bare_rates)
    result = {
        "device": str(device),
        "threads": torch.get_num_threads(),
        "torch": torch.__version__,
        "batch_size": args.batch_size,
        "images_per_epoch": args.images,
        "fit_images_per_s": fit_rate,
        "bare_images_per_s": bare_rate,
        "fit_over_bare": fit_rate / bare_rate,
        "train_flops_per_image": flops_per_image,
        "matmul_flops_per_s": peak,
        "fit_fraction_of_matmul": fit_rate * flops_per_image / peak,
    }
    print(f"{'device':<34}{result['device']} ({result['threads']} threads, torch {result['torch']})")
    print(f"{'fit, images/s (median of ' + str(args.repeats) + ')':<34}{fit_rate:,.0f}")
    print(f"{'bare loop, images/s':<34}{bare_rate:,.0f}")
    print(f"{'ratio fit / bare (target >= 0.95)':<34}{result['fit_over_bare']:.3f}")
    print(f"{'training FLOPs per image':<34}{flops_per_image / 1e6:,.1f} M")
    print(f"{'float32 matmul rate':<34}{peak / 1e9:,.1f} GFLOP/s")
    print(f"{'fit reaches of the matmul rate':<34}{result['fit_fraction_of_matmul']:.1%}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
