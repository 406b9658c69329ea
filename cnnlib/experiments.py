"""Comparing trained models honestly: several seeds per model, a mean and a spread per result.

One training run is one draw: another seed gives other starting weights, another batch
order and (for a subset) other images, and the test accuracy moves by a few tenths of a
percent. So every comparison of trained models in the book trains each model with
several seeds and reports the mean and the spread (the standard deviation over the
seeds). A difference counts as clear only when it is larger than twice the larger spread.
"""

import math
import statistics
import time
from dataclasses import dataclass

from torch import nn

from cnnlib.checks import check_instance, check_int, check_list, check_number
from cnnlib.data import Data
from cnnlib.train import fit, set_seed

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "Run", "runs", "mean_spread", "clearly_above", "describe", "below",
]


@dataclass
class Run:
    """One training run: its seed, the trained model, its final test accuracy and its training time."""

    seed: int
    model: nn.Module
    test_acc: float
    seconds: float


def runs(make_model, data, seeds, **recipe):
    """Train a fresh `make_model()` on `data` once per seed with the same `recipe` (fit's arguments)."""
    if not callable(make_model) or isinstance(make_model, nn.Module):  # each seed needs fresh weights
        raise ValueError(f"make_model must be a function that returns a new model (a model class, or a "
                         f"lambda), got {type(make_model).__name__}")
    check_instance("data", data, Data, "a Data from cnnlib.data.load")
    seeds = [check_int("seeds", seed, 0, 2**32 - 1) for seed in check_list("seeds", seeds, "seeds")]
    out = []
    for seed in seeds:
        set_seed(seed)  # the starting weights come from the seed too
        model = make_model()
        start = time.perf_counter()
        history = fit(model, data, seed=seed, progress=False, **recipe)
        out.append(Run(seed, model, history[-1]["test_acc"], time.perf_counter() - start))
    return out


def _numbers(name, values):
    """A list of finite floats, at least one; a ValueError naming `name` otherwise."""
    return [check_number(name, v) for v in check_list(name, values, "numbers")]


def mean_spread(values):
    """(mean, spread) of results over seeds: the spread is their standard deviation, 0 for one value."""
    values = _numbers("values", values)
    return statistics.fmean(values), statistics.stdev(values) if len(values) > 1 else 0.0


def clearly_above(higher, lower):
    """True when mean(higher) - mean(lower) exceeds twice the larger of the two spreads."""
    (m_hi, s_hi), (m_lo, s_lo) = mean_spread(_numbers("higher", higher)), mean_spread(_numbers("lower", lower))
    return m_hi - m_lo > 2 * max(s_hi, s_lo)


def describe(values, digits=3):
    """'0.884 ± 0.003': the mean and spread of results over seeds, as the pages print them."""
    mean, spread = mean_spread(values)
    digits = check_int("digits", digits, 0, 10)
    return f"{mean:.{digits}f} ± {spread:.{digits}f}"


def below(difference, tolerance):
    """'below 1e-4': a rounding error told by its bound (a power of ten), whose digits hold on every machine."""
    # The digits of a float32 rounding error change with the processor; that it stays under the
    # bound does not. AssertionError when it does not, so a page that prints it stops there.
    difference = check_number("difference", difference, low=0)
    tolerance = check_number("tolerance", tolerance, above=0)
    exponent = round(math.log10(tolerance))
    if tolerance != 10.0**exponent:
        raise ValueError(f"tolerance must be a power of ten (1e-4, 1e-5, ...), got {tolerance!r}")
    if not difference < tolerance:
        raise AssertionError(f"the difference {difference:.1e} is not below 1e{exponent}")
    return f"below 1e{exponent}"
