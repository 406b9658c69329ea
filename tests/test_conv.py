"""The stamp-loop convolution and pooling give PyTorch's numbers."""

import pytest
import torch
import torch.nn.functional as F

from cnnlib import conv


def random_conv_case(gen):
    """A random (x, w, b, stride, padding) whose kernel fits the padded input."""
    c = int(torch.randint(1, 4, (1,), generator=gen))
    k = int(torch.randint(1, 4, (1,), generator=gen))
    n = int(torch.randint(1, 5, (1,), generator=gen))
    stride = int(torch.randint(1, 4, (1,), generator=gen))
    padding = int(torch.randint(0, 3, (1,), generator=gen))
    low = max(1, n - 2 * padding)
    h = int(torch.randint(low, 10, (1,), generator=gen))
    w = int(torch.randint(low, 10, (1,), generator=gen))
    x = torch.randn(c, h, w, generator=gen, dtype=torch.float64)
    kernels = torch.randn(k, c, n, n, generator=gen, dtype=torch.float64)
    bias = torch.randn(k, generator=gen, dtype=torch.float64) if k % 2 else None
    return x, kernels, bias, stride, padding


def test_conv2d_matches_pytorch_on_500_random_cases():
    gen = torch.Generator().manual_seed(0)
    settings = set()
    for _ in range(500):
        x, w, b, stride, padding = random_conv_case(gen)
        ours = conv.conv2d(x, w, b, stride=stride, padding=padding)
        theirs = F.conv2d(x[None], w, b, stride=stride, padding=padding)[0]
        assert ours.shape == theirs.shape
        torch.testing.assert_close(ours, theirs)
        settings.add((stride > 1, padding > 0, x.shape[1] != x.shape[2], x.shape[0] > 1, w.shape[0] > 1))
    assert len(settings) >= 24  # the random cases really mix stride, padding, shapes, channels, kernels


def test_max_pool2d_matches_pytorch_on_500_random_cases():
    gen = torch.Generator().manual_seed(1)
    for _ in range(500):
        size = int(torch.randint(1, 4, (1,), generator=gen))
        stride = int(torch.randint(1, 4, (1,), generator=gen))
        padding = int(torch.randint(0, size // 2 + 1, (1,), generator=gen))
        c = int(torch.randint(1, 4, (1,), generator=gen))
        low = max(1, size - 2 * padding)
        h, w = (int(torch.randint(low, 10, (1,), generator=gen)) for _ in range(2))
        x = torch.randn(c, h, w, generator=gen)
        ours = conv.max_pool2d(x, size, stride, padding)
        theirs = F.max_pool2d(x[None], size, stride, padding)[0]
        torch.testing.assert_close(ours, theirs)


def test_stamps_hold_the_window_products_and_sum():
    x = torch.arange(49.0).reshape(1, 7, 7)
    w = torch.tensor([[[[1.0, 0, -1], [1, 0, -1], [1, 0, -1]]]])
    all_stamps = list(conv.stamps(x, w, torch.tensor([0.5]), stride=2, padding=1))
    assert len(all_stamps) == 4 * 4  # O = (7 - 3 + 2) // 2 + 1 = 4
    s = all_stamps[5]  # second row, second column
    assert (s.row, s.col, s.top, s.left) == (1, 1, 2, 2)
    torch.testing.assert_close(s.window, conv.pad(x, 1)[:, 2:5, 2:5])
    torch.testing.assert_close(s.products, s.window * w[0])
    assert s.total == pytest.approx(float(s.products.sum()) + 0.5)
    assert s.channel_sums.shape == (1,)


def test_stamps_go_kernel_by_kernel_in_reading_order():
    x = torch.randn(2, 5, 6)
    w = torch.randn(3, 2, 3, 3)
    order = [(s.kernel, s.row, s.col) for s in conv.stamps(x, w)]
    assert order == sorted(order)
    assert len(order) == 3 * 3 * 4


def test_pad_surrounds_with_zeros():
    x = torch.ones(2, 3, 4)
    p = conv.pad(x, 2)
    assert p.shape == (2, 7, 8)
    assert p.sum() == x.sum()
    assert p[:, :2].abs().sum() == 0 and p[:, :, -2:].abs().sum() == 0


@pytest.mark.parametrize("kwargs, message", [
    (dict(x=torch.zeros(1, 3, 3), w=torch.zeros(1, 1, 5, 5)), "larger than the padded input"),
    (dict(x=torch.zeros(1, 7, 7), w=torch.zeros(1, 1, 3, 3), stride=0), "stride must be >= 1"),
    (dict(x=torch.zeros(1, 7, 7), w=torch.zeros(1, 1, 3, 3), padding=-1), "padding must be >= 0"),
    (dict(x=torch.zeros(3, 7, 7), w=torch.zeros(1, 1, 3, 3)), "x has 3 channels"),
    (dict(x=torch.zeros(7, 7), w=torch.zeros(1, 1, 3, 3)), "x must have 3 dimensions"),
    (dict(x=torch.zeros(1, 7, 7), w=torch.zeros(1, 3, 3)), "w must be a tensor of kernels"),
    (dict(x=torch.zeros(1, 7, 7), w=torch.zeros(2, 1, 3, 3), b=torch.zeros(3)), "b must be a tensor of 2"),
    (dict(x=torch.zeros(1, 7, 7), w=torch.zeros(1, 1, 3, 3), stride=1.5), "stride must be an integer"),
])
def test_bad_input_raises_a_value_error_naming_the_argument(kwargs, message):
    with pytest.raises(ValueError, match=message):
        conv.conv2d(**kwargs)
    with pytest.raises(ValueError, match=message):
        next(conv.stamps(**kwargs))


def test_kernel_that_fits_only_thanks_to_padding_is_accepted():
    x, w = torch.randn(1, 3, 3), torch.randn(1, 1, 5, 5)
    torch.testing.assert_close(conv.conv2d(x, w, padding=1), F.conv2d(x[None], w, padding=1)[0])


def test_max_pool2d_rejects_padding_over_half_the_window():
    with pytest.raises(ValueError, match="padding must be between 0 and 1"):
        conv.max_pool2d(torch.zeros(1, 4, 4), kernel_size=2, padding=2)


@pytest.mark.parametrize("mode", ["reflect", "replicate"])
@pytest.mark.parametrize("padding", [1, 2, 3])
def test_reflect_and_replicate_padding_agree_with_pytorch(mode, padding):
    x = torch.randn(2, 5, 4, generator=torch.Generator().manual_seed(padding))
    expected = torch.nn.functional.pad(x[None], (padding,) * 4, mode=mode)[0]
    assert torch.equal(conv.pad(x, padding, mode=mode), expected)


@pytest.mark.parametrize("mode", ["zeros", "reflect", "replicate"])
def test_a_padded_convolution_matches_nn_conv2d_with_that_padding_mode(mode):
    gen = torch.Generator().manual_seed(0)
    x, w = torch.randn(3, 6, 6, generator=gen), torch.randn(2, 3, 3, 3, generator=gen)
    layer = torch.nn.Conv2d(3, 2, 3, padding=1, padding_mode=mode, bias=False)
    layer.weight.data = w
    ours = conv.conv2d(conv.pad(x, 1, mode=mode), w)
    assert torch.allclose(ours, layer(x[None])[0].detach(), atol=1e-5)


def test_kernel_gradient_matches_autograd_over_many_random_cases():
    gen = torch.Generator().manual_seed(0)
    for case in range(60):
        c_in, c_out = (int(v) for v in torch.randint(1, 4, (2,), generator=gen))
        k = int(torch.randint(1, 5, (1,), generator=gen))
        stride, padding = int(torch.randint(1, 4, (1,), generator=gen)), int(torch.randint(0, 3, (1,), generator=gen))
        size = int(torch.randint(k, 10, (1,), generator=gen))
        x = torch.randn(c_in, size, size + 1, generator=gen, dtype=torch.float64)
        w = torch.randn(c_out, c_in, k, k, generator=gen, dtype=torch.float64, requires_grad=True)
        out = F.conv2d(x[None], w, stride=stride, padding=padding)[0]  # (C_out, O_h, O_w)
        error = torch.randn(out.shape, generator=gen, dtype=torch.float64)
        (out * error).sum().backward()  # a loss whose gradient with respect to the output is `error`
        ours = conv.kernel_gradient(x, error, k, stride, padding)
        assert torch.allclose(ours, w.grad, atol=1e-10), (case, c_in, c_out, k, stride, padding, size)


def test_kernel_gradient_is_a_convolution_of_the_input_with_the_error():
    gen = torch.Generator().manual_seed(1)
    x, error = torch.randn(1, 7, 7, generator=gen), torch.randn(1, 5, 5, generator=gen)
    as_conv = conv.conv2d(x, error[None])  # the error map used as a 5x5 kernel over the input: (1, 3, 3)
    assert torch.allclose(conv.kernel_gradient(x, error, 3)[0, 0], as_conv[0], atol=1e-5)


def test_gradient_descent_recovers_the_kernel_that_made_the_targets():
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 10, (6, 1, 7, 7), generator=gen).float()
    true = conv.classic_kernels()["vertical edge"][None, None]  # (1, 1, 3, 3)
    targets = torch.stack([conv.conv2d(image, true) for image in x])
    history = conv.learn_kernel(x, targets, 3, steps=60, lr=0.005)
    losses = [loss for loss, _ in history]
    assert len(history) == 61 and losses[-1] < 1e-3 * losses[0]
    assert all(later < earlier for earlier, later in zip(losses, losses[1:]))  # every step helps at this rate
    assert torch.allclose(history[-1][1], true, atol=0.05)
    assert not torch.allclose(history[0][1], true, atol=0.5)  # it did not start there


@pytest.mark.parametrize("case", range(6))
def test_the_largest_stable_learning_rate_is_two_over_the_largest_curvature(case):
    # Against autograd's Hessian of learn_kernel's loss, in float64, on random images and kernel sizes.
    gen = torch.Generator().manual_seed(case)
    k = int(torch.randint(1, 5, (), generator=gen))
    x = torch.randn(int(torch.randint(1, 4, (), generator=gen)), 1, 7, 6, generator=gen)
    target = torch.randn(len(x), 1, 8 - k, 7 - k, generator=gen, dtype=torch.float64)

    def loss(w):
        out = torch.nn.functional.conv2d(x.double(), w.reshape(1, 1, k, k))
        return ((out - target) ** 2).mean()

    hessian = torch.autograd.functional.hessian(loss, torch.zeros(k * k, dtype=torch.float64))
    expected = 2 / torch.linalg.eigvalsh(hessian)[-1].item()
    assert conv.largest_stable_lr(x, k) == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("k", [3, 5])
def test_learn_kernel_converges_just_below_the_largest_stable_rate_and_diverges_just_above(k):
    gen = torch.Generator().manual_seed(0)
    x = torch.randint(0, 10, (6, 1, 7, 7), generator=gen).float()
    targets = torch.stack([conv.conv2d(image, torch.randn(1, 1, k, k, generator=gen)) for image in x])
    bound = conv.largest_stable_lr(x, k)
    below = [loss for loss, _ in conv.learn_kernel(x, targets, k, steps=40, lr=0.9 * bound)]
    above = [loss for loss, _ in conv.learn_kernel(x, targets, k, steps=40, lr=1.1 * bound)]
    assert below[-1] < below[0] and above[-1] > 10 * above[0]


def test_the_convolution_matrix_times_the_flat_input_is_conv2d_over_300_random_cases():
    gen = torch.Generator().manual_seed(5)
    for _ in range(300):
        x, w, b, stride, padding = random_conv_case(gen)
        matrix = conv.conv_matrix(w, tuple(x.shape), stride, padding)   # (C_out*O_h*O_w, C_in*H*W)
        theirs = F.conv2d(x[None], w, None, stride=stride, padding=padding)[0]
        assert matrix.shape == (theirs.numel(), x.numel())
        torch.testing.assert_close((matrix @ x.flatten()).reshape(theirs.shape), theirs)


def test_the_convolution_matrix_is_mostly_zeros_and_repeats_the_kernel():
    kernel = torch.arange(1.0, 10.0).reshape(1, 1, 3, 3)             # 9 different weights
    matrix = conv.conv_matrix(kernel, (1, 7, 7))
    assert matrix.shape == (25, 49)
    assert int((matrix != 0).sum()) == 25 * 9                        # 9 weights per row, 1,000 zeros
    assert torch.equal(matrix[matrix != 0].unique(), torch.arange(1.0, 10.0))
    assert torch.equal(matrix[0, :3], torch.tensor([1.0, 2.0, 3.0]))  # the first stamp's top row
    assert torch.equal(matrix[1, 1:4], torch.tensor([1.0, 2.0, 3.0]))  # one step right: one column right
    padded = conv.conv_matrix(kernel, (1, 7, 7), padding=1)
    assert padded.shape == (49, 49) and int((padded != 0).sum()) == 19 * 19  # weights on padding drop out


def test_patches_are_torch_unfold_and_their_product_is_conv2d_over_300_random_cases():
    gen = torch.Generator().manual_seed(6)
    for _ in range(300):
        x, w, b, stride, padding = random_conv_case(gen)
        rows = conv.patches(x, w.shape[2], stride, padding)
        torch.testing.assert_close(rows, F.unfold(x[None], w.shape[2], padding=padding, stride=stride)[0].T)
        torch.testing.assert_close(conv.conv2d_as_product(x, w, b, stride, padding),
                                   F.conv2d(x[None], w, b, stride=stride, padding=padding)[0])
