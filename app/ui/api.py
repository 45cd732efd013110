"""The served API: what outside code calls, listed in the page's API docs."""

from pathlib import Path

import gradio as gr
from gradio.data_classes import FileData

from app import registry
from app.preprocess import InputError, read_image
from app.ui import state


def _uploaded_image(image: FileData):
    """The image file sent with the call, read; or a clear error."""
    # gr.api hands over whatever JSON the caller sent, and checks a path only when the
    # caller marks it as a file: read nothing but what was uploaded to this server.
    path = image.get("path") if isinstance(image, dict) else None
    uploads = Path(gr.utils.get_upload_folder()).resolve()
    if not isinstance(path, str) or not Path(path).resolve().is_relative_to(uploads):
        raise gr.Error("expected an image file uploaded with the call, e.g. gradio_client.handle_file('digit.png')",
                       print_exception=False)
    return read_image(path)


def _refusing(call):
    """Run a call, turning the library's refusals into the API's clear errors."""
    try:
        return call()
    except (InputError, state.UnknownModel, ValueError) as error:
        raise gr.Error(str(error), print_exception=False) from None


def predict(image: FileData, model: str = registry.DEFAULT_MODEL) -> dict:
    """The digit in an image file and each digit's probability; label is null for a blank image."""
    result = _refusing(lambda: state.classifier(model).predict(_uploaded_image(image), with_activations=False))
    return {"label": result.label,
            "probabilities": {str(d): round(float(p), 5) for d, p in enumerate(result.probabilities)}}


def explain(image: FileData, rival: int | None = None, model: str = registry.DEFAULT_MODEL) -> dict:
    """Why the digit in an image file: Integrated Gradients of its score (minus the rival's, if
    given) from a blank 28×28, as 28 rows of 28 numbers that add up to the change in score;
    label and attribution are null for a blank image."""
    if rival is not None and (isinstance(rival, bool) or not isinstance(rival, int)):
        raise gr.Error("rival must be a digit, 0–9, or null", print_exception=False)
    explanation = _refusing(lambda: state.classifier(model).explain(_uploaded_image(image), rival=rival))
    attribution = explanation.attribution
    return {"label": explanation.label, "rival": explanation.rival,
            "attribution": None if attribution is None else attribution.round(5).tolist()}


def wire() -> None:
    """Inside the page's gr.Blocks: the API's routes."""
    gr.api(predict, api_name="predict")
    gr.api(explain, api_name="explain")
