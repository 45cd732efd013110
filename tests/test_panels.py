"""The panels' payloads for every registered model, whatever its layers: what the page
paints must match the network it describes."""

import base64

import numpy as np
import pytest

from app import registry
from app.inference import DigitClassifier
from app.ui import kernels, network


def decoded(array: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(array["data"]), np.uint8).reshape(array["shape"])


@pytest.fixture(params=list(registry.MODELS))
def model(request):
    """Each registered model, with untrained weights (shapes are what matter here)."""
    return DigitClassifier(request.param, registry.get(request.param).build())


def test_the_network_payload_describes_every_layer(model, drawings):
    result = model.predict(drawings[0][0])
    view = network.payload(model, "en", result)
    assert [layer["name"] for layer in view["layers"]] == [info.name for info in model.layers]
    for layer, info in zip(view["layers"], model.layers, strict=True):
        values, low, high = decoded(layer["array"]), layer["array"]["low"], layer["array"]["high"]
        assert values.shape == info.shape
        step = (high - low) / 255  # one quantisation step
        assert np.allclose(low + values * step, result.activations[info.name], atol=step / 2 + 1e-4)
        assert (layer["field"] is not None) == info.is_map
    empty = network.payload(model, "zh-CN")
    assert all(layer["array"]["data"] is None for layer in empty["layers"]) and empty["lang"] == "zh-CN"


def test_every_map_can_be_tapped(model, drawings):
    image = model.predict(drawings[1][0]).input
    for info in (info for info in model.layers if info.is_map):
        cell = {"layer": info.name, "channel": info.shape[0] - 1, "y": info.shape[1] // 2, "x": info.shape[2] // 2}
        lens = network.lens_payload(model, image, cell, "en")
        assert lens["note"] and (lens["heat"] is None or decoded(lens["heat"]).shape == (28, 28))


def test_the_kernels_panel_shows_what_the_first_layers_weigh(model):
    figures = kernels.figures(model, "en")["figures"]
    assert figures, model.name
    convs = [info for info in model.layers if info.kind == "conv"][:2]
    if convs:
        assert [figure["caption"].split(" ·")[0] for figure in figures] == [info.name for info in convs]
    else:  # no convolutions: one 28×28 picture per unit of the first layer
        assert decoded(figures[0]["array"]).shape == (model.layers[0].shape[0], 28, 28)
