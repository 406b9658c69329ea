"""The study note's CNN, with its interface and architecture."""

from torch import nn

from cnnlib.shapes import conv_output_size, pool_output_size

POOL = 2  # every conv stage ends with a 2x2 max pooling of stride 2


def feature_shape(xdim, ksize, cdims):
    """(C, H, W) after the conv stages, by the formulas; a clear ValueError if a side would vanish."""
    c, h, w = xdim
    for stage, cdim in enumerate(cdims, start=1):
        try:
            h = conv_output_size(h, ksize, 1, ksize // 2)
            w = conv_output_size(w, ksize, 1, ksize // 2)
            h, w = pool_output_size(h, POOL), pool_output_size(w, POOL)
        except ValueError as err:
            raise ValueError(
                f"xdim={list(xdim)} is too small for {len(cdims)} conv stages with ksize={ksize}: "
                f"at stage {stage} the feature map would fall below 1x1 ({err})"
            ) from None
        c = cdim
    return c, h, w


class ConvolutionalNeuralNetworkClass(nn.Module):
    """Conv stages (conv -> [batch norm] -> ReLU -> 2x2 max pool -> dropout), then fully connected layers."""

    def __init__(self, name="cnn", xdim=(1, 28, 28), ksize=3, cdims=(32, 64), hdims=(1024, 128),
                 ydim=10, USE_BATCHNORM=False):
        super().__init__()
        if len(xdim) != 3 or any(int(d) < 1 for d in xdim):
            raise ValueError(f"xdim must be [channels, rows, cols] of positive sizes, got {xdim!r}")
        if ksize < 1:
            raise ValueError(f"ksize must be >= 1, got {ksize}")
        self.name = name
        self.xdim = list(xdim)
        self.ksize = ksize
        self.cdims = list(cdims)
        self.hdims = list(hdims)
        self.ydim = ydim
        self.USE_BATCHNORM = USE_BATCHNORM

        layers = []
        prev_cdim = self.xdim[0]
        for cdim in self.cdims:
            layers.append(nn.Conv2d(prev_cdim, cdim, kernel_size=ksize, stride=1, padding=ksize // 2))
            if USE_BATCHNORM:
                layers.append(nn.BatchNorm2d(cdim))
            layers.append(nn.ReLU(inplace=True))
            layers.append(nn.MaxPool2d(kernel_size=POOL, stride=POOL))
            layers.append(nn.Dropout2d(p=0.5))
            prev_cdim = cdim

        layers.append(nn.Flatten())
        c, h, w = feature_shape(self.xdim, ksize, self.cdims)
        prev_hdim = c * h * w  # the Flatten width, from the formulas
        for hdim in self.hdims:
            layers.append(nn.Linear(prev_hdim, hdim))
            layers.append(nn.ReLU(inplace=True))
            prev_hdim = hdim
        layers.append(nn.Linear(prev_hdim, ydim))  # final layer, no activation

        self.net = nn.Sequential()
        for idx, layer in enumerate(layers):
            self.net.add_module(f"{type(layer).__name__.lower()}_{idx:02d}", layer)
        self.init_param()

    def init_param(self):
        """Kaiming-normal weights and zero biases; batch norm starts as the identity."""
        for m in self.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                nn.init.kaiming_normal_(m.weight)
                nn.init.zeros_(m.bias)
            elif isinstance(m, nn.BatchNorm2d):
                nn.init.constant_(m.weight, 1)
                nn.init.constant_(m.bias, 0)

    def forward(self, x):
        """x: (N, C, H, W) with (C, H, W) = xdim. Returns class scores (N, ydim)."""
        if x.dim() != 4 or list(x.shape[1:]) != self.xdim:
            raise ValueError(f"x must be a batch shaped (N, {', '.join(map(str, self.xdim))}), "
                             f"got {tuple(x.shape)}; add a batch axis with x.unsqueeze(0) for one image")
        return self.net(x)
