"""The networks, each written as a list of layers so the page can show every one.

A `Layer` is one conv, pool or fully connected layer and the activation after it. The
list is the single description of a network: Paddle layers are built from it, and each
layer's output shape comes from it by the tutorial's formula out = (in - k + 2p) / s + 1,
and its receptive field by r_out = r_in + (k - 1)·j_in, j_out = j_in·s. The tests check
both against real forward and backward passes.
"""

import math
from dataclasses import dataclass

import paddle
from paddle import nn
from paddle.nn import functional as F

IMAGE_SIZE = 28
NUM_CLASSES = 10
# MNIST's pixel mean and standard deviation; the network normalises its own input so the
# app, training and evaluation can never disagree about it.
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081

KINDS = ("conv", "pool", "fc")
ACTIVATIONS = {"relu": F.relu, "sigmoid": F.sigmoid}


@dataclass(frozen=True)
class Layer:
    name: str                     # what the page calls it, e.g. "C1"
    kind: str                     # one of KINDS
    size: int = 0                 # output channels (conv), or output features (fc)
    kernel: int = 0
    stride: int = 1
    padding: int = 0
    activation: str | None = None  # a key of ACTIVATIONS, or None

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"layer {self.name}: unknown kind {self.kind!r}; one of {', '.join(KINDS)}")
        if self.activation is not None and self.activation not in ACTIVATIONS:
            raise ValueError(f"layer {self.name}: unknown activation {self.activation!r}")
        if self.kind != "fc" and self.kernel < 1:
            raise ValueError(f"layer {self.name}: a {self.kind} layer needs a kernel size")
        if self.kind != "pool" and self.size < 1:
            raise ValueError(f"layer {self.name}: a {self.kind} layer needs a size")


@dataclass(frozen=True)
class Field:
    """What one cell of a map sees of the input: a `size`-pixel square, cells `jump`
    pixels apart, the first one's top-left corner at `start` (negative: in the padding)."""
    size: int
    jump: int
    start: int

    def box(self, y: int, x: int) -> tuple[int, int, int, int]:
        """(top, left, bottom, right) in input pixels, bottom and right exclusive, not clipped."""
        top, left = self.start + y * self.jump, self.start + x * self.jump
        return top, left, top + self.size, left + self.size


@dataclass(frozen=True)
class LayerInfo:
    """One layer as a learner sees it: 'C1 · conv 5×5 · 6@28×28'."""
    name: str
    kind: str
    kernel: int
    shape: tuple[int, ...]   # (C, H, W) for maps, (N,) for vectors
    formula: str | None      # the tutorial's formula filled in; None for fully connected
    field: Field | None      # receptive field of one cell; None for fully connected

    @property
    def is_map(self) -> bool:
        return len(self.shape) == 3


def output_size(in_size: int, layer: Layer) -> int:
    """The tutorial's formula: out = (in - k + 2p) / s + 1."""
    return (in_size - layer.kernel + 2 * layer.padding) // layer.stride + 1


def formula(in_size: int, layer: Layer) -> str:
    """The formula with this layer's numbers filled in, as the tutorial writes it."""
    return (f"({in_size} − {layer.kernel} + {2 * layer.padding})/{layer.stride} + 1"
            f" = {output_size(in_size, layer)}")


def grow(field: Field, layer: Layer) -> Field:
    """r_out = r_in + (k − 1)·j_in, j_out = j_in·s; padding moves the first cell outwards."""
    return Field(field.size + (layer.kernel - 1) * field.jump, field.jump * layer.stride,
                 field.start - layer.padding * field.jump)


def describe(layers: tuple[Layer, ...]) -> list[LayerInfo]:
    """Each layer's output shape and receptive field, walked through from the 1@28×28 input."""
    infos, size, field = [], IMAGE_SIZE, Field(1, 1, 0)
    for layer in layers:
        if layer.kind == "fc":
            infos.append(LayerInfo(layer.name, "fc", 0, (layer.size,), None, None))
            size = 1
            continue
        text, size, field = formula(size, layer), output_size(size, layer), grow(field, layer)
        channels = layer.size if layer.kind == "conv" else infos[-1].shape[0] if infos else 1
        # A 1×1 map is a vector: the classic C5 is a conv that acts as fully connected.
        shape = (channels,) if size == 1 else (channels, size, size)
        infos.append(LayerInfo(layer.name, layer.kind, layer.kernel, shape, text, field))
    return infos


def _build_layer(layer: Layer, in_shape: tuple[int, ...]) -> nn.Layer:
    if layer.kind == "conv":
        return nn.Conv2D(in_shape[0], layer.size, layer.kernel, layer.stride, layer.padding)
    if layer.kind == "pool":
        return nn.MaxPool2D(layer.kernel, layer.stride, layer.padding)
    return nn.Linear(math.prod(in_shape), layer.size)


class Network(nn.Layer):
    """A chain of layers; forward can hand back every layer's output for the page."""

    def __init__(self, layers: tuple[Layer, ...]):
        super().__init__()
        self.layers = layers
        self.infos = describe(layers)
        in_shape = (1, IMAGE_SIZE, IMAGE_SIZE)
        for layer, info in zip(layers, self.infos, strict=True):
            # Registered under the layer's name, so weights files read "C1.weight".
            self.add_sublayer(layer.name, _build_layer(layer, in_shape))
            in_shape = info.shape

    def forward(self, images: paddle.Tensor, with_activations: bool = False):
        """images: (B, 1, 28, 28) in [0, 1]. Returns logits, and every layer's output if asked."""
        x = (images - MNIST_MEAN) / MNIST_STD
        activations = {}
        for layer in self.layers:
            if layer.kind == "fc":
                x = x.flatten(1)
            x = self._sub_layers[layer.name](x)
            if layer.activation:
                x = ACTIVATIONS[layer.activation](x)
            if with_activations:
                activations[layer.name] = x
        return (x, activations) if with_activations else x

    def __repr__(self) -> str:
        """The tutorial's table: each layer, its output and the formula that gives it."""
        rows = [f"{info.name:<10} {info.kind:<5} {'×'.join(map(str, info.shape)):<10} {info.formula or ''}"
                for info in self.infos]
        return "\n".join([f"{'layer':<10} {'kind':<5} {'output':<10} out = (in − k + 2p)/s + 1", *rows])


# LeNet-5 as the tutorial's table gives it. Its 32×32 input is MNIST's 28×28 padded by 2.
LENET5 = (
    Layer("C1", "conv", 6, kernel=5, padding=2, activation="relu"),
    Layer("S2", "pool", kernel=2, stride=2),
    Layer("C3", "conv", 16, kernel=5, activation="relu"),
    Layer("S4", "pool", kernel=2, stride=2),
    Layer("C5", "conv", 120, kernel=5, activation="relu"),
    Layer("F6", "fc", 84, activation="relu"),
    Layer("OUTPUT", "fc", NUM_CLASSES),
)

# The tutorial's Paddle code, layer for layer: note the sigmoid after the first pool,
# and none after conv2 or conv3 (its comment says every conv has one; the code wins).
TUTORIAL = (
    Layer("conv1", "conv", 6, kernel=5, activation="sigmoid"),
    Layer("max_pool1", "pool", kernel=2, stride=2, activation="sigmoid"),
    Layer("conv2", "conv", 16, kernel=5),
    Layer("max_pool2", "pool", kernel=2, stride=2),
    Layer("conv3", "conv", 120, kernel=4),
    Layer("fc1", "fc", 64, activation="sigmoid"),
    Layer("fc2", "fc", NUM_CLASSES),
)

# No convolutions at all: 784 → 16 → 16 → 10, the network of the best-known video lessons.
MLP = (
    Layer("H1", "fc", 16, activation="relu"),
    Layer("H2", "fc", 16, activation="relu"),
    Layer("OUTPUT", "fc", NUM_CLASSES),
)
