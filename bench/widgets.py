"""How much does each widget weigh on a page, and how much does each page of the built book weigh?

- payload: the bytes each browser-side widget carries into a page: pictures base64 as in
  the HTML for the animations (target: under 1 MB per animation); the saved state (the
  browser code and its data) for the explorers, which compute in the browser;
- page weight: for each page of _build/html (run `make html` first), its own bytes (the
  HTML with its embedded pictures and widget state) against the 3 MB target, and the
  assets every page shares (widget manager, MathJax, theme), which a browser loads once.

Usage: python bench/widgets.py [--json bench/results/widgets.json]
"""

import argparse
import json
from pathlib import Path

import torch

from cnnlib import widgets
from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import layer_table

ROOT = Path(__file__).resolve().parents[1]
HTML = ROOT / "_build" / "html"


def base64_size(widget):
    """Bytes of the widget's pictures once base64-encoded into a page."""
    return 4 * ((widgets.payload_bytes(widget) + 2) // 3)


def state_size(widget):
    """Bytes of the widget's synced state as JSON: what the notebook saves for it."""
    return len(json.dumps(widget.get_state(), default=str).encode())


def page_weights():
    """{page: bytes of its HTML} for the built book, and the bytes of the shared assets."""
    pages = {str(p.relative_to(HTML)): p.stat().st_size for p in sorted(HTML.glob("book/*.html"))}
    shared = sum(p.stat().st_size for p in (HTML / "_static").rglob("*") if p.is_file())
    return pages, shared


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", default="bench/results/widgets.json")
    args = parser.parse_args()

    result = {"payload_bytes": {}, "explorer_state_bytes": {}, "page_bytes": {}}
    table = layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28))
    photos = {"noise": torch.rand(28, 28), "photo": widgets.sample_photo()}
    pieces = {
        "stamping animation": widgets.stamping_animation(),
        "multi-channel animation": widgets.multichannel_animation(),
        "model parameters": widgets.model_parameters(table),
        "feature maps": widgets.feature_maps_widget(photos),
    }
    for name, widget in pieces.items():
        total = base64_size(widget)
        parts = [base64_size(c) for c in getattr(widget, "stack", widget).children] if hasattr(widget, "stack") else []
        result["payload_bytes"][name] = {"total": total, "largest_part": max(parts, default=total)}
        detail = f"   largest choice {max(parts) / 1e3:6.0f} kB" if parts else ""
        print(f"{name:<26} {total / 1e3:7.0f} kB{detail}")
    for explorer in (widgets.StampingExplorer(), widgets.MultiChannelExplorer(), widgets.OutputSizeExplorer(),
                     widgets.ParameterCounter(),
                     widgets.ReceptiveFieldExplorer(torch.rand(28, 28), ConvolutionalNeuralNetworkClass())):
        size = state_size(explorer)
        result["explorer_state_bytes"][explorer.kind] = size
        print(f"{explorer.kind + ' explorer':<26} {size / 1e3:7.0f} kB of state (browser code included)")

    if (HTML / "index.html").is_file():
        pages, shared = page_weights()
        result["page_bytes"] = {"pages": pages, "shared_assets": shared}
        for page, size in pages.items():
            print(f"{page:<40} {size / 1e6:5.2f} MB{'   over 3 MB' if size > 3e6 else ''}")
        print(f"{'shared assets (loaded once)':<40} {shared / 1e6:5.2f} MB")
    else:
        print("no built book: run `make html` for the page weights")

    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(result, indent=2) + "\n")
    print(f"written to {args.json}")


if __name__ == "__main__":
    main()
