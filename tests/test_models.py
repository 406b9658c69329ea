"""The study note's ConvolutionalNeuralNetworkClass."""

import pytest
import torch
from torch import nn

from cnnlib.models import ConvolutionalNeuralNetworkClass
from cnnlib.shapes import layer_table


def test_default_model_has_the_notes_parameter_count():
    model = ConvolutionalNeuralNetworkClass()
    assert sum(p.numel() for p in model.parameters()) == 3_363_594


def test_layers_are_named_and_ordered_as_in_the_note():
    names = [n for n, _ in ConvolutionalNeuralNetworkClass().net.named_children()]
    assert names == ["conv2d_00", "relu_01", "maxpool2d_02", "dropout2d_03",
                     "conv2d_04", "relu_05", "maxpool2d_06", "dropout2d_07",
                     "flatten_08", "linear_09", "relu_10", "linear_11", "relu_12", "linear_13"]
    bn = [n for n, _ in ConvolutionalNeuralNetworkClass(USE_BATCHNORM=True).net.named_children()]
    assert bn[:3] == ["conv2d_00", "batchnorm2d_01", "relu_02"]


def test_conv_padding_keeps_the_size_and_dropout_is_half():
    model = ConvolutionalNeuralNetworkClass(ksize=5)
    conv = model.net.conv2d_00
    assert conv.padding == (2, 2) and conv.stride == (1, 1)
    assert model.net.dropout2d_03.p == 0.5


def test_initialisation_zero_biases_and_kaiming_scale():
    torch.manual_seed(0)
    model = ConvolutionalNeuralNetworkClass(USE_BATCHNORM=True)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            assert torch.count_nonzero(m.bias) == 0
        if isinstance(m, nn.BatchNorm2d):
            assert torch.all(m.weight == 1) and torch.all(m.bias == 0)
    for fc in (m for m in model.modules() if isinstance(m, nn.Linear)):  # Kaiming normal: std = sqrt(2 / fan_in)
        assert fc.weight.std().item() == pytest.approx((2 / fc.in_features) ** 0.5, rel=0.1)


@pytest.mark.parametrize("xdim, ksize, cdims", [
    ([1, 28, 28], 3, [32, 64]), ([3, 32, 32], 5, [16, 32, 64]), ([1, 20, 36], 4, [8]), ([2, 9, 9], 7, [4, 4]),
])
def test_other_sizes_work_and_agree_with_the_formulas(xdim, ksize, cdims):
    model = ConvolutionalNeuralNetworkClass(xdim=xdim, ksize=ksize, cdims=cdims, hdims=[16], ydim=3)
    table = layer_table(model, xdim)  # raises if a formula disagrees with PyTorch
    assert model(torch.zeros(2, *xdim)).shape == (2, 3)
    assert table.total_params == sum(p.numel() for p in model.parameters())


def test_too_small_an_input_fails_with_a_clear_message():
    with pytest.raises(ValueError, match="too small for 3 conv stages.*stage 3's convolution gives 1x1 feature maps, "
                                         "too small for its 2x2 max pooling"):
        ConvolutionalNeuralNetworkClass(xdim=[1, 4, 4], cdims=[8, 8, 8])


@pytest.mark.parametrize("shape", [(28, 28), (1, 28, 28), (2, 3, 28, 28), (2, 1, 32, 32)])
def test_wrong_batch_shape_is_a_value_error(shape):
    with pytest.raises(ValueError, match=r"x must be a batch shaped \(N, 1, 28, 28\)"):
        ConvolutionalNeuralNetworkClass()(torch.zeros(shape))


def test_mlp_and_global_average_pooling_models_agree_with_their_layer_tables():
    from cnnlib.models import GlobalAveragePoolingCNN, MultiLayerPerceptronClass
    mlp, gap = MultiLayerPerceptronClass(hdims=[64]), GlobalAveragePoolingCNN(cdims=[8, 16])
    for model in (mlp, gap):
        table = layer_table(model, (1, 28, 28))
        assert table.total_params == sum(p.numel() for p in model.parameters())
        assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert layer_table(gap, (1, 28, 28)).rows[-3].output_shape == (16, 1, 1)  # one number per feature map
    with pytest.raises(ValueError, match="x must be a batch"):
        mlp(torch.zeros(1, 28, 28))


def test_stage_outputs_are_the_pooled_maps_of_each_stage():
    from cnnlib.models import stage_outputs
    model = ConvolutionalNeuralNetworkClass()
    first, second = stage_outputs(model, torch.zeros(2, 1, 28, 28))
    assert first.shape == (2, 32, 14, 14) and second.shape == (2, 64, 7, 7)
    assert model.training


def test_the_global_average_pooling_network_is_deep_small_and_position_free():
    from cnnlib.models import GlobalAveragePoolingCNN
    model = GlobalAveragePoolingCNN()
    table = layer_table(model, (1, 28, 28))
    assert table.total_params == sum(p.numel() for p in model.parameters())
    assert table.total_params * 10 <= layer_table(ConvolutionalNeuralNetworkClass(), (1, 28, 28)).total_params
    assert sum(r.kind == "Conv2d" for r in table.rows) == 6  # 3 stages of 2 convolutions
    assert not any(isinstance(m, torch.nn.Dropout2d) for m in model.modules())
    assert model(torch.zeros(3, 1, 28, 28)).shape == (3, 10)
    assert table.rows[-3].output_shape == (64, 1, 1)  # each of the last 64 maps averaged to one number


def test_the_dropout_and_head_variants_change_only_what_they_name():
    from cnnlib.models import AverageHeadCNN
    note, plain = ConvolutionalNeuralNetworkClass(), ConvolutionalNeuralNetworkClass(dropout=0)
    assert sum(isinstance(m, torch.nn.Dropout2d) for m in note.modules()) == 2
    assert [m.p for m in note.modules() if isinstance(m, torch.nn.Dropout2d)] == [0.5, 0.5]
    assert not any(isinstance(m, torch.nn.Dropout2d) for m in plain.modules())
    assert layer_table(plain, (1, 28, 28)).total_params == layer_table(note, (1, 28, 28)).total_params
    head = AverageHeadCNN()
    table = layer_table(head, (1, 28, 28))
    convs = [r for r in table.rows if r.kind == "Conv2d"]
    assert [r.output_shape for r in convs] == [r.output_shape for r in layer_table(note, (1, 28, 28)).rows
                                               if r.kind == "Conv2d"]  # the note's conv stages
    assert table.total_params == sum(p.numel() for p in head.parameters()) == 320 + 18_496 + 64 * 10 + 10
    assert table.rows[-3].output_shape == (64, 1, 1)  # each of the 64 last maps averaged to one number
    assert sum(isinstance(m, torch.nn.Dropout2d) for m in head.modules()) == 2
    assert head(torch.zeros(3, 1, 28, 28)).shape == (3, 10)


def test_lenet5_has_its_61706_parameters_and_5_weight_layers_on_32x32_or_padded_28x28_images():
    from cnnlib.models import LeNet5
    from cnnlib.shapes import depth
    for model, xdim in [(LeNet5(), (1, 32, 32)), (LeNet5(xdim=(1, 28, 28), padding=2), (1, 28, 28))]:
        table = layer_table(model, xdim)
        assert table.total_params == 61_706 and depth(model) == 5
        assert [r.output_shape for r in table.rows if r.kind == "AvgPool2d"] == [(6, 14, 14), (16, 5, 5)]
    with pytest.raises(ValueError, match="too small for LeNet-5"):
        LeNet5(xdim=(1, 12, 12))


@pytest.mark.parametrize("blocks, cdims", [(1, (4,)), (2, (4, 8)), (3, (8, 16, 32))])
def test_a_residual_cnn_and_its_plain_twin_share_every_layer_but_the_shortcuts(blocks, cdims):
    from cnnlib.models import ResidualCNN
    from cnnlib.shapes import depth
    residual, plain = ResidualCNN(cdims=cdims, blocks=blocks), ResidualCNN(cdims=cdims, blocks=blocks, skip=False)
    rows = {m: layer_table(m, (1, 28, 28)).rows for m in (residual, plain)}
    assert depth(residual) == depth(plain) == residual.depth == 2 + 2 * blocks * len(cdims)
    assert sum(r.kind == "add" for r in rows[residual]) == blocks * len(cdims)  # one join per block
    assert not any(r.kind == "add" for r in rows[plain])
    shortcuts = sum(r.params.total for r in rows[residual] if "shortcut" in r.name)
    assert sum(r.params.total for r in rows[residual]) - shortcuts == sum(r.params.total for r in rows[plain])
    assert rows[residual][-1].output_shape == rows[plain][-1].output_shape == (10,)


def test_a_residual_block_adds_its_input_to_what_its_layers_compute():
    from cnnlib.models import ResidualBlock
    torch.manual_seed(0)
    block = ResidualBlock(4, 4).eval()
    plain = ResidualBlock(4, 4, skip=False).eval()
    plain.load_state_dict(block.state_dict())
    x = torch.randn(2, 4, 6, 6)
    layers = plain.bn2(plain.conv2(plain.relu(plain.bn1(plain.conv1(x)))))
    assert torch.allclose(block(x), torch.relu(layers + x), atol=1e-6)
    assert torch.allclose(plain(x), torch.relu(layers), atol=1e-6)
    assert ResidualBlock(4, 8, stride=2)(x).shape == (2, 8, 3, 3)
