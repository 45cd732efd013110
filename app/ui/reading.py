"""The read on every stroke: the answer card, every layer's maps and the Why button's words
for the drawing as it is now, asked by the pad itself (js/pad.js) with a POST to /read
rather than a queued event.

A queued event costs the server 7–8 ms of Gradio's own CPU before any work of ours (joining
the queue, the event stream, per-component processing), a call to a gr.HTML server function
1.5–2 ms; /read is answered by the server's guard (app.server) for 0.3–0.5 ms, behind the
same login. Waiting is bounded as the queue bounds it: state.READERS work in turn, first come
first served, and the guard turns away reads past the app's queue size before reading them.
"""

import asyncio
import math

import orjson
from starlette.responses import Response

from app import texts
from app.decode import read_data_url
from app.guard import log
from app.inputs import InputError
from app.ui import answer, api, network, shown, state


def ask_label(label: int | None, language: str) -> str:
    """'Why 7?', or 'Why …?' before there is a digit."""
    return texts.words(language)["why"].format(digit=label if label is not None else "…")


def reply(drawing: str, model: str, language: str, checkpoint=None) -> dict:
    """The page's answer for a drawing (a PNG data URL, '' for a blank pad), read by `model`
    as it was at training checkpoint `checkpoint` (None: the shipped weights)."""
    clf = state.classifier(model, checkpoint)
    result = clf.predict(read_data_url(drawing)) if drawing else None
    label = result.label if result is not None else None
    stamp = shown.stamp(drawing, model, language, checkpoint)
    view = {**network.payload(clf, language, result), "drawing": shown.drawing_of(stamp)}
    return {"card": answer.card(result, language, model, checkpoint), "view": view,
            "ask": ask_label(label, language), "shown": stamp}


def answered(asked) -> bytes:
    """The reply as the page gets it, JSON."""
    return orjson.dumps(_answer(asked))


def _answer(asked) -> dict:
    """Whatever JSON came, a reply or a refusal: each field's type is checked here, as the
    library takes many (a list for the language was a 500 and a 2.8 KB traceback)."""
    if not isinstance(asked, list) or len(asked) != 4:
        return _refusal("expected [drawing, model, language, checkpoint]")
    drawing, model, language, checkpoint = asked
    # Any other language, as the page might one day offer, reads in English.
    page_language = language if isinstance(language, str) and language in texts.LANGUAGES else "en"
    try:
        _check_fields(drawing, language, checkpoint)  # the model is the library's to check
        return reply(drawing, model, page_language, checkpoint)
    except api.REFUSALS as error:
        return _refusal(texts.error_text(error, page_language), error)


def _check_fields(drawing, language, checkpoint) -> None:
    if not isinstance(drawing, str):  # '' for a blank pad: any other falsy value would read as one
        raise InputError(f"expected the drawing as a data URL, got {type(drawing).__name__}", code="not_data_url")
    if not isinstance(language, str):
        raise InputError(f"expected the language as a string such as 'en' or 'zh-CN', got {type(language).__name__}",
                         code="language")
    if checkpoint is None or (isinstance(checkpoint, int) and not isinstance(checkpoint, bool)):
        return  # one past the last, or negative: the shipped weights (state.classifier)
    if not (isinstance(checkpoint, float) and math.isfinite(checkpoint) and checkpoint.is_integer()):
        raise InputError(f"expected the checkpoint as a whole number or null, got {type(checkpoint).__name__}",
                         code="checkpoint")


def _refusal(said: str, error: Exception | None = None) -> dict:
    log(f"/read: {error or said}")  # in English, whatever the page's language
    return {"error": said, "card": answer.refusal_card(said)}


async def read(scope, body: bytes) -> Response:
    """POST /read, the pad's: the JSON [drawing, model, language, checkpoint] → the reply, or
    {"error": why, "card": why as the answer card shows it}, in the page's language."""
    try:
        asked = orjson.loads(body)
    except orjson.JSONDecodeError:
        asked = None
    return Response(await asyncio.get_running_loop().run_in_executor(state.READERS, answered, asked),
                    media_type="application/json")
