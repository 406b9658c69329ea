"""Training as in the study note (Adam, cross-entropy), on in-memory tensors, with resumable checkpoints."""

import random
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from cnnlib.shapes import check_int


# The book's training recipe for the note's CNN on Fashion-MNIST (the training chapter and the
# benchmark use it): batches of 128, Adam with a one-cycle schedule peaking at 5e-3, five epochs.
RECIPE = {"epochs": 5, "lr": 5e-3, "batch_size": 128, "schedule": "onecycle"}

# The progress bar per epoch: batches done, time spent and left, then loss and accuracies,
# short enough to stay on one line of a notebook.
PROGRESS_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}{postfix}]"


def set_seed(seed):
    """Seed Python, NumPy and PyTorch so a run can be repeated."""
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


def _batches(n, batch_size, generator=None):
    """Index tensors covering 0..n-1 in batches; shuffled when a generator is given."""
    order = torch.randperm(n, generator=generator) if generator is not None else torch.arange(n)
    return order.split(batch_size)


def _to_device(x, device, channels_last):
    """A batch on `device`, in the channels-last layout if asked (faster convolutions and pooling)."""
    x = x.to(device)
    return x.contiguous(memory_format=torch.channels_last) if channels_last and x.dim() == 4 else x


@torch.no_grad()
def scores(model, x, batch_size=1000, device=None, channels_last=False):
    """Class scores (N, classes) of `model` for images x (N, C, H, W), in evaluation mode, on the CPU."""
    device = device or next(model.parameters()).device
    was_training = model.training
    model.eval()
    out = torch.cat([model(_to_device(x[idx], device, channels_last)).float().cpu()
                     for idx in _batches(len(x), batch_size)])
    model.train(was_training)
    return out


def evaluate(model, x, y, batch_size=1000, device=None, channels_last=False):
    """Mean cross-entropy loss and accuracy of `model` on images x (N, C, H, W) and labels y (N,)."""
    s = scores(model, x, batch_size, device, channels_last)  # (N, classes)
    loss = nn.functional.cross_entropy(s, y, reduction="mean").item()
    return loss, (s.argmax(dim=1) == y).float().mean().item()


def confusion_matrix(y_true, y_pred, classes):
    """counts[i, j]: how many items of class i were predicted as class j. Shape (classes, classes)."""
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
        checkpoint=None, progress=True, channels_last=True):
    """Train `model` on a cnnlib.data.Data bundle; returns the history, one dict per epoch.

    Adam and cross-entropy as in the study note. `schedule="onecycle"` warms the learning
    rate up to `lr` and anneals it down over the run. `channels_last` stores images and
    feature maps pixel by pixel with their channels together, which makes convolution and
    pooling faster on CPUs and GPUs; the numbers computed are the same.

    With `checkpoint` (a file path) the state is saved after every epoch and a later call
    with the same arguments resumes after the last saved epoch, so an interrupted run loses
    at most one epoch and ends with the same history as an uninterrupted one.
    """
    check_int("epochs", epochs, 1)
    check_int("batch_size", batch_size, 1)
    if not lr > 0:
        raise ValueError(f"lr must be > 0, got {lr}")
    device = torch.device(device) if device is not None else get_device()
    set_seed(seed)
    model.to(device)
    if channels_last:
        model.to(memory_format=torch.channels_last)
    optimizer = _optimizer(model, lr, device)
    steps = len(_batches(len(data.train_x), batch_size))
    scheduler = _scheduler(optimizer, schedule, lr, epochs, steps)
    history, start = [], 0
    if checkpoint is not None and Path(checkpoint).exists():
        history, start = _load_checkpoint(checkpoint, model, optimizer, scheduler)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(start, epochs):
        shuffle = torch.Generator().manual_seed(seed * 100_003 + epoch)  # same order after a resume
        model.train()
        began = time.perf_counter()
        loss_sum, correct, seen = 0.0, 0, 0
        with tqdm(total=steps, disable=not progress, desc=f"epoch {epoch + 1}/{epochs}",
                  bar_format=PROGRESS_FORMAT, leave=True) as bar:
            for idx in _batches(len(data.train_x), batch_size, shuffle):
                xb = _to_device(data.train_x[idx], device, channels_last)  # (B, C, H, W)
                yb = data.train_y[idx].to(device)                            # (B,)
                logits = model(xb)  # (B, classes)
                loss = loss_fn(logits, yb)
                optimizer.zero_grad(set_to_none=True)
                loss.backward()
                optimizer.step()
                if scheduler is not None:
                    scheduler.step()
                loss_sum += loss.item() * len(idx)
                correct += (logits.argmax(dim=1) == yb).sum().item()
                seen += len(idx)
                bar.set_postfix(loss=f"{loss_sum / seen:.3f}", acc=f"{correct / seen:.3f}", refresh=False)
                bar.update()
            train_seconds = time.perf_counter() - began
            test_loss, test_acc = evaluate(model, data.test_x, data.test_y, device=device,
                                           channels_last=channels_last)
            # the bar's last line also shows the test accuracy
            bar.set_postfix(loss=f"{loss_sum / seen:.3f}", acc=f"{correct / seen:.3f}", test_acc=f"{test_acc:.3f}")
        history.append({"epoch": epoch + 1, "train_loss": loss_sum / seen, "train_acc": correct / seen,
                        "test_loss": test_loss, "test_acc": test_acc, "seconds": train_seconds})
        if checkpoint is not None:
            _save_checkpoint(checkpoint, model, optimizer, scheduler, history)
    return history


def _save_checkpoint(path, model, optimizer, scheduler, history):
    """Write everything needed to resume after this epoch, atomically."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    state = {
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


def _load_checkpoint(path, model, optimizer, scheduler):
    """Restore a checkpoint; returns (history so far, index of the next epoch)."""
    state = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    if scheduler is not None and state["scheduler"] is not None:
        scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["torch_rng"])
    if state["cuda_rng"] is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda_rng"])
    return state["history"], len(state["history"])
