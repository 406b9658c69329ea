"""Training: it learns, it repeats itself, and it resumes where it stopped."""

import pytest
import torch

from cnnlib import train
from cnnlib.data import Data
from cnnlib.models import ConvolutionalNeuralNetworkClass


def toy_data(n=256):
    """Two classes of 8x8 images: a bright left half or a bright right half, plus noise."""
    gen = torch.Generator().manual_seed(0)
    y = torch.randint(0, 2, (n,), generator=gen)
    x = torch.randn(n, 1, 8, 8, generator=gen) * 0.5
    x[y == 0, :, :, :4] += 1
    x[y == 1, :, :, 4:] += 1
    half = n // 2
    return Data("toy", ["left", "right"], x[:half], y[:half], x[half:], y[half:], 0.0, 1.0)


def toy_model():
    train.set_seed(0)
    return ConvolutionalNeuralNetworkClass(xdim=[1, 8, 8], cdims=[4], hdims=[16], ydim=2)


def without_time(history):
    return [{k: v for k, v in row.items() if k != "seconds"} for row in history]


def test_fit_learns_and_reports_each_epoch():
    history = train.fit(toy_model(), toy_data(), epochs=4, lr=3e-3, batch_size=16, progress=False)
    assert [row["epoch"] for row in history] == [1, 2, 3, 4]
    assert set(history[0]) == {"epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds"}
    assert history[-1]["test_acc"] > 0.9
    assert history[-1]["train_loss"] < history[0]["train_loss"]


def test_the_progress_bar_ends_each_epoch_with_its_test_accuracy(capsys):
    history = train.fit(toy_model(), toy_data(), epochs=2, batch_size=16, progress=True)
    shown = capsys.readouterr().err  # outside a notebook, tqdm writes to stderr
    for row in history:
        assert f"epoch {row['epoch']}/2" in shown
        assert f"test_acc={row['test_acc']:.3f}" in shown


def test_same_seed_gives_the_same_history():
    runs = [train.fit(toy_model(), toy_data(), epochs=2, batch_size=32, schedule="onecycle", progress=False)
            for _ in range(2)]
    assert without_time(runs[0]) == without_time(runs[1])


def test_an_interrupted_run_resumes_and_ends_as_if_never_stopped(tmp_path):
    straight_model = toy_model()
    straight = train.fit(straight_model, toy_data(), epochs=3, batch_size=16, schedule="onecycle",
                         progress=False)

    ckpt = tmp_path / "run.pt"
    model = toy_model()
    calls = {"n": 0}

    def stop_in_epoch_two(module, inputs):
        calls["n"] += 1
        if calls["n"] == 8 + 1 + 3:  # 8 batches of epoch 1, its evaluation, 3 batches into epoch 2
            raise KeyboardInterrupt

    handle = model.register_forward_pre_hook(stop_in_epoch_two)
    with pytest.raises(KeyboardInterrupt):
        train.fit(model, toy_data(), epochs=3, batch_size=16, schedule="onecycle", checkpoint=ckpt,
                  progress=False)
    handle.remove()
    assert len(torch.load(ckpt, weights_only=False)["history"]) == 1  # lost only the unfinished epoch

    resumed_model = toy_model()
    resumed = train.fit(resumed_model, toy_data(), epochs=3, batch_size=16, schedule="onecycle",
                        checkpoint=ckpt, progress=False)
    assert without_time(resumed) == without_time(straight)
    for a, b in zip(resumed_model.parameters(), straight_model.parameters()):
        torch.testing.assert_close(a, b)


def test_evaluate_counts_loss_and_accuracy():
    model = toy_model()
    d = toy_data()
    loss, acc = train.evaluate(model, d.test_x, d.test_y, batch_size=7)
    scores = model.eval()(d.test_x)
    assert acc == pytest.approx((scores.argmax(1) == d.test_y).float().mean().item())
    assert loss == pytest.approx(torch.nn.functional.cross_entropy(scores, d.test_y).item(), rel=1e-5)


def test_get_device_is_a_real_device():
    assert train.get_device().type in {"cuda", "mps", "cpu"}


@pytest.mark.parametrize("kwargs, message", [
    (dict(epochs=0), "epochs must be >= 1"),
    (dict(epochs=1, batch_size=0), "batch_size must be >= 1"),
    (dict(epochs=1, lr=0), "lr must be > 0"),
    (dict(epochs=1, schedule="cosine"), "schedule must be"),
])
def test_bad_arguments_are_value_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        train.fit(toy_model(), toy_data(), progress=False, **kwargs)


def test_a_batch_of_the_wrong_rank_is_refused():
    d = toy_data()
    d.train_x = d.train_x[:, 0]  # (N, H, W): channel axis missing
    with pytest.raises(ValueError, match="x must be a batch shaped"):
        train.fit(toy_model(), d, epochs=1, progress=False)


def test_confusion_matrix_counts_true_against_predicted():
    y_true = torch.tensor([0, 0, 1, 2, 2, 2])
    y_pred = torch.tensor([0, 1, 1, 2, 0, 2])
    counts = train.confusion_matrix(y_true, y_pred, 3)
    assert counts.tolist() == [[1, 1, 0], [0, 1, 0], [1, 0, 2]]
    assert counts.sum() == len(y_true) and counts.trace() == (y_true == y_pred).sum()


def test_scores_match_the_model_in_eval_mode_in_any_layout():
    model, d = toy_model(), toy_data()
    expected = model.eval()(d.test_x)
    model.train()
    for channels_last in (False, True):
        torch.testing.assert_close(train.scores(model, d.test_x, batch_size=5, channels_last=channels_last), expected)
    assert model.training  # left as it was


def test_channels_last_trains_to_the_same_kind_of_model():
    runs = [train.fit(toy_model(), toy_data(), epochs=2, batch_size=16, progress=False, channels_last=cl)
            for cl in (False, True)]
    for a, b in zip(*runs):
        assert a["test_acc"] == pytest.approx(b["test_acc"], abs=0.05)
        assert a["train_loss"] == pytest.approx(b["train_loss"], rel=0.05)
