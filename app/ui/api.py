"""The served API: what outside code calls, listed in the page's API docs."""

from pathlib import Path

import gradio as gr
from gradio.data_classes import FileData

from app.decode import read_image
from app.preprocess import InputError
from app.ui import state


def predict(image: FileData) -> dict:
    """The digit in an image file and each digit's probability; label is null for a blank image."""
    # gr.api hands over whatever JSON the caller sent, and checks a path only when the
    # caller marks it as a file: read nothing but what was uploaded to this server.
    path = image.get("path") if isinstance(image, dict) else None
    uploads = Path(gr.utils.get_upload_folder()).resolve()
    if not isinstance(path, str) or not Path(path).resolve().is_relative_to(uploads):
        raise gr.Error("expected an image file uploaded with the call, e.g. gradio_client.handle_file('digit.png')")
    try:
        result = state.classifier(state.DEFAULT).predict(read_image(path), with_activations=False)
    except InputError as error:
        raise gr.Error(str(error)) from None
    return {"label": result.label,
            "probabilities": {str(d): round(float(p), 5) for d, p in enumerate(result.probabilities)}}


def wire() -> None:
    """Inside the page's gr.Blocks: the API's routes."""
    gr.api(predict, api_name="predict")
