"""The panels' payloads for every registered model, whatever its layers: what the page
paints must match the network it describes."""

import base64

import numpy as np
import pytest

from app import registry, texts
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
    assert [layer["name"] for layer in view["layers"]] == [info.name for info in model.infos]
    for layer, info in zip(view["layers"], model.infos, strict=True):
        values, low, high = decoded(layer["array"]), layer["array"]["low"], layer["array"]["high"]
        assert values.shape == info.shape
        step = (high - low) / 255  # one quantisation step
        assert np.allclose(low + values * step, result.activations[info.name], atol=step / 2 + 1e-4)
        assert (layer["field"] is not None) == info.is_map
    empty = network.payload(model, "zh-CN")
    assert all(layer["array"]["data"] is None for layer in empty["layers"]) and empty["lang"] == "zh-CN"


def test_every_map_can_be_tapped(model, drawings):
    """A live unit's tap gives its gradient, inside its receptive field; a dead unit's says so."""
    result = model.predict(drawings[1][0])
    for info in (info for info in model.infos if info.is_map):
        values = result.activations[info.name]
        channel, y, x = (int(i) for i in np.unravel_index(values.argmax(), values.shape))  # the strongest: live
        lens = network.lens_payload(model, result.input, {"layer": info.name, "channel": channel, "y": y, "x": x}, "en")
        assert lens["note"] == texts.words("en")["gradient"] and lens["heat"] is not None, info.name
        heat = decoded(lens["heat"]).copy()
        assert heat.shape == (28, 28) and heat.max() == 255
        top, left, bottom, right = model.receptive_field(info.name, y, x)
        heat[max(top, 0):bottom, max(left, 0):right] = 0
        assert not heat.any(), f"{info.name}: gradient outside the receptive field"
        dead = np.argwhere(values == 0)
        if len(dead):  # ReLU maps have some
            channel, y, x = (int(i) for i in dead[0])
            lens = network.lens_payload(model, result.input, {"layer": info.name, "channel": channel, "y": y, "x": x},
                                        "en")
            assert lens["heat"] is None and lens["note"] == texts.words("en")["dead"], info.name


def test_the_kernels_panel_shows_what_the_first_layers_weigh(model):
    figures = kernels.figures(model, "en")["figures"]
    assert figures, model.name
    convs = [info for info in model.infos if info.kind == "conv"][:2]
    if convs:
        assert [figure["caption"].split(" ·")[0] for figure in figures] == [info.name for info in convs]
    else:  # no convolutions: one 28×28 picture per unit of the first layer
        assert decoded(figures[0]["array"]).shape == (model.infos[0].shape[0], 28, 28)


def test_no_script_quotes_a_prop_of_its_view():
    """gr.HTML takes any quoted word of its script for a custom event and answers a lookup of
    that name with the event's listener: a prop so named ('reading' in a comment's backticks)
    was sent to the page as a function, and every update of it failed."""
    import re

    import gradio as gr

    from app.ui import page, state

    state.load_classifiers()
    views = [block for block in page.build().blocks.values() if isinstance(block, gr.HTML) and block.js_on_load]
    assert len(views) >= 8  # the pad, the answer, the network and the galleries
    assert any("reading" in view.props for view in views)  # the props are where this test looks
    for view in views:
        props = set(view.props)
        quoted = {prop for prop in props if re.search(rf"""['"`]{re.escape(prop)}['"`]""", view.js_on_load)}
        assert not quoted, (view.elem_id, quoted)


@pytest.mark.parametrize("checkpoint", [None, 3, 3.0, 24, 99, -3, float("nan"), float("inf"), "3"])
def test_the_network_the_slider_and_the_kernels_agree_on_a_checkpoint(checkpoint):
    """One rule for what a page's checkpoint stands for, whatever a caller sends: the network
    used, the slider's position and the kernels' lead name the same step."""
    from app.ui import state, timeline

    state.load_classifiers()
    entries, networks = state.CHECKPOINTS["lenet5"]
    index = state.position("lenet5", checkpoint)
    assert state.classifier("lenet5", checkpoint) is networks[index]
    assert timeline.settings("lenet5", "en", checkpoint)["value"] == index
    assert f"step {entries[index].step:,} of" in kernels.show("lenet5", "en", checkpoint)["lead"]
    assert index == (3 if checkpoint in (3, 3.0) else len(entries) - 1)
