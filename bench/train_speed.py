"""How fast does cnnlib.train.fit train the note's CNN, against a bare PyTorch loop and the machine's peak?

Measured in one run, as ratios, so the numbers compare like with like:
- images per second of `fit` and of a bare loop over the same in-memory tensors and model
  (both channels-last, fused Adam);
- the machine's float32 matrix-multiply rate (FLOP/s), and the fraction of it training reaches,
  counting 3x the forward FLOPs of the model per training image (forward + backward);
- seconds of training until the test accuracy reaches 0.90 with the book's recipe
  (cnnlib.train.RECIPE, as in the training chapter; evaluation time not counted);
- the stamp-loop cnnlib.conv.conv2d against torch.nn.functional.conv2d on one image.

Usage: python bench/train_speed.py [--images 12800] [--batch-size 128] [--repeats 3]
                                   [--target 0.90] [--skip-target] [--json PATH]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from cnnlib import conv, data, train
from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import layer_table


def matmul_flops_per_second(size=2048, seconds=2.0, device=torch.device("cpu")):
    """float32 matrix-multiply rate of the device: 2*n^3 FLOPs per product, best of a few runs."""
    if device.type == "cuda":
        size *= 4  # a GPU needs bigger products to be busy
    a, b = torch.randn(size, size, device=device), torch.randn(size, size, device=device)
    sync = torch.cuda.synchronize if device.type == "cuda" else (lambda: None)
    a @ b  # warm up
    sync()
    best, began = 0.0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        t = time.perf_counter()
        a @ b
        sync()
        best = max(best, 2 * size**3 / (time.perf_counter() - t))
    return best


def bare_loop(model, x, y, batch_size, lr, seed, device):
    """The plainest training epoch: shuffle, forward, cross-entropy, backward, Adam step. Returns seconds."""
    model.to(device).to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, fused=True)
    loss_fn = nn.CrossEntropyLoss()
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed))
    model.train()
    if device.type == "cuda":
        torch.cuda.synchronize()
    began = time.perf_counter()
    for idx in order.split(batch_size):
        xb = x[idx].to(device).contiguous(memory_format=torch.channels_last)
        loss = loss_fn(model(xb), y[idx].to(device))
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - began


def seconds_to_accuracy(full, target, device):
    """Train with the book's recipe; training seconds until the test accuracy after an epoch >= target."""
    history = train.fit(fresh_model(0), full, **train.RECIPE, device=device, seed=0, progress=False)
    elapsed = 0.0
    for row in history:
        elapsed += row["seconds"]
        if row["test_acc"] >= target:
            return elapsed, row["epoch"], history
    return None, None, history


def stamp_loop_ratio(repeats=5):
    """How many times faster F.conv2d is than the stamp loop, on the note's first layer for one image."""
    x = torch.randn(1, 28, 28)
    w, b = torch.randn(32, 1, 3, 3), torch.randn(32)
    loop = min(_timed(lambda: conv.conv2d(x, w, b, padding=1)) for _ in range(repeats))
    fast = min(_timed(lambda: F.conv2d(x[None], w, b, padding=1)) for _ in range(repeats * 20))
    return loop, fast


def _timed(work):
    """Seconds one call of work() takes."""
    began = time.perf_counter()
    work()
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
    parser.add_argument("--target", type=float, default=0.90, help="test accuracy to reach")
    parser.add_argument("--skip-target", action="store_true", help="skip the run towards --target")
    parser.add_argument("--json", default="bench/results/train_speed.json")
    args = parser.parse_args()

    full = data.load("fashion-mnist")
    subset = data.Data(full.name, full.classes, full.train_x[: args.images], full.train_y[: args.images],
                       full.test_x[:1000], full.test_y[:1000], full.mean, full.std)
    device = train.get_device()
    flops_per_image = 3 * layer_table(fresh_model(0), full.train_x.shape[1:]).total_flops

    bare_loop(fresh_model(0), subset.train_x, subset.train_y, args.batch_size, 1e-3, 0, device)  # warm up
    fit_rates, bare_rates = [], []
    for r in range(args.repeats):  # interleaved, so drifts in machine load hit both alike
        history = train.fit(fresh_model(r), subset, epochs=1, batch_size=args.batch_size, device=device,
                            seed=r, progress=False)
        fit_rates.append(args.images / history[0]["seconds"])
        seconds = bare_loop(fresh_model(r), subset.train_x, subset.train_y, args.batch_size, 1e-3, r, device)
        bare_rates.append(args.images / seconds)
    peak = matmul_flops_per_second(device=device)
    loop_s, fast_s = stamp_loop_ratio()

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
        "stamp_loop_seconds": loop_s,
        "f_conv2d_seconds": fast_s,
        "f_conv2d_times_faster": loop_s / fast_s,
    }
    if not args.skip_target:
        seconds, epoch, history = seconds_to_accuracy(full, args.target, device)
        result.update({"target_accuracy": args.target, "seconds_to_target": seconds, "epoch_reaching_target": epoch,
                       "seconds_per_epoch": statistics.median(row["seconds"] for row in history),
                       "test_accuracy_per_epoch": [row["test_acc"] for row in history]})
    print(f"{'device':<34}{result['device']} ({result['threads']} threads, torch {result['torch']})")
    print(f"{'fit, images/s (median of ' + str(args.repeats) + ')':<34}{fit_rate:,.0f}")
    print(f"{'bare loop, images/s':<34}{bare_rate:,.0f}")
    print(f"{'ratio fit / bare (target >= 0.95)':<34}{result['fit_over_bare']:.3f}")
    print(f"{'training FLOPs per image':<34}{flops_per_image / 1e6:,.1f} M")
    print(f"{'float32 matmul rate':<34}{peak / 1e9:,.1f} GFLOP/s")
    print(f"{'fit reaches of the matmul rate':<34}{result['fit_fraction_of_matmul']:.1%}")
    print(f"{'stamp loop vs F.conv2d':<34}{loop_s * 1e3:.1f} ms vs {fast_s * 1e6:.0f} us: "
          f"F.conv2d {result['f_conv2d_times_faster']:,.0f}x faster")
    if not args.skip_target:
        accs = ", ".join(f"{a:.3f}" for a in result["test_accuracy_per_epoch"])
        reached = (f"{result['seconds_to_target']:.0f} s (epoch {result['epoch_reaching_target']})"
                   if result["seconds_to_target"] is not None else f"not within {train.RECIPE['epochs']} epochs")
        print(f"{'seconds per epoch (60,000 images)':<34}{result['seconds_per_epoch']:.1f}")
        print(f"{'test accuracy per epoch':<34}{accs}")
        print(f"{'training time to ' + str(args.target):<34}{reached}")
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
