"""The two LeNets, written as a list of named stages so the page can show every one.

A stage is one layer (conv, pool or fully connected) and the activation after it. The
stage list is the single description of a network: Paddle layers are built from it, and
each stage's output shape is worked out from it with the tutorial's formula
out = (in - k + 2p) / s + 1, which the tests check against a real forward pass.
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


@dataclass(frozen=True)
class Stage:
    name: str                     # what the page calls it, e.g. "C1"
    kind: str                     # "conv", "pool" or "fc"
    size: int                     # output channels (conv), or output features (fc)
    kernel: int = 0
    stride: int = 1
    padding: int = 0
    activation: str | None = None  # "relu", "sigmoid" or None


LENET5 = (
    # The tutorial's 32×32 input is MNIST's 28×28 padded by 2 on each side.
    Stage("C1", "conv", 6, kernel=5, padding=2, activation="relu"),
    Stage("S2", "pool", 6, kernel=2, stride=2),
    Stage("C3", "conv", 16, kernel=5, activation="relu"),
    Stage("S4", "pool", 16, kernel=2, stride=2),
    Stage("C5", "conv", 120, kernel=5, activation="relu"),
    Stage("F6", "fc", 84, activation="relu"),
    Stage("OUTPUT", "fc", NUM_CLASSES),
)

# The tutorial's Paddle code, layer for layer: note the sigmoid after the first pool,
# and none after conv2 or conv3 (its comment says every conv has one; the code wins).
TUTORIAL = (
    Stage("conv1", "conv", 6, kernel=5, activation="sigmoid"),
    Stage("max_pool1", "pool", 6, kernel=2, stride=2, activation="sigmoid"),
    Stage("conv2", "conv", 16, kernel=5),
    Stage("max_pool2", "pool", 16, kernel=2, stride=2),
    Stage("conv3", "conv", 120, kernel=4),
    Stage("fc1", "fc", 64, activation="sigmoid"),
    Stage("fc2", "fc", NUM_CLASSES),
)

ARCHITECTURES = {"lenet5": LENET5, "tutorial": TUTORIAL}
DEFAULT_MODEL = "lenet5"


def output_size(in_size: int, stage: Stage) -> int:
    """The tutorial's formula: out = (in - k + 2p) / s + 1."""
    return (in_size - stage.kernel + 2 * stage.padding) // stage.stride + 1


def formula(in_size: int, stage: Stage) -> str:
    """The formula with this stage's numbers filled in, as the tutorial writes it."""
    return (f"({in_size} − {stage.kernel} + {2 * stage.padding})/{stage.stride} + 1"
            f" = {output_size(in_size, stage)}")


@dataclass(frozen=True)
class LayerInfo:
    """One stage as a learner sees it: 'C1 · conv 5×5 · 6@28×28'."""
    name: str
    kind: str
    shape: tuple[int, ...]   # (C, H, W) for maps, (N,) for vectors
    formula: str | None      # None for fully connected layers

    @property
    def title(self) -> str:
        if len(self.shape) == 1:
            return f"{self.name} · {self.kind} · {self.shape[0]}"
        channels, height, width = self.shape
        return f"{self.name} · {self.kind} · {channels}@{height}×{width}"


def describe(stages: tuple[Stage, ...]) -> list[LayerInfo]:
    """Each stage's output shape, walked through from the 1@28×28 input."""
    infos, size = [], IMAGE_SIZE
    for stage in stages:
        if stage.kind == "fc":
            infos.append(LayerInfo(stage.name, "fully connected", (stage.size,), None))
            continue
        text = formula(size, stage)
        size = output_size(size, stage)
        kind = f"{stage.kind} {stage.kernel}×{stage.kernel}"
        if stage.kind == "conv" and size == 1:
            # A 1×1 map is a vector: the classic C5 is a conv that acts as fully connected.
            infos.append(LayerInfo(stage.name, kind, (stage.size,), text))
        else:
            infos.append(LayerInfo(stage.name, kind, (stage.size, size, size), text))
    return infos


ACTIVATIONS = {"relu": F.relu, "sigmoid": F.sigmoid}


def _build_layer(stage: Stage, in_features: int) -> nn.Layer:
    if stage.kind == "conv":
        return nn.Conv2D(in_features, stage.size, stage.kernel, stage.stride, stage.padding)
    if stage.kind == "pool":
        return nn.MaxPool2D(stage.kernel, stage.stride, stage.padding)
    return nn.Linear(in_features, stage.size)


class LeNet(nn.Layer):
    """A chain of stages; forward can hand back every stage's output for the page."""

    def __init__(self, stages: tuple[Stage, ...]):
        super().__init__()
        self.stages = stages
        self.infos = describe(stages)
        in_shape = (1, IMAGE_SIZE, IMAGE_SIZE)
        for stage, info in zip(stages, self.infos):
            in_features = in_shape[0] if stage.kind == "conv" else math.prod(in_shape)
            # Registered under the stage's name, so weights files read "C1.weight".
            self.add_sublayer(stage.name, _build_layer(stage, in_features))
            in_shape = info.shape

    def forward(self, images: paddle.Tensor, with_activations: bool = False):
        """images: (B, 1, 28, 28) in [0, 1]. Returns logits, and the stage outputs if asked."""
        x = (images - MNIST_MEAN) / MNIST_STD
        activations = {}
        for stage in self.stages:
            if stage.kind == "fc":
                x = x.flatten(1)
            x = self._sub_layers[stage.name](x)
            if stage.activation:
                x = ACTIVATIONS[stage.activation](x)
            activations[stage.name] = x
        return (x, activations) if with_activations else x


def build(name: str = DEFAULT_MODEL) -> LeNet:
    if name not in ARCHITECTURES:
        raise KeyError(f"unknown model {name!r}; choose one of {', '.join(ARCHITECTURES)}")
    return LeNet(ARCHITECTURES[name])
