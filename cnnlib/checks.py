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


AXES = {3: "(C, H, W)", 4: "(N, C, H, W)"}


def check_images(name, x, rank=4):
    """A floating-point tensor of images: (N, C, H, W) for rank 4, one image (C, H, W) for rank 3."""
    axes = AXES.get(rank, f"with {rank} axes")
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"{name} must be a torch.Tensor shaped {axes}, got {type(x).__name__}")
    if x.dim() != rank:
        raise ValueError(f"{name} must have {rank} dimensions {axes}, got shape {tuple(x.shape)}")
    if not x.is_floating_point():  # integer outputs would cut every sum and product short
        raise ValueError(f"{name} must hold floating-point numbers, got {x.dtype}; convert it with {name}.float()")
    return x


def _integer_row(values):
    """`values` as a 1-D tensor of integers (not booleans), or None when it is not one."""
    try:
        row = torch.as_tensor(values)
    except (TypeError, ValueError, RuntimeError):
        return None
    if row.dim() != 1 or row.is_floating_point() or row.dtype == torch.bool:
        return None
    return row


def check_permutation(name, permutation, n):
    """A 1-D integer tensor holding each of 0 .. n-1 once, or a ValueError naming `name`."""
    order = _integer_row(permutation)
    if order is None or not torch.equal(order.sort().values, torch.arange(n)):
        raise ValueError(f"{name} must hold each of the {n} pixel positions 0 to {n - 1} once, "
                         f"e.g. torch.randperm({n}), got {permutation!r:.60}")
    return order


def check_labels(name, y, classes):
    """Class labels 0 .. classes-1 as a 1-D integer tensor, or a ValueError naming `name`."""
    labels = _integer_row(y)
    if labels is None:
        raise ValueError(f"{name} must be integer class labels in one row, got {y!r:.60}")
    if len(labels) and (labels.min() < 0 or labels.max() >= classes):
        raise ValueError(f"{name} must hold labels 0 to {classes - 1}, "
                         f"got labels from {int(labels.min())} to {int(labels.max())}")
    return labels


def check_bool(name, value):
    """`value` itself if it is True or False, or a ValueError naming `name`."""
    if not isinstance(value, bool):
        raise ValueError(f"{name} must be True or False, got {value!r}")
    return value


def check_instance(name, value, kind, what):
    """`value` itself if it is an instance of `kind`, or a ValueError saying it must be `what`."""
    if not isinstance(value, kind):
        raise ValueError(f"{name} must be {what}, got {type(value).__name__}")
    return value


def check_list(name, values, what):
    """`values` as a non-empty list, or a ValueError saying it must be a list of `what`."""
    if isinstance(values, (str, bytes, dict)) or not hasattr(values, "__iter__"):
        raise ValueError(f"{name} must be a list of {what}, got {values!r:.60}")
    values = list(values)
    if not values:
        raise ValueError(f"{name} must hold at least one of {what}, got an empty list")
    return values
