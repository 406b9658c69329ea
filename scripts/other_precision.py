"""The number format for make notebooks' second pass over the chapters that train, or nothing.

make notebooks first runs every chapter as a reader's machine would (fit's default: bfloat16
where the device computes it natively, float32 elsewhere, or CNNLIB_PRECISION). The chapters
that train then run again in the other format, so that their conclusions are checked in both.
Prints "fp32" or "bf16" for that pass; prints nothing, and says why, where it cannot run.
"""

import sys

from cnnlib.train import bf16_is_native, default_precision, get_device, pick_precision

device = get_device()
first = pick_precision(default_precision(), device)
if first == "bf16":
    print("fp32")
    print(f"make notebooks: the chapters that train ran in bfloat16 on {device}; "
          "now again in float32", file=sys.stderr)
elif bf16_is_native(device):
    print("bf16")
    print(f"make notebooks: the chapters that train ran in float32 on {device}; "
          "now again in bfloat16", file=sys.stderr)
else:
    print(f"make notebooks: skipped the bfloat16 pass: {device} does not compute bfloat16 natively "
          "(on a CPU: no AVX512-BF16 or AMX), and emulated it would take many times longer; "
          "the chapters that train were checked in float32 only", file=sys.stderr)
