"""Things that are not a digit, for training the network to say so (outlier exposure).

Five kinds, drawn on a 280×280 canvas like the page's with a pen 3–12 % of the figure's
size, and read through the app's own pipeline, so the network meets them as it will meet
a user's: scribbles (a wandering pen), blots (filled ellipses, one or several: a dot
becomes a filled disc once fitted to 20 px), glyphs (three to five random strokes and
arcs), two or three MNIST training digits side by side, and letters typeset in Pillow's
own font (none that could pass for a digit). Training turns and flips all but the letters
at random each time it uses them (a letter turned over can be a digit: a mirrored E is a 3).

The honesty measurement (training.nondigits) is made differently on purpose: letters
hand-drawn from stroke templates, dots of the page's own pen, other scribbles and redrawn
test digits.
"""

import math
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from training.cache import fingerprint, through_pipeline

CANVAS = 280
KINDS = ("scribble", "blots", "glyph", "digits", "letter")
# Letters that could pass for a digit (O D Q 0, I l i j 1, Z z 2, S s 5, B 8, G b 6, g q 9)
# are left out: the network should stay sure of those digits.
LETTERS = "ACEFHKLMNPRTUVWXYacdefhkmnprtuvwxy"


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


def letter(rng: np.random.Generator, image: Image.Image) -> None:
    size = rng.uniform(0.3, 0.8) * CANVAS
    font = ImageFont.load_default(size=round(size))
    glyph_image = Image.new("L", (CANVAS, CANVAS), 0)
    ImageDraw.Draw(glyph_image).text((CANVAS / 2, CANVAS / 2), LETTERS[rng.integers(len(LETTERS))], font=font,
                                     fill=255, anchor="mm", stroke_width=round(rng.uniform(0, 0.04) * size),
                                     stroke_fill=255)
    slant = rng.uniform(-0.3, 0.3)
    glyph_image = glyph_image.transform(glyph_image.size, Image.Transform.AFFINE,
                                        (1, slant, -slant * CANVAS / 2, 0, 1, 0), Image.Resampling.BILINEAR)
    image.paste(0, tuple(int(v) for v in rng.uniform(-0.15, 0.15, 2) * CANVAS), glyph_image)


def negative(kind: str, rng: np.random.Generator, digits: np.ndarray) -> Image.Image:
    """One non-digit of a kind on a 280×280 grey canvas, dark ink on white paper."""
    image = Image.new("L", (CANVAS, CANVAS), 255)
    if kind == "digits":
        side_by_side(rng, image, digits)
    elif kind == "letter":
        letter(rng, image)
    else:
        {"scribble": scribble, "blots": blots, "glyph": glyph}[kind](rng, ImageDraw.Draw(image))
    return image


def negative_inputs(digits: np.ndarray, count: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """What the pipeline makes of `count` non-digits, the kinds in turn: (N, 28, 28) uint8,
    and whether each may be turned and flipped. Cached under data/ by the digits, the seed
    and this file's code."""
    rng = np.random.default_rng(seed)
    kinds = [KINDS[i % len(KINDS)] for i in range(count)]
    name = f"negatives-{fingerprint(digits.tobytes(), Path(__file__).read_bytes())}-{count}-seed{seed}"
    inputs = through_pipeline(name, (negative(kind, rng, digits) for kind in kinds), count)
    kept = inputs.any(axis=(1, 2))  # a blot too small to be ink leaves nothing
    return inputs[kept], np.array([kind != "letter" for kind in kinds])[kept]
