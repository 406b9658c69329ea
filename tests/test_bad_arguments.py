"""Every public function of cnnlib answers a bad argument with a ValueError that names it.

One table: each callable with good arguments, and for each argument the bad values to try.
Each bad value is put in alone; the call must raise ValueError (not TypeError, not a
PyTorch error, not a wrong result) whose message names the argument.
"""

import math
import tempfile
from pathlib import Path

import ipywidgets
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from cnnlib import backward, conv, data, experiments, korean, models, quiz, shapes, train, viz, widgets, words
from cnnlib.data import Data

NOT_INTS = ["3", 1.5, True, None, [2], float("nan")]
NOT_BOOLS = [1, 0, "yes", None]
NOT_NUMBERS = ["0.01", True, None, float("nan"), float("inf"), -float("inf"), [0.01]]


def toy_data(n=32):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(n, 1, 8, 8, generator=gen)
    y = torch.randint(0, 2, (n,), generator=gen)
    return Data("toy", ["a", "b"], x, y, x[:8], y[:8], 0.0, 1.0)


def toy_model():
    return models.ConvolutionalNeuralNetworkClass(xdim=[1, 8, 8], cdims=[4], hdims=[8], ydim=2)


def bad_data(**change):
    """The toy data with one field replaced."""
    d = toy_data()
    for field, value in change.items():
        setattr(d, field, value)
    return d


GAP = models.GlobalAveragePoolingCNN(xdim=(1, 8, 8), cdims=(2, 4), depth=1, ydim=2)  # a small modern CNN
SPECS, NUMBERS = widgets.network_layers(GAP, (1, 8, 8))

# (name, callable, good keyword arguments, {argument: (words its message must hold, [bad values])})
CASES = [
    ("conv_output_size", shapes.conv_output_size, dict(i=7, k=3, s=1, p=0), {
        "i": ("i (input size)", NOT_INTS + [0, -1]), "k": ("kernel size", NOT_INTS + [0, 10]),
        "s": ("s (stride)", NOT_INTS + [0]), "p": ("p (padding", NOT_INTS + [-1]),
        "d": ("d (dilation)", NOT_INTS + [0])}),
    ("conv_output_size dilated", shapes.conv_output_size, dict(i=7, k=3, s=1, p=0, d=3), {
        "k": ("K (kernel size) = 4 with dilation D = 3 spans D(K - 1) + 1 = 10", [4])}),
    ("pool_output_size", shapes.pool_output_size, dict(i=8, k=2, s=2, p=0), {
        "i": ("i (input size)", NOT_INTS + [0]), "k": ("k (pool window)", NOT_INTS + [0]),
        "s": ("s (stride)", ["2", 1.5, True, [2], 0]),  # None is allowed: the window size
        "p": ("p (pool padding", NOT_INTS + [-1, 2]), "ceil": ("ceil", NOT_BOOLS)}),
    ("uncovered", shapes.uncovered, dict(i=7, k=3, s=2, p=0), {
        "i": ("i (input size)", NOT_INTS + [0]), "s": ("s (stride)", NOT_INTS + [0])}),
    ("coverage", shapes.coverage, dict(i=7, k=3, s=1, p=1), {
        "k": ("k (kernel size)", NOT_INTS + [0]), "p": ("p (padding", NOT_INTS + [-2])}),
    ("conv_params", shapes.conv_params, dict(c_out=32, c_in=1, k=3), {
        "c_out": ("c_out (number of kernels)", NOT_INTS + [0]), "c_in": ("c_in (input channels)", NOT_INTS + [0]),
        "k": ("k (kernel size)", NOT_INTS + [0])}),
    ("linear_params", shapes.linear_params, dict(f_in=3136, f_out=1024), {
        "f_in": ("f_in (input features)", NOT_INTS + [0]), "f_out": ("f_out (output features)", NOT_INTS + [0])}),
    ("conv_flops", shapes.conv_flops, dict(c_out=32, c_in=1, k=3, out_h=28, out_w=28), {
        "c_out": ("c_out (number of kernels)", NOT_INTS + ["ab", 0]), "k": ("k (kernel size)", NOT_INTS + [0]),
        "out_h": ("out_h", NOT_INTS + [0]), "out_w": ("out_w", NOT_INTS + [-3])}),
    ("linear_flops", shapes.linear_flops, dict(f_in=3136, f_out=1024), {
        "f_in": ("f_in (input features)", NOT_INTS + ["ab", 0]), "f_out": ("f_out (output features)", NOT_INTS + [0])}),
    ("ConvolutionalNeuralNetworkClass", models.ConvolutionalNeuralNetworkClass,
     dict(xdim=[1, 28, 28], ksize=3, cdims=[32, 64], hdims=[1024, 128], ydim=10), {
        "xdim": ("xdim", [[1, 28], [1, 28, 0], "abc", None, [1, 28, 28.5], [True, 28, 28]]),
        "ksize": ("ksize", NOT_INTS + [0, -1]),
        "cdims": ("cdims", [[0, 64], [-32], [32.0], "32", None, [True]]),
        "hdims": ("hdims", [[0], [128.5], "128", None]),
        "ydim": ("ydim", NOT_INTS + [0]),
        "USE_BATCHNORM": ("USE_BATCHNORM", ["yes", 1, None]),
        "dropout": ("dropout", [1, 1.5, -0.1, "0.5", None, True])}),
    ("AverageHeadCNN", models.AverageHeadCNN, dict(xdim=[1, 28, 28], ksize=3, cdims=[8, 16], ydim=10), {
        "xdim": ("xdim", [[1, 28], None, [1, 2, 2]]), "ksize": ("ksize", NOT_INTS + [0]),
        "cdims": ("cdims", [[0], [8.0], None]), "ydim": ("ydim", NOT_INTS + [0]),
        "dropout": ("dropout", [1, -0.5, "0"])}),
    ("MultiLayerPerceptronClass", models.MultiLayerPerceptronClass, dict(xdim=[1, 28, 28], hdims=[256], ydim=10), {
        "xdim": ("xdim", [[784], "abc", [1, 28, -28]]), "hdims": ("hdims", [[0], [2.5], None]),
        "ydim": ("ydim", NOT_INTS + [0])}),
    ("GlobalAveragePoolingCNN", models.GlobalAveragePoolingCNN, dict(xdim=[1, 28, 28], ksize=3, cdims=[8], ydim=10), {
        "xdim": ("xdim", [[1, 28], None]), "ksize": ("ksize", NOT_INTS + [0]),
        "cdims": ("cdims", [[0], [8.0], None]), "ydim": ("ydim", NOT_INTS + [0]),
        "depth": ("depth", NOT_INTS + [0])}),
    ("feature_shape", models.feature_shape, dict(xdim=[1, 28, 28], ksize=3, cdims=[32, 64]), {
        "xdim": ("xdim", [[1, 28], "ab"]), "ksize": ("ksize", NOT_INTS + [0]), "cdims": ("cdims", [[0], None])}),
    ("pad", conv.pad, dict(x=torch.zeros(1, 3, 3), padding=1), {
        "padding": ("padding", NOT_INTS + [-1])}),
    ("conv2d", conv.conv2d, dict(x=torch.zeros(1, 5, 5), w=torch.zeros(2, 1, 3, 3), stride=1, padding=0), {
        "stride": ("stride", NOT_INTS + [0]), "padding": ("padding", NOT_INTS + [-1]),
        "x": ("x", [torch.zeros(5, 5), "image", None]), "w": ("w", [torch.zeros(3, 3), None])}),
    ("max_pool2d", conv.max_pool2d, dict(x=torch.zeros(1, 4, 4), kernel_size=2), {
        "kernel_size": ("kernel_size", NOT_INTS + [0]), "x": ("x", [torch.zeros(4, 4), None])}),
    ("set_seed", train.set_seed, dict(seed=0), {"seed": ("seed", NOT_INTS + [-1, 2**40])}),
    ("pick_precision", train.pick_precision, dict(precision="auto", device="cpu"), {
        "precision": ("precision", ["fp16", None, 32, "BF16"])}),
    ("check_device", train.check_device, dict(device="cpu"), {
        "device": ("device", ["gpu", "tpu", 3.5, [], "cuda:x"])}),
    ("evaluate", train.evaluate, dict(model=toy_model(), x=toy_data().test_x, y=toy_data().test_y), {
        "batch_size": ("batch_size", NOT_INTS + [0]),
        "x": ("x", [toy_data().test_x.long(), toy_data().test_x[:, 0], None]),
        "device": ("device", ["gpu"]), "model": ("model", ["cnn", None, torch.nn.ReLU()]),
        "y": ("y", [toy_data().test_y[:3], toy_data().test_y.float(), toy_data().test_y + 2, None]),
        "channels_last": ("channels_last", [1, 0, "yes"])}),  # None: the model's own layout
    ("fit", train.fit, dict(model=toy_model(), data=toy_data(), epochs=1, progress=False), {
        "epochs": ("epochs", NOT_INTS + [0]), "batch_size": ("batch_size", NOT_INTS + [0]),
        "lr": ("lr", NOT_NUMBERS + [0, -1e-3]), "seed": ("seed", NOT_INTS + [-1]),
        "device": ("device", ["gpu", 7.5, "cuda:x"]),
        "precision": ("precision", ["fp16", "BF16"]), "schedule": ("schedule", ["cosine", True]),
        "model": ("model", ["cnn", None]), "progress": ("progress", NOT_BOOLS),
        "channels_last": ("channels_last", NOT_BOOLS), "cuda_graph": ("cuda_graph", NOT_BOOLS),
        "checkpoint": ("checkpoint", [3, ["a.pt"]]),
        "data": ("data.", [bad_data(train_x=toy_data().train_x[:0], train_y=toy_data().train_y[:0]),
                           bad_data(train_y=toy_data().train_y + 5), bad_data(test_y=toy_data().test_y - 1),
                           bad_data(train_x=toy_data().train_x.long()), bad_data(train_x=toy_data().train_x[:, 0]),
                           bad_data(train_y=toy_data().train_y.float()), bad_data(train_y=toy_data().train_y[:5])])}),
]

IMAGES = torch.zeros(4, 1, 6, 6)
CASES += [
    ("shift_images", data.shift_images, dict(x=IMAGES, dx=1, dy=0, fill=-0.8), {
        "x": ("x", [IMAGES[0], IMAGES.long(), "images", None]), "dx": ("dx", NOT_INTS),
        "dy": ("dy", NOT_INTS), "fill": ("fill", NOT_NUMBERS)}),
    ("permute_pixels", data.permute_pixels, dict(x=IMAGES, permutation=torch.randperm(36)), {
        "x": ("x", [IMAGES[0], IMAGES.int()]),
        "permutation": ("permutation", [torch.arange(35), torch.zeros(36, dtype=torch.long), torch.rand(36),
                                        "abc", None, torch.arange(36) + 1])}),
    ("load", data.load, dict(dataset="fashion-mnist", download=False), {
        "dataset": ("dataset must be one of", ["cifar10", "Fashion-MNIST", None, 3])}),
    ("loaders", data.loaders, dict(dataset="fashion-mnist", batch_size=4, download=False), {
        "batch_size": ("batch_size", NOT_INTS + [0]), "num_workers": ("num_workers", NOT_INTS + [-1]),
        "dataset": ("dataset must be one of", ["svhn"])}),
    ("draw_panels", viz.draw_panels, dict(images=torch.zeros(3, 4, 4)), {
        "images": ("images", [torch.zeros(4, 4), torch.zeros(0, 4, 4), "abc", None]),
        "columns": ("columns", NOT_INTS + [0]), "size": ("size", NOT_NUMBERS + [0, -1])}),
    ("draw_examples", viz.draw_examples, dict(images=torch.zeros(2, 4, 4), true=[0, 1], predicted=[1, 1],
                                              classes=["a", "b"]), {
        "images": ("images", [torch.zeros(4, 4), None]), "columns": ("columns", NOT_INTS + [0]),
        "true": ("labels", [[0], [0, 2], [0, -1], [0, 1.5]]), "predicted": ("labels", [[0, 1, 1], [5, 0]])}),
    ("draw_layer_costs", viz.draw_layer_costs, dict(table=shapes.layer_table(toy_model(), (1, 8, 8)), batch=128), {
        "batch": ("batch", NOT_INTS + [0])}),
]

HISTORY = [{"epoch": 1, "train_loss": 1.0, "test_loss": 0.9, "train_acc": 0.5, "test_acc": 0.6}]
CASES += [
    ("layer_table", shapes.layer_table, dict(model=toy_model(), input_shape=(1, 8, 8)), {
        "model": ("model", ["cnn", None]), "input_shape": ("input_shape", [(8, 8), (1, 8, 8.5), (1, 0, 8), "abc"])}),
    ("feature_maps", conv.feature_maps, dict(image=torch.zeros(6, 6), kernels=conv.classic_kernels()), {
        "image": ("image", [torch.zeros(1, 6, 6), "photo", None]),
        "kernels": ("kernels", [{}, {"k": torch.zeros(2, 2)}, {"k": torch.zeros(3)}, [torch.zeros(3, 3)], None])}),
    ("confusion_matrix", train.confusion_matrix, dict(y_true=torch.tensor([0, 1]), y_pred=torch.tensor([1, 1]),
                                                       classes=2), {
        "classes": ("classes", NOT_INTS + [0]),
        "y_true": ("y_true", [torch.tensor([0, 2]), torch.tensor([0.0, 1.0]), [0, 1], torch.tensor([0])]),
        "y_pred": ("y_pred", [torch.tensor([-1, 1]), torch.tensor([[0, 1]])])}),
    ("example_input", widgets.example_input, dict(kind="random integers", size=7, channels=1), {
        "kind": ("kind", ["noise", None]), "size": ("size", NOT_INTS + [0, 65]),
        "channels": ("channels", NOT_INTS + [0]), "seed": ("seed", NOT_INTS + [-1])}),
    ("example_kernel", widgets.example_kernel, dict(kind="vertical edge"), {
        "kind": ("kind", ["edge", None]), "size": ("size", NOT_INTS + [0, 12])}),
    ("example_multichannel", widgets.example_multichannel, dict(kernels=2, size=5), {
        "kernels": ("kernels", NOT_INTS + [0, 9]), "size": ("size", NOT_INTS + [2])}),
    ("sample_photo", widgets.sample_photo, dict(size=32), {"size": ("size", NOT_INTS + [0, 4])}),
    ("draw_confusion", viz.draw_confusion, dict(counts=np.eye(2, dtype=int), classes=["a", "b"]), {
        "counts": ("counts", [np.eye(3, dtype=int), np.eye(2), [[1, 2]], "abc"])}),
    ("draw_history", viz.draw_history, dict(history=HISTORY), {
        "history": ("history", [[], [{"epoch": 1}], "abc", None, [HISTORY[0], 3]])}),
]

WRONG = ((320, "with the biases"), (32, "one weight per kernel"), (9, "one kernel only"))
CASES += [
    ("number", quiz.number, dict(value=3136), {"value": ("value", NOT_NUMBERS)}),
    ("Question", quiz.Question, dict(text="How many weights?", answer=288, wrong=WRONG, solution="32 * 1 * 3 * 3"), {
        "text": ("text", ["", None, 3]), "answer": ("answer", NOT_NUMBERS),
        "wrong": ("wrong", [(), "abc", ((320,),), ((320, 5),), (("x", "why"),), WRONG[:2], WRONG[:2] + ((288, "same"),)]),
        "solution": ("solution", [None, 3])}),
    ("draw_accuracy_lines", viz.draw_accuracy_lines, dict(x=[0, 1], series={"CNN": [0.9, 0.8]}, xlabel="shift"), {
        "x": ("x values", [["a", "b"], [0, None]]),
        "series": ("series", [{}, {"CNN": [0.9]}, [0.9, 0.8], None, {"CNN": [[0.9, 0.8], [0.7]]},
                              {"CNN": ["a", "b"]}, {"CNN": [0.9, float("nan")]}]),
        "log_x": ("log_x", NOT_BOOLS)}),
    ("draw_feature_maps", viz.draw_feature_maps, dict(image=torch.zeros(6, 6), maps={"edge": torch.zeros(6, 6)}), {
        "image": ("image", [torch.zeros(2, 6, 6), "photo", None]),
        "maps": ("maps", [{}, {"edge": torch.zeros(6)}, [torch.zeros(6, 6)], None])}),
    ("draw_flattening", viz.draw_flattening, dict(image=torch.zeros(4, 4), permutation=torch.randperm(16)), {
        "image": ("image", [torch.zeros(16), None]),
        "permutation": ("permutation", [torch.arange(15), torch.zeros(16), "abc"])}),
    ("check_batch", models.check_batch, dict(x=torch.zeros(2, 1, 8, 8), xdim=[1, 8, 8]), {
        "x": ("x must be a", [torch.zeros(1, 8, 8), torch.zeros(2, 3, 8, 8), "images", None])}),
    ("stage_outputs", models.stage_outputs, dict(model=toy_model(), x=torch.zeros(2, 1, 8, 8)), {
        "model": ("model", ["cnn", None]), "x": ("x", [torch.zeros(1, 8, 8), torch.zeros(2, 1, 8, 8).long()])}),
]

X1, W1 = torch.zeros(1, 4, 4), torch.zeros(1, 1, 3, 3)   # one channel, one kernel
X3, W3 = torch.zeros(3, 4, 4), torch.zeros(2, 3, 3, 3)   # three channels, two kernels
NOT_TEXTS = [3, None, b"step"]
STAMP = next(conv.stamps(X1, W1))
TABLE = shapes.layer_table(toy_model(), (1, 8, 8))
CHECKPOINT = Path(tempfile.mkdtemp()) / "toy.pt"
train.fit(toy_model(), toy_data(), epochs=1, progress=False, checkpoint=CHECKPOINT)
CASES += [
    ("output_shape", conv.output_shape, dict(x=X1, w=W1), {
        "x": ("x", [torch.zeros(4, 4), None]), "w": ("w", [torch.zeros(3, 3), "kernel"]),
        "stride": ("stride", NOT_INTS + [0]), "padding": ("padding", NOT_INTS + [-1])}),
    ("stamps", conv.stamps, dict(x=X1, w=W1), {
        "x": ("x", [torch.zeros(4, 4), X1.long()]), "w": ("w", [torch.zeros(2, 3, 3, 3), None]),
        "b": ("b", [torch.zeros(2), 1.0]), "stride": ("stride", NOT_INTS + [0])}),
    ("pad value", conv.pad, dict(x=X1, padding=1), {"value": ("value", ["0", True, None, float("nan"), [0]])}),
    ("pad mode", conv.pad, dict(x=X1, padding=1, mode="reflect"), {
        "mode": ("mode", ["zero", "circular", None, 0]), "padding": ("reflect padding needs", [4, 5])}),
    ("conv_params bias", shapes.conv_params, dict(c_out=2, c_in=1, k=3), {"bias": ("bias", NOT_BOOLS)}),
    ("linear_params bias", shapes.linear_params, dict(f_in=2, f_out=3), {"bias": ("bias", NOT_BOOLS)}),
    ("init_param", models.init_param, dict(model=toy_model()), {"model": ("model", ["cnn", None, {}])}),
    ("find", data.find, dict(dataset="fashion-mnist", download=False), {
        "dataset": ("dataset must be one of", ["cifar10", None]), "download": ("download", NOT_BOOLS)}),
    ("background", data.background, dict(data=toy_data()), {"data": ("data", [None, {"mean": 0, "std": 1}])}),
    ("bf16_is_native", train.bf16_is_native, dict(device="cpu"), {"device": ("device", ["gpu", 3.5, None])}),
    ("autocast", train.autocast, dict(precision="bf16", device="cpu"), {
        "precision": ("precision", ["auto", "fp16", None]), "device": ("device", ["gpu", None])}),
    ("scores", train.scores, dict(model=toy_model(), x=toy_data().test_x), {
        "x": ("x", [toy_data().test_x.long(), toy_data().test_x[0], None]),
        "batch_size": ("batch_size", NOT_INTS + [0]), "device": ("device", ["gpu"]),
        "model": ("model", [None, "cnn"]), "channels_last": ("channels_last", [1, 0, "yes"])}),
    ("read_checkpoint", train.read_checkpoint, dict(path=CHECKPOINT), {
        "path": ("path", [None, 3, ["a.pt"]])}),
    ("read_checkpoint", train.read_checkpoint, dict(path=CHECKPOINT), {
        "path": ("checkpoint", [__file__, CHECKPOINT.with_name("missing.pt"), CHECKPOINT.parent])}),
    ("label", viz.label, dict(value=1.5), {"value": ("value", ["1.5", None, True, float("inf"), [1]])}),
    ("signed", viz.signed, dict(value=-1.0), {"value": ("value", ["-1", None, float("nan")])}),
    ("sum_text", viz.sum_text, dict(products=[1.0, -2.0], bias=1.0), {
        "products": ("products", [[], ["a"], [float("nan")], None]), "bias": ("bias", NOT_NUMBERS)}),
    ("freeze", viz.freeze, dict(fig=viz.draw_param_bars(TABLE)), {"fig": ("fig", [None, "figure"])}),
    ("render_png", viz.render_png, dict(canvas=viz.freeze(viz.draw_param_bars(TABLE))), {
        "canvas": ("canvas", [None, viz.draw_param_bars(TABLE)]), "palette": ("palette", NOT_BOOLS)}),
    ("draw_stamping", viz.draw_stamping, dict(x=X1, w=W1), {
        "x": ("x", [torch.zeros(4, 4), X3, X1.int(), None]), "w": ("w", [W3, torch.zeros(3, 3)]),
        "stride": ("stride", NOT_INTS + [0]), "padding": ("padding", NOT_INTS + [-1]),
        "language": ("language", ["fr", None, 3])}),
    ("update_stamping", viz.update_stamping, dict(art=viz.draw_stamping(X1, W1), stamp=STAMP,
                                                  output=np.full((1, 2, 2), np.nan)), {
        "art": ("art", [None, viz.draw_multichannel(X1, W1)]), "stamp": ("stamp", [None, (0, 0)]),
        "output": ("output", [np.full((2, 2), np.nan), np.full((1, 3, 3), np.nan)])}),
    ("draw_multichannel", viz.draw_multichannel, dict(x=X3, w=W3), {
        "x": ("x", [torch.zeros(4, 4), X1]), "w": ("w", [W1, None]), "b": ("b", [torch.zeros(3)]),
        "stride": ("stride", NOT_INTS + [0])}),
    ("update_multichannel", viz.update_multichannel, dict(art=viz.draw_multichannel(X3, W3),
                                                          stamp=next(conv.stamps(X3, W3)),
                                                          output=np.full((2, 2, 2), np.nan)), {
        "art": ("art", [viz.draw_stamping(X1, W1)]), "stamp": ("stamp", ["stamp"]),
        "output": ("output", [np.full((1, 2, 2), np.nan)])}),
    ("draw_param_bars", viz.draw_param_bars, dict(table=TABLE), {"table": ("table", [None, [], "cnn"])}),
    ("draw_pipeline", viz.draw_pipeline, dict(table=TABLE), {"table": ("table", [None, toy_model()])}),
    ("draw_layer_costs table", viz.draw_layer_costs, dict(table=TABLE), {"table": ("table", [None, {}])}),
]

CASES += [
    ("Animation", widgets.Animation, dict(frames=[b"png", b"png"]), {
        "frames": ("frames", [[], None, ["a"], b"png"]), "description": ("description", NOT_TEXTS),
        "interval": ("interval", NOT_INTS + [0])}),
    ("Choice", widgets.Choice, dict(labels=["a"], children=[widgets.image_widget()]), {
        "labels": ("labels", [[], "ab", [1], ["a", "b"]]), "children": ("children", [[], ["text"], None]),
        "description": ("description", NOT_TEXTS)}),
    ("image", widgets.image, dict(fig=viz.draw_param_bars(TABLE)), {"fig": ("fig", [None, b"png"])}),
    ("picture", widgets.picture, dict(fig=viz.draw_param_bars(TABLE)), {"fig": ("fig", [None, "fig"])}),
    ("payload_bytes", widgets.payload_bytes, dict(widget=widgets.image_widget()), {
        "widget": ("widget", [None, b"png", []])}),
    ("stamping_steps", widgets.stamping_steps, dict(x=X1, w=W1), {
        "x": ("x", [X3, torch.zeros(4, 4)]), "w": ("w", [W3]), "stride": ("stride", NOT_INTS + [0]),
        "padding": ("padding", NOT_INTS + [-1])}),
    ("multichannel_steps", widgets.multichannel_steps, dict(x=X3, w=W3), {
        "x": ("x", [X1, None]), "w": ("w", [W1]), "b": ("b", [torch.zeros(5)]), "stride": ("stride", [0])}),
    ("stamping_frames", widgets.stamping_frames, dict(x=X1, w=W1), {
        "x": ("x", [X3]), "stride": ("stride", [0]), "palette": ("palette", NOT_BOOLS),
        "padding": ("padding", NOT_INTS)}),
    ("stamping_animation", widgets.stamping_animation, dict(x=X1, w=W1, presets=((1, 0),)), {
        "x": ("x", [X3, "input"]), "w": ("w", [W3]),
        "presets": ("presets", [(), None, ((1,),), ((1, 0, 0),), ((0, 0),), ((1.5, 0),), "ab"])}),
    ("multichannel_frames", widgets.multichannel_frames, dict(x=X3, w=W3, b=None), {
        "x": ("x", [X1]), "palette": ("palette", NOT_BOOLS)}),
    ("multichannel_animation", widgets.multichannel_animation, dict(counts=(1,)), {
        "counts": ("counts", [(), None, (0,), (9,), (1.5,), "3"])}),
    ("StampingExplorer", widgets.StampingExplorer, dict(), {
        "input": ("input", [None, "stripes", 3]), "kernel": ("kernel", [None, "emboss"]),
        "size": ("size", NOT_INTS + [0, 10]), "stride": ("stride", NOT_INTS + [0, 4]),
        "padding": ("padding", NOT_INTS + [-1, 3])}),
    ("MultiChannelExplorer", widgets.MultiChannelExplorer, dict(), {
        "c_in": ("c_in", NOT_INTS + [0, 4]), "c_out": ("c_out", NOT_INTS + [0, 4]),
        "stride": ("stride", NOT_INTS + [0, 3]), "padding": ("padding", NOT_INTS + [-1, 2])}),
    ("OutputSizeExplorer", widgets.OutputSizeExplorer, dict(), {
        "i": ("i (input size)", NOT_INTS + [0, 65]), "k": ("k (kernel size)", NOT_INTS + [0, 12]),
        "s": ("s (stride)", NOT_INTS + [0, 6]), "p": ("p (padding", NOT_INTS + [-1, 6]),
        "d": ("d (dilation)", NOT_INTS + [0, 5])}),
    ("ParameterCounter", widgets.ParameterCounter, dict(), {
        "c_out": ("c_out (number of kernels)", NOT_INTS + [0, 513]), "c_in": ("c_in (input channels)", NOT_INTS + [0]),
        "k": ("k (kernel size)", NOT_INTS + [0, 12])}),
    ("model_parameters", widgets.model_parameters, dict(table=TABLE), {"table": ("table", [None, "table"])}),
    ("layer_modules", shapes.layer_modules, dict(model=GAP), {"model": ("model", [None, "cnn", GAP.state_dict()])}),
    ("network_layers", widgets.network_layers, dict(model=GAP, input_shape=(1, 8, 8)), {
        "model": ("model", [None, "cnn"]), "input_shape": ("input_shape", [None, (8, 8), "x"])}),
    ("network_layers", widgets.network_layers, dict(model=GAP, input_shape=(1, 8, 8)), {
        "model": ("is not one the network explorer computes", [torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3),
                                                                                    torch.nn.Tanh())])}),
    ("network_from_layers", widgets.network_from_layers, dict(specs=SPECS, numbers=NUMBERS), {
        "specs": ("specs", [None, "specs", [{"kind": "Tanh"}], [3]]),
        "numbers": ("numbers", [None, NUMBERS[:-1], NUMBERS.long(), NUMBERS[None], NUMBERS.tolist()])}),
    ("float16_check", widgets.float16_check, dict(model=GAP, data=toy_data()), {
        "model": ("model", [None, "cnn"]), "data": ("data", [None, "fashion"])}),
    ("NetworkExplorer", widgets.NetworkExplorer, dict(model=GAP, data=toy_data(), per_class=2), {
        "model": ("model", [None, "cnn"]), "data": ("data", [None, "fashion"]),
        "per_class": ("per_class", NOT_INTS + [0, 21])}),
    ("decode_numbers", widgets.decode_numbers, dict(text="AAAAAA=="), {
        "text": ("text", [None, 3, "A", "AAAA", "AA=="])}),
    ("decode_images", widgets.decode_images, dict(text="AAAA", xdim=(1, 1, 3), mean=0.5, std=0.25), {
        "text": ("text", [None, "A", "AAAAAA=="]), "xdim": ("xdim", [None, (1, 3), (0, 1, 3), "x"]),
        "mean": ("mean", NOT_NUMBERS), "std": ("std", NOT_NUMBERS + [0, -1])}),
    ("feature_maps_widget", widgets.feature_maps_widget, dict(images={"photo": torch.zeros(6, 6)}), {
        "images": ("images", [{}, None, [torch.zeros(6, 6)], {3: torch.zeros(6, 6)}])}),
    ("feature_maps_widget", widgets.feature_maps_widget, dict(images={"photo": torch.zeros(6, 6)}), {
        "images": ("image must be a grey image", [{"photo": torch.zeros(1, 6, 6)}, {"photo": "photo.png"}])}),
    ("Exercises", quiz.Exercises, dict(questions=[quiz.Question("q?", 1, ((2, "a"), (3, "b"), (4, "c")), "s")]), {
        "questions": ("questions", [[], None, ["q?"], "q?"])}),
    ("show", quiz.show, dict(questions=[quiz.Question("q?", 1, ((2, "a"), (3, "b"), (4, "c")), "s")]), {
        "questions": ("questions", [[], None, [3]])}),
    ("translations", quiz.translations, dict(language="ko"), {"language": ("language", ["fr", None, 3, ["ko"]])}),
    ("bilingual", quiz.bilingual, dict(text="Correct."), {"text": ("text", [None, 3, b"Correct."])}),
    ("exercise_messages", quiz.exercise_messages, dict(notebook={"cells": []}), {
        "notebook": ("notebook", [None, "book/convolution.ipynb", [{"cells": []}]])}),
]

MLP8 = lambda: models.MultiLayerPerceptronClass(xdim=[1, 8, 8], hdims=[4], ydim=2)  # noqa: E731
CASES += [
    ("subset", data.subset, dict(data=toy_data(), n=4), {
        "data": ("data", [None, "fashion"]), "n": ("n", NOT_INTS + [0, 33]), "seed": ("seed", NOT_INTS + [-1]),
        "repeats": ("repeats", NOT_INTS + [0])}),
    ("with_pixels_permuted", data.with_pixels_permuted, dict(data=toy_data(), permutation=torch.randperm(64)), {
        "data": ("data", [None]), "permutation": ("permutation", [torch.arange(63), "abc"])}),
    ("runs", experiments.runs, dict(make_model=MLP8, data=toy_data(), seeds=[0], epochs=1), {
        "make_model": ("make_model", [None, MLP8()]), "data": ("data", [None, (1, 2)]),
        "seeds": ("seeds", [[], None, [-1], [1.5], "0"]), "epochs": ("epochs", [0, "1"])}),
    ("mean_spread", experiments.mean_spread, dict(values=[0.9, 0.8]), {
        "values": ("values", [[], None, ["0.9"], [float("nan")], [True]])}),
    ("clearly_above", experiments.clearly_above, dict(higher=[0.9, 0.91], lower=[0.8, 0.81]), {
        "higher": ("higher", [[], None, ["a"], [0.9]]), "lower": ("lower", [[], [float("inf")], [0.8, 0.8, 0.8]])}),
    ("paired_differences", experiments.paired_differences, dict(a=[0.9, 0.91], b=[0.8, 0.81]), {
        "a": ("a", [[], None, ["a"], [0.9]]), "b": ("b", [[float("nan"), 0.8], [0.8, 0.8, 0.8]])}),
    ("verdict", experiments.verdict, dict(a=[0.9, 0.91], b=[0.8, 0.81]), {
        "a": ("a", [[], None, [0.9]]), "b": ("b", [["x", 0.8], [0.8]])}),
    ("describe", experiments.describe, dict(values=[0.9, 0.8]), {
        "values": ("values", [[], None]), "digits": ("digits", NOT_INTS + [-1, 11])}),
    ("below", experiments.below, dict(difference=1e-6, tolerance=1e-4), {
        "difference": ("difference", NOT_NUMBERS + [-1e-6]), "tolerance": ("tolerance", NOT_NUMBERS + [0, -1e-4])}),
]

CASES += [
    ("kernel_gradient", conv.kernel_gradient, dict(x=torch.zeros(1, 5, 5), error=torch.zeros(2, 3, 3), k=3), {
        "x": ("x", [torch.zeros(5, 5), torch.zeros(1, 5, 5).long(), None]),
        "error": ("error", [torch.zeros(2, 4, 4), torch.zeros(3, 3), None]),
        "k": ("k (kernel size)", NOT_INTS + [0]), "stride": ("stride", NOT_INTS + [0]),
        "padding": ("padding", NOT_INTS + [-1])}),
    ("receptive_fields", shapes.receptive_fields, dict(model=toy_model()), {"model": ("model", ["cnn", None])}),
    ("network_graph", shapes.network_graph, dict(model=toy_model()), {"model": ("model", ["cnn", None])}),
    ("locally_connected_params", shapes.locally_connected_params, dict(c_out=32, c_in=1, k=3, out_h=28, out_w=28), {
        "c_out": ("c_out (number of kernels)", NOT_INTS + [0]), "k": ("k (kernel size)", NOT_INTS + [0]),
        "out_h": ("out_h", NOT_INTS + [0]), "bias": ("bias", NOT_BOOLS)}),
    ("depth", shapes.depth, dict(model=toy_model()), {"model": ("model", ["cnn", None])}),
    ("LeNet5", models.LeNet5, dict(), {
        "xdim": ("xdim", [(1, 32), "abc", (1, 0, 32), (1, 12, 12)]), "ydim": ("ydim", NOT_INTS + [0]),
        "padding": ("padding", NOT_INTS + [-1])}),
    ("ResidualBlock", models.ResidualBlock, dict(c_in=2, c_out=2), {
        "c_in": ("c_in", NOT_INTS + [0]), "c_out": ("c_out", NOT_INTS + [0]),
        "stride": ("stride", NOT_INTS + [0, 3]), "skip": ("skip", NOT_BOOLS)}),
    ("ResidualCNN", models.ResidualCNN, dict(cdims=(2, 4), blocks=1), {
        "xdim": ("xdim", [(1, 28), "abc", (1, 0, 28)]), "cdims": ("cdims", [(0, 4), "ab", 4]),
        "blocks": ("blocks", NOT_INTS + [0]), "ydim": ("ydim", NOT_INTS + [0]), "skip": ("skip", NOT_BOOLS)}),
    ("LocallyConnected2d", models.LocallyConnected2d, dict(c_in=1, c_out=2, k=3, in_h=6, in_w=6), {
        "c_in": ("c_in", NOT_INTS + [0]), "k": ("k", NOT_INTS + [0]), "in_h": ("in_h", NOT_INTS + [0]),
        "padding": ("padding", NOT_INTS + [-1])}),
    ("LocallyConnected2d forward", lambda x: models.LocallyConnected2d(1, 2, 3, 6, 6)(x), dict(x=torch.zeros(2, 1, 6, 6)), {
        "x": ("x", [torch.zeros(2, 1, 5, 5), torch.zeros(1, 6, 6), torch.zeros(2, 1, 6, 6).long()])}),
]

LEARN_X = torch.ones(2, 1, 5, 5)
LEARN_T = torch.zeros(2, 1, 3, 3)
HISTORY_K = conv.learn_kernel(LEARN_X, LEARN_T, 3, steps=2, lr=0.01)
CASES += [
    ("learn_kernel", conv.learn_kernel, dict(x=LEARN_X, target=LEARN_T, k=3, steps=2, lr=0.01), {
        "x": ("x", [LEARN_X[0], LEARN_X.long(), torch.zeros(2, 2, 5, 5), torch.zeros(3, 1, 5, 5)]),
        "target": ("target", [torch.zeros(2, 1, 4, 4), LEARN_T[0], None]), "k": ("k (kernel size)", NOT_INTS + [0]),
        "steps": ("steps", NOT_INTS + [0]), "lr": ("lr", NOT_NUMBERS + [0]), "seed": ("seed", NOT_INTS + [-1])}),
    ("largest_stable_lr", conv.largest_stable_lr, dict(x=LEARN_X, k=3), {
        "x": ("x", [LEARN_X[0], LEARN_X.long(), torch.zeros(2, 2, 5, 5), None]),
        "k": ("kernel size", NOT_INTS + [0, 6])}),
    ("draw_kernel_learning", viz.draw_kernel_learning, dict(target=torch.zeros(3, 3), losses=[2.0, 1.0]), {
        "target": ("target", [torch.zeros(3), None]),
        "losses": ("losses", [[1.0], [], ["a", "b"], [1.0, float("inf")], [1.0, 0.0], None])}),
    ("update_kernel_learning", viz.update_kernel_learning, dict(art=viz.draw_kernel_learning(torch.zeros(3, 3), [2.0, 1.0]),
                                                                step=1, kernel=torch.zeros(3, 3), loss=1.0), {
        "art": ("art", [None, viz.draw_stamping(X1, W1)]), "step": ("step", NOT_INTS + [-1]),
        "kernel": ("kernel", [torch.zeros(3), None]), "loss": ("loss", NOT_NUMBERS)}),
    ("kernel_learning_animation", widgets.kernel_learning_animation, dict(history=HISTORY_K, target=torch.zeros(3, 3)), {
        "history": ("history", [[], None, [(1.0, 2.0)], "abc"]), "frames": ("frames", ["3", 1.5, True, [2], float("nan"), 1, 401]),
        "target": ("target", [torch.zeros(3), None])}),
    ("ReceptiveFieldExplorer", widgets.ReceptiveFieldExplorer, dict(image=torch.zeros(28, 28),
                                                                        model=models.ConvolutionalNeuralNetworkClass()), {
        "image": ("image", [torch.zeros(28, 20), torch.zeros(28), None]),
        "model": ("model", [None, "cnn", torch.nn.Linear(2, 2)])}),
]

STAGE = torch.nn.Sequential(torch.nn.Conv2d(1, 2, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2), torch.nn.Flatten(),
                            torch.nn.Linear(2 * 2 * 2, 3))
CASES += [
    ("conv_matrix", conv.conv_matrix, dict(w=torch.zeros(2, 1, 3, 3), in_shape=(1, 5, 5)), {
        "w": ("w", [torch.zeros(3, 3), torch.zeros(2, 1, 3, 3).long(), None, torch.zeros(2, 2, 3, 3)]),
        "in_shape": ("in_shape", [(5, 5), "155", None, (1, 0, 5), (1, 5.5, 5), (1, 2, 2)]),
        "stride": ("stride", NOT_INTS + [0]), "padding": ("padding", NOT_INTS + [-1])}),
    ("patches", conv.patches, dict(x=torch.zeros(1, 5, 5), k=3), {
        "x": ("x", [torch.zeros(5, 5), torch.zeros(1, 5, 5).long(), None]),
        "k": ("kernel size", NOT_INTS + [0, 6]), "stride": ("stride", NOT_INTS + [0]),
        "padding": ("padding", NOT_INTS + [-1])}),
    ("conv2d_as_product", conv.conv2d_as_product, dict(x=torch.zeros(1, 5, 5), w=torch.zeros(2, 1, 3, 3)), {
        "x": ("x", [torch.zeros(5, 5), torch.zeros(1, 5, 5).long(), torch.zeros(2, 5, 5)]),
        "w": ("w", [torch.zeros(3, 3), torch.zeros(2, 1, 3, 3).long()]), "b": ("b", [torch.zeros(3), "b"]),
        "stride": ("stride", NOT_INTS + [0]), "padding": ("padding", NOT_INTS + [-1])}),
    ("draw_conv_matrix", viz.draw_conv_matrix, dict(kernel=torch.ones(3, 3), in_size=(7, 7)), {
        "kernel": ("kernel", [torch.ones(3), torch.ones(2, 3), torch.ones(5, 5), None]),
        "in_size": ("in_size", [(7,), "77", None, (0, 7), (2, 2)]), "stride": ("stride", NOT_INTS + [0]),
        "padding": ("padding", NOT_INTS + [-1])}),
    ("cross_entropy_gradient", backward.cross_entropy_gradient, dict(scores=torch.zeros(3), label=1), {
        "scores": ("scores", [torch.zeros(1, 3), torch.zeros(3).long(), [0.0, 1.0], None]),
        "label": ("label", NOT_INTS + [-1, 3])}),
    ("linear_gradients", backward.linear_gradients, dict(x=torch.zeros(4), weight=torch.zeros(2, 4), error=torch.zeros(2)), {
        "x": ("x", [torch.zeros(1, 4), torch.zeros(4).long(), None]),
        "weight": ("weight", [torch.zeros(4, 2), torch.zeros(8), None]),
        "error": ("error", [torch.zeros(2, 1), torch.zeros(2).long(), None])}),
    ("relu_gradient", backward.relu_gradient, dict(x=torch.zeros(2, 3), error=torch.zeros(2, 3)), {
        "x": ("x", [torch.zeros(2, 3).long(), None, [1.0]]), "error": ("error", [torch.zeros(3, 2), None])}),
    ("max_pool_gradient", backward.max_pool_gradient, dict(x=torch.zeros(1, 4, 4), error=torch.zeros(1, 2, 2)), {
        "x": ("x", [torch.zeros(4, 4), torch.zeros(1, 4, 4).long(), None]),
        "error": ("error", [torch.zeros(1, 3, 3), torch.zeros(2, 2), None]),
        "kernel_size": ("kernel_size", NOT_INTS + [0]), "stride": ("stride", ["2", 1.5, True, [2], 0])}),
    ("avg_pool2d", conv.avg_pool2d, dict(x=torch.zeros(1, 4, 4), kernel_size=2), {
        "x": ("x", [torch.zeros(4, 4), torch.zeros(1, 4, 4).long(), None]),
        "kernel_size": ("kernel_size", NOT_INTS + [0]), "stride": ("stride", ["2", 1.5, True, [2], 0])}),
    ("avg_pool_gradient", backward.avg_pool_gradient, dict(x_shape=(1, 4, 4), error=torch.zeros(1, 2, 2)), {
        "x_shape": ("x_shape", [(4, 4), None, "144", (1, 0, 4)]),
        "error": ("error", [torch.zeros(1, 3, 3), torch.zeros(2, 2), None]),
        "kernel_size": ("kernel_size", NOT_INTS + [0]), "stride": ("stride", ["2", 1.5, True, [2], 0])}),
    ("conv_input_gradient", backward.conv_input_gradient, dict(error=torch.zeros(2, 3, 3), w=torch.zeros(2, 1, 3, 3),
                                                               in_shape=(1, 5, 5)), {
        "error": ("error", [torch.zeros(2, 4, 4), torch.zeros(3, 3), torch.zeros(2, 3, 3).long(), None]),
        "w": ("w", [torch.zeros(3, 3), None, torch.zeros(2, 1, 3, 3).long()]),
        "in_shape": ("in_shape", [(5, 5), None, (1, 0, 5), (1, 2, 2)]),
        "stride": ("stride", NOT_INTS + [0]), "padding": ("padding", NOT_INTS + [-1])}),
    ("full_convolution", backward.full_convolution, dict(error=torch.zeros(2, 3, 3), w=torch.zeros(2, 1, 3, 3)), {
        "error": ("error", [torch.zeros(3, 3), torch.zeros(2, 3, 3).long(), None]),
        "w": ("w", [torch.zeros(3, 1, 3, 3), torch.zeros(3, 3), None]), "padding": ("padding", NOT_INTS + [-1, 3])}),
    ("backpropagate", backward.backpropagate, dict(model=STAGE, image=torch.zeros(1, 6, 6), label=0), {
        "model": ("model", [None, torch.nn.Linear(2, 2), torch.nn.Sequential(torch.nn.Tanh())]),
        "image": ("image", [torch.zeros(6, 6), torch.zeros(1, 6, 6).long(), None]),
        "label": ("label", NOT_INTS + [-1, 3])}),
]

# Public names that take no argument a caller could get wrong, with the reason.
EXEMPT = {
    "classic_kernels": "takes no arguments", "data_dir": "takes no arguments",
    "get_device": "takes no arguments", "cpu_capabilities": "takes no arguments",
    "default_precision": "takes no arguments; tests/test_train.py gives it bad CNNLIB_PRECISION values",
    "Stamp": "a result record that conv.stamps makes", "ParamCount": "a result record of the formulas",
    "LayerRow": "a result record of layer_table", "LayerTable": "a result record of layer_table",
    "StampingArtists": "a result record of draw_stamping", "KernelLearningArtists": "a result record of draw_kernel_learning", "MultiChannelArtists": "a result record of draw_multichannel",
    "Data": "a record that load makes; fit and background check what they are given",
    "Run": "a result record of experiments.runs", "ReceptiveField": "a result record of receptive_fields", "Step": "a result record of backward.backpropagate",
    "korean_font": "takes no arguments", "LANGUAGES": "a tuple of names, not a callable",
    "main": "the command line: tests/test_data.py runs its bad inputs", "RECIPE": "a dict of settings, not a callable", "PAD_MODES": "a tuple of names, not a callable",
    "PAIRS": "a tuple of particle pairs, not a callable",
}

CASES += [  # the words of pictures in the page's language
    ("template_of", words.template_of, dict(text="stride 1"), {"text": ("text", [None, 3, b"x"])}),
    ("fill", words.fill, dict(template="a {0}", numbers=["1"]), {
        "template": ("template", [None, 3]), "numbers": ("number", ["1", [1], [None], [], None])}),
    ("say", words.say, dict(text="step", language="ko"), {
        "text": ("text", [None, 3]), "language": ("language", ["fr", None, 3])}),
    ("translate_texts", words.translate_texts, dict(fig=Figure(), language="ko"), {
        "fig": ("fig", [None, "x"]), "language": ("language", ["fr", None])}),
    ("translate_figure", words.translate_figure, dict(fig=Figure(), language="ko"), {
        "fig": ("fig", [None, "x"]), "language": ("language", ["fr", None])}),
    ("printed_templates", words.printed_templates, dict(notebook={"cells": []}), {
        "notebook": ("notebook", [None, [], {"no": "cells"}, "x"])}),
    ("words_comment", words.words_comment, dict(templates=["step"]), {"templates": ("templates", ["step", [3], None])}),
    ("Bilingual", widgets.Bilingual, dict(english=ipywidgets.HTML("a"), korean=ipywidgets.HTML("b")), {
        "english": ("english", [None, "x"]), "korean": ("korean", [None, "x"]), "templates": ("templates", ["x", [3]])}),
    ("Picture", widgets.Picture, dict(fig=Figure()), {"fig": ("fig", [None, "x"]), "palette": ("palette", NOT_BOOLS)}),
]

NOT_WORDS = [None, 3, 1.5, b"3", ["3"], "", " ", "3.", "!", "…", ")"]  # not strings, or nothing read aloud
CASES += [  # Korean particles by rule, and the browser code the explorers ship
    ("final_consonant", korean.final_consonant, dict(word="1.33"), {"word": ("word", NOT_WORDS)}),
    ("has_final", korean.has_final, dict(word="10"), {"word": ("word", NOT_WORDS)}),
    ("final_is_rieul", korean.final_is_rieul, dict(word="7"), {"word": ("word", NOT_WORDS)}),
    ("particle", korean.particle, dict(word="1.33", pair="을/를"), {
        "word": ("word", NOT_WORDS), "pair": ("pair", [None, "를/을", "(으)로", "을", "의", 3, ["을/를"]])}),
    ("resolve_particles", korean.resolve_particles, dict(text="1.33을/를 내림해 1이/가 된다"), {
        "text": ("text", [None, 3, "1이/가".encode(), ["1이/가"]])}),
    ("module_text", widgets.module_text, dict(network=True), {"network": ("network", NOT_BOOLS + ["network"])}),
]

PARAMS = [pytest.param(fn, good, arg, words, bad, id=f"{name}-{arg}-{i}")
          for name, fn, good, args in CASES
          for arg, (words, bads) in args.items()
          for i, bad in enumerate(bads)]


@pytest.mark.parametrize("fn, good, arg, words, bad", PARAMS)
def test_a_bad_argument_is_a_value_error_naming_it(fn, good, arg, words, bad):
    with pytest.raises(ValueError) as err:
        fn(**(good | {arg: bad}))
    assert words in str(err.value)


def test_the_table_is_large_and_its_good_calls_work():
    assert len(PARAMS) >= 800
    for name, fn, good, _ in CASES:
        fn(**good)  # the good arguments really are good: the bad ones above are what fails


@pytest.mark.parametrize("integer", [np.int64(3), np.int32(3), torch.tensor(3)])
def test_any_integer_type_is_an_integer(integer):
    assert shapes.conv_output_size(integer, 3, 1, 0) == 1
    assert shapes.conv_params(integer, 1, 3).total == 30
    assert models.ConvolutionalNeuralNetworkClass(xdim=[1, 8, 8], ksize=integer, cdims=[integer], hdims=[4], ydim=2)


def test_a_numpy_float_learning_rate_is_a_number():
    train.fit(toy_model(), toy_data(), epochs=1, lr=np.float32(1e-3), progress=False)
    assert math.isfinite(train.evaluate(toy_model(), toy_data().test_x, toy_data().test_y)[0])


MODULES = [backward, conv, data, experiments, korean, models, quiz, shapes, train, viz, widgets, words]


@pytest.mark.parametrize("module", MODULES, ids=lambda m: m.__name__)
def test_every_public_name_is_in_the_table_or_exempt_with_a_reason(module):
    tested = {fn for _, fn, _, _ in CASES}
    missing = [name for name in module.__all__ if name not in EXEMPT and getattr(module, name) not in tested]
    assert not missing, f"add bad-argument cases for {module.__name__}: {missing}"
