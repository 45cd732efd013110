"""Measure what the README promises, on this machine.

    python -m benchmarks.run [--skip-browser] [--skip-load] [--skip-training] [--strokes 15]

- predict: DigitClassifier.predict on inputs of several sizes, with and without activations,
  and predict_batch throughput
- stroke (server): what the page's server does per stroke: decode the drawing, predict,
  render the pipeline and activation panels
- network: the forward pass alone, eager Paddle against `paddle.inference` on a saved model
- cold start: `python -m app` from process start to answering HTTP
- training: one epoch of `python -m training` on the full 60,000 digits
- stroke (browser): mouse-up to the new prediction on screen, headless Chromium
- load: 1, 8 and 32 clients sending strokes; requests/s, latency percentiles, errors, and
  server memory before and after 10,000 strokes

Prints a Markdown table with the machine named.
"""

import argparse
import logging
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
DRAWING = ROOT / "tests" / "fixtures" / "drawn" / "00-label7.png"


def timings(function, repeats: int) -> list[float]:
    function()  # warm up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def row(name: str, seconds: list[float], unit: str = "ms") -> str:
    scale = 1000 if unit == "ms" else 1
    median, p95 = statistics.median(seconds) * scale, np.percentile(seconds, 95) * scale
    return f"| {name} | {median:.2f} {unit} | {p95:.2f} {unit} | {len(seconds)} |"


def canvas() -> Image.Image:
    """A drawn digit on Gradio's default 800×800 RGBA canvas."""
    image = Image.new("RGBA", (800, 800), "white")
    image.alpha_composite(Image.open(DRAWING).convert("RGBA"))
    return image


def page_drawing() -> str:
    """What the page sends per stroke: its canvas as a grey PNG data URL (app/sketchpad.js)."""
    from app.render import png_data_uri
    from app.ui.page import CANVAS

    return png_data_uri(np.asarray(canvas().convert("L").resize((CANVAS, CANVAS), Image.Resampling.BILINEAR)))


def in_process(repeats: int) -> list[str]:
    from app.decode import read_data_url
    from app.inference import DigitClassifier
    from app.render import activations_html, pipeline_html
    from app.ui.page import CANVAS

    clf = DigitClassifier.load()
    rgba = np.asarray(canvas())
    drawing = page_drawing()
    grey = read_data_url(drawing)
    sketch = {"background": np.full((800, 800, 4), 255, np.uint8), "layers": [rgba], "composite": rgba}
    inputs = {"28×28 MNIST-style": np.asarray(grey.resize((28, 28), Image.Resampling.BOX)),
              "280×280 grey": np.asarray(grey), "800×800 RGBA": rgba, "Sketchpad dict, 800×800 RGBA": sketch}

    def stroke():
        result = clf.predict(read_data_url(drawing))
        pipeline_html(result.steps)
        activations_html(result.activations, clf.layers)

    rows = [row(f"predict, {name}, {'with' if acts else 'without'} activations",
                timings(lambda image=image, acts=acts: clf.predict(image, with_activations=acts), repeats))
            for name, image in inputs.items() for acts in (True, False)]
    rows.append(row(f"server time per stroke ({CANVAS}×{CANVAS} drawing, all panels)", timings(stroke, repeats)))
    for batch in (1, 32, 256):
        images = [rgba] * batch
        seconds = statistics.median(timings(lambda images=images: clf.predict_batch(images, with_activations=False),
                                            max(3, repeats // batch)))
        rows.append(f"| predict_batch, {batch} × 800×800 RGBA | {batch / seconds:.0f} images/s | | |")
    return rows


def network_paths(repeats: int) -> list[str]:
    """The forward pass on one 28×28 image, two ways. The app uses eager Paddle: the
    faster static predictor would save a fraction of a millisecond on a stroke the
    pipeline and rendering take several for, at the price of a second model format."""
    import tempfile

    import paddle
    from paddle import inference

    from app.inference import DigitClassifier

    clf = DigitClassifier.load()
    image = np.random.default_rng(0).random((1, 28, 28), np.float32)
    with tempfile.TemporaryDirectory() as folder:
        spec = [paddle.static.InputSpec([None, 1, 28, 28], "float32")]
        paddle.jit.save(paddle.jit.to_static(clf.network, input_spec=spec, full_graph=True), f"{folder}/lenet5")
        config = inference.Config(f"{folder}/lenet5.json", f"{folder}/lenet5.pdiparams")
        config.disable_gpu()
        config.set_cpu_math_library_num_threads(1)
        config.disable_glog_info()
        predictor = inference.create_predictor(config)
    feed = predictor.get_input_handle(predictor.get_input_names()[0])
    fetch = predictor.get_output_handle(predictor.get_output_names()[0])

    def static():
        feed.copy_from_cpu(image[:, None])
        predictor.run()
        return fetch.copy_to_cpu()

    logits = static()
    probabilities = np.exp(logits - logits.max()) / np.exp(logits - logits.max()).sum()
    assert np.allclose(probabilities, clf.forward(image, with_activations=False)[0], atol=1e-5)
    return [row("network alone, eager Paddle, with activations", timings(lambda: clf.forward(image), repeats)),
            row("network alone, eager Paddle, without activations",
                timings(lambda: clf.forward(image, with_activations=False), repeats)),
            row("network alone, `paddle.inference` predictor, logits only", timings(static, repeats))]


def training_epoch() -> str:
    from training.train import parse_args, train

    _, history, _, _ = train(parse_args(["--epochs", "1", "--drawn", "0"]))
    return f"| one training epoch, lenet5, 60,000 augmented digits + test set | {history.seconds[0]:.0f} s | | 1 |"


def cold_start(runs: int) -> str:
    from tests.helpers import start_server

    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        process, _ = start_server()
        seconds.append(time.perf_counter() - start)
        process.terminate()
        process.wait(timeout=10)
    return row("cold start of `python -m app` to serving", seconds, "s")


def browser(strokes: int) -> str:
    from playwright.sync_api import sync_playwright

    from tests.helpers import start_server
    from tests.test_browser import CHROMIUM, FLAGS, ONE, ZERO, open_page, stroke

    process, url = start_server()
    seconds = []
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = open_page(chromium, url)
            for i in range(strokes + 1):
                page.click('#sketchpad button[aria-label="Clear canvas"]')
                shown = "document.querySelector('#prediction h2').textContent.trim()"
                page.wait_for_function(f"() => !/^[0-9]$/.test({shown})")
                page.wait_for_timeout(300)  # the brush comes back after Clear
                shape, digit = (ONE, "1") if i % 2 else (ZERO, "0")
                stroke(page, shape)  # returns at mouse-up
                start = time.perf_counter()
                page.wait_for_function(f"() => {shown} === '{digit}'", timeout=20_000)
                if i:  # the first stroke warms the page up
                    seconds.append(time.perf_counter() - start)
            chromium.close()
    finally:
        process.terminate()
        process.wait(timeout=10)
    return row("mouse-up to prediction on screen (headless Chromium)", seconds, "s")


def rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024


def load(levels: dict[int, int], soak: int) -> list[str]:
    """{clients: requests}: clients on loopback, each sending strokes in turn through
    gradio_client, as the page does; then `soak` more strokes, 32 at a time, through the
    REST route (gradio_client's own polling would make 10,000 take a quarter of an hour),
    with the server's memory before and after."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    import httpx
    from gradio_client import Client

    from tests.helpers import start_server

    # Paddle's distributed module (the training benchmark imports it) turns on INFO logging,
    # and httpx would then log every request.
    logging.getLogger("httpx").setLevel(logging.WARNING)
    drawing = page_drawing()
    process, url = start_server()
    rows = []

    def one_client(count: int) -> tuple[list[float], int]:
        client, seconds, errors = Client(url, verbose=False), [], 0
        for _ in range(count):
            start = time.perf_counter()
            try:
                client.predict(drawing, "lenet5", "en", api_name="/read")
                seconds.append(time.perf_counter() - start)
            except Exception:
                errors += 1
        return seconds, errors

    async def soak_run() -> int:
        async with httpx.AsyncClient(timeout=60) as http:
            async def worker(count: int) -> int:
                failures = 0
                for _ in range(count):
                    reply = await http.post(url + "gradio_api/call/read", json={"data": [drawing, "lenet5", "en"]})
                    answer = await http.get(url + f"gradio_api/call/read/{reply.json()['event_id']}")
                    failures += "event: complete" not in answer.text
                return failures
            return sum(await asyncio.gather(*[worker(soak // 32) for _ in range(32)]))

    try:
        for clients, requests in levels.items():
            start = time.perf_counter()
            with ThreadPoolExecutor(clients) as pool:
                results = list(pool.map(one_client, [requests // clients] * clients))
            wall = time.perf_counter() - start
            seconds = [s for times, _ in results for s in times]
            errors = sum(e for _, e in results)
            p50, p95, p99 = np.percentile(seconds, [50, 95, 99]) * 1000
            rows.append(f"| {clients} | {len(seconds) + errors} | {len(seconds) / wall:.0f} | {p50:.0f} ms | "
                        f"{p95:.0f} ms | {p99:.0f} ms | {errors} |")
        before = rss_mb(process.pid)
        start = time.perf_counter()
        failures = asyncio.run(soak_run())
        soak_seconds = time.perf_counter() - start
        after = rss_mb(process.pid)
    finally:
        process.terminate()
        process.wait(timeout=10)
    return ["| clients | requests | requests/s | p50 | p95 | p99 | errors |",
            "| --- | --- | --- | --- | --- | --- | --- |", *rows, "",
            f"Soak: {soak:,} strokes, 32 at a time, in {soak_seconds:.0f} s ({soak / soak_seconds:.0f}/s), "
            f"{failures} failed; server memory (RSS) {before:.0f} MB before, {after:.0f} MB after."]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--strokes", type=int, default=15)
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| measure | median | p95 | runs |\n| --- | --- | --- | --- |")
    for line in in_process(args.repeats):
        print(line, flush=True)
    for line in network_paths(args.repeats * 10):
        print(line, flush=True)
    print(cold_start(3), flush=True)
    if not args.skip_training:
        print(training_epoch(), flush=True)
    if not args.skip_browser:
        print(browser(args.strokes), flush=True)
    if not args.skip_load:
        print("\nThe served app under load (strokes through gradio_client on loopback):\n")
        for line in load({1: 200, 8: 800, 32: 1600}, soak=10_000):
            print(line, flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
