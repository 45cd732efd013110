"""The served API: what outside code calls, listed in the page's API docs; and how any of the
page's routes answers a call it refuses.

Besides Gradio's routes, POST /predict takes an image file's bytes as the whole body and
answers /predict's JSON: one request where Gradio's protocol takes three (upload, call,
event stream), for about a third of the server's CPU on the page's canvas (README, Speed).
"""

import asyncio
import io
from urllib.parse import parse_qs

import gradio as gr
import orjson
from gradio.data_classes import FileData
from starlette.responses import Response

from app import texts
from app.decode import read_image
from app.guard import log
from app.inputs import InputError
from app.ui import state
from app.uploads import UPLOADS

# Whatever is wrong with a path (not uploaded, read already, missing, a folder, a file of the
# server's), the caller gets these words, which tell nothing about what is on the server.
NOT_UPLOADED = "expected an image file uploaded with the call, e.g. gradio_client.handle_file('digit.png')"
# The project's own refusals (an unknown model is one): the caller's mistake. Anything else,
# a library's ValueError included, is a bug, and Gradio shows it as one.
REFUSALS = (InputError,)


def refusal(route: str, error: Exception, language: str = "en") -> gr.Error:
    """What a caller is told about a call that cannot be answered: the error's message, in the
    page's language, and one line in the server's log (Gradio would print a traceback)."""
    log(f"/{route}: {error}")
    return gr.Error(texts.error_text(error, language), print_exception=False)


def _uploaded_image(image: FileData):
    """The image uploaded for this call, read: nothing but an upload no call has read yet
    (reading deletes it), whatever JSON the caller sent (gr.api hands all of it over)."""
    data = UPLOADS.take(image.get("path") if isinstance(image, dict) else None)
    if data is None:
        raise InputError(NOT_UPLOADED, code="not_uploaded")
    return read_image(io.BytesIO(data))


def served(model: str | None) -> str:
    """The model a call names, or (None) the server's default: the one `--model` shows first.
    Every route picks it here."""
    return state.DEFAULT if model is None else model


def predict_route(image: FileData, model: str | None = None) -> dict:
    """The digit in an image file and each digit's probability; label is null for a blank image.
    `confident` is false when the drawing does not look like one clear digit. Without a model,
    the server's default."""
    try:
        return _predicted(_uploaded_image(image), served(model))
    except REFUSALS as error:
        raise refusal("predict", error) from None


def _predicted(image, model: str) -> dict:
    result = state.classifier(model).predict(image, with_activations=False)
    return {"label": result.label, "confident": result.confident,
            "probabilities": {str(d): round(float(p), 5) for d, p in enumerate(result.probabilities)}}


async def predict_post(scope, body: bytes) -> Response:
    """POST /predict[?model=NAME&language=zh-CN], the body an image file's bytes: /predict's JSON,
    or 400 and {"error": why} in that language. The server's guard has checked the login, the
    body's size and how many reads are waiting (app.server)."""
    query = {key: values[-1] for key, values in parse_qs(scope["query_string"].decode("latin-1")).items()}
    language = query.get("language") if query.get("language") in texts.LANGUAGES else "en"

    def work() -> tuple[int, dict]:
        try:
            model = served(query.get("model"))
            state.classifier(model)  # an unknown model is refused before the image is decoded
            return 200, _predicted(read_image(io.BytesIO(body)), model)
        except REFUSALS as error:
            log(f"POST /predict: {error}")
            return 400, {"error": texts.error_text(error, language)}

    status, answer = await asyncio.get_running_loop().run_in_executor(state.READERS, work)
    return Response(orjson.dumps(answer), status_code=status, media_type="application/json")


def explain_route(image: FileData, rival: int | None = None, model: str | None = None) -> dict:
    """Why the digit in an image file: Integrated Gradients of its score (minus the rival's, if
    given) from a blank 28×28, as 28 rows of 28 numbers that add up to the change in score;
    label and attribution are null for a blank image. Without a model, the server's default."""
    try:
        if rival is not None and (isinstance(rival, bool) or not isinstance(rival, int)):
            raise InputError("rival must be a digit, 0–9, or null", code="rival")
        explanation = state.classifier(served(model)).explain(_uploaded_image(image), rival=rival)
    except REFUSALS as error:
        raise refusal("explain", error) from None
    attribution = explanation.attribution
    return {"label": explanation.label, "rival": explanation.rival,
            "attribution": None if attribution is None else attribution.round(5).tolist()}


def wire() -> None:
    """Inside the page's gr.Blocks: the API's routes."""
    gr.api(predict_route, api_name="predict")
    gr.api(explain_route, api_name="explain")
