"""Which recipe trains the note's CNN to 0.90 in the fewest epochs? A small sweep, chosen without the test set.

Each setting (batch size, peak learning rate, epochs; Adam with a one-cycle schedule, the
note's network and loss unchanged) trains on 50,000 of the 60,000 training images and is
scored on the other 10,000 (the validation images), for a few seeds. The test set is not
looked at here: bench/train_speed.py then reports the chosen recipe's test accuracy.

Usage: python bench/recipe_sweep.py [--seeds 2] [--precision bf16] [--json PATH]
"""

import argparse
import json
import statistics
from pathlib import Path

import torch

from cnnlib import data, train
from cnnlib.models import ConvolutionalNeuralNetworkClass

# The settings tried: (batch size, peak learning rate, epochs).
SETTINGS = [
    (128, 5e-3, 3),   # the five-epoch recipe, shortened
    (128, 5e-3, 2),
    (64, 3e-3, 2),
    (64, 3e-3, 3),
    (192, 6e-3, 3),
    (256, 8e-3, 3),
]
VALIDATION = 10_000  # training images held out to choose with


def split(full, seed=0):
    """The same Data with the last VALIDATION images of a fixed shuffle as its test split."""
    order = torch.randperm(len(full.train_x), generator=torch.Generator().manual_seed(seed))
    keep, held = order[:-VALIDATION], order[-VALIDATION:]
    return data.Data(full.name, full.classes, full.train_x[keep], full.train_y[keep],
                     full.train_x[held], full.train_y[held], full.mean, full.std)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=2)
    parser.add_argument("--precision", default="auto", choices=train.PRECISIONS)
    parser.add_argument("--json", default="bench/results/recipe_sweep.json")
    args = parser.parse_args()
    chosen_from = split(data.load("fashion-mnist"))
    rows = []
    print(f"{'batch':>5} {'peak lr':>8} {'epochs':>6}  validation accuracy per seed   worst   s/epoch")
    for batch_size, lr, epochs in SETTINGS:
        runs = []
        for seed in range(args.seeds):
            train.set_seed(seed)
            history = train.fit(ConvolutionalNeuralNetworkClass(), chosen_from, epochs=epochs, lr=lr,
                                batch_size=batch_size, schedule="onecycle", seed=seed, progress=False,
                                precision=args.precision)
            runs.append(history)
        final = [h[-1]["test_acc"] for h in runs]  # on the validation images
        seconds = statistics.median(row["seconds"] for h in runs for row in h)
        rows.append({"batch_size": batch_size, "lr": lr, "epochs": epochs, "validation_accuracy": final,
                     "worst": min(final), "seconds_per_epoch": seconds, "precision": runs[0][-1]["precision"]})
        print(f"{batch_size:>5} {lr:>8.0e} {epochs:>6}  {'  '.join(f'{a:.4f}' for a in final):<28}"
              f"  {min(final):.4f}  {seconds:6.1f}", flush=True)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(rows, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
