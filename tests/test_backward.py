"""The backward pass written out by hand gives autograd's gradients, layer by layer and through a network."""

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from cnnlib import backward
from tests.test_conv import random_conv_case


def test_the_input_gradient_of_a_convolution_is_autograds_over_300_random_cases():
    gen = torch.Generator().manual_seed(7)
    for _ in range(300):
        x, w, b, stride, padding = random_conv_case(gen)
        xg = x.clone().requires_grad_()
        y = F.conv2d(xg[None], w, b, stride=stride, padding=padding)[0]
        error = torch.randn(y.shape, generator=gen, dtype=x.dtype)
        y.backward(error)
        ours = backward.conv_input_gradient(error, w, tuple(x.shape), stride, padding)
        torch.testing.assert_close(ours, xg.grad)
        if stride == 1 and padding < w.shape[2]:  # the full convolution with the turned kernels
            torch.testing.assert_close(backward.full_convolution(error, w, padding), xg.grad)


def random_pool_case(gen):
    """A random input (C, H, W) that requires a gradient, a window that fits it and a stride."""
    c, h, w = (int(v) for v in torch.randint(1, 9, (3,), generator=gen))
    k = int(torch.randint(1, min(h, w) + 1, (1,), generator=gen))
    stride = int(torch.randint(1, 4, (1,), generator=gen))
    return torch.randn(c, h, w, generator=gen, dtype=torch.float64).requires_grad_(), k, stride


def test_max_pooling_sends_each_error_to_the_winner_over_300_random_cases():
    gen = torch.Generator().manual_seed(8)
    for _ in range(300):
        x, k, stride = random_pool_case(gen)
        y = F.max_pool2d(x[None], k, stride)[0]
        error = torch.randn(y.shape, generator=gen, dtype=x.dtype)
        y.backward(error)
        torch.testing.assert_close(backward.max_pool_gradient(x.detach(), error, k, stride), x.grad)


def test_on_a_tie_the_first_maximum_takes_the_error_as_in_pytorch():
    x = torch.zeros(1, 2, 2, requires_grad=True)  # after a ReLU, whole windows are often 0
    F.max_pool2d(x[None], 2)[0].backward(torch.tensor([[[1.0]]]))
    ours = backward.max_pool_gradient(x.detach(), torch.tensor([[[1.0]]]))
    assert torch.equal(ours, x.grad) and ours[0, 0, 0] == 1 and ours.sum() == 1


def test_relu_passes_the_error_only_where_the_input_was_positive():
    x = torch.tensor([-1.0, 0.0, 2.0], requires_grad=True)
    torch.relu(x).backward(torch.tensor([5.0, 5.0, 5.0]))
    ours = backward.relu_gradient(x.detach(), torch.tensor([5.0, 5.0, 5.0]))
    assert torch.equal(ours, x.grad) and ours.tolist() == [0.0, 0.0, 5.0]


def test_linear_gradients_are_the_perceptron_rule_and_autograds():
    gen = torch.Generator().manual_seed(9)
    layer = nn.Linear(6, 4).double()
    x = torch.randn(6, generator=gen, dtype=torch.float64).requires_grad_()
    error = torch.randn(4, generator=gen, dtype=torch.float64)
    layer(x).backward(error)
    dx, dw, db = backward.linear_gradients(x.detach(), layer.weight.detach(), error)
    torch.testing.assert_close(dx, x.grad)
    torch.testing.assert_close(dw, layer.weight.grad)
    torch.testing.assert_close(db, layer.bias.grad)
    assert dw[2, 3] == error[2] * x[3]  # one weight: its output's error times its input


def test_the_cross_entropy_gradient_is_probabilities_minus_one_hot():
    gen = torch.Generator().manual_seed(10)
    for label in range(5):
        scores = torch.randn(5, generator=gen, dtype=torch.float64).requires_grad_()
        F.cross_entropy(scores[None], torch.tensor([label])).backward()
        ours = backward.cross_entropy_gradient(scores.detach(), label)
        torch.testing.assert_close(ours, scores.grad)
        assert abs(float(ours.sum())) < 1e-12  # the probabilities sum to 1, the one-hot too


@pytest.mark.parametrize("stride, padding, pool", [(1, 1, 2), (2, 0, 2), (1, 0, 3)])
def test_backpropagate_through_a_whole_stage_matches_loss_backward(stride, padding, pool):
    torch.manual_seed(stride + 10 * padding + pool)
    conv = nn.Conv2d(2, 3, 3, stride=stride, padding=padding)
    with torch.no_grad():
        side = F.max_pool2d(conv(torch.zeros(1, 2, 12, 12)), pool).shape[-1]
    net = nn.Sequential(conv, nn.ReLU(), nn.MaxPool2d(pool), nn.Flatten(), nn.Linear(3 * side * side, 4))
    image = torch.randn(2, 12, 12)
    loss, steps = backward.backpropagate(net, image, 1)
    x = image[None].clone().requires_grad_()
    reference = F.cross_entropy(net(x), torch.tensor([1]))
    reference.backward()
    assert abs(loss - reference.item()) < 1e-5
    assert [step.name for step in steps] == ["4", "3", "2", "1", "0"]  # last layer first
    layers = dict(net.named_children())
    for step in steps:
        if step.weight_gradient is not None:
            torch.testing.assert_close(step.weight_gradient, layers[step.name].weight.grad)
            torch.testing.assert_close(step.bias_gradient, layers[step.name].bias.grad)
    torch.testing.assert_close(steps[-1].input_gradient, x.grad[0])
    for upper, lower in zip(steps, steps[1:]):  # what one layer hands down is the next one's error
        assert torch.equal(upper.input_gradient, lower.error)


@pytest.mark.parametrize("model, words", [
    (nn.Sequential(nn.Conv2d(1, 2, 3), nn.Tanh(), nn.Flatten(), nn.Linear(2, 2)), "Tanh"),
    (nn.Sequential(nn.Conv2d(1, 2, 3, dilation=2), nn.Flatten(), nn.Linear(2, 2)), "dilation"),
    (nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2, padding=1)), "padding"),
    (nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU()), "class scores"),
    (nn.Linear(4, 2), "nn.Sequential"),
])
def test_a_network_the_book_cannot_walk_back_through_is_refused_with_the_reason(model, words):
    with pytest.raises(ValueError, match=words):
        backward.backpropagate(model, torch.zeros(1, 4, 4), 0)


def test_average_pooling_shares_each_error_equally_over_300_random_cases():
    from cnnlib import conv
    gen = torch.Generator().manual_seed(12)
    for _ in range(300):
        x, k, stride = random_pool_case(gen)
        y = F.avg_pool2d(x[None], k, stride)[0]
        torch.testing.assert_close(conv.avg_pool2d(x.detach(), k, stride), y.detach())
        error = torch.randn(y.shape, generator=gen, dtype=x.dtype)
        y.backward(error)
        torch.testing.assert_close(backward.avg_pool_gradient(tuple(x.shape), error, k, stride), x.grad)
