"""The network panel: the pipeline's steps and every layer's maps for the current drawing,
painted in the browser (js/paint.js, js/network.js) from compact arrays. A tapped cell of
a map comes back as the 'lens' event; its gradient goes to the page as the `gradient` prop."""

from pathlib import Path

import gradio as gr
import numpy as np

from app import registry, texts
from app.inference import DigitClassifier, Prediction
from app.models import IMAGE_SIZE
from app.preprocess import MNIST_SHAPED, placement
from app.render import blank, packed, thumbnail, thumbnail_side
from app.ui.look import EMPTY_STEPS, NETWORK, STEP_SIZE, THUMBNAIL

JS = "\n".join((Path(__file__).parent / "js" / name).read_text() for name in ("paint.js", "network.js"))
TEMPLATE = '<div class="ll-net"></div>'
# The steps that show input pixels, for the lens; an MNIST-shaped digit is its own input.
ROLES = {"crop": "crop", "28×28": "input", MNIST_SHAPED: "input", "padded": "padded"}
WORDS = {MNIST_SHAPED: "mnist_shaped"}  # steps whose words go by another key


def _step(name: str, array: dict, words: dict, palette: str, padding: int = 0) -> dict:
    rows, cols = array["shape"]
    caption = words["steps"][WORDS.get(name, name)].format(padding=padding)
    return {"name": name, "caption": f"{caption} · {cols}×{rows}", "array": array, "palette": palette,
            "size": STEP_SIZE["28×28" if name == MNIST_SHAPED else name], "role": ROLES.get(name)}


def _steps(result: Prediction | None, padding: int, words: dict) -> list[dict]:
    if result is None or result.input is None:
        arrays = {name: blank(shape) for name, shape in EMPTY_STEPS.items()}
    else:
        arrays = {name: packed(thumbnail(image, THUMBNAIL), 0, 1) for name, image in result.steps.items()}
    steps = [_step(name, array, words, "grey" if ROLES.get(name) == "input" else "ink")
             for name, array in arrays.items()]
    if padding:  # the tutorial's 32×32: what C1 actually convolves
        padded = (packed(np.pad(result.input, padding), 0, 1) if result is not None and result.input is not None
                  else blank((IMAGE_SIZE + 2 * padding,) * 2))
        steps.append(_step("padded", padded, words, "grey", padding))
    return steps


def payload(clf: DigitClassifier, language: str, result: Prediction | None = None) -> dict:
    """What js/network.js paints: the steps, every layer (empty before the first drawing)."""
    words = texts.words(language)
    drawn = result is not None and result.input is not None
    layers = []
    for index, info in enumerate(clf.infos):
        array = packed(result.activations[info.name]) if drawn else blank(info.shape)
        field = info.field if info.is_map else None
        layers.append({
            "name": info.name, "title": texts.layer_title(info, language), "formula": info.formula,
            "form": "output" if index == len(clf.infos) - 1 else "map" if info.is_map else "vector",
            "field": field and {"size": field.size, "jump": field.jump, "start": field.start,
                                "text": texts.field_text(clf.infos, index, language)},
            "scale": words["scale"].format(low=f"{array['low']:.2g}", high=f"{array['high']:.2g}") if drawn else "",
            "array": array})
    first = clf.network.layers[0]
    padding = first.padding if first.kind == "conv" else 0
    where = crop_placement(result) if drawn else None
    return {"model": clf.name, "lang": language, "side": IMAGE_SIZE, "padding": padding, "layers": layers,
            "steps": _steps(result, padding, words),
            "placement": where and dict(zip(("scale", "top", "left"), where, strict=True)),
            # A network without maps (the MLP) has nothing to tap.
            "words": {"tap": words["tap"] if any(info.is_map for info in clf.infos) else "",
                      "keys": words["keys"], "sees": words["sees"], "clipped": words["clipped"]}}


def crop_placement(result: Prediction) -> tuple[float, int, int] | None:
    """How the crop's thumbnail (as the page gets it) sits in the 28×28: (scale, top, left)."""
    where = placement(result.steps)
    if where is None:
        return None
    crop = result.steps["crop"]
    return where[0] * max(crop.shape) / thumbnail_side(crop.shape, THUMBNAIL), where[1], where[2]


def heading(model: str, language: str) -> str:
    return f"### {texts.words(language)['network']} · `{model}`: {registry.get(model).about[language]}"


def view(clf: DigitClassifier, language: str) -> gr.HTML:
    return gr.HTML(value=payload(clf, language), html_template=TEMPLATE, js_on_load=JS, elem_id="network",
                   gradient=None, look=NETWORK)


def lens_payload(clf: DigitClassifier, image: np.ndarray, cell: dict, language: str) -> dict:
    """The gradient of the tapped unit, as js/network.js lays it over the 28×28."""
    words = texts.words(language)
    value, gradient = clf.unit_gradient(image, cell["layer"], cell["channel"], cell["y"], cell["x"])
    strength = np.abs(gradient)
    dead = value == 0 or not strength.any()
    return {**cell, "note": words["dead"] if dead else words["gradient"],
            "heat": None if dead else packed(strength / strength.max(), 0, 1)}
