"""Training as in the study note (Adam, cross-entropy), on in-memory tensors, with resumable checkpoints."""

import contextlib
import os
import random
import re
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from cnnlib.checks import check_bool, check_images, check_int, check_labels, check_number
from cnnlib.quiz import LIVE

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "RECIPE", "set_seed", "get_device", "check_device", "bf16_is_native", "cpu_capabilities",
    "default_precision", "pick_precision", "autocast", "scores", "evaluate", "confusion_matrix", "fit",
    "read_checkpoint",
]


# The book's training recipe for the note's CNN on Fashion-MNIST (the training chapter and the
# benchmark use it): batches of 128, Adam with a one-cycle schedule peaking at 5e-3, five epochs.
RECIPE = {"epochs": 5, "lr": 5e-3, "batch_size": 128, "schedule": "onecycle"}

# The progress bar per epoch: batches done, time spent and left, then loss and accuracies,
# short enough to stay on one line of a notebook.
PROGRESS_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]"

# How often (in batches) the progress bar's running loss and accuracy are brought up to date.
# Reading them waits for the device, so a GPU is not made to wait after every batch.
PROGRESS_EVERY = 25

# The least time between two redraws of the progress bar. In a notebook each redraw is a
# message to the front end: twice a second is smooth enough, and a 5-epoch run then sends a
# few hundred of them, not thousands that a test runner reading the outputs could lose.
PROGRESS_SECONDS = 0.5

# The number formats fit can train in: "auto" picks bfloat16 where the device computes it
# natively and float32 elsewhere.
PRECISIONS = ("auto", "fp32", "bf16")

# The environment variable that sets fit's default precision, so that a reader can repeat the
# book's float32 numbers on any machine (CNNLIB_PRECISION=fp32 make execute) and a test can
# force either path without editing a chapter.
PRECISION_VARIABLE = "CNNLIB_PRECISION"


def set_seed(seed):
    """Seed Python, NumPy and PyTorch so a run can be repeated."""
    seed = check_int("seed", seed, 0, 2**32 - 1)  # NumPy's range
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)  # also seeds CUDA and MPS


def get_device():
    """The fastest device present: CUDA, then Apple MPS, then the CPU."""
    if torch.cuda.is_available():
        return torch.device("cuda")
    if torch.backends.mps.is_available():
        return torch.device("mps")
    return torch.device("cpu")


def _device_name(device):
    """`device` as a torch.device, present here or not, or a ValueError naming the forms allowed."""
    try:
        return torch.device(device)
    except (RuntimeError, TypeError):
        raise ValueError(f"device must be 'cpu', 'cuda', 'cuda:N' or 'mps' (or a torch.device), "
                         f"got {device!r}") from None


def check_device(device):
    """`device` as a torch.device that PyTorch can use here, or a ValueError that says why not."""
    device = _device_name(device)
    present = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    if not present.get(device.type, False):
        raise ValueError(f"device {str(device)!r} is not available here; "
                         f"use get_device() for the fastest one present")
    return device


def _check_model(model):
    """Raise a ValueError unless `model` is a PyTorch module with parameters."""
    if not isinstance(model, nn.Module) or not any(True for _ in model.parameters()):
        raise ValueError(f"model must be a torch.nn.Module with parameters, such as "
                         f"cnnlib.models.ConvolutionalNeuralNetworkClass(), got {type(model).__name__}")


def check_data(data, classes=None):
    """Raise a ValueError unless `data` holds images (N, C, H, W) and labels 0 .. classes-1 for both splits."""
    classes = classes or len(data.classes)
    for split in ("train", "test"):
        x, y = getattr(data, f"{split}_x"), getattr(data, f"{split}_y")
        check_images(f"data.{split}_x", x)
        if len(x) == 0:
            raise ValueError(f"data.{split}_x is empty: fit needs at least one {split} image")
        if not isinstance(y, torch.Tensor) or len(y) != len(x):
            raise ValueError(f"data.{split}_y must be a tensor of {len(x)} labels, one per image, "
                             f"got {type(y).__name__} of length {len(y) if hasattr(y, '__len__') else '-'}")
        check_labels(f"data.{split}_y", y, classes)


def bf16_is_native(device):
    """True where `device` computes bfloat16 in hardware, as PyTorch reports it."""
    device = _device_name(device)
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported(including_emulation=False)
    if device.type == "cpu":  # x86 CPUs with AVX512-BF16 or AMX instructions
        caps = cpu_capabilities()
        return bool(caps.get("avx512_bf16") or caps.get("amx_bf16"))
    return False  # MPS and other devices: float32, which they all compute well


def cpu_capabilities():
    """The CPU's instruction sets, as PyTorch detects them: {"avx512_bf16": True, ...}."""
    if hasattr(torch.cpu, "get_capabilities"):  # recent PyTorch
        return dict(torch.cpu.get_capabilities())
    older = {"avx512_bf16": "_is_avx512_bf16_supported", "amx_bf16": "_is_amx_tile_supported"}
    return {name: getattr(torch.cpu, check, lambda: False)() for name, check in older.items()}


def default_precision():
    """fit's precision when none is given: $CNNLIB_PRECISION ("fp32", "bf16" or "auto"), else "auto"."""
    value = os.environ.get(PRECISION_VARIABLE, "").strip()
    if not value:
        return "auto"
    if value not in PRECISIONS:
        raise ValueError(f"the environment variable {PRECISION_VARIABLE} must be one of {PRECISIONS} "
                         f"(or unset, for 'auto'), got {value!r}")
    return value


def pick_precision(precision, device):
    """The format fit trains in on `device`: "fp32" or "bf16" ("auto": bf16 where native)."""
    if precision not in PRECISIONS:
        raise ValueError(f"precision must be one of {PRECISIONS}, got {precision!r}")
    if precision == "auto":
        return "bf16" if bf16_is_native(device) else "fp32"
    return precision


def autocast(precision, device):
    """A context in which layers compute in bfloat16 for "bf16", and nothing changes for "fp32"."""
    if precision not in ("fp32", "bf16"):
        raise ValueError(f"precision must be 'fp32' or 'bf16' (pick_precision turns 'auto' into one), "
                         f"got {precision!r}")
    device = check_device(device)
    if precision == "bf16":  # no cache of cast weights: each is used once per pass, and graphs need it off
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16,
                              cache_enabled=False)
    return contextlib.nullcontext()


def forward_backward(model, loss_fn, xb, yb, precision, device):
    """One batch's forward pass, loss and backward pass; returns (logits, loss)."""
    with autocast(precision, device):
        logits = model(xb)  # (N, classes), bfloat16 under "bf16"
    loss = loss_fn(logits.float(), yb)  # the loss itself in float32
    loss.backward()
    return logits, loss


class GraphedStep:
    """forward_backward for full batches, recorded once as a CUDA graph and then replayed.

    The note's network is small: on a GPU each step's hundred or so kernels take less time
    to run than Python takes to launch them one by one. A CUDA graph records the launches
    once; each replay sends them all at once, on the same memory, with new inputs copied in.
    """

    def __init__(self, model, loss_fn, xb, yb, precision, device):
        self.x, self.y = xb.clone(), yb.clone()  # fixed inputs: each replay copies its batch in
        args = (model, loss_fn, self.x, self.y, precision, device)
        random_state = torch.cuda.get_rng_state(device)  # the passes below draw dropout masks
        side = torch.cuda.Stream(device)
        side.wait_stream(torch.cuda.current_stream(device))
        with torch.cuda.stream(side):  # a few passes first, so cuDNN settles on its kernels
            for _ in range(3):
                forward_backward(*args)
        torch.cuda.current_stream(device).wait_stream(side)
        model.zero_grad(set_to_none=True)  # the gradients are then created inside the graph
        self.graph = torch.cuda.CUDAGraph()
        with torch.cuda.graph(self.graph):
            logits, loss = forward_backward(*args)
        # outputs that each replay overwrites, without the recorded pass's autograd graph
        self.logits, self.loss = logits.detach(), loss.detach()
        # the random numbers continue as if nothing had been drawn, so a resumed run repeats exactly
        torch.cuda.set_rng_state(random_state, device)

    def __call__(self, xb, yb):
        """Replay on a new batch: fills the parameters' .grad; returns (logits, loss)."""
        self.x.copy_(xb)
        self.y.copy_(yb)
        self.graph.replay()
        return self.logits, self.loss


def _batches(n, batch_size, generator=None, device=None):
    """Index tensors covering 0..n-1 in batches, on `device`; shuffled when a generator is given."""
    order = torch.randperm(n, generator=generator) if generator is not None else torch.arange(n)
    return order.to(device).split(batch_size)  # one copy to the device per epoch, not per batch


def _to_device(x, device, channels_last):
    """A batch on `device`, in the channels-last layout if asked (faster convolutions and pooling)."""
    x = x.to(device)
    return x.contiguous(memory_format=torch.channels_last) if channels_last and x.dim() == 4 else x


def stored_channels_last(model):
    """True when the model's kernels are stored channels-last, as fit leaves them (inputs then match)."""
    for p in model.parameters():
        if p.dim() == 4 and not (p.is_contiguous() and p.is_contiguous(memory_format=torch.channels_last)):
            return p.is_contiguous(memory_format=torch.channels_last)  # the first kernels whose layout shows
    return False


@torch.no_grad()
def scores(model, x, batch_size=256, device=None, channels_last=None):
    """Class scores (N, classes) of `model` for images x (N, C, H, W), in evaluation mode, on the CPU.

    channels_last=None gives the images the layout the model's kernels are stored in (see
    `stored_channels_last`): a convolution whose input and kernels differ in layout runs
    slower. Batches of 256 keep each batch's feature maps in the processor's caches.
    """
    _check_model(model)
    check_images("x", x)
    batch_size = check_int("batch_size", batch_size, 1)
    channels_last = stored_channels_last(model) if channels_last is None else check_bool("channels_last", channels_last)
    device = check_device(device) if device is not None else next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = torch.cat([model(_to_device(x[idx], device, channels_last)).float().cpu()
                     for idx in _batches(len(x), batch_size)])
    model.train(was_training)
    return out


def evaluate(model, x, y, batch_size=256, device=None, channels_last=None):
    """Mean cross-entropy loss and accuracy of `model` on images x (N, C, H, W) and labels y (N,)."""
    s = scores(model, x, batch_size, device, channels_last)  # (N, classes)
    y = check_labels("y", y, s.shape[1]).cpu()
    if len(y) != len(x):
        raise ValueError(f"y must hold one label per image: {len(x)} images, got {len(y)} labels")
    loss = nn.functional.cross_entropy(s, y, reduction="mean").item()
    return loss, (s.argmax(dim=1) == y).float().mean().item()


def confusion_matrix(y_true, y_pred, classes):
    """counts[i, j]: how many items of class i were predicted as class j. Shape (classes, classes)."""
    classes = check_int("classes", classes, 1)
    for name, y in (("y_true", y_true), ("y_pred", y_pred)):
        if not isinstance(y, torch.Tensor):
            raise ValueError(f"{name} must be a tensor of class labels, got {type(y).__name__}")
        check_labels(name, y, classes)
    if len(y_true) != len(y_pred):
        raise ValueError(f"y_true and y_pred must be as long, got {len(y_true)} and {len(y_pred)}")
    return torch.bincount(y_true * classes + y_pred, minlength=classes * classes).reshape(classes, classes)


def _optimizer(model, lr, device):
    """Adam, as in the note; the fused kernel where the device has one."""
    return torch.optim.Adam(model.parameters(), lr=lr, fused=device.type in ("cuda", "cpu", "mps"))


def _scheduler(optimizer, schedule, lr, epochs, steps_per_epoch):
    """None for a constant learning rate, or a one-cycle schedule peaking at lr."""
    if schedule is None:
        return None
    if schedule == "onecycle":
        return torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, epochs=epochs,
                                                   steps_per_epoch=steps_per_epoch)
    raise ValueError(f"schedule must be None or 'onecycle', got {schedule!r}")


def fit(model, data, epochs, lr=1e-3, batch_size=128, schedule=None, device=None, seed=0,
        checkpoint=None, progress=True, channels_last=True, precision=None, cuda_graph=True):
    """Train `model` on a cnnlib.data.Data bundle; returns the history, one dict per epoch.

    Adam and cross-entropy as in the study note. `schedule="onecycle"` warms the learning
    rate up to `lr` and anneals it down over the run. `channels_last` stores images and
    feature maps pixel by pixel with their channels together, which makes convolution and
    pooling faster on CPUs and GPUs; the numbers computed are the same.

    `precision`: "bf16" computes the layers in bfloat16 (16-bit numbers with float32's range),
    "fp32" in float32, and "auto" picks bfloat16 where the device computes it natively
    (see `bf16_is_native`); None (the default) takes the environment variable CNNLIB_PRECISION
    if it is set, and "auto" if not. Weights, optimiser state and checkpoints stay float32 either way,
    and the test accuracy is measured in float32; each history row records the precision
    that trained.

    The data moves to the device once, before the first epoch, so a GPU reads its batches
    from its own memory. On a CUDA GPU, `cuda_graph` replays full batches' passes from a
    recorded CUDA graph (see `GraphedStep`); switch it off for a model whose forward pass
    cannot be recorded (one that reads values back to Python, say).

    With `checkpoint` (a file path) the state is saved after every epoch and a later call
    with the same arguments resumes after the last saved epoch, so an interrupted run loses
    at most one epoch and ends with the same history as an uninterrupted one.
    """
    _check_model(model)
    epochs = check_int("epochs", epochs, 1)
    batch_size = check_int("batch_size", batch_size, 1)
    for name, flag in (("progress", progress), ("channels_last", channels_last), ("cuda_graph", cuda_graph)):
        check_bool(name, flag)
    if checkpoint is not None and not isinstance(checkpoint, (str, os.PathLike)):
        raise ValueError(f"checkpoint must be a file name (or None), got {type(checkpoint).__name__}")
    lr = check_number("lr", lr, above=0)
    seed = check_int("seed", seed, 0, 2**32 - 1)
    check_data(data, getattr(model, "ydim", None))
    device = check_device(device) if device is not None else get_device()
    precision = pick_precision(default_precision() if precision is None else precision, device)
    set_seed(seed)
    model.to(device)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    optimizer = _optimizer(model, lr, device)
    train_x, train_y = data.train_x.to(device), data.train_y.to(device)  # (N, C, H, W), (N,)
    test_x, test_y = data.test_x.to(device), data.test_y.to(device)
    steps = len(_batches(len(train_x), batch_size))
    scheduler = _scheduler(optimizer, schedule, lr, epochs, steps)
    settings = run_settings(model, data, epochs, lr, batch_size, schedule, seed, precision)
    history, start = [], 0
    if checkpoint is not None:
        checkpoint = Path(checkpoint)
        _check_writable(checkpoint)  # before any epoch is spent
        if checkpoint.exists():
            history, start = _load_checkpoint(checkpoint, settings, model, optimizer, scheduler)
    loss_fn = nn.CrossEntropyLoss()
    graphed = None  # recorded at the first full batch, on a CUDA GPU
    for epoch in range(start, epochs):
        shuffle = torch.Generator().manual_seed(seed * 100_003 + epoch)  # same order after a resume
        model.train()
        began = time.perf_counter()
        # running sums stay on the device: reading them would make it wait after every batch
        loss_sum = torch.zeros((), device=device)
        correct = torch.zeros((), dtype=torch.long, device=device)
        seen = 0
        with tqdm(total=steps, disable=not progress, desc=f"epoch {epoch + 1}/{epochs}",
                  bar_format=PROGRESS_FORMAT, mininterval=PROGRESS_SECONDS, leave=True) as bar:
            if hasattr(bar, "container"):  # a notebook's progress bar: a widget that needs no kernel to be read
                bar.container.add_class(LIVE)
            for step, idx in enumerate(_batches(len(train_x), batch_size, shuffle, device), start=1):
                xb = _to_device(train_x[idx], device, channels_last)  # (N, C, H, W)
                yb = train_y[idx]                                       # (N,)
                full = len(idx) == batch_size
                if cuda_graph and device.type == "cuda" and full and graphed is None:
                    graphed = GraphedStep(model, loss_fn, xb, yb, precision, device)
                if graphed is not None and full:
                    logits, loss = graphed(xb, yb)
                else:  # zeroed in place once a graph holds the gradient tensors
                    optimizer.zero_grad(set_to_none=graphed is None)
                    logits, loss = forward_backward(model, loss_fn, xb, yb, precision, device)
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                loss_sum += loss.detach() * len(idx)
                correct += (logits.argmax(dim=1) == yb).sum()
                seen += len(idx)
                if progress and (step % PROGRESS_EVERY == 0 or step == steps):
                    bar.set_postfix(_running(loss_sum, correct, seen), refresh=False)
                bar.update()
            if device.type == "cuda":
                torch.cuda.synchronize(device)  # count the time the GPU still needs
            train_seconds = time.perf_counter() - began
            # measured in float32 whatever the training precision: the same yardstick for every run
            test_loss, test_acc = evaluate(model, test_x, test_y, device=device, channels_last=channels_last)
            # the bar's last line also shows the test accuracy
            bar.set_postfix(_running(loss_sum, correct, seen) | {"test_acc": f"{test_acc:.3f}"})
        history.append({"epoch": epoch + 1, "train_loss": loss_sum.item() / seen,
                        "train_acc": correct.item() / seen, "test_loss": test_loss,
                        "test_acc": test_acc, "seconds": train_seconds, "precision": precision})
        if checkpoint is not None:
            _save_checkpoint(checkpoint, model, optimizer, scheduler, history, settings)
    return history


def _running(loss_sum, correct, seen):
    """The progress bar's running loss and accuracy over the `seen` images so far."""
    return {"acc": f"{correct.item() / seen:.3f}", "loss": f"{loss_sum.item() / seen:.3f}"}


def run_settings(model, data, epochs, lr, batch_size, schedule, seed, precision):
    """What a checkpoint records about the run that wrote it; a resumed run must match it."""
    return {
        "model": {"class": type(model).__name__,
                  "shapes": {name: list(t.shape) for name, t in model.state_dict().items()}},
        "data": {"name": data.name, "train": len(data.train_x), "test": len(data.test_x),
                 "fingerprint": [round(float(data.train_x.double().mean()), 8), int(data.train_y.sum()),
                                 round(float(data.test_x.double().mean()), 8), int(data.test_y.sum())]},
        "epochs": epochs, "lr": lr, "batch_size": batch_size, "schedule": schedule, "seed": seed,
        "precision": precision,
    }


def _check_writable(path):
    """Raise a ValueError before any training if the checkpoint's folder cannot be written."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as err:
        raise ValueError(f"checkpoint folder {str(path.parent)!r} cannot be written ({err.strerror or err}); "
                         "pass a checkpoint path in a folder you can write to") from None


def _save_checkpoint(path, model, optimizer, scheduler, history, settings):
    """Write everything needed to resume after this epoch, atomically."""
    state = {
        "settings": settings,
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict() if scheduler is not None else None,
        "history": history,
        "torch_rng": torch.get_rng_state(),
        "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
    }
    tmp = path.with_suffix(path.suffix + ".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def read_checkpoint(path):
    """A checkpoint's contents, loaded safely: tensors and plain values only, never code."""
    if not isinstance(path, (str, os.PathLike)):
        raise ValueError(f"path must be a file name, got {type(path).__name__}")
    if not Path(path).is_file():
        raise ValueError(f"checkpoint {str(path)!r} does not exist (or is not a file)")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as err:  # refused by the safe loader, truncated, or not a PyTorch file at all
        code = re.search(r"Unsupported global: GLOBAL (\S+)", str(err))
        if code:
            raise ValueError(f"checkpoint {str(path)!r} is refused: loading it would call {code[1]}, "
                             "and a checkpoint must hold only tensors and plain values (anything "
                             "else could run code). Delete it, or pass another checkpoint path to "
                             "start afresh") from None
        raise ValueError(f"checkpoint {str(path)!r} cannot be read ({type(err).__name__}): it is cut "
                         "short or not a checkpoint. Delete it, or pass another checkpoint path to "
                         "start afresh") from None
    missing = {"settings", "model", "optimizer", "scheduler", "history", "torch_rng"} - set(
        state if isinstance(state, dict) else ())
    if missing:
        raise ValueError(f"checkpoint {str(path)!r} is not a checkpoint of cnnlib.train.fit "
                         f"(missing {', '.join(sorted(missing))}). Delete it, or pass another "
                         "checkpoint path to start afresh")
    return state


def _differences(saved, settings):
    """One phrase for every setting in which this run differs from the checkpoint's."""
    out = []
    for name, value in settings.items():
        old = saved.get(name)
        if old == value or (name == "epochs" and settings["schedule"] is None):
            continue  # with a constant learning rate a run may simply go on for more epochs
        if name == "model":
            out.append(_model_difference(value, old))
        elif name == "data":
            here, there = _describe_data(value), _describe_data(old)
            out.append(f"data is {here} here but {there} in the checkpoint" if here != there
                       else f"data is {here} as in the checkpoint, but other images or labels")
        else:
            out.append(f"{name} is {value!r} here but {old!r} in the checkpoint")
    return out


def _model_difference(here, there):
    """How this run's model differs from the checkpoint's: its class, or its first other layer."""
    if here["class"] != there["class"]:
        return f"model is a {here['class']} here but a {there['class']} in the checkpoint"
    names = sorted(set(here["shapes"]) | set(there["shapes"]))
    name = next(n for n in names if here["shapes"].get(n) != there["shapes"].get(n))
    return (f"model {here['class']} has {name} shaped {here['shapes'].get(name)} here but "
            f"{there['shapes'].get(name)} in the checkpoint")


def _describe_data(setting):
    """'fashion-mnist (60000 training, 10000 test images)'."""
    return f"{setting['name']} ({setting['train']} training, {setting['test']} test images)"


def _load_checkpoint(path, settings, model, optimizer, scheduler):
    """Restore a checkpoint of the same run; returns (history so far, index of the next epoch)."""
    state = read_checkpoint(path)
    saved, history = state["settings"], state["history"]
    if settings["epochs"] < len(history):
        raise ValueError(f"checkpoint {str(path)!r} already holds {len(history)} trained epochs; fit "
                         f"was asked for {settings['epochs']}. Call fit with epochs={len(history)} to "
                         "get its history back, or pass another checkpoint path to start afresh")
    changed = _differences(saved, settings)
    if changed:
        raise ValueError(f"checkpoint {str(path)!r} was written by another run: " + "; ".join(changed)
                         + ". Resume with the checkpoint's values, or start afresh: delete the file "
                         "or pass another checkpoint path")
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None:
        scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    if state["cuda_rng"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return history, len(history)
