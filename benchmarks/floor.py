"""The floor under a served request: a Gradio app whose routes do nothing, launched exactly
as `python -m app` is (app.server.launch: the same queue, guard and limits), that answers
the pad's read (POST /read) with a read's reply and /predict (Gradio's, and POST /predict)
with a /predict's, computed once.

python -m benchmarks.floor --port 7861
What a request to it costs the server is what Gradio and the guard cost; the rest of a real
one is ours.
"""

import argparse
import base64

import gradio as gr
import orjson
from starlette.responses import Response

from app.ui.reading import answered
from tests.helpers.digits import DRAWN


def build() -> tuple[gr.Blocks, dict]:
    """The page, and its routes outside Gradio."""
    from app.ui import state

    state.load_classifiers()
    drawing = "data:image/png;base64," + base64.b64encode(DRAWN[0].read_bytes()).decode()
    reply = answered([drawing, "lenet5", "en", None])
    answer = {"label": 7, "probabilities": {str(digit): 0.1 for digit in range(10)}}

    async def read(scope, body: bytes) -> Response:
        return Response(reply, media_type="application/json")

    async def posted(scope, body: bytes) -> Response:
        return Response(orjson.dumps(answer), media_type="application/json")

    def predict(image: gr.FileData, model: str = "lenet5") -> dict:
        return answer

    with gr.Blocks() as demo:
        gr.api(predict, api_name="predict")
    return demo, {"/read": read, "/predict": posted}


def main() -> None:
    from app import server
    from app.logins import Logins

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=7861)
    args = parser.parse_args()
    server.isolate_uploads()
    demo, routes = build()
    server.launch(demo, "127.0.0.1", args.port, Logins(None), routes=routes)
    print(f"* Running on local URL: {demo.local_url}", flush=True)
    demo.block_thread()


if __name__ == "__main__":
    main()
