"""Several seeds, a mean and a spread: the yardstick of every comparison in the book."""

import statistics

import pytest
import torch

from cnnlib import data, experiments, models
from cnnlib.data import Data


def toy_data(n=64):
    """Two classes a linear model separates: bright images against dark ones."""
    gen = torch.Generator().manual_seed(0)
    y = torch.randint(0, 2, (n,), generator=gen)
    x = torch.randn(n, 1, 8, 8, generator=gen) * 0.3 + (y.float() * 2 - 1)[:, None, None, None]
    return Data("toy", ["dark", "bright"], x, y, x[:16], y[:16], 0.0, 1.0)


def test_mean_and_spread_are_the_mean_and_sample_standard_deviation():
    values = [0.881, 0.879, 0.886]
    assert experiments.mean_spread(values) == pytest.approx((statistics.fmean(values), statistics.stdev(values)))
    assert experiments.mean_spread([0.9]) == (0.9, 0.0)
    assert experiments.describe([0.881, 0.879, 0.886]) == "0.882 ± 0.004"


@pytest.mark.parametrize("higher, lower, clear", [
    ([0.90, 0.91, 0.92], [0.80, 0.81, 0.82], True),    # 0.10 apart at every seed
    ([0.90, 0.91, 0.92], [0.89, 0.90, 0.91], True),    # 0.01 apart at every seed: the pairs agree
    ([0.90, 0.91, 0.92], [0.91, 0.89, 0.91], False),   # differences -0.01, 0.02, 0.01: their spread hides them
    ([0.80, 0.81, 0.82], [0.90, 0.91, 0.92], False),   # the other way round
    ([0.85, 0.95, 0.85], [0.80, 0.80, 0.80], False),   # differences 0.05, 0.15, 0.05: mean 0.083, spread 0.058
])
def test_a_difference_is_clear_only_when_the_per_seed_differences_exceed_twice_their_spread(higher, lower, clear):
    assert experiments.clearly_above(higher, lower) is clear


def test_paired_differences_are_per_seed_and_the_verdict_reads_them():
    assert experiments.paired_differences([0.9, 0.8], [0.85, 0.8]) == pytest.approx([0.05, 0.0])
    assert experiments.verdict([0.90, 0.91, 0.92], [0.89, 0.90, 0.91]) == "higher"
    assert experiments.verdict([0.89, 0.90, 0.91], [0.90, 0.91, 0.92]) == "lower"
    assert experiments.verdict([0.90, 0.91, 0.92], [0.91, 0.89, 0.91]) == "no difference we can see"
    with pytest.raises(ValueError, match="one result per seed"):
        experiments.verdict([0.9, 0.8, 0.7], [0.9, 0.8])
    with pytest.raises(ValueError, match="at least two"):
        experiments.clearly_above([0.9], [0.8])


def test_runs_train_one_fresh_model_per_seed_and_repeat_exactly():
    make = lambda: models.MultiLayerPerceptronClass(xdim=[1, 8, 8], hdims=[8], ydim=2)  # noqa: E731
    first = experiments.runs(make, toy_data(), seeds=[0, 1], epochs=10, lr=1e-2, device="cpu")
    again = experiments.runs(make, toy_data(), seeds=[0, 1], epochs=10, lr=1e-2, device="cpu")
    assert [r.seed for r in first] == [0, 1]
    assert first[0].model is not first[1].model
    assert [r.test_acc for r in first] == [r.test_acc for r in again]
    assert not torch.equal(first[0].model.net[1].weight, first[1].model.net[1].weight)  # other seeds, other weights
    assert all(r.test_acc > 0.9 and r.seconds > 0 for r in first)


def test_a_subset_draws_n_training_images_by_seed_and_keeps_the_test_split():
    d = toy_data()
    a, b, c = data.subset(d, 10, seed=0), data.subset(d, 10, seed=0), data.subset(d, 10, seed=1)
    assert len(a.train_x) == 10 and torch.equal(a.train_x, b.train_x) and not torch.equal(a.train_x, c.train_x)
    assert torch.equal(a.test_x, d.test_x)
    rows = [next(i for i in range(len(d.train_x)) if torch.equal(d.train_x[i], img)) for img in a.train_x]
    assert torch.equal(a.train_y, d.train_y[rows])  # each image keeps its own label
    tiled = data.subset(d, 10, seed=0, repeats=3)
    assert torch.equal(tiled.train_x, a.train_x.repeat(3, 1, 1, 1)) and torch.equal(tiled.train_y, a.train_y.repeat(3))


def test_permuting_the_data_reorders_both_splits_with_one_permutation():
    d = toy_data()
    order = torch.randperm(64, generator=torch.Generator().manual_seed(0))
    p = data.with_pixels_permuted(d, order)
    assert torch.equal(p.train_x.flatten(1), d.train_x.flatten(1)[:, order])
    assert torch.equal(p.test_x.flatten(1), d.test_x.flatten(1)[:, order])
    assert torch.equal(p.train_y, d.train_y)


@pytest.mark.parametrize("difference, tolerance, text", [
    (1.5e-5, 1e-4, "below 1e-4"), (2.3e-5, 1e-4, "below 1e-4"), (0.0, 1e-6, "below 1e-6"), (0.5, 10, "below 1e1")])
def test_below_prints_the_bound_not_the_machines_digits(difference, tolerance, text):
    assert experiments.below(difference, tolerance) == text


@pytest.mark.parametrize("difference", [1e-4, 3e-4])
def test_below_stops_the_page_when_the_difference_is_too_large(difference):
    with pytest.raises(AssertionError, match="is not below 1e-4"):
        experiments.below(difference, 1e-4)


@pytest.mark.parametrize("tolerance", [1.4e-4, 5e-5, 2])
def test_below_takes_only_a_power_of_ten_so_the_bound_it_prints_is_the_one_it_checked(tolerance):
    with pytest.raises(ValueError, match="power of ten"):
        experiments.below(1e-6, tolerance)
