"""The served API: what outside code calls, listed in the page's API docs; and how any of the
page's routes answers a call it refuses."""

import io

import gradio as gr
from gradio.data_classes import FileData

from app.decode import read_image
from app.preprocess import InputError
from app.server import log
from app.ui import state
from app.uploads import UPLOADS

# Whatever is wrong with a path (not uploaded, read already, missing, a folder, a file of the
# server's), the caller gets these words, which tell nothing about what is on the server.
NOT_UPLOADED = "expected an image file uploaded with the call, e.g. gradio_client.handle_file('digit.png')"


def refused(route: str, error: Exception) -> gr.Error:
    """What a caller is told about a call that cannot be answered: the error's message, and one
    line in the server's log (Gradio would print a traceback)."""
    log(f"/{route}: {error}")
    return gr.Error(str(error), print_exception=False)


def predict(image: FileData) -> dict:
    """The digit in an image file and each digit's probability; label is null for a blank image."""
    # gr.api hands over whatever JSON the caller sent: read nothing but an upload no call has
    # read yet (reading deletes it).
    data = UPLOADS.take(image.get("path") if isinstance(image, dict) else None)
    try:
        if data is None:
            raise InputError(NOT_UPLOADED)
        result = state.classifier(state.DEFAULT).predict(read_image(io.BytesIO(data)), with_activations=False)
    except InputError as error:
        raise refused("predict", error) from None
    return {"label": result.label,
            "probabilities": {str(d): round(float(p), 5) for d, p in enumerate(result.probabilities)}}


def wire() -> None:
    """Inside the page's gr.Blocks: the API's routes."""
    gr.api(predict, api_name="predict")
