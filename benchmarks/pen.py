"""Which pen widths the pipeline reads, for small and big digits on the page's canvas:
python -m benchmarks.pen [--digits 300]

MNIST test digits are redrawn from their centre lines (training/drawn.py) with a round pen
of each width on the pad's 280-px canvas, at 10–15 %, 30–50 % and 60–85 % of its height,
anywhere on it, and read through DigitClassifier.predict. The pad's pen range comes from this.
"""

import argparse

import numpy as np
from PIL import Image, ImageDraw

from app.inference import DigitClassifier
from app.ui.pad import SIDE
from training.data import load_mnist
from training.drawn import centre_line

PENS = (3, 4, 5, 6, 8, 10, 14)
HEIGHTS = ((0.10, 0.15), (0.30, 0.50), (0.60, 0.85))


def drawing(points: np.ndarray, pairs: np.ndarray, height: float, pen: int, rng) -> Image.Image:
    """A centre line stroked with a `pen`-px pen, `height` px tall, somewhere on the canvas."""
    scale = (height - pen) / (np.ptp(points[:, 0]) or 1)
    xy = (points[:, ::-1] - points.min(axis=0)[::-1]) * scale
    xy = xy + rng.uniform(0, np.maximum(SIDE - xy.max(axis=0) - pen, 0)) + pen / 2
    image = Image.new("L", (SIDE, SIDE), 255)
    draw = ImageDraw.Draw(image)
    for a, b in pairs:
        draw.line([tuple(xy[a]), tuple(xy[b])], fill=0, width=pen)
    for x, y in xy:
        draw.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=0)
    return image


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--digits", type=int, default=300)
    args = parser.parse_args()
    clf = DigitClassifier.load()
    mnist = load_mnist()
    lines = [centre_line(digit) for digit in mnist.test_x[:args.digits]]
    labels = mnist.test_y[:args.digits]
    print("| pen (px on 280) | " + " | ".join(f"{low:.0%}–{high:.0%} tall" for low, high in HEIGHTS) + " |")
    print("| --- |" + " --- |" * len(HEIGHTS))
    for pen in PENS:
        cells = []
        for low, high in HEIGHTS:
            rng = np.random.default_rng(0)
            right = sum(clf.predict(drawing(points, pairs, rng.uniform(low, high) * SIDE, pen, rng),
                                    with_activations=False).label == label
                        for (points, pairs), label in zip(lines, labels, strict=True))
            cells.append(f"{right / len(labels):.1%}")
        print(f"| {pen} | " + " | ".join(cells) + " |", flush=True)


if __name__ == "__main__":
    main()
