"""Training: it learns, it repeats itself, and it resumes where it stopped."""

import pytest
import torch
from torch.optim.optimizer import register_optimizer_step_pre_hook

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
    assert set(history[0]) == {"epoch", "train_loss", "train_acc", "test_loss", "test_acc", "seconds",
                               "precision"}
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

    def stop_in_epoch_two(optimizer, args, kwargs):  # called before every optimiser step
        calls["n"] += 1
        if calls["n"] == 8 + 3:  # 8 batches of epoch 1, then 3 batches into epoch 2
            raise KeyboardInterrupt

    handle = register_optimizer_step_pre_hook(stop_in_epoch_two)
    try:
        with pytest.raises(KeyboardInterrupt):
            train.fit(model, toy_data(), epochs=3, batch_size=16, schedule="onecycle", checkpoint=ckpt,
                      progress=False)
    finally:
        handle.remove()
    assert len(torch.load(ckpt, weights_only=True)["history"]) == 1  # lost only the unfinished epoch

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
    with pytest.raises(ValueError, match=r"data.train_x must have 4 dimensions \(N, C, H, W\), got shape \(128, 8, 8\)"):
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


# Precision: "auto" trains in bfloat16 only where the device computes it natively.

def test_auto_picks_bfloat16_only_where_it_is_native(monkeypatch):
    monkeypatch.setattr(train, "bf16_is_native", lambda device: False)
    assert train.pick_precision("auto", "cpu") == "fp32"
    assert train.pick_precision("auto", "cuda") == "fp32"
    monkeypatch.setattr(train, "bf16_is_native", lambda device: True)
    assert train.pick_precision("auto", "cpu") == "bf16"
    for asked in ("fp32", "bf16"):  # an explicit choice is kept either way
        assert train.pick_precision(asked, "cpu") == asked


def test_fit_trains_in_float32_where_bfloat16_is_not_native(monkeypatch):
    monkeypatch.setattr(train, "bf16_is_native", lambda device: False)
    outputs = []
    model = toy_model()
    model.register_forward_hook(lambda m, i, o: outputs.append(o.dtype))
    history = train.fit(model, toy_data(), epochs=1, batch_size=32, progress=False)
    assert history[0]["precision"] == "fp32"
    assert set(outputs) == {torch.float32}


@pytest.mark.parametrize("capabilities, native", [
    ({"avx512_f": True, "avx512_bf16": True}, True),
    ({"amx_bf16": True}, True),
    ({"avx512_f": True, "avx2": True, "avx512_bf16": False}, False),  # AVX-512 alone only emulates
    ({"architecture": "arm64"}, False),
])
def test_the_cpu_check_reads_the_instruction_sets_pytorch_reports(monkeypatch, capabilities, native):
    monkeypatch.setattr(train, "cpu_capabilities", lambda: capabilities)
    assert train.bf16_is_native("cpu") is native
    assert train.pick_precision("auto", "cpu") == ("bf16" if native else "fp32")


def test_pytorch_reports_this_cpus_instruction_sets():
    capabilities = train.cpu_capabilities()
    assert "avx512_bf16" in capabilities or capabilities.get("architecture") != "x86_64"


@pytest.mark.parametrize("supported", [True, False])
def test_the_cuda_check_asks_for_bfloat16_without_emulation(monkeypatch, supported):
    asked = []

    def is_bf16_supported(including_emulation=True):
        asked.append(including_emulation)
        return supported

    monkeypatch.setattr(torch.cuda, "is_bf16_supported", is_bf16_supported)
    assert train.bf16_is_native("cuda") is supported
    assert train.pick_precision("auto", torch.device("cuda", 0)) == ("bf16" if supported else "fp32")
    assert asked == [False, False]  # an older GPU that only emulates bfloat16 trains in float32


def test_other_devices_train_in_float32():
    assert train.bf16_is_native("mps") is False
    assert train.pick_precision("auto", "mps") == "fp32"


@pytest.mark.parametrize("cuda, mps, expected", [
    (True, True, "cuda"), (True, False, "cuda"), (False, True, "mps"), (False, False, "cpu")])
def test_get_device_prefers_cuda_then_mps_then_the_cpu(monkeypatch, cuda, mps, expected):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: cuda)
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: mps)
    assert train.get_device().type == expected


@pytest.mark.parametrize("value, trained", [("fp32", "fp32"), ("bf16", "bf16"), ("", "fp32"), (None, "fp32")])
def test_cnnlib_precision_in_the_environment_sets_fits_default(monkeypatch, value, trained):
    monkeypatch.setattr(train, "bf16_is_native", lambda device: False)  # so "auto" means float32
    if value is None:
        monkeypatch.delenv("CNNLIB_PRECISION", raising=False)
    else:
        monkeypatch.setenv("CNNLIB_PRECISION", value)
    outputs = []
    model = toy_model()
    model.register_forward_hook(lambda m, i, o: outputs.append(o.dtype))
    history = train.fit(model, toy_data(), epochs=1, batch_size=32, progress=False)
    assert history[0]["precision"] == trained
    assert (torch.bfloat16 in outputs) == (trained == "bf16")  # the test set is scored in float32 either way


def test_an_explicit_precision_wins_over_the_environment(monkeypatch):
    monkeypatch.setenv("CNNLIB_PRECISION", "bf16")
    history = train.fit(toy_model(), toy_data(), epochs=1, batch_size=32, progress=False, precision="fp32")
    assert history[0]["precision"] == "fp32"


@pytest.mark.parametrize("value", ["fp16", "BF16", "float32"])
def test_a_wrong_cnnlib_precision_names_the_variable(monkeypatch, value):
    monkeypatch.setenv("CNNLIB_PRECISION", value)
    with pytest.raises(ValueError, match=f"CNNLIB_PRECISION must be one of .*got '{value}'"):
        train.fit(toy_model(), toy_data(), epochs=1, progress=False)


def test_an_unknown_precision_is_a_value_error():
    with pytest.raises(ValueError, match="precision must be one of"):
        train.fit(toy_model(), toy_data(), epochs=1, progress=False, precision="fp16")


def fashion_subset(n_train=2000, n_test=1000):
    """The first images of the real Fashion-MNIST: a small, real task."""
    from cnnlib.data import load
    full = load("fashion-mnist", download=False)  # make test makes it available first
    return Data(full.name, full.classes, full.train_x[:n_train], full.train_y[:n_train],
                full.test_x[:n_test], full.test_y[:n_test], full.mean, full.std)


def test_bfloat16_trains_as_well_as_float32_and_keeps_float32_weights(tmp_path):
    subset = fashion_subset()
    runs, layer_outputs = {}, {}
    for precision in ("fp32", "bf16"):
        train.set_seed(0)
        model = ConvolutionalNeuralNetworkClass()
        seen = layer_outputs.setdefault(precision, set())
        model.net.linear_09.register_forward_hook(  # what the training passes compute in
            lambda m, i, o, seen=seen: seen.add(o.dtype) if m.training else None)
        runs[precision] = train.fit(model, subset, epochs=2, lr=5e-3, batch_size=64, schedule="onecycle",
                                    device="cpu", progress=False, precision=precision,
                                    checkpoint=tmp_path / f"{precision}.pt")
        assert all(p.dtype == torch.float32 for p in model.parameters())
        # the test accuracy in the history is the float32 one, whatever trained
        _, acc = train.evaluate(model, subset.test_x, subset.test_y, channels_last=True)
        assert runs[precision][-1]["test_acc"] == acc
    assert layer_outputs == {"fp32": {torch.float32}, "bf16": {torch.bfloat16}}
    fp32, bf16 = runs["fp32"][-1], runs["bf16"][-1]
    assert [row["precision"] for row in runs["bf16"]] == ["bf16", "bf16"]
    assert fp32["test_acc"] > 0.7 and bf16["test_acc"] > 0.7  # both learned
    assert bf16["test_acc"] == pytest.approx(fp32["test_acc"], abs=0.03)
    assert bf16["test_loss"] == pytest.approx(fp32["test_loss"], rel=0.1)
    state = torch.load(tmp_path / "bf16.pt", weights_only=True)
    saved = list(state["model"].values()) + [t for s in state["optimizer"]["state"].values()
                                             for t in s.values()]
    assert saved and all(t.dtype == torch.float32 for t in saved if t.is_floating_point())


# On a CUDA GPU, fit replays full batches from a recorded CUDA graph.

needs_cuda = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


@needs_cuda
@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_a_graph_replay_computes_what_the_plain_pass_computes(precision):
    model = toy_model().cuda().eval()  # no dropout: both passes see the same network
    plain = toy_model().cuda().eval()
    d, loss_fn, device = toy_data(), torch.nn.CrossEntropyLoss(), torch.device("cuda")
    x, y = d.train_x.cuda(), d.train_y.cuda()
    step = train.GraphedStep(model, loss_fn, x[:16], y[:16], precision, device)
    for batch in (slice(16, 32), slice(32, 48)):  # new batches, copied into the recorded inputs
        logits, loss = step(x[batch], y[batch])
        plain.zero_grad(set_to_none=True)
        plain_logits, plain_loss = train.forward_backward(plain, loss_fn, x[batch], y[batch], precision, device)
        torch.testing.assert_close(logits, plain_logits)
        torch.testing.assert_close(loss, plain_loss)
        for a, b in zip(model.parameters(), plain.parameters()):
            torch.testing.assert_close(a.grad, b.grad)


@needs_cuda
def test_fit_with_a_cuda_graph_trains_like_fit_without_and_leaves_the_model_as_it_was():
    runs = {}
    for graph in (True, False):  # 128 images in batches of 24: 5 full ones (replayed) and 1 of 8
        model = toy_model()
        runs[graph] = train.fit(model, toy_data(), epochs=4, lr=3e-3, batch_size=24, device="cuda",
                                progress=False, cuda_graph=graph)
        assert model(torch.randn(5, 1, 8, 8, device="cuda")).shape == (5, 2)  # any batch size still works
    assert runs[True][-1]["test_acc"] > 0.9
    assert runs[True][-1]["test_acc"] == pytest.approx(runs[False][-1]["test_acc"], abs=0.05)


# Checkpoints are safe to load, and a resume is checked against the run that wrote them.

class WritesAMarker:
    """Unpickling this object writes a file: what a malicious checkpoint would do."""

    def __init__(self, marker):
        self.marker = str(marker)

    def __reduce__(self):
        return exec, (f"open({self.marker!r}, 'w').write('this ran')",)


def test_a_checkpoint_that_would_run_code_is_refused_and_nothing_runs(tmp_path):
    marker, crafted = tmp_path / "marker.txt", tmp_path / "crafted.pt"
    torch.save({"settings": {}, "model": WritesAMarker(marker), "optimizer": {}, "scheduler": None,
                "history": [], "torch_rng": torch.get_rng_state()}, crafted)
    with pytest.raises(ValueError, match="crafted.pt.*is refused: loading it would call exec.*could run code"):
        train.fit(toy_model(), toy_data(), epochs=1, progress=False, checkpoint=crafted)
    assert not marker.exists()
    torch.load(crafted, weights_only=False)  # the payload is real: an unsafe load runs it
    assert marker.read_text() == "this ran"


def two_epoch_checkpoint(path, **kwargs):
    """Train the toy model for 2 epochs with a checkpoint; the settings a resume must repeat."""
    settings = dict(epochs=2, lr=1e-3, batch_size=16, schedule="onecycle", seed=0, precision="fp32") | kwargs
    train.fit(toy_model(), toy_data(), progress=False, checkpoint=path, **settings)
    return settings


@pytest.mark.parametrize("change, message", [
    (dict(lr=2e-3), "lr is 0.002 here but 0.001 in the checkpoint"),
    (dict(seed=1), "seed is 1 here but 0 in the checkpoint"),
    (dict(batch_size=32), "batch_size is 32 here but 16 in the checkpoint"),
    (dict(schedule=None), "schedule is None here but 'onecycle' in the checkpoint"),
    (dict(precision="bf16"), "precision is 'bf16' here but 'fp32' in the checkpoint"),
    (dict(epochs=3), "epochs is 3 here but 2 in the checkpoint"),
])
def test_resuming_with_other_arguments_names_each_one(tmp_path, change, message):
    ckpt = tmp_path / "run.pt"
    settings = two_epoch_checkpoint(ckpt)
    with pytest.raises(ValueError) as err:
        train.fit(toy_model(), toy_data(), progress=False, checkpoint=ckpt, **(settings | change))
    text = str(err.value)
    assert str(ckpt) in text and message in text and "start afresh" in text
    assert text.count(" in the checkpoint") == 1  # only what differs is named


def test_resuming_with_two_other_arguments_names_both(tmp_path):
    ckpt = tmp_path / "run.pt"
    settings = two_epoch_checkpoint(ckpt)
    with pytest.raises(ValueError, match="lr is 0.01 here.*seed is 3 here"):
        train.fit(toy_model(), toy_data(), progress=False, checkpoint=ckpt, **(settings | dict(lr=1e-2, seed=3)))


def test_resuming_with_other_data_or_another_model_says_what_differs(tmp_path):
    ckpt = tmp_path / "run.pt"
    settings = two_epoch_checkpoint(ckpt)
    fewer = toy_data(n=192)
    with pytest.raises(ValueError, match=r"data is toy \(96 training, 96 test images\) here but "
                                         r"toy \(128 training, 128 test images\)"):
        train.fit(toy_model(), fewer, progress=False, checkpoint=ckpt, **settings)
    other = toy_data()
    other.train_y = 1 - other.train_y  # same sizes, other labels
    with pytest.raises(ValueError, match="as in the checkpoint, but other images or labels"):
        train.fit(toy_model(), other, progress=False, checkpoint=ckpt, **settings)
    wider = ConvolutionalNeuralNetworkClass(xdim=[1, 8, 8], cdims=[8], hdims=[16], ydim=2)
    with pytest.raises(ValueError, match=r"conv2d_00.bias shaped \[8\] here but \[4\] in the checkpoint"):
        train.fit(wider, toy_data(), progress=False, checkpoint=ckpt, **settings)
    from cnnlib.models import MultiLayerPerceptronClass
    mlp = MultiLayerPerceptronClass(xdim=[1, 8, 8], hdims=[16], ydim=2)
    with pytest.raises(ValueError, match="a MultiLayerPerceptronClass here but a ConvolutionalNeuralNetworkClass"):
        train.fit(mlp, toy_data(), progress=False, checkpoint=ckpt, **settings)


def test_a_finished_run_asked_for_fewer_epochs_says_so(tmp_path):
    ckpt = tmp_path / "run.pt"
    settings = two_epoch_checkpoint(ckpt, schedule=None)
    with pytest.raises(ValueError, match="already holds 2 trained epochs; fit was asked for 1"):
        train.fit(toy_model(), toy_data(), progress=False, checkpoint=ckpt, **(settings | dict(epochs=1)))
    again = train.fit(toy_model(), toy_data(), progress=False, checkpoint=ckpt, **settings)
    assert [row["epoch"] for row in again] == [1, 2]  # the same call gives the history back


def test_a_constant_learning_rate_run_goes_on_for_more_epochs_as_if_never_stopped(tmp_path):
    ckpt = tmp_path / "run.pt"
    settings = two_epoch_checkpoint(ckpt, schedule=None)
    longer = train.fit(toy_model(), toy_data(), progress=False, checkpoint=ckpt, **(settings | dict(epochs=3)))
    straight = train.fit(toy_model(), toy_data(), progress=False, **(settings | dict(epochs=3)))
    assert without_time(longer) == without_time(straight)


def test_an_unreadable_checkpoint_is_a_value_error_naming_the_file(tmp_path):
    ckpt = tmp_path / "run.pt"
    settings = two_epoch_checkpoint(ckpt)
    whole = ckpt.read_bytes()
    broken = {"truncated.pt": whole[: len(whole) // 2], "random.pt": bytes(range(256)) * 40, "empty.pt": b""}
    for name, content in broken.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(ValueError, match=f"{name}.*cannot be read.*start afresh"):
            train.fit(toy_model(), toy_data(), progress=False, checkpoint=tmp_path / name, **settings)
    torch.save(toy_model().state_dict(), tmp_path / "weights.pt")  # a PyTorch file, not fit's
    with pytest.raises(ValueError, match="weights.pt.*not a checkpoint of cnnlib.train.fit"):
        train.fit(toy_model(), toy_data(), progress=False, checkpoint=tmp_path / "weights.pt", **settings)


def test_an_unwritable_checkpoint_folder_fails_before_any_training(tmp_path):
    (tmp_path / "not-a-folder").write_text("a file where the folder should be")
    model, batches = toy_model(), []
    model.register_forward_hook(lambda m, i, o: batches.append(1))
    with pytest.raises(ValueError, match="checkpoint folder .*not-a-folder.* cannot be written"):
        train.fit(model, toy_data(), epochs=1, progress=False, checkpoint=tmp_path / "not-a-folder" / "run.pt")
    assert batches == []
