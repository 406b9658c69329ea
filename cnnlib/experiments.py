"""Comparing trained models honestly: several seeds per model, a mean and a spread per result.

One training run is one draw: another seed gives other starting weights, another batch
order and (for a subset) other images, and the test accuracy moves by a few tenths of a
percent. So every comparison of trained models in the book trains each model with
several seeds and reports the mean and the spread (the standard deviation over the
seeds). Two models trained with the same seeds (the same batch order and, for a subset,
the same images per seed) are compared seed by seed: the book's rule of thumb calls a
difference clear when the mean of the per-seed differences is more than twice their spread.
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
    "Run", "runs", "mean_spread", "paired_differences", "clearly_above", "verdict", "describe", "below",
]


# The rule of thumb's three answers (see verdict). Pages glue them into their text; the
# Korean edition translates them from locales/ko/LC_MESSAGES/sphinx.po.
VERDICTS = ("higher", "lower", "no difference we can see")


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


def paired_differences(a, b):
    """a[i] - b[i] per seed, for results of two models trained with the same seeds in the same order."""
    return _paired(a, b, ("a", "b"))


def _paired(a, b, names):
    """The per-seed differences a - b; a ValueError naming `names` unless both hold 2 or more results, as many."""
    a, b = _numbers(names[0], a), _numbers(names[1], b)
    if len(a) != len(b) or len(a) < 2:
        raise ValueError(f"{names[0]} and {names[1]} must hold one result per seed for the same seeds, "
                         f"at least two each: got {len(a)} and {len(b)} results")
    return [x - y for x, y in zip(a, b)]


def clearly_above(higher, lower):
    """The rule of thumb: True when the per-seed differences higher - lower average more than twice their spread."""
    mean, spread = mean_spread(_paired(higher, lower, ("higher", "lower")))
    return mean > 2 * spread


def verdict(a, b):
    """'higher', 'lower' or 'no difference we can see': a against b, seed by seed, by the rule of thumb."""
    mean, spread = mean_spread(paired_differences(a, b))
    higher, lower, neither = VERDICTS
    if mean > 2 * spread:  # the rule of clearly_above, either way round
        return higher
    if -mean > 2 * spread:
        return lower
    return neither


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
