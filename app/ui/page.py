"""The page: a sketchpad wired to DigitClassifier and the renderers. No logic of its own."""

from pathlib import Path

import gradio as gr
import numpy as np
from PIL import Image

from app.decode import read_data_url
from app.preprocess import InputError
from app.registry import ASSETS
from app.render import activations_html, kernels_html, pipeline_html
from app.texts import TRANSLATIONS, language_of
from app.ui import api, state

CANVAS = 280  # canvas pixels: plenty for a 28×28 input, and cheap to copy out per stroke
BRUSH = 14    # a pen 1/20 of the canvas: an MNIST-like stroke once the digit is 20 px
EXAMPLES = sorted((ASSETS / "examples").glob("*.png"))
i18n = gr.I18n(**TRANSLATIONS)

# Sends the drawing once per stroke and keeps the brush selected; see the file's comments.
SKETCHPAD_JS = (Path(__file__).with_name("sketchpad.js").read_text().replace("__CANVAS__", str(CANVAS)))
# An event's js runs in the browser first: it hands over the drawing the script last sent.
WITH_DRAWING = "(drawing, model) => [window.llDrawing || '', model]"

CSS = """
.ll-layers, .ll-pipeline { display: flex; flex-wrap: wrap; gap: 10px 18px; align-items: flex-end; }
.ll-fig { margin: 0; }
.ll-fig img { image-rendering: pixelated; display: block; height: auto; max-width: 100%; }
.ll-fig figcaption { font-size: 12px; line-height: 1.3; margin-top: 3px; font-family: var(--font-mono); }
.ll-scale { display: block; opacity: .8; }
.ll-scale i { display: inline-block; width: 8px; height: 8px; }
.ll-digits { display: flex; width: 200px; max-width: 100%; }
.ll-digits b { flex: 1; text-align: center; font-weight: 600; }
#prediction h2 { font-size: 2rem; }
#examples .gallery { gap: 4px; }
#examples button { width: 40px; height: 40px; min-width: 0; padding: 0; overflow: hidden; }
#examples button * { width: 100% !important; height: 100% !important; max-width: none; object-fit: contain; }
"""


def hint(request: gr.Request | None) -> str:
    """The 'draw a digit' state, in the browser's language (returned values are not i18n'd)."""
    language = language_of(request.headers.get("accept-language", "") if request else "")
    return TRANSLATIONS[language]["draw_hint"]


def read(drawing: str, model_name: str, request: gr.Request):
    try:
        clf = state.classifier(model_name)
        result = clf.predict(read_data_url(drawing))
    except (InputError, state.UnknownModel) as error:
        raise api.refused("read", error) from None
    if result.label is None:
        return hint(request), "", ""
    probabilities = {str(digit): float(p) for digit, p in enumerate(result.probabilities)}
    return (probabilities, pipeline_html(result.steps), activations_html(result.activations, clf.layers))


def kernels(model_name: str) -> str:
    try:
        clf = state.classifier(model_name)
    except state.UnknownModel as error:
        raise api.refused("kernels", error) from None
    convs = [info.name for info in clf.layers if info.kind == "conv"][:2]
    weights = clf.network.state_dict()
    return kernels_html({name: weights[f"{name}.weight"].numpy() for name in convs})


def example(index: int):
    if type(index) is not int or not 0 <= index < len(EXAMPLES):  # the index comes from the caller
        raise api.refused("example", InputError(f"no example {str(index)[:20]!r}; they are 0 to {len(EXAMPLES) - 1}"))
    digit = np.asarray(Image.open(EXAMPLES[index]).resize((CANVAS, CANVAS), Image.Resampling.BILINEAR))
    paper = 255 - digit  # MNIST is light on dark; the canvas is dark ink on white
    return {"background": paper, "layers": [], "composite": paper}


def build() -> gr.Blocks:
    with gr.Blocks(title="LeNet Lens") as demo:
        gr.Markdown(i18n("title"))
        with gr.Row(equal_height=False):
            with gr.Column(scale=4, min_width=300):
                sketch = gr.Sketchpad(
                    elem_id="sketchpad", label=i18n("sketch"), show_label=False, interactive=True, type="numpy",
                    image_mode="L",
                    canvas_size=(CANVAS, CANVAS), layers=False, transforms=(), buttons=[],
                    brush=gr.Brush(default_size=BRUSH, colors=["#000000"], color_mode="fixed"))
                prediction = gr.Label(elem_id="prediction", label=i18n("prediction"), num_top_classes=3)
            with gr.Column(scale=4, min_width=300):
                model = gr.Radio(list(state.CLASSIFIERS), value=state.DEFAULT, label=i18n("model"),
                                 info=i18n("model_info"))
                examples = gr.Dataset(components=["image"], samples=[[str(p)] for p in EXAMPLES],
                                      label=i18n("examples"), elem_id="examples", samples_per_page=len(EXAMPLES),
                                      type="index", layout="gallery")
                gr.Markdown(i18n("pipeline"))
                gr.Markdown(i18n("pipeline_info"))
                pipeline = gr.HTML(elem_id="pipeline")
            with gr.Column(scale=7, min_width=320):
                gr.Markdown(i18n("activations"))
                gr.Markdown(i18n("activations_info"))
                activations = gr.HTML(elem_id="activations")
        with gr.Accordion(i18n("kernels"), open=False):
            gr.Markdown(i18n("kernels_info"))
            show = gr.Button(i18n("show_kernels"), size="sm")
            kernel_view = gr.HTML(elem_id="kernels")
        with gr.Accordion(i18n("how"), open=False):
            gr.Markdown(i18n("how_text"))

        # The Sketchpad is never an event's input (see sketchpad.js): strokes reach the
        # server as a data URL through this hidden pair, once each.
        drawing = gr.Textbox(visible="hidden")
        send = gr.Button(visible="hidden", elem_id="send-drawing")

        outputs = [prediction, pipeline, activations]
        # The page's own events stay callable (the page calls them) but out of the API docs,
        # which list only /predict.
        internal = dict(api_visibility="undocumented", show_progress="hidden")
        stroke = dict(fn=read, inputs=[drawing, model], outputs=outputs, js=WITH_DRAWING,
                      trigger_mode="always_last", **internal)
        send.click(**stroke)
        model.change(**stroke)
        examples.click(example, examples, sketch, **internal).then(
            None, js="() => { [500, 1500].forEach(ms => setTimeout(window.llSend, ms)); }")  # once it is drawn
        show.click(kernels, model, kernel_view, api_visibility="undocumented")
        demo.load(hint, None, prediction, **internal)
        demo.load(None, js=SKETCHPAD_JS)
        api.wire()
    return demo
