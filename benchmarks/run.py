"""Measure what the README promises, on this machine:

    python -m benchmarks.run [--skip-load] [--skip-browser] [--skip-training] [--soak 10000]

- in process: DigitClassifier.predict on inputs of several sizes, with and without
  activations; the pad's read of a stroke; predict_batch; the network alone, eager Paddle
  against a `paddle.inference` predictor
- served: the pad's read of a stroke and /predict under 1, 8 and 32 raw-HTTP clients, with the
  server's CPU per request, beside the floor of a Gradio app that does nothing
  (benchmarks/served.py); the pad's reads from 8, 32 and 64 clients against one process and 1
  and 2 replicas behind HAProxy; a soak for memory
- browser: pen-up to the final answer while the page follows the pen (benchmarks/browser.py)
- cold start of `python -m app`, a replica behind HAProxy killed to serving again, one training epoch

Prints Markdown tables with the machine named. See also benchmarks/explain.py (the Why
panel and the stress lab), benchmarks/panels.py (the live panels served to a class),
benchmarks/hostile.py (hostile requests), benchmarks/decode.py (hostile files, in process),
benchmarks/pen.py.
"""

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent


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


def in_process(repeats: int) -> list[str]:
    from app.decode import read_data_url
    from app.inference import DigitClassifier
    from app.ui import state
    from app.ui.reading import answered
    from benchmarks.served import page_drawing
    from tests.helpers.digits import DRAWN

    state.load_classifiers()
    clf = DigitClassifier.load()
    rgba = Image.new("RGBA", (800, 800), "white")
    rgba.alpha_composite(Image.open(DRAWN[0]).convert("RGBA"))
    rgba = np.asarray(rgba)
    drawing = page_drawing()
    grey = read_data_url(drawing)
    sketch = {"background": np.full((800, 800, 4), 255, np.uint8), "layers": [rgba], "composite": rgba}
    inputs = {"28×28 MNIST-style": np.asarray(grey.resize((28, 28), Image.Resampling.BOX)),
              "280×280 grey": np.asarray(grey), "800×800 RGBA": rgba, "Sketchpad dict, 800×800 RGBA": sketch}
    rows = [row(f"predict, {name}, {'with' if acts else 'without'} activations",
                timings(lambda image=image, acts=acts: clf.predict(image, with_activations=acts), repeats))
            for name, image in inputs.items() for acts in (True, False)]
    rows.append(row("the pad's read of a stroke (decode, predict, the answer and every layer, as JSON)",
                    timings(lambda: answered([drawing, "lenet5", "en", None]), repeats)))
    for batch in (1, 32, 256):
        images = [rgba] * batch
        seconds = statistics.median(timings(lambda images=images: clf.predict_batch(images, with_activations=False),
                                            max(3, repeats // batch)))
        rows.append(f"| predict_batch, {batch} × 800×800 RGBA | {batch / seconds:.0f} images/s | | |")
    return rows


def network_paths(repeats: int) -> list[str]:
    """The forward pass on one 28×28 image: eager Paddle, as the app runs it, against a
    `paddle.inference` predictor built from the same network."""
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


def cold_start(runs: int) -> str:
    from tests.helpers.servers import start_server, stop_server

    seconds = []
    for _ in range(runs):
        start = time.perf_counter()
        process, _ = start_server()
        seconds.append(time.perf_counter() - start)
        stop_server(process)
    return row("cold start of `python -m app` to serving", seconds, "s")


def replica_restart(runs: int) -> str:
    """A replica behind HAProxy killed, to serving again (forked anew by `--replicas`)."""
    import re
    import signal

    from app.replicas import healthy
    from tests.helpers.servers import start_server, stop_server

    process, url = start_server("--replicas", "1")
    port, seconds = int(url.rsplit(":", 1)[1].strip("/")) + 1, []
    try:
        printed = ""
        while "pid" not in printed:
            printed += process.stdout.readline()
        pid = int(re.search(r"pid (\d+)", printed)[1])
        for _ in range(runs):
            os.kill(pid, signal.SIGKILL)
            start = time.perf_counter()
            while not healthy(port):
                time.sleep(0.01)
            seconds.append(time.perf_counter() - start)
            while "again as pid" not in (line := process.stdout.readline()):
                pass
            pid = int(re.search(r"as pid (\d+)", line)[1])
    finally:
        stop_server(process)
    return row("a replica killed to serving again (`--replicas`: forked from the warm supervisor)", seconds, "s")


def training_epoch() -> str:
    from training.train import parse_args, train

    _, history, _, _ = train(parse_args(["--epochs", "1", "--drawn", "0"]))
    return f"| one training epoch, lenet5 | {history.seconds[0]:.0f} s | | 1 |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=300)
    parser.add_argument("--strokes", type=int, default=15)
    parser.add_argument("--soak", type=int, default=0, help="strokes for the memory soak (0: none)")
    parser.add_argument("--skip-browser", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    print(f"Machine: {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}\n")
    print("| measure | median | p95 | runs |\n| --- | --- | --- | --- |")
    for line in in_process(args.repeats) + network_paths(args.repeats * 10) + [cold_start(3), replica_restart(5)]:
        print(line, flush=True)
    if not args.skip_training:
        print(training_epoch(), flush=True)
    if not args.skip_browser:
        from benchmarks import browser
        for line in browser.strokes(args.strokes):
            print(line, flush=True)
    if not args.skip_load:
        from benchmarks import served
        print("\nServed, raw-HTTP clients on loopback (on the same 2 cores as the server):\n", flush=True)
        served.measure()
        print("\nThe pad's reads against one process and replicas behind HAProxy (same clients):\n", flush=True)
        served.capacity()
        if args.soak:
            print(served.soak(args.soak), flush=True)


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    main()
