"""The served app under load, beside the floor Gradio itself sets: the pad's read of a stroke and
/predict, each at 1, 8 and 32 raw-HTTP clients, against `python -m app` and against
benchmarks.floor (the same launch, endpoints that do nothing); the pad's reads against one
process and against 1 and 2 replicas behind HAProxy; then a soak for memory."""

import base64
import io

from PIL import Image

from benchmarks import load
from tests.helpers.digits import DRAWN
from tests.helpers.servers import start_server, stop_server

LEVELS = {1: 200, 8: 800, 32: 1600}
CROWD = {8: 800, 32: 1600, 64: 1920}  # clients reading at once: requests
HELD_P95 = 0.5  # seconds: the wait a person drawing still takes for following the pen


def page_drawing() -> str:
    """What the page sends per stroke: its 280×280 canvas as a PNG data URL (js/pad.js), here
    with a fixture drawing on it."""
    from app.ui.pad import SIDE

    paper = Image.new("RGBA", (800, 800), "white")
    paper.alpha_composite(Image.open(DRAWN[0]).convert("RGBA"))
    buffer = io.BytesIO()
    paper.convert("RGB").resize((SIDE, SIDE), Image.Resampling.BILINEAR).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def routes(url: str):
    """The pad's read of a stroke, and /predict (Gradio's upload and call, and a POST of the
    bytes) with an 800×800 RGBA drawing and with the page's own 280×280 canvas (a PNG's
    decoding grows with its pixels)."""
    drawing = page_drawing()
    canvas, picture = base64.b64decode(drawing.split(",", 1)[1]), DRAWN[0].read_bytes()

    async def stroke(http, session):
        return await load.read(http, url, [drawing, "lenet5", "en", None])

    def predict(image: bytes):
        async def one(http, session):
            return await load.call(http, url, "predict", [await load.upload(http, url, "digit.png", image), "lenet5"],
                                   session)
        return one

    def posted(image: bytes):
        async def one(http, session):
            return await load.post(http, url, image)
        return one

    return {"stroke": stroke, "/predict": predict(picture), "/predict, 280×280": predict(canvas),
            "POST /predict": posted(picture), "POST /predict, 280×280": posted(canvas)}


def measure(levels=LEVELS) -> list[str]:
    rows = [load.HEADER]
    for name, module in (("app", "app"), ("floor", "benchmarks.floor")):  # one server at a time
        process, url = start_server(module=module)
        try:
            for route, one in routes(url).items():
                load.run(url, process.pid, 4, 40, one)  # warm up
                for clients, requests in levels.items():
                    rows.append(load.run(url, process.pid, clients, requests, one).row(f"{route}, {name}"))
                    print(rows[-1], flush=True)
        finally:
            stop_server(process)
    return rows


def soak(strokes: int) -> str:
    """`strokes` more strokes, 32 clients at a time, and the server's memory before and after."""
    process, url = start_server()
    try:
        one = routes(url)["stroke"]
        load.run(url, process.pid, 8, 200, one)
        before = load.rss_mb(process.pid)
        result = load.run(url, process.pid, 32, strokes, one)
        after = load.rss_mb(process.pid)
    finally:
        stop_server(process)
    return (f"Soak: {result.requests:,} strokes, 32 at a time, in {result.seconds:.0f} s "
            f"({result.requests / result.seconds:.0f}/s), {result.errors} failed; server memory (RSS) "
            f"{before:.0f} MB before, {after:.0f} MB after.")


def capacity(levels=CROWD) -> list[str]:
    """The pad's reads from `levels` clients against one process, then 1 and 2 replicas behind
    HAProxy, one server at a time, the same clients each time. Server CPU is every process
    serving (supervisor, replicas, HAProxy). Then, per setup: the most reads a second held at
    p95 ≤ HELD_P95, and the reads a core can serve at the CPU each read cost the server (the
    clients run on the same cores and take their own share, shown beside)."""
    rows, held = [load.HEADER], []
    print(load.HEADER, flush=True)
    for name, args in (("one process", ()), ("1 replica + HAProxy", ("--replicas", "1")),
                       ("2 replicas + HAProxy", ("--replicas", "2"))):
        process, url = start_server(*args)
        try:
            one = routes(url)["stroke"]
            load.run(url, process.pid, 8, 200, one)  # warm up
            results = [load.run(url, process.pid, clients, requests, one) for clients, requests in levels.items()]
        finally:
            stop_server(process)
        for result in results:
            rows.append(result.row(f"stroke, {name}"))
            print(rows[-1], flush=True)
        kept = [result for result in results if result.p95 <= HELD_P95 and not result.errors]
        best = max((result.done / result.seconds for result in kept), default=0)
        done = sum(result.done for result in results)
        server, client = (sum(getattr(result, cpu) for result in results) / done for cpu in ("cpu", "client_cpu"))
        held.append(f"| {name} | {best:.0f} | {1000 * server:.1f} ms | {1 / server:.0f} | {1000 * client:.1f} ms |")
    summary = ["", f"| setup | reads/s held at p95 ≤ {HELD_P95} s | server CPU per read | reads/s per core "
               "of server CPU | clients' CPU per read |", "| --- | --- | --- | --- | --- |", *held]
    print("\n".join(summary), flush=True)
    return rows + summary
