"""The study note's CNN, with its interface and architecture."""

from collections import OrderedDict

import torch
from torch import nn

from cnnlib.checks import check_bool, check_images, check_instance, check_int, check_ints, check_number
from cnnlib.shapes import conv_output_size, pool_output_size

__all__ = [  # the public API: every callable here checks its arguments (tests/test_bad_arguments.py)
    "ConvolutionalNeuralNetworkClass", "MultiLayerPerceptronClass", "GlobalAveragePoolingCNN", "AverageHeadCNN",
    "feature_shape", "init_param", "check_batch", "stage_outputs", "LocallyConnected2d", "LeNet5",
    "ResidualBlock", "ResidualCNN",
]

POOL = 2  # every conv stage ends with a 2x2 max pooling of stride 2


def feature_shape(xdim, ksize, cdims):
    """(C, H, W) after the conv stages, by the formulas; a clear ValueError if a side would vanish."""
    c, h, w = check_xdim(xdim)
    ksize, cdims = check_int("ksize", ksize, 1), check_ints("cdims", cdims, 1)
    for stage, cdim in enumerate(cdims, start=1):
        # padding ksize // 2 keeps the size (odd ksize) or adds one (even): a kernel always fits
        h, w = conv_output_size(h, ksize, 1, ksize // 2), conv_output_size(w, ksize, 1, ksize // 2)
        if min(h, w) < POOL:
            raise ValueError(f"xdim={list(xdim)} is too small for {len(cdims)} conv stages with ksize={ksize}: "
                             f"stage {stage}'s convolution gives {h}x{w} feature maps, too small for its "
                             f"{POOL}x{POOL} max pooling")
        h, w = pool_output_size(h, POOL), pool_output_size(w, POOL)
        c = cdim
    return c, h, w


class ConvolutionalNeuralNetworkClass(nn.Module):
    """Conv stages (conv -> [batch norm] -> ReLU -> 2x2 max pool -> dropout), then fully connected layers."""

    def __init__(self, name="cnn", xdim=(1, 28, 28), ksize=3, cdims=(32, 64), hdims=(1024, 128),
                 ydim=10, USE_BATCHNORM=False, dropout=0.5):
        super().__init__()
        check_bool("USE_BATCHNORM", USE_BATCHNORM)
        self.dropout = check_dropout(dropout)  # the note's 0.5; 0 leaves the Dropout2d layers out
        self.name = name
        self.xdim = check_xdim(xdim)
        self.ksize = check_int("ksize", ksize, 1)
        self.cdims = check_ints("cdims", cdims, 1)
        self.hdims = check_ints("hdims", hdims, 1)
        self.ydim = check_int("ydim", ydim, 1)
        self.USE_BATCHNORM = USE_BATCHNORM

        c, h, w = feature_shape(self.xdim, self.ksize, self.cdims)
        layers = conv_stages(self.xdim[0], self.ksize, self.cdims, USE_BATCHNORM, self.dropout)
        layers.append(nn.Flatten())
        layers += dense_layers(c * h * w, self.hdims, self.ydim)  # the Flatten width, from the formulas
        self.net = named_sequential(layers)
        self.init_param()

    def init_param(self):
        """Kaiming-normal weights and zero biases; batch norm starts as the identity."""
        init_param(self)

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        check_batch(x, self.xdim)
        return self.net(x)


def check_xdim(xdim):
    """xdim as [channels, rows, cols] of positive integers, or a ValueError."""
    if isinstance(xdim, (str, bytes)) or not hasattr(xdim, "__len__") or len(xdim) != 3:
        raise ValueError(f"xdim must be [channels, rows, cols] of positive sizes, got {xdim!r}")
    return check_ints("xdim", xdim, 1)


def check_dropout(p):
    """p as the probability of switching a feature map off, 0 <= p < 1, or a ValueError."""
    number = check_number("dropout", p, low=0)
    if number >= 1:
        raise ValueError(f"dropout must be a probability from 0 (no dropout) up to, not including, 1, got {p!r}")
    return number


def conv_stages(channels, ksize, cdims, use_batchnorm=False, dropout=0.5):
    """Per stage: Conv2d (stride 1, padding ksize//2) -> [BatchNorm2d] -> ReLU -> 2x2 max pooling -> [Dropout2d]."""
    layers = []
    for cdim in cdims:
        layers.append(nn.Conv2d(channels, cdim, kernel_size=ksize, stride=1, padding=ksize // 2))
        if use_batchnorm:
            layers.append(nn.BatchNorm2d(cdim))
        layers += [nn.ReLU(inplace=True), nn.MaxPool2d(kernel_size=POOL, stride=POOL)]
        if dropout > 0:
            layers.append(nn.Dropout2d(p=dropout))
        channels = cdim
    return layers


def dense_layers(features, hdims, ydim):
    """Linear + ReLU per hidden size, then a final Linear without activation."""
    layers = []
    for hdim in hdims:
        layers += [nn.Linear(features, hdim), nn.ReLU(inplace=True)]
        features = hdim
    return layers + [nn.Linear(features, ydim)]


def average_head(channels, ydim):
    """Global average pooling, then one Linear layer: (N, C, H, W) -> (N, C, 1, 1) -> (N, C) -> (N, ydim)."""
    return [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, ydim)]


def named_sequential(layers):
    """An nn.Sequential whose modules are named as in the note: conv2d_00, relu_01, ..."""
    net = nn.Sequential()
    for idx, layer in enumerate(layers):
        net.add_module(f"{type(layer).__name__.lower()}_{idx:02d}", layer)
    return net


def init_param(model):
    """Kaiming-normal weights and zero biases for conv and linear layers; batch norm as the identity."""
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight)
            nn.init.zeros_(m.bias)
        elif isinstance(m, nn.BatchNorm2d):
            nn.init.constant_(m.weight, 1)
            nn.init.constant_(m.bias, 0)


def check_batch(x, xdim):
    """Raise a ValueError unless x is a batch (N, *xdim)."""
    if isinstance(x, torch.fx.Proxy):
        return  # torch.fx is reading the forward method (shapes.network_graph): x stands for any batch
    if not isinstance(x, torch.Tensor):
        raise ValueError(f"x must be a tensor batch shaped (N, {', '.join(map(str, xdim))}), got {type(x).__name__}")
    if x.dim() != 4 or list(x.shape[1:]) != list(xdim):
        raise ValueError(f"x must be a batch shaped (N, {', '.join(map(str, xdim))}), "
                         f"got {tuple(x.shape)}; add a batch axis with x.unsqueeze(0) for one image")


class MultiLayerPerceptronClass(nn.Module):
    """A perceptron network for the same images: flatten, then Linear + ReLU per hidden size, then a final Linear."""

    def __init__(self, name="mlp", xdim=(1, 28, 28), hdims=(3072, 256), ydim=10):
        super().__init__()
        self.name, self.xdim = name, check_xdim(xdim)
        self.hdims, self.ydim = check_ints("hdims", hdims, 1), check_int("ydim", ydim, 1)
        features = self.xdim[0] * self.xdim[1] * self.xdim[2]
        self.net = named_sequential([nn.Flatten(), *dense_layers(features, self.hdims, self.ydim)])
        init_param(self)

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        check_batch(x, self.xdim)
        return self.net(x)


class GlobalAveragePoolingCNN(nn.Module):
    """A deeper all-convolutional network: stages of 3x3 convolutions, then global average pooling.

    Each stage holds `depth` times (Conv2d -> BatchNorm2d -> ReLU), all at one width from
    `cdims`; a 2x2 max pooling halves the maps between stages. After the last stage every
    feature map is averaged to one number, and one Linear layer turns those numbers into
    class scores: no flattening, no large fully connected layers, no dropout.
    """

    def __init__(self, name="gap-cnn", xdim=(1, 28, 28), ksize=3, cdims=(16, 32, 64), depth=2, ydim=10):
        super().__init__()
        self.name, self.xdim, self.ksize = name, check_xdim(xdim), check_int("ksize", ksize, 1)
        self.cdims, self.ydim = check_ints("cdims", cdims, 1), check_int("ydim", ydim, 1)
        self.depth = check_int("depth", depth, 1)
        feature_shape(self.xdim, self.ksize, self.cdims[:-1])  # the pooled maps must not vanish
        channels, layers = self.xdim[0], []
        for stage, cdim in enumerate(self.cdims):
            if stage > 0:
                layers.append(nn.MaxPool2d(kernel_size=POOL, stride=POOL))  # (C, H, W) -> (C, H/2, W/2)
            for _ in range(self.depth):
                layers += [nn.Conv2d(channels, cdim, kernel_size=self.ksize, padding=self.ksize // 2),
                           nn.BatchNorm2d(cdim), nn.ReLU(inplace=True)]
                channels = cdim
        layers += average_head(channels, self.ydim)
        self.net = named_sequential(layers)
        init_param(self)

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        check_batch(x, self.xdim)
        return self.net(x)


class AverageHeadCNN(nn.Module):
    """The note's conv stages (dropout included), then a global-average-pooling head instead of flatten and dense layers.

    Every last feature map is averaged to one number and one Linear layer turns those
    numbers into class scores, as in GlobalAveragePoolingCNN: the note's network with only
    its head changed.
    """

    def __init__(self, name="cnn-average-head", xdim=(1, 28, 28), ksize=3, cdims=(32, 64), ydim=10, dropout=0.5):
        super().__init__()
        self.name, self.xdim, self.ksize = name, check_xdim(xdim), check_int("ksize", ksize, 1)
        self.cdims, self.ydim = check_ints("cdims", cdims, 1), check_int("ydim", ydim, 1)
        self.dropout = check_dropout(dropout)
        feature_shape(self.xdim, self.ksize, self.cdims)  # the pooled maps must not vanish
        layers = conv_stages(self.xdim[0], self.ksize, self.cdims, dropout=self.dropout)
        layers += average_head(self.cdims[-1], self.ydim)
        self.net = named_sequential(layers)
        init_param(self)

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        check_batch(x, self.xdim)
        return self.net(x)


class LocallyConnected2d(nn.Module):
    """A convolution without weight sharing: each output position has its own C_out kernels.

    It looks at the same K x K neighbourhoods as nn.Conv2d(c_in, c_out, k, padding=padding),
    but learns separate weights at each of the O_h x O_w positions.
    """

    def __init__(self, c_in, c_out, k, in_h, in_w, padding=0):
        super().__init__()
        self.c_in, self.c_out = check_int("c_in", c_in, 1), check_int("c_out", c_out, 1)
        self.k, self.padding = check_int("k", k, 1), check_int("padding", padding, 0)
        self.in_h, self.in_w = check_int("in_h", in_h, 1), check_int("in_w", in_w, 1)
        self.out_h = conv_output_size(self.in_h, self.k, 1, self.padding)
        self.out_w = conv_output_size(self.in_w, self.k, 1, self.padding)
        positions = self.out_h * self.out_w
        self.weight = nn.Parameter(torch.randn(positions, self.c_out, self.c_in * self.k * self.k)
                                   * (2 / (self.c_in * self.k * self.k)) ** 0.5)  # He, as init_param
        self.bias = nn.Parameter(torch.zeros(self.c_out, self.out_h, self.out_w))

    def forward(self, x):
        """x: (N, C_in, H, W). Returns (N, C_out, O_h, O_w)."""
        check_images("x", x)
        if x.shape[1:] != (self.c_in, self.in_h, self.in_w):
            raise ValueError(f"x must be shaped (N, {self.c_in}, {self.in_h}, {self.in_w}), got {tuple(x.shape)}")
        windows = nn.functional.unfold(x, self.k, padding=self.padding)  # (N, C_in*K*K, O_h*O_w)
        out = torch.einsum("pof,nfp->nop", self.weight, windows)         # (N, C_out, O_h*O_w)
        return out.reshape(len(x), self.c_out, self.out_h, self.out_w) + self.bias


def stage_outputs(model, x):
    """The feature maps after each conv stage (after its pooling) for images x (N, C, H, W)."""
    check_instance("model", model, nn.Module, "a torch.nn.Module")
    check_images("x", x)
    maps = []
    hooks = [m.register_forward_hook(lambda m, i, o: maps.append(o.detach().float().cpu()))
             for m in model.modules() if isinstance(m, nn.MaxPool2d)]
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            model(x)
    finally:
        model.train(was_training)
        for h in hooks:
            h.remove()
    return maps


class LeNet5(nn.Module):
    """LeNet-5 (LeCun et al., 1998) as it is usually rebuilt: two 5x5 conv + average-pool stages, three dense layers.

    C1: 6 kernels 5x5 -> tanh -> S2: 2x2 average pooling -> C3: 16 kernels 5x5 -> tanh -> S4: 2x2
    average pooling -> flatten -> C5: 120 -> F6: 84 -> ydim, tanh between. (C5 was a 5x5
    convolution over S4's 5x5 maps, which is the same as a Linear layer on their 400 values.) The original took 32x32 images;
    `padding=2` on C1 gives 28x28 images the same 28x28 maps. Two details of 1998 are left out:
    C3's kernels saw only some of S2's maps, and S2 and S4 learned a scale and a bias per map.
    """

    def __init__(self, name="lenet-5", xdim=(1, 32, 32), ydim=10, padding=0):
        super().__init__()
        self.name, self.xdim, self.ydim = name, check_xdim(xdim), check_int("ydim", ydim, 1)
        self.padding = check_int("padding", padding, 0)
        c, h, w = self.xdim
        h, w = (conv_output_size(v, 5, 1, self.padding) // 2 for v in (h, w))  # C1 and S2
        if min(h, w) < 5:
            raise ValueError(f"xdim={list(xdim)} is too small for LeNet-5: C3's 5x5 kernels meet {h}x{w} maps")
        h, w = (conv_output_size(v, 5) // 2 for v in (h, w))                     # C3 and S4
        self.net = nn.Sequential(OrderedDict([  # the 1998 paper's names: C convolution, S subsampling, F full
            ("c1", nn.Conv2d(c, 6, 5, padding=self.padding)), ("tanh1", nn.Tanh()), ("s2", nn.AvgPool2d(2)),
            ("c3", nn.Conv2d(6, 16, 5)), ("tanh3", nn.Tanh()), ("s4", nn.AvgPool2d(2)), ("flatten", nn.Flatten()),
            ("c5", nn.Linear(16 * h * w, 120)), ("tanh5", nn.Tanh()), ("f6", nn.Linear(120, 84)),
            ("tanh6", nn.Tanh()), ("output", nn.Linear(84, self.ydim))]))

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        check_batch(x, self.xdim)
        return self.net(x)


class ResidualBlock(nn.Module):
    """Two 3x3 convolutions with batch norm; with `skip`, the block's input is added to their result.

    x -> conv -> BN -> ReLU -> conv -> BN -> (+ x) -> ReLU. Where the block halves the maps
    (stride 2) or changes the channels, x cannot be added as it is: a 1x1 convolution with
    that stride (and its batch norm) brings it to the new shape, as in ResNet.
    """

    def __init__(self, c_in, c_out, stride=1, skip=True):
        super().__init__()
        c_in, c_out = check_int("c_in", c_in, 1), check_int("c_out", c_out, 1)
        stride, self.skip = check_int("stride", stride, 1, 2), check_bool("skip", skip)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride=stride, padding=1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.relu = nn.ReLU()
        self.shortcut = None
        if skip and (stride != 1 or c_in != c_out):
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride=stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        """x: (N, C_in, H, W). Returns (N, C_out, H / stride, W / stride)."""
        out = self.bn2(self.conv2(self.relu(self.bn1(self.conv1(x)))))
        if self.skip:
            out = out + (x if self.shortcut is None else self.shortcut(x))
        return self.relu(out)


class ResidualCNN(nn.Module):
    """A deep CNN of residual blocks, or with skip=False the same layers without the skip connections.

    A 3x3 convolution (BN, ReLU) to cdims[0] channels, then per width in `cdims` `blocks`
    ResidualBlocks (the first of each later stage halves the maps), global average pooling
    and one Linear layer. Weight layers: 1 + 2 * blocks * len(cdims) + 1 (the shortcuts' 1x1
    convolutions not counted), so blocks=3 with three widths is a 20-layer network.
    """

    def __init__(self, name="resnet", xdim=(1, 28, 28), cdims=(16, 32, 64), blocks=3, ydim=10, skip=True):
        super().__init__()
        self.name, self.xdim, self.ydim = name, check_xdim(xdim), check_int("ydim", ydim, 1)
        self.cdims, self.blocks = check_ints("cdims", cdims, 1), check_int("blocks", blocks, 1)
        self.skip = check_bool("skip", skip)
        layers = [("conv", nn.Conv2d(self.xdim[0], self.cdims[0], 3, stride=2, padding=1, bias=False)),
                  ("bn", nn.BatchNorm2d(self.cdims[0])), ("relu", nn.ReLU())]
        channels = self.cdims[0]
        for stage, cdim in enumerate(self.cdims, start=1):
            for block in range(1, self.blocks + 1):
                stride = 2 if stage > 1 and block == 1 else 1  # the first block of a later stage halves the maps
                layers.append((f"block{stage}_{block}", ResidualBlock(channels, cdim, stride, self.skip)))
                channels = cdim
        head = average_head(channels, self.ydim)
        self.net = nn.Sequential(OrderedDict(layers + list(zip(["pool", "flatten", "fc"], head))))
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")

    @property
    def depth(self):
        """The weight layers on the longest path: the first convolution, two per block, the last Linear."""
        return 2 + 2 * self.blocks * len(self.cdims)

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        check_batch(x, self.xdim)
        return self.net(x)
