"""Things that are not a digit, for training the network to say so (outlier exposure).

Four kinds, drawn on a 280×280 canvas like the page's with a pen 3–12 % of the figure's
size, and read through the app's own pipeline, so the network meets them as it will meet
a user's: scribbles (a wandering pen), blots (filled ellipses, one or several: a dot
becomes a filled disc once fitted to 20 px), glyphs (three to five random strokes and
arcs) and two or three MNIST training digits side by side. Training turns and flips each
one at random every time it is used.

The honesty measurement (training.nondigits) is made differently on purpose: letters
from stroke templates, dots of the page's own pen, other scribbles and redrawn test digits.
"""

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from training.cache import fingerprint, through_pipeline

CANVAS = 280
KINDS = ("scribble", "blots", "glyph", "digits")


def _pen(rng: np.random.Generator, size: float) -> int:
    return max(2, round(rng.uniform(0.03, 0.12) * size))


def _stroke(draw: ImageDraw.ImageDraw, points: np.ndarray, pen: int) -> None:
    """A polyline with round ends and joints, as a pen leaves it."""
    draw.line([tuple(p) for p in points], fill=0, width=pen, joint="curve")
    for x, y in (points[0], points[-1]):
        draw.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=0)


def scribble(rng: np.random.Generator, draw: ImageDraw.ImageDraw) -> None:
    size = rng.uniform(0.3, 0.9) * CANVAS
    pen = _pen(rng, size)
    for _ in range(rng.integers(1, 3)):
        steps = rng.integers(30, 70)  # long: a short wiggle can be a fair 1 or 7
        turns = np.cumsum(rng.normal(0, rng.uniform(0.2, 0.8), steps)) + rng.uniform(0, 2 * math.pi)
        moves = np.stack([np.cos(turns), np.sin(turns)], 1) * rng.uniform(0.03, 0.08) * size
        points = np.cumsum(moves, 0)
        points = (points - points.min(0)) / max(np.ptp(points, 0).max(), 1) * size
        _stroke(draw, points + rng.uniform(0, CANVAS - size, 2), pen)


def blots(rng: np.random.Generator, draw: ImageDraw.ImageDraw) -> None:
    for _ in range(rng.integers(1, 6)):
        radius = rng.uniform(0.02, 0.2, 2) * CANVAS
        x, y = rng.uniform(radius, CANVAS - radius)
        draw.ellipse([x - radius[0], y - radius[1], x + radius[0], y + radius[1]], fill=0)


def glyph(rng: np.random.Generator, draw: ImageDraw.ImageDraw) -> None:
    size = rng.uniform(0.3, 0.8) * CANVAS
    pen, corner = _pen(rng, size), rng.uniform(0, CANVAS - size, 2)
    for _ in range(rng.integers(3, 6)):
        if rng.random() < 0.6:  # a straight stroke
            points = rng.uniform(0, size, (2, 2))
        else:  # an arc of an ellipse
            centre, radii = rng.uniform(0.2, 0.8, 2) * size, rng.uniform(0.1, 0.4, 2) * size
            angles = rng.uniform(0, 2 * math.pi) + np.linspace(0, rng.uniform(1, 4.5), 12)
            points = centre + radii * np.stack([np.cos(angles), np.sin(angles)], 1)
        _stroke(draw, points + corner, pen)


def side_by_side(rng: np.random.Generator, image: Image.Image, digits: np.ndarray) -> None:
    count = rng.integers(2, 4)
    height = int(rng.uniform(0.2, 0.9) * CANVAS / count * 1.4)
    gap = int(rng.uniform(-0.1, 0.3) * height)
    x, top = int(rng.uniform(0, max(1, CANVAS - count * (height + gap)))), int(rng.uniform(0, CANVAS - height))
    for digit in digits[rng.integers(0, len(digits), count)]:
        ink = Image.fromarray(digit).resize((height, height), Image.Resampling.BILINEAR)
        y = int(np.clip(top + rng.normal(0, 0.1) * height, 0, CANVAS - height))
        image.paste(0, (x, y), ink)
        x += height + gap


def negative(rng: np.random.Generator, digits: np.ndarray) -> Image.Image:
    """One non-digit on a 280×280 grey canvas, dark ink on white paper."""
    image = Image.new("L", (CANVAS, CANVAS), 255)
    kind = KINDS[rng.integers(len(KINDS))]
    if kind == "digits":
        side_by_side(rng, image, digits)
    else:
        {"scribble": scribble, "blots": blots, "glyph": glyph}[kind](rng, ImageDraw.Draw(image))
    return image


def negative_inputs(digits: np.ndarray, count: int, seed: int) -> np.ndarray:
    """(count, 28, 28) uint8: what the pipeline makes of `count` non-digits; cached under
    data/ by the digits, the seed and this file's code."""
    rng = np.random.default_rng(seed)
    name = f"negatives-{fingerprint(digits.tobytes(), Path(__file__).read_bytes())}-{count}-seed{seed}"
    inputs = through_pipeline(name, (negative(rng, digits) for _ in range(count)), count)
    return inputs[inputs.any(axis=(1, 2))]  # a blot too small to be ink leaves nothing
