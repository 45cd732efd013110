import math

import paddle
import pytest

from app import models, registry, texts
from app.inputs import InputError
from app.texts import layer_title

# The tutorial's table, and the shapes its own code gives.
LENET5_SHAPES = [(6, 28, 28), (6, 14, 14), (16, 10, 10), (16, 5, 5), (120,), (84,), (10,)]
TUTORIAL_SHAPES = [(6, 24, 24), (6, 12, 12), (16, 8, 8), (16, 4, 4), (120,), (64,), (10,)]


@pytest.mark.parametrize("name, shapes", [("lenet5", LENET5_SHAPES), ("tutorial", TUTORIAL_SHAPES)])
def test_every_layer_has_the_shape_the_formula_gives(name, shapes):
    network = registry.get(name).build()
    assert [info.shape for info in network.infos] == shapes
    logits, activations = network(paddle.zeros([3, 1, 28, 28]), with_activations=True)
    assert logits.shape == [3, 10]
    for info, activation in zip(network.infos, activations.values(), strict=True):
        if len(info.shape) == 3:
            assert tuple(activation.shape[1:]) == info.shape
        else:  # a vector, or C5's 120@1×1
            assert math.prod(activation.shape[1:]) == info.shape[0]


def test_lenet5_reads_like_the_tutorial():
    titles = [(layer_title(info), info.formula) for info in registry.get("lenet5").build().infos]
    assert titles[0] == ("C1 · conv 5×5 · 6@28×28", "(28 − 5 + 4)/1 + 1 = 28")
    assert titles[2] == ("C3 · conv 5×5 · 16@10×10", "(14 − 5 + 0)/1 + 1 = 10")
    assert titles[4] == ("C5 · conv 5×5 · 120", "(5 − 5 + 0)/1 + 1 = 1")
    assert titles[5] == ("F6 · fully connected · 84", None)


def test_tutorial_follows_its_code_not_its_comments():
    activations = [(layer.name, layer.activation) for layer in models.TUTORIAL]
    assert activations == [("conv1", "sigmoid"), ("max_pool1", "sigmoid"), ("conv2", None),
                           ("max_pool2", None), ("conv3", None), ("fc1", "sigmoid"), ("fc2", None)]


def test_parameter_counts():
    count = lambda name: sum(p.size for p in registry.get(name).build().parameters())  # noqa: E731
    # LeNet-5: 156 + 2,416 + 48,120 + 10,164 + 850
    assert count("lenet5") == 61_706
    assert count("tutorial") == 156 + 2_416 + 30_840 + 7_744 + 650


def test_unknown_model_is_named_in_the_error_in_both_languages():
    with pytest.raises(InputError, match="unknown model 'alexnet'; choose one of lenet5") as refusal:
        registry.get("alexnet")
    assert refusal.value.code == "unknown_model"
    assert texts.error_text(refusal.value, "zh-CN").startswith("没有叫 alexnet 的模型；可选：lenet5")


def test_an_unknown_layer_kind_is_an_error_not_a_silent_linear():
    with pytest.raises(ValueError, match="unknown kind 'dense'"):
        models.Layer("D1", "dense", 10)
    with pytest.raises(ValueError, match="unknown activation"):
        models.Layer("C1", "conv", 6, kernel=5, activation="tanh")


def test_a_name_is_registered_once():
    with pytest.raises(ValueError, match="already registered"):
        registry.register(registry.get("lenet5"))


@pytest.mark.parametrize("name, fields", [
    ("lenet5", {"C1": (5, 1, -2), "S2": (6, 2, -2), "C3": (14, 2, -2), "S4": (16, 4, -2), "C5": (32, 4, -2)}),
    ("tutorial", {"conv1": (5, 1, 0), "max_pool1": (6, 2, 0), "conv2": (14, 2, 0), "max_pool2": (16, 4, 0),
                  "conv3": (28, 4, 0)}),
])
def test_receptive_fields_follow_the_formula(name, fields):
    infos = models.describe(registry.get(name).layers)
    assert {info.name: (info.field.size, info.field.jump, info.field.start)
            for info in infos if info.field} == fields
    c3 = next(info for info in infos if info.name in ("C3", "conv2"))
    top, left, bottom, right = c3.field.box(1, 3)
    assert (bottom - top, right - left) == (14, 14) and (top, left) == (fields[c3.name][2] + 2, fields[c3.name][2] + 6)
