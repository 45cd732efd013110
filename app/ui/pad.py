"""The drawing pad: a canvas the page owns (js/pad.js), with its pen, Undo, Redo, Clear and
the MNIST examples. Its value is the drawing as a PNG data URL. While the pen moves and when
a stroke ends it has the server read the drawing (POST /read, app.ui.reading) with the
model, language and checkpoint in its `reading` prop, and reads again when that prop changes."""

import base64
import io
from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from app.registry import ASSETS

SIDE = 280  # canvas pixels: plenty for a 28×28 input, and cheap to send on every stroke
# Pen widths in canvas pixels. A digit drawn 10–15 % of the canvas tall reads as well as a
# big one up to a 5 px pen (99.0–99.7 % of 300 MNIST test digits redrawn that small, as big
# ones), 98.3 % at 6 px; 8 px drops to 96 %, the old 14 px to 48 % (loops fill in). Measured by
# benchmarks/pen.py.
PEN = {"min": 3, "max": 6, "default": 5}
EXAMPLES = sorted((ASSETS / "examples").glob("*.png"))
JS = "\n".join((Path(__file__).parent / "js" / name).read_text() for name in ("link.js", "pad.js"))

TEMPLATE = """
<div class="ll-pad">
  <canvas class="ll-paper" width="${side}" height="${side}" role="img" aria-label="${labels.pad}"></canvas>
  <p class="ll-broken" role="alert" hidden>${labels.bad_link}</p>
  <div class="ll-tools">
    <button class="ll-undo" title="${labels.undo}" aria-label="${labels.undo}">↶</button>
    <button class="ll-redo" title="${labels.redo}" aria-label="${labels.redo}">↷</button>
    <label class="ll-pen">${labels.pen}
      <input class="ll-size" type="range" min="${pen.min}" max="${pen.max}" step="1" value="${pen.default}"></label>
    <button class="ll-clear">${labels.clear}</button>
  </div>
  <p class="ll-examples-note">${labels.examples}</p>
  <div class="ll-examples">${examples.map((src, i) =>
    `<button data-example="${i}" aria-label="MNIST ${i}"><img src="${src}" alt=""></button>`).join('')}</div>
</div>
"""


def _example_url(path: Path) -> str:
    """An MNIST example as the pad draws it: dark ink on white paper, like a drawing."""
    digit = 255 - np.asarray(Image.open(path).convert("L"))
    buffer = io.BytesIO()
    Image.fromarray(digit).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def labels(words: dict) -> dict:
    return {key: words[key] for key in ("pad", "undo", "redo", "clear", "pen", "examples", "bad_link")}


def asked(model: str, language: str, checkpoint) -> dict:
    """The pad's `reading` prop: what its drawing is read with."""
    return {"model": model, "language": language, "checkpoint": checkpoint}


def pad(words: dict, model: str, language: str) -> gr.HTML:
    return gr.HTML(value="", html_template=TEMPLATE, js_on_load=JS, elem_id="pad", side=SIDE, pen=PEN,
                   labels=labels(words), examples=[_example_url(path) for path in EXAMPLES],
                   reading=asked(model, language, None))
