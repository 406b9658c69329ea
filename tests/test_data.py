"""Finding, unpacking and loading the data sets."""

import gzip

import numpy as np
import pytest
import torch

from cnnlib import data


def write_idx(path, array):
    """Write a uint8 array as a gzipped IDX file, the format of (Fashion-)MNIST."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


@pytest.fixture
def fake_debian(tmp_path, monkeypatch):
    """A Debian-like directory holding a tiny Fashion-MNIST, with cwd and CNNLIB_DATA in tmp_path."""
    source = tmp_path / "debian"
    source.mkdir()
    rng = np.random.default_rng(0)
    for split, n in (("train", 12), ("t10k", 5)):
        write_idx(source / f"{split}-images-idx3-ubyte.gz", rng.integers(0, 256, (n, 28, 28)))
        write_idx(source / f"{split}-labels-idx1-ubyte.gz", rng.integers(0, 10, (n,)))
    monkeypatch.setitem(data.DEBIAN_DIRS, "fashion-mnist", source)
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(data, "_download", lambda dataset, root: pytest.fail("must not download"))
    return source


def test_debian_files_are_unpacked_into_cnnlib_data_and_loaded(fake_debian, tmp_path):
    root = data.find("fashion-mnist")
    assert root == tmp_path / "store"
    d = data.load("fashion-mnist")
    assert d.train_x.shape == (12, 1, 28, 28) and d.test_x.shape == (5, 1, 28, 28)
    assert d.train_x.dtype == torch.float32 and d.train_y.dtype == torch.int64
    assert abs(d.train_x.mean().item()) < 1e-5 and d.train_x.std().item() == pytest.approx(1, abs=1e-4)
    assert d.classes[0] == "T-shirt/top" and len(d.classes) == 10


def test_cnnlib_data_comes_before_local_data(fake_debian, tmp_path):
    data.find("fashion-mnist")  # unpacks into $CNNLIB_DATA
    (tmp_path / "data").mkdir()
    assert data.find("fashion-mnist") == tmp_path / "store"


def test_local_data_is_used_when_cnnlib_data_is_unset(fake_debian, tmp_path, monkeypatch):
    monkeypatch.delenv("CNNLIB_DATA")
    assert data.find("fashion-mnist").resolve() == (tmp_path / "data").resolve()
    assert (tmp_path / "data" / "FashionMNIST" / "raw" / "train-images-idx3-ubyte").is_file()


def test_loaders_yield_normalized_batches(fake_debian):
    train, test = data.loaders("fashion-mnist", batch_size=4)
    x, y = next(iter(train))
    assert x.shape == (4, 1, 28, 28) and y.shape == (4,)
    d = data.load("fashion-mnist")
    xs = torch.cat([xb for xb, _ in test])
    torch.testing.assert_close(xs, d.test_x)


def test_missing_data_names_both_fixes(tmp_path, monkeypatch):
    monkeypatch.setitem(data.DEBIAN_DIRS, "fashion-mnist", tmp_path / "absent")
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "store"))
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(data, "_download", lambda dataset, root: False)
    with pytest.raises(FileNotFoundError) as err:
        data.find("fashion-mnist")
    assert "apt-get install dataset-fashion-mnist" in str(err.value)
    assert "internet" in str(err.value)


def test_unknown_dataset_is_a_value_error():
    with pytest.raises(ValueError, match="dataset must be one of"):
        data.find("cifar-100")


def test_the_real_fashion_mnist_is_available_and_loads():
    d = data.load("fashion-mnist", download=False)  # make test makes it available first
    assert d.train_x.shape == (60000, 1, 28, 28) and d.test_x.shape == (10000, 1, 28, 28)
    assert torch.bincount(d.train_y).tolist() == [6000] * 10
    assert d.mean == pytest.approx(0.2860, abs=1e-3) and d.std == pytest.approx(0.3530, abs=1e-3)


def test_shift_images_moves_pixels_and_fills_the_gap():
    x = torch.arange(16.0).reshape(1, 1, 4, 4)
    right = data.shift_images(x, 1, 0, fill=-1.0)
    assert right[0, 0, :, 0].tolist() == [-1.0] * 4
    assert torch.equal(right[0, 0, :, 1:], x[0, 0, :, :3])
    up = data.shift_images(x, 0, -2, fill=0.0)
    assert torch.equal(up[0, 0, :2], x[0, 0, 2:]) and up[0, 0, 2:].abs().sum() == 0
    assert torch.equal(data.shift_images(x, 0, 0, fill=9.0), x)
    assert (data.shift_images(x, 4, 0, fill=7.0) == 7.0).all()


def test_permute_pixels_is_one_fixed_reordering():
    x = torch.randn(3, 2, 4, 4)
    perm = torch.randperm(16, generator=torch.Generator().manual_seed(0))
    y = data.permute_pixels(x, perm)
    assert torch.equal(y.reshape(3, 2, 16), x.reshape(3, 2, 16)[:, :, perm])
    assert torch.equal(torch.sort(y.flatten(2)).values, torch.sort(x.flatten(2)).values)


# Data files are written whole or not at all, and a half-written one is found and replaced.

def raw_file(root, name="train-images-idx3-ubyte"):
    return root / "FashionMNIST" / "raw" / name


@pytest.mark.parametrize("keep", [0, 3, 16, 1000])
def test_a_cut_short_data_file_is_found_and_replaced_on_the_next_run(fake_debian, tmp_path, keep):
    root = data.find("fashion-mnist")
    whole = raw_file(root).read_bytes()
    raw_file(root).write_bytes(whole[:keep])  # as an interrupted copy would leave it
    assert not data._is_ready("fashion-mnist", root)
    assert data.find("fashion-mnist") == root  # unpacked again
    assert raw_file(root).read_bytes() == whole
    assert data.load("fashion-mnist").train_x.shape == (12, 1, 28, 28)


def test_the_idx_check_reads_the_header_and_the_length(tmp_path):
    good = tmp_path / "good"
    good.write_bytes(bytes([0, 0, 8, 2]) + (3).to_bytes(4, "big") + (2).to_bytes(4, "big") + bytes(6))
    assert data._idx_is_complete(good)
    for name, content in {"short": good.read_bytes()[:-1], "long": good.read_bytes() + b"x",
                          "not idx": b"<html>404</html>", "empty": b""}.items():
        (tmp_path / name).write_bytes(content)
        assert not data._idx_is_complete(tmp_path / name), name
    assert not data._idx_is_complete(tmp_path / "absent")


def test_a_damaged_archive_says_how_to_fix_it_and_leaves_no_half_file(fake_debian, tmp_path):
    packed = fake_debian / "train-images-idx3-ubyte.gz"
    packed.write_bytes(packed.read_bytes()[:-40])  # a truncated download of the package
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz is damaged.*apt-get install --reinstall "
                                         "dataset-fashion-mnist"):
        data.find("fashion-mnist")
    raw = raw_file(tmp_path / "store").parent
    assert not raw_file(tmp_path / "store").exists()
    assert not list(raw.glob("*.part"))


def test_a_data_folder_that_cannot_be_written_says_how_to_choose_another(fake_debian, tmp_path, monkeypatch):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "a-file" / "data"))
    with pytest.raises(ValueError, match="cannot write the data into .*a-file.*Fix: point CNNLIB_DATA"):
        data.find("fashion-mnist")


def test_the_command_prints_the_fix_not_a_traceback(fake_debian, tmp_path, monkeypatch, capsys):
    assert data.main(["cifar10"]) == 1
    err = capsys.readouterr().err
    assert "dataset must be one of ['fashion-mnist', 'mnist'], got 'cifar10'" in err
    assert "Traceback" not in err
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "a-file" / "data"))
    assert data.main(["fashion-mnist"]) == 1
    assert "Fix: point CNNLIB_DATA" in capsys.readouterr().err
    monkeypatch.setenv("CNNLIB_DATA", str(tmp_path / "store"))
    assert data.main([]) == 0
    assert "fashion-mnist is ready in" in capsys.readouterr().out
