"""Fashion-MNIST (the book's data set) and MNIST, through torchvision's dataset classes.

Where the files are looked for, in order:
1. the directory named by the environment variable CNNLIB_DATA,
2. ./data,
3. Debian's /usr/share/datasets/fashion-mnist (package dataset-fashion-mnist), unpacked into 1 or 2,
4. torchvision's download, into 1 or 2.

Run `python -m cnnlib.data` to make the book's data available (what `make book` does).
"""

import gzip
import math
import os
import shutil
import subprocess
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

from cnnlib.checks import check_bool, check_images, check_instance, check_int, check_number, check_permutation

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "find", "data_dir", "Data", "load", "background", "shift_images", "permute_pixels", "subset",
    "with_pixels_permuted", "loaders", "main",
]

DATASETS = {
    "fashion-mnist": datasets.FashionMNIST,
    "mnist": datasets.MNIST,
}
DEBIAN_DIRS = {"fashion-mnist": Path("/usr/share/datasets/fashion-mnist")}
DEBIAN_PACKAGES = {"fashion-mnist": "dataset-fashion-mnist"}


def _dataset_class(dataset):
    """The torchvision class for a data set name, or a ValueError listing the names."""
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}")
    return DATASETS[dataset]


def data_dir():
    """Where cnnlib keeps data: $CNNLIB_DATA if set, else ./data."""
    return Path(os.environ.get("CNNLIB_DATA") or "data")


def _raw_files(dataset, root):
    """The unpacked files torchvision reads for `dataset`: root/<Class>/raw/<name>."""
    cls = _dataset_class(dataset)
    raw = Path(root) / cls.__name__ / "raw"
    return [raw / os.path.basename(url)[: -len(".gz")] for url, _md5 in cls.resources]


def _is_ready(dataset, root):
    """True when every file torchvision reads for `dataset` is under root, whole."""
    return all(_idx_is_complete(f) for f in _raw_files(dataset, root))


def _idx_is_complete(path):
    """True when `path` is an IDX file (the (Fashion-)MNIST format) as long as its header says."""
    try:
        with open(path, "rb") as f:
            magic = f.read(4)
            if len(magic) < 4 or magic[:2] != b"\0\0" or magic[2] != 0x08:  # 0x08: unsigned bytes
                return False
            dims = [int.from_bytes(f.read(4), "big") for _ in range(magic[3])]
        return Path(path).stat().st_size == 4 + 4 * len(dims) + math.prod(dims)
    except OSError:  # missing or unreadable
        return False


def _unpack_debian(dataset, root):
    """Unpack Debian's .gz files into root/<Class>/raw, where torchvision looks. True on success.

    Each file is written under a temporary name and renamed when whole, so an interrupted
    or failed unpacking never leaves a half-written file behind.
    """
    source = DEBIAN_DIRS.get(dataset)
    if source is None or not source.is_dir():
        return False
    targets = _raw_files(dataset, root)
    packed = [source / (f.name + ".gz") for f in targets]
    if not all(p.is_file() for p in packed):
        return False
    _make_dir(targets[0].parent)
    for src_path, dst_path in zip(packed, targets):
        part = dst_path.with_name(dst_path.name + ".part")
        try:
            with gzip.open(src_path, "rb") as src, open(part, "wb") as dst:
                shutil.copyfileobj(src, dst)
            if not _idx_is_complete(part):
                raise EOFError("the unpacked file is shorter than its header says")
        except (EOFError, gzip.BadGzipFile, zlib.error) as err:
            part.unlink(missing_ok=True)
            raise ValueError(f"{src_path} is damaged ({err}). Fix: sudo apt-get install --reinstall "
                             f"{DEBIAN_PACKAGES[dataset]}") from None
        except OSError as err:
            part.unlink(missing_ok=True)
            raise _unwritable(dst_path.parent, err) from None
        part.replace(dst_path)
    return True


def _make_dir(path):
    """Create a data folder, or raise a ValueError that says how to choose another."""
    try:
        Path(path).mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise _unwritable(path, err) from None


def _unwritable(folder, err):
    """The error for a data folder that cannot be written, with the fix."""
    return ValueError(f"cannot write the data into {folder} ({err.strerror or err}). Fix: point "
                      "CNNLIB_DATA at a folder you can write to, e.g. CNNLIB_DATA=$HOME/cnn-data")


def _download(dataset, root):
    """Let torchvision download the data set into root. True on success."""
    cls = _dataset_class(dataset)
    try:
        cls(root, train=True, download=True)
        cls(root, train=False, download=True)
    except Exception as err:  # offline, proxy, checksum: the caller explains the fixes
        print(f"cnnlib: download of {dataset} failed: {err}", file=sys.stderr)
        return False
    return True


def _missing_message(dataset):
    """The error text for data that cannot be found, naming both fixes."""
    fixes = [f"connect to the internet so torchvision can download it into {data_dir()}"]
    if dataset in DEBIAN_PACKAGES:
        fixes.append(f"on Debian/Ubuntu: sudo apt-get install {DEBIAN_PACKAGES[dataset]}")
    fixes.append("or point CNNLIB_DATA at a directory that holds it")
    return f"{dataset} not found in $CNNLIB_DATA, ./data or {DEBIAN_DIRS.get(dataset, 'a system directory')}. " \
           "Fix: " + "; ".join(fixes) + "."


def find(dataset="fashion-mnist", download=True):
    """Return a root directory in which torchvision finds `dataset`, making it available if needed."""
    _dataset_class(dataset)
    check_bool("download", download)
    candidates = [Path(os.environ["CNNLIB_DATA"])] if os.environ.get("CNNLIB_DATA") else []
    candidates.append(Path("data"))
    for root in candidates:
        if _is_ready(dataset, root):
            return root
    target = data_dir()
    if _unpack_debian(dataset, target):
        return target
    if download and _download(dataset, target):
        return target
    raise FileNotFoundError(_missing_message(dataset))


@dataclass
class Data:
    """A whole data set as normalized in-memory tensors: the fast path for training on a CPU."""

    name: str
    classes: list
    train_x: torch.Tensor  # (60000, 1, 28, 28) float32, normalized
    train_y: torch.Tensor  # (60000,) int64
    test_x: torch.Tensor   # (10000, 1, 28, 28)
    test_y: torch.Tensor   # (10000,)
    mean: float            # of the training pixels in [0, 1], used to normalize both splits
    std: float


def _raw_tensors(dataset, train, root):
    """Images (N, 1, H, W) in [0, 1] and labels (N,) of one split."""
    ds = _dataset_class(dataset)(root, train=train, download=False)
    return ds.data.unsqueeze(1).float().div(255), ds.targets.long()


def load(dataset="fashion-mnist", download=True):
    """Load both splits into memory, normalized with the training split's mean and std."""
    root = find(dataset, download=download)
    train_x, train_y = _raw_tensors(dataset, True, root)
    test_x, test_y = _raw_tensors(dataset, False, root)
    mean, std = train_x.mean().item(), train_x.std().item()
    classes = _dataset_class(dataset).classes
    return Data(dataset, list(classes), (train_x - mean) / std, train_y, (test_x - mean) / std, test_y,
                mean, std)


def background(data):
    """The normalized value of a black pixel: what shifted-in pixels are filled with."""
    check_instance("data", data, Data, "a Data from cnnlib.data.load")
    return (0.0 - data.mean) / data.std


def shift_images(x, dx, dy, fill):
    """Images x (N, C, H, W) moved dx pixels right and dy pixels down; uncovered pixels get `fill`."""
    check_images("x", x)
    dx, dy = check_int("dx", dx, -10**9), check_int("dy", dy, -10**9)
    out = torch.full_like(x, check_number("fill", fill))
    h, w = x.shape[-2:]
    if abs(dx) >= w or abs(dy) >= h:
        return out
    src_rows, dst_rows = slice(max(0, -dy), h - max(0, dy)), slice(max(0, dy), h - max(0, -dy))
    src_cols, dst_cols = slice(max(0, -dx), w - max(0, dx)), slice(max(0, dx), w - max(0, -dx))
    out[..., dst_rows, dst_cols] = x[..., src_rows, src_cols]
    return out


def permute_pixels(x, permutation):
    """Images x (N, C, H, W) with their pixels reordered by one fixed permutation of H*W positions."""
    n, c, h, w = check_images("x", x).shape
    order = check_permutation("permutation", permutation, h * w)
    return x.reshape(n, c, h * w)[:, :, order].reshape(n, c, h, w)


def subset(data, n, seed=0, repeats=1):
    """The same Data with `n` training images drawn at random (seeded), each `repeats` times; the test split stays.

    Repeating a small set makes one epoch over it as long as `repeats` epochs: a run on 1,000
    images repeated 60 times makes as many updates as one epoch over 60,000.
    """
    check_instance("data", data, Data, "a Data from cnnlib.data.load")
    n = check_int("n", n, 1, len(data.train_x))
    repeats = check_int("repeats", repeats, 1, 10_000)
    pick = torch.randperm(len(data.train_x), generator=torch.Generator().manual_seed(check_int("seed", seed, 0)))[:n]
    train_x, train_y = data.train_x[pick], data.train_y[pick]  # (n, C, H, W), (n,)
    return Data(data.name, data.classes, train_x.repeat(repeats, 1, 1, 1), train_y.repeat(repeats),
                data.test_x, data.test_y, data.mean, data.std)


def with_pixels_permuted(data, permutation):
    """The same Data with every image's pixels (train and test) reordered by one fixed permutation."""
    check_instance("data", data, Data, "a Data from cnnlib.data.load")
    return Data(data.name, data.classes, permute_pixels(data.train_x, permutation), data.train_y,
                permute_pixels(data.test_x, permutation), data.test_y, data.mean, data.std)


def loaders(dataset="fashion-mnist", batch_size=128, download=True, num_workers=0):
    """(train, test) DataLoaders that read through torchvision's classes, normalized like `load`."""
    batch_size, num_workers = check_int("batch_size", batch_size, 1), check_int("num_workers", num_workers, 0)
    root = find(dataset, download=download)
    cls = _dataset_class(dataset)
    train = cls(root, train=True)
    pixels = train.data.float().div(255)  # (N, H, W) in [0, 1]: the statistics `load` uses
    train.transform = transforms.Compose([transforms.ToTensor(),
                                          transforms.Normalize((pixels.mean().item(),), (pixels.std().item(),))])
    test = cls(root, train=False, transform=train.transform)
    return (DataLoader(train, batch_size=batch_size, shuffle=True, num_workers=num_workers),
            DataLoader(test, batch_size=batch_size, shuffle=False, num_workers=num_workers))


def _install_debian_package(dataset):
    """As root on Debian/Ubuntu, install the data set's package with apt. True on success."""
    package = DEBIAN_PACKAGES.get(dataset)
    if package is None or shutil.which("apt-get") is None or os.geteuid() != 0:
        return False
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    for cmd in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", package]):
        if subprocess.run(cmd, env=env).returncode != 0:
            return False
    return True


def main(argv=None):
    """Make the data sets available: the command behind `make book` and `make test`."""
    names = (argv if argv is not None else sys.argv[1:]) or ["fashion-mnist"]
    status = 0
    for dataset in names:
        try:
            root = _make_available(dataset)
        except (ValueError, FileNotFoundError) as err:  # each says what to do
            print(f"cnnlib: {err}", file=sys.stderr)
            status = 1
            continue
        print(f"cnnlib: {dataset} is ready in {root}")
    return status


def _make_available(dataset):
    """find(), and where the data is missing, install Debian's package as root and unpack it."""
    try:
        return find(dataset)
    except FileNotFoundError:
        if _install_debian_package(dataset) and _unpack_debian(dataset, data_dir()):
            return data_dir()
        raise


if __name__ == "__main__":
    sys.exit(main())
