"""One argument check for the whole package: every public function says what it allows.

- An integer is anything `operator.index` accepts (int, NumPy integers, 0-d integer
  tensors), but not a boolean.
- A number is an integer or a finite float, again not a boolean.
- Images are floating-point tensors of the expected rank.
Each check raises a ValueError that names the argument and what is allowed, and returns
the value as plain Python (or as the tensor itself).
"""

import math
import operator

import torch


def check_int(name, value, low, high=None):
    """`value` as an int, or a ValueError naming `name` unless it is an integer in [low, high]."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    try:
        number = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if number < low or (high is not None and number > high):
        allowed = f">= {low}" if high is None else f"between {low} and {high}"
        raise ValueError(f"{name} must be {allowed}, got {number}")
    return number


def check_number(name, value, low=None, above=None):
    """`value` as a finite float; a ValueError naming `name` unless it is >= low (or > above)."""
    try:
        if isinstance(value, (bool, str, bytes)):
            raise TypeError
        number = float(value)  # ints, floats, NumPy numbers, one-element tensors
    except (TypeError, ValueError, RuntimeError):
        raise ValueError(f"{name} must be a number, got {value!r}") from None
    if not math.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if low is not None and number < low:
        raise ValueError(f"{name} must be >= {low}, got {value!r}")
    if above is not None and number <= above:
        raise ValueError(f"{name} must be > {above}, got {value!r}")
    return number


def check_ints(name, values, low):
    """A list of ints, each >= low; a ValueError naming `name` otherwise."""
    if isinstance(values, (str, bytes)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a list of integers, got {values!r}")
    return [check_int(f"{name}[{i}]", v, low) for i, v in enumerate(values)]


def check_images(name, x, rank=4):
    """A floating-point tensor of the given rank: (N, C, H, W) for rank 4."""
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"{name} must be a torch tensor, got {type(x).__name__}")
    if not x.is_floating_point():
        raise ValueError(f"{name} must hold floating-point numbers, got {x.dtype}; convert with .float()")
    if x.dim() != rank:
        raise ValueError(f"{name} must have {rank} axes, got shape {tuple(x.shape)}")
    return x
