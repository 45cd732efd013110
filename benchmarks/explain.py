"""Check the explanations and time the panels: python -m benchmarks.explain [--digits 200]

- completeness: Integrated Gradients' attributions add up to logit(digit) − logit(blank)
- deletion: blanking the 10 % most attributed pixels lowers the digit's probability more than
  blanking a random 10 % of the pixels (and, harder, a random 10 % of the ink)
- server time: the Why panel, one stress sweep, every sweep and switch, a lens tap, a step
  of the training slider, the model line-up, for a drawing as the page sends it
"""

import argparse
import base64
import statistics
import time

import numpy as np
import paddle

from app import stress
from app.inference import DigitClassifier
from training.data import load_mnist

TOP_SHARE = 0.10


def probability(clf: DigitClassifier, images: np.ndarray, digit: int) -> np.ndarray:
    return clf.forward(images, with_activations=False)[0][:, digit]


def check(clf: DigitClassifier, digits: np.ndarray, seed: int = 0) -> list[str]:
    rng = np.random.default_rng(seed)
    with paddle.no_grad():
        blank = clf.network(paddle.zeros([1, 1, 28, 28])).numpy()[0]
    errors, beats_random, beats_ink, seconds = [], 0, 0, []
    for digit in digits.astype(np.float32) / 255:
        start = time.perf_counter()
        explanation = clf.explain(digit)
        seconds.append(time.perf_counter() - start)
        label = explanation.label
        change = explanation.logits[label] - blank[label]
        errors.append(abs(explanation.attribution.sum() - change) / abs(change))
        count = int(TOP_SHARE * digit.size)
        top = np.argsort(explanation.attribution.ravel())[::-1][:count]
        ink = np.flatnonzero(digit.ravel() > 0)
        choices = [top, rng.choice(digit.size, count, replace=False),
                   rng.choice(ink, min(count, ink.size), replace=False)]
        blanked = np.repeat(digit.ravel()[None], 3, axis=0)
        for row, pixels in enumerate(choices):
            blanked[row, pixels] = 0
        after = probability(clf, blanked.reshape(3, 28, 28), label)
        beats_random += after[0] < after[1]
        beats_ink += after[0] < after[2]
    n = len(errors)
    return [f"| completeness error, median / max | {100 * np.median(errors):.3f} % / {100 * max(errors):.2f} % "
            f"| {n} MNIST test digits |",
            f"| digits within 1 % | {100 * np.mean(np.array(errors) <= 0.01):.1f} % | |",
            f"| top-10 % attributed beat a random 10 % (deletion) | {100 * beats_random / n:.1f} % | |",
            f"| top-10 % attributed beat a random 10 % of the ink | {100 * beats_ink / n:.1f} % | |",
            f"| `explain` (IG, points added where the path bends, + occlusion), median / p95 / max | "
            f"{1000 * np.median(seconds):.0f} / {1000 * np.percentile(seconds, 95):.0f} / {1000 * max(seconds):.0f} ms"
            f" | the same digits |"]


def timed(function, repeats: int) -> str:
    function()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return f"{1000 * statistics.median(times):.0f} ms (p95 {1000 * np.percentile(times, 95):.0f})"


def server_times(repeats: int) -> list[str]:
    from app.decode import read_image
    from app.ui import compare, kernels, lab, network, reading, state, timeline, why
    from tests.helpers.digits import DRAWN

    state.load_classifiers()
    clf = state.classifier("lenet5")
    drawing = "data:image/png;base64," + base64.b64encode(DRAWN[0].read_bytes()).decode()
    image = read_image(DRAWN[0])
    cell = {"layer": "C3", "channel": 3, "y": 4, "x": 4}
    measures = {
        "Why panel (IG + occlusion + payload)": lambda: why.figures(drawing, "lenet5", "en"),
        "one stress sweep, 31 variants": lambda: clf.stress(image, "rotate", stress.SWEEPS["rotate"]),
        "stress lab: 6 sweeps, 3 switches, charts": lambda: lab.figures(drawing, "lenet5", "en"),
        "lens tap (unit gradient + payload)": lambda: network.lens_payload(clf, clf.predict(image).input, cell, "en"),
        "model line-up (every model, payload)": lambda: compare.figures(drawing, "lenet5", "en"),
    }
    if state.CHECKPOINTS.get("lenet5"):
        middle = len(state.CHECKPOINTS["lenet5"][0]) // 2

        def slider_step():
            chosen = timeline.moved("lenet5", middle, "en")[2]
            reading.reply(drawing, "lenet5", "en", chosen)
            kernels.show("lenet5", "en", chosen)

        measures["a step of the training slider (chart, stroke, kernels)"] = slider_step
    return [f"| {name} | {timed(function, repeats)} | |" for name, function in measures.items()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digits", type=int, default=200)
    parser.add_argument("--repeats", type=int, default=30)
    args = parser.parse_args()
    clf = DigitClassifier.load()
    print("| measure | value | over |\n| --- | --- | --- |")
    for line in check(clf, load_mnist().test_x[:args.digits]):
        print(line, flush=True)
    for line in server_times(args.repeats):
        print(line, flush=True)


if __name__ == "__main__":
    main()
