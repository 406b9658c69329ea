"""How fast do the live widgets redraw a frame, and how much does each widget weigh on a page?

- frame redraw: moving the step slider of a live explorer (update the artists with new data,
  redraw only what moved, encode the JPEG the widget shows), median over every step; beside
  it, the same steps drawn by a full redraw of the figure without encoding, in the same run
  (target: median under 30 ms);
- payload: the bytes of pictures each browser-side widget carries into a page, base64 as in
  the HTML (target: under 1 MB per animation).

Usage: python bench/widgets.py [--json bench/results/widgets.json]
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import torch

from cnnlib import widgets
from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import layer_table


def step_times(explorer):
    """Seconds taken by each move of the explorer's step slider, over every step."""
    times = []
    for step in list(range(1, explorer.step.max + 1)) + [0]:
        began = time.perf_counter()
        explorer.step.value = step
        times.append(time.perf_counter() - began)
    return times


def full_redraw_times(explorer):
    """Seconds per step when the whole figure is drawn again instead of only what moves."""
    steps = explorer.steps
    for artist in steps.artists.canvas.moving:
        artist.set_animated(False)
    times = []
    for i in range(len(steps)):
        began = time.perf_counter()
        steps.update(steps.artists, steps.stamps[i], steps.output_at(i))
        steps.artists.canvas.agg.draw()
        times.append(time.perf_counter() - began)
    return times


def base64_size(widget):
    """Bytes of the widget's pictures once base64-encoded into a page."""
    return 4 * ((widgets.payload_bytes(widget) + 2) // 3)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", default="bench/results/widgets.json")
    args = parser.parse_args()

    result = {"frame_ms": {}, "payload_bytes": {}}
    for name, explorer in (("stamping", widgets.StampingExplorer()), ("multi-channel", widgets.MultiChannelExplorer())):
        step_times(explorer)  # warm up
        live = statistics.median(step_times(explorer)) * 1000
        full = statistics.median(full_redraw_times(explorer)) * 1000
        result["frame_ms"][name] = {"live_median": live, "full_redraw_median": full, "ratio": full / live}
        print(f"{name:<16} frame redraw median {live:6.1f} ms   (full redraw {full:6.1f} ms, {full / live:.1f}x)")

    table = layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    photos = {"noise": torch.rand(28, 28), "photo": widgets.sample_photo()}
    pieces = {
        "stamping animation": widgets.stamping_animation(),
        "multi-channel animation": widgets.multichannel_animation(),
        "output-size examples": widgets.output_size_examples(),
        "parameter examples": widgets.parameter_examples(),
        "model parameters": widgets.model_parameters(table),
        "feature maps": widgets.feature_maps_widget(photos),
    }
    for name, widget in pieces.items():
        total = base64_size(widget)
        parts = [base64_size(c) for c in getattr(widget, "stack", widget).children] if hasattr(widget, "stack") else []
        result["payload_bytes"][name] = {"total": total, "largest_part": max(parts, default=total)}
        detail = f"   largest choice {max(parts) / 1e3:6.0f} kB" if parts else ""
        print(f"{name:<26} {total / 1e3:7.0f} kB{detail}")

    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
