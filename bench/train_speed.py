"""How fast does cnnlib.train.fit train the note's CNN, in float32 and in bfloat16?

Measured in one run, as ratios where they compare like with like. Each precision runs in a
process of its own, so that the peak memory reported for it is its own:
- images per second of `fit` and of a bare loop over the same tensors and model, in the same
  precision (both channels-last, fused Adam, data on the device), at each batch size; on a
  GPU also `fit` without its CUDA graph (the bare loop launches every kernel from Python);
- the device's matrix-multiply rate (FLOP/s) in that number format, and the share of it
  training reaches, counting 3x the forward FLOPs of the model per training image
  (forward + backward);
- seconds of training until the test accuracy reaches 0.90 with the book's recipe
  (cnnlib.train.RECIPE, as in the training chapter; evaluation time not counted), for
  several seeds: every seed must get there; the median and the worst are reported;
- the peak resident memory of the process (and the peak GPU memory on a GPU).
Then, once: the stamp-loop cnnlib.conv.conv2d against torch.nn.functional.conv2d.

Usage: python bench/train_speed.py [--precisions fp32,bf16] [--batch-sizes 128,512]
                                   [--images N] [--repeats 3] [--seeds 3] [--target 0.90]
                                   [--skip-target] [--json PATH]
"""

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn

from cnnlib import conv, data, train
from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import layer_table

DTYPES = {"fp32": torch.float32, "bf16": torch.bfloat16}


def matmul_flops_per_second(dtype, device, seconds=2.0):
    """Matrix-multiply rate of the device in `dtype`: 2*n^3 FLOPs per product, best of a few runs."""
    size = 8192 if device.type == "cuda" else 2048  # a GPU needs bigger products to be busy
    a = torch.randn(size, size, device=device).to(dtype)
    b = torch.randn(size, size, device=device).to(dtype)
    a @ b  # warm up
    _sync(device)
    best, began = 0.0, time.perf_counter()
    while time.perf_counter() - began < seconds:
        t = time.perf_counter()
        a @ b
        _sync(device)
        best = max(best, 2 * size**3 / (time.perf_counter() - t))
    return best


def _sync(device):
    """Wait for the device to finish its queued work (a no-op on the CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def bare_loop(model, x, y, batch_size, precision, seed, device):
    """The plainest training epoch: shuffle, forward, cross-entropy, backward, Adam step. Returns seconds."""
    model.to(device).to(memory_format=torch.channels_last)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, fused=True)
    loss_fn = nn.CrossEntropyLoss()
    x, y = x.to(device), y.to(device)  # (N, C, H, W), (N,): kept on the device, as fit does
    order = torch.randperm(len(x), generator=torch.Generator().manual_seed(seed)).to(device)
    model.train()
    _sync(device)
    began = time.perf_counter()
    for idx in order.split(batch_size):
        xb = x[idx].contiguous(memory_format=torch.channels_last)
        with train.autocast(precision, device):
            logits = model(xb)
        loss = loss_fn(logits.float(), y[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
    _sync(device)
    return time.perf_counter() - began


def fresh_model(seed):
    """The note's default model, initialised the same way every time."""
    train.set_seed(seed)
    return ConvolutionalNeuralNetworkClass()


def rates(full, precision, batch_size, images, repeats, device):
    """Median images/s of fit and of the bare loop for one batch size, interleaved repeats."""
    subset = data.Data(full.name, full.classes, full.train_x[:images], full.train_y[:images],
                       full.test_x[:1000], full.test_y[:1000], full.mean, full.std)
    bare_loop(fresh_model(0), subset.train_x, subset.train_y, batch_size, precision, 0, device)  # warm up
    fit_rates, bare_rates, eager_rates = [], [], []
    for r in range(repeats):  # interleaved, so drifts in machine load hit both alike
        history = train.fit(fresh_model(r), subset, epochs=1, batch_size=batch_size, device=device,
                            seed=r, progress=False, precision=precision)
        fit_rates.append(images / history[0]["seconds"])
        seconds = bare_loop(fresh_model(r), subset.train_x, subset.train_y, batch_size, precision, r, device)
        bare_rates.append(images / seconds)
        if device.type == "cuda":  # what the CUDA graph gains
            history = train.fit(fresh_model(r), subset, epochs=1, batch_size=batch_size, device=device,
                                seed=r, progress=False, precision=precision, cuda_graph=False)
            eager_rates.append(images / history[0]["seconds"])
    result = {"fit_images_per_s": statistics.median(fit_rates), "bare_images_per_s": statistics.median(bare_rates)}
    if eager_rates:
        result["fit_without_graph_images_per_s"] = statistics.median(eager_rates)
    return result


def time_to_accuracy(full, target, precision, seed, device):
    """Train with the book's recipe; training seconds until the test accuracy after an epoch >= target."""
    history = train.fit(fresh_model(seed), full, **train.RECIPE, device=device, seed=seed,
                        progress=False, precision=precision)
    elapsed = 0.0
    for row in history:
        elapsed += row["seconds"]
        if row["test_acc"] >= target:
            return {"seconds": elapsed, "epoch": row["epoch"], "history": history}
    return {"seconds": None, "epoch": None, "history": history}


def measure(precision, args):
    """Everything measured for one precision, in this process."""
    device = train.get_device()
    full = data.load("fashion-mnist")
    flops_per_image = 3 * layer_table(fresh_model(0), full.train_x.shape[1:]).total_flops
    peak = matmul_flops_per_second(DTYPES[precision], device)
    result = {"precision": precision, "matmul_flops_per_s": peak, "train_flops_per_image": flops_per_image,
              "batch_sizes": {}}
    for batch_size in args.batch_sizes:
        r = rates(full, precision, batch_size, args.images, args.repeats, device)
        r["fit_over_bare"] = r["fit_images_per_s"] / r["bare_images_per_s"]
        r["fit_share_of_matmul"] = r["fit_images_per_s"] * flops_per_image / peak
        result["batch_sizes"][str(batch_size)] = r
    if not args.skip_target:
        runs = [time_to_accuracy(full, args.target, precision, seed, device) for seed in range(args.seeds)]
        times = [run["seconds"] for run in runs]
        reached = all(t is not None for t in times)
        result["to_target"] = {
            "target_accuracy": args.target, "seeds": list(range(args.seeds)), "seconds": times,
            "epochs": [run["epoch"] for run in runs], "every_seed_reached": reached,
            "median_seconds": statistics.median(times) if reached else None,
            "worst_seconds": max(times) if reached else None,
            "test_accuracy_per_epoch": [[row["test_acc"] for row in run["history"]] for run in runs],
            "seconds_per_epoch": statistics.median(row["seconds"] for run in runs for row in run["history"])}
    result["peak_rss_bytes"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB
    if device.type == "cuda":
        result["peak_gpu_bytes"] = torch.cuda.max_memory_allocated(device)
    return result


def stamp_loop_ratio(repeats=5):
    """Seconds of the stamp loop and of F.conv2d on the note's first layer for one image."""
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


def run_in_child(precision, argv):
    """Measure one precision in a fresh Python process; returns its result."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        subprocess.run([sys.executable, __file__, *argv, "--child", precision, "--json", str(out)], check=True)
        return json.loads(out.read_text())


def report(result, args):
    """Print the measurements as one table, a column per precision."""
    columns = result["precisions"]
    names = list(columns)

    def row(label, cells):
        print(f"{label:<40}" + "".join(f"{c:>20}" for c in cells))

    print(f"device: {result['device']} ({result['threads']} CPU threads, torch {result['torch']})")
    row("", names)
    row("matmul rate, GFLOP/s", [f"{columns[p]['matmul_flops_per_s'] / 1e9:,.1f}" for p in names])
    for bs in map(str, args.batch_sizes):
        cells = [columns[p]["batch_sizes"][bs] for p in names]
        row(f"fit, images/s (batch {bs})", [f"{c['fit_images_per_s']:,.0f}" for c in cells])
        row(f"bare loop, images/s (batch {bs})", [f"{c['bare_images_per_s']:,.0f}" for c in cells])
        if all("fit_without_graph_images_per_s" in c for c in cells):
            row("  fit without CUDA graph, images/s", [f"{c['fit_without_graph_images_per_s']:,.0f}" for c in cells])
        row("  fit / bare (target >= 0.95)", [f"{c['fit_over_bare']:.3f}" for c in cells])
        row("  fit's share of the matmul rate", [f"{c['fit_share_of_matmul']:.1%}" for c in cells])
    if not args.skip_target:
        targets = [columns[p]["to_target"] for p in names]
        row(f"seconds to {args.target}, seeds {','.join(map(str, targets[0]['seeds']))}",
            ["/".join("-" if s is None else f"{s:.0f}" for s in t["seconds"]) for t in targets])
        row("  epoch reaching it", ["/".join(str(e) for e in t["epochs"]) for t in targets])
        row("  median", [_seconds(t["median_seconds"]) for t in targets])
        row("  worst", [_seconds(t["worst_seconds"]) for t in targets])
        row("  seconds per epoch (60,000 images)", [f"{t['seconds_per_epoch']:.2f}" for t in targets])
        row("final test accuracy per seed",
            ["/".join(f"{a[-1]:.3f}" for a in t["test_accuracy_per_epoch"]) for t in targets])
    row("peak resident memory, MB", [f"{columns[p]['peak_rss_bytes'] / 2**20:,.0f}" for p in names])
    if all("peak_gpu_bytes" in columns[p] for p in names):
        row("peak GPU memory, MB", [f"{columns[p]['peak_gpu_bytes'] / 2**20:,.0f}" for p in names])
    if {"fp32", "bf16"} <= set(names):
        bs = str(args.batch_sizes[0])
        speedup = (columns["bf16"]["batch_sizes"][bs]["fit_images_per_s"]
                   / columns["fp32"]["batch_sizes"][bs]["fit_images_per_s"])
        print(f"bf16 trains {speedup:.2f}x as many images per second as fp32 (batch {bs})")
    print(f"stamp loop vs F.conv2d: {result['stamp_loop_seconds'] * 1e3:.1f} ms vs "
          f"{result['f_conv2d_seconds'] * 1e6:.0f} us: "
          f"F.conv2d {result['stamp_loop_seconds'] / result['f_conv2d_seconds']:,.0f}x faster")


def _seconds(value):
    """A time for the table, or a dash where a seed never reached the target."""
    return "not reached" if value is None else f"{value:.1f}"


def _int_list(text):
    """'128,512' -> [128, 512]."""
    return [int(part) for part in text.split(",")]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precisions", default="fp32,bf16", help="comma-separated: fp32, bf16")
    parser.add_argument("--batch-sizes", type=_int_list, default=None,
                        help="comma-separated (default: 128 on a CPU, 128,512 on a GPU)")
    parser.add_argument("--images", type=int, default=None,
                        help="training images per timed epoch (default: 12,800 on a CPU, 60,000 on a GPU)")
    parser.add_argument("--repeats", type=int, default=3, help="timed epochs of each kind, interleaved")
    parser.add_argument("--seeds", type=int, default=3, help="runs of the recipe towards --target")
    parser.add_argument("--target", type=float, default=0.90, help="test accuracy to reach")
    parser.add_argument("--skip-target", action="store_true", help="skip the runs towards --target")
    parser.add_argument("--json", default="bench/results/train_speed.json")
    parser.add_argument("--child", choices=sorted(DTYPES), help=argparse.SUPPRESS)
    args = parser.parse_args()
    device = train.get_device()
    args.batch_sizes = args.batch_sizes or ([128, 512] if device.type == "cuda" else [128])
    args.images = args.images or (60_000 if device.type == "cuda" else 12_800)

    if args.child:  # one precision, in its own process
        Path(args.json).write_text(json.dumps(measure(args.child, args)))
        return

    passed = ["--batch-sizes", ",".join(map(str, args.batch_sizes)), "--images", str(args.images),
              "--repeats", str(args.repeats), "--seeds", str(args.seeds), "--target", str(args.target)]
    passed += ["--skip-target"] if args.skip_target else []
    precisions = args.precisions.split(",")
    for p in precisions:
        if p not in DTYPES:
            parser.error(f"--precisions takes {', '.join(DTYPES)}; got {p!r}")
    result = {"device": torch.cuda.get_device_name() if device.type == "cuda" else str(device),
              "threads": torch.get_num_threads(), "torch": torch.__version__,
              "bf16_native": train.bf16_is_native(device), "images_per_timed_epoch": args.images,
              "precisions": {p: run_in_child(p, passed) for p in precisions}}
    result["stamp_loop_seconds"], result["f_conv2d_seconds"] = stamp_loop_ratio()
    report(result, args)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
