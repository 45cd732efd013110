"""Drawings that are not one digit, for measuring honesty (training.honesty): letters, dots,
scribbles and several digits, on the page's 280×280 canvas, dark on white, as it sends them.

Made differently from the non-digits training learns from (training.negatives): letters
A–Z from hand-written stroke templates with a jittered pen, dots of the page's own pen and
specks, scribbles from curves (zigzags, spirals, loops, Lissajous figures), and MNIST
*test* digits redrawn from their centre lines two or three side by side.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

from training.drawn import centre_line

CANVAS = 280
PAGE_PEN = 14  # the page's brush on its 280-px canvas (app/ui)


def _arc(cx, cy, rx, ry, start, end, n=9):
    """Points on an ellipse from `start` to `end` degrees (0 = right, 90 = down)."""
    angles = np.radians(np.linspace(start, end, n))
    return list(zip(cx + rx * np.cos(angles), cy + ry * np.sin(angles), strict=True))


# Each letter as strokes of (x, y) points in a box 1 high, y downwards, as a hand writes them.
LETTERS = {
    "A": [[(0, 1), (0.4, 0), (0.8, 1)], [(0.18, 0.6), (0.62, 0.6)]],
    "B": [[(0, 0), (0, 1)], [(0, 0), *_arc(0.35, 0.25, 0.3, 0.25, -90, 90), (0, 0.5)],
          [(0, 0.5), *_arc(0.38, 0.75, 0.35, 0.25, -90, 90), (0, 1)]],
    "C": [_arc(0.45, 0.5, 0.45, 0.5, -40, -320, 14)],
    "D": [[(0, 0), (0, 1)], [(0, 0), *_arc(0.25, 0.5, 0.5, 0.5, -90, 90, 12), (0, 1)]],
    "E": [[(0.7, 0), (0, 0), (0, 1), (0.7, 1)], [(0, 0.5), (0.55, 0.5)]],
    "F": [[(0.7, 0), (0, 0), (0, 1)], [(0, 0.5), (0.55, 0.5)]],
    "G": [[*_arc(0.45, 0.5, 0.45, 0.5, -40, -340, 14), (0.9, 0.55), (0.55, 0.55)]],
    "H": [[(0, 0), (0, 1)], [(0.7, 0), (0.7, 1)], [(0, 0.5), (0.7, 0.5)]],
    "I": [[(0.3, 0), (0.3, 1)], [(0, 0), (0.6, 0)], [(0, 1), (0.6, 1)]],
    "J": [[(0.2, 0), (0.7, 0)], [(0.5, 0), (0.5, 0.75), *_arc(0.25, 0.75, 0.25, 0.25, 0, 180, 7)]],
    "K": [[(0, 0), (0, 1)], [(0.7, 0), (0, 0.55)], [(0.2, 0.4), (0.75, 1)]],
    "L": [[(0, 0), (0, 1), (0.65, 1)]],
    "M": [[(0, 1), (0.05, 0), (0.45, 0.65), (0.85, 0), (0.9, 1)]],
    "N": [[(0, 1), (0, 0), (0.7, 1), (0.7, 0)]],
    "O": [_arc(0.45, 0.5, 0.45, 0.5, -90, 270, 18)],
    "P": [[(0, 1), (0, 0), *_arc(0.3, 0.27, 0.35, 0.27, -90, 90), (0, 0.54)]],
    "Q": [_arc(0.45, 0.5, 0.45, 0.5, -90, 270, 18), [(0.5, 0.7), (0.95, 1.05)]],
    "R": [[(0, 1), (0, 0), *_arc(0.3, 0.27, 0.35, 0.27, -90, 90), (0, 0.54), (0.7, 1)]],
    "S": [[*_arc(0.35, 0.25, 0.33, 0.25, -20, -270, 8), *_arc(0.35, 0.75, 0.33, 0.25, -90, 160, 9)]],
    "T": [[(0, 0), (0.8, 0)], [(0.4, 0), (0.4, 1)]],
    "U": [[(0, 0), (0, 0.65), *_arc(0.35, 0.65, 0.35, 0.35, 180, 0, 9), (0.7, 0)]],
    "V": [[(0, 0), (0.4, 1), (0.8, 0)]],
    "W": [[(0, 0), (0.25, 1), (0.5, 0.3), (0.75, 1), (1, 0)]],
    "X": [[(0, 0), (0.75, 1)], [(0.75, 0), (0, 1)]],
    "Y": [[(0, 0), (0.4, 0.5), (0.8, 0)], [(0.4, 0.5), (0.4, 1)]],
    "Z": [[(0, 0), (0.75, 0), (0, 1), (0.75, 1)]],
}
KINDS = ("letters", "dots", "scribbles", "several digits")


def _canvas() -> tuple[Image.Image, ImageDraw.ImageDraw]:
    image = Image.new("L", (CANVAS, CANVAS), 255)
    return image, ImageDraw.Draw(image)


def _pen_line(draw: ImageDraw.ImageDraw, points, pen: int) -> None:
    points = [tuple(map(float, p)) for p in points]
    draw.line(points, fill=0, width=pen, joint="curve")
    for x, y in (points[0], points[-1]):
        draw.ellipse([x - pen / 2, y - pen / 2, x + pen / 2, y + pen / 2], fill=0)


def _place(rng: np.random.Generator, width: float, height: float) -> np.ndarray:
    return rng.uniform(0, [max(1, CANVAS - width), max(1, CANVAS - height)])


def letter(rng: np.random.Generator, name: str) -> Image.Image:
    """A capital letter, 30–80 % of the canvas high, slanted, each point moved a little."""
    image, draw = _canvas()
    height = rng.uniform(0.3, 0.8) * CANVAS
    width, slant = height * rng.uniform(0.7, 1.2), rng.uniform(-0.25, 0.25)
    pen = max(3, round(rng.uniform(0.035, 0.08) * CANVAS))
    corner = _place(rng, width + pen, height + pen) + pen / 2
    for stroke in LETTERS[name]:
        unit = np.array(stroke, float) + rng.normal(0, 0.03, (len(stroke), 2))
        x = (unit[:, 0] + slant * (1 - unit[:, 1])) * width
        _pen_line(draw, np.stack([x, unit[:, 1] * height], 1) + corner, pen)
    return image


def dots(rng: np.random.Generator, variant: int) -> Image.Image:
    """0: one dot of the page's pen; 1: two to six of them apart; 2: specks, 1–6 px."""
    image, draw = _canvas()
    count, radius = [(1, PAGE_PEN / 2), (rng.integers(2, 7), PAGE_PEN / 2), (rng.integers(1, 8), None)][variant]
    for _ in range(count):
        r = radius or rng.uniform(0.5, 3)
        x, y = rng.uniform(r, CANVAS - r, 2)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=0)
    return image


def scribble(rng: np.random.Generator, variant: int) -> Image.Image:
    """0: a zigzag; 1: a spiral; 2: a row of loops; 3: a Lissajous figure."""
    image, draw = _canvas()
    t = np.linspace(0, 1, 200)
    if variant == 0:
        turns = rng.integers(4, 12)
        x, y = np.abs((t * turns) % 2 - 1), t + rng.normal(0, 0.01, t.size)
    elif variant == 1:
        angle = t * rng.uniform(3, 6) * 2 * math.pi
        x, y = t * np.cos(angle), t * np.sin(angle)
    elif variant == 2:
        angle = t * rng.integers(3, 7) * 2 * math.pi
        x, y = angle / (2 * math.pi) * rng.uniform(0.4, 0.8) - np.sin(angle) * 0.4, np.cos(angle) * 0.5
    else:
        a, b = rng.integers(1, 6, 2)
        angle = t * 2 * math.pi
        x, y = np.sin(a * angle + rng.uniform(0, math.pi)), np.sin(b * angle)
    points = np.stack([x, y], 1)
    size = rng.uniform(0.3, 0.85) * CANVAS
    points = (points - points.min(0)) / np.ptp(points, 0).max() * size
    pen = max(3, round(rng.uniform(0.035, 0.08) * CANVAS))
    _pen_line(draw, points + _place(rng, *points.max(0)), pen)
    return image


def several_digits(rng: np.random.Generator, digits: np.ndarray) -> Image.Image:
    """Two or three MNIST test digits redrawn from their centre lines, side by side."""
    image, draw = _canvas()
    chosen = digits[rng.integers(0, len(digits), rng.integers(2, 4))]
    height = rng.uniform(0.2, 0.4) * CANVAS
    pen = max(3, round(rng.uniform(0.05, 0.12) * height))
    lines, x = [], 0.0
    for digit in chosen:
        points, pairs = centre_line(digit)
        xy = (points[:, ::-1] - points.min(axis=0)[::-1]) * (height - pen) / max(np.ptp(points[:, 0]), 1)
        lines.append((xy + [x, 0], pairs))
        x += xy[:, 0].max() + rng.uniform(0.15, 0.4) * height
    corner = _place(rng, x, height) + pen / 2
    for xy, pairs in lines:
        for a, b in pairs:
            draw.line([tuple(xy[a] + corner), tuple(xy[b] + corner)], fill=0, width=pen)
    return image


def nondigit_set(test_digits: np.ndarray, per_kind: int = 260, seed: int = 0):
    """Yield (kind, drawing): `per_kind` of each of KINDS, letters A–Z in turn, reproducibly."""
    rng = np.random.default_rng(seed)
    names = sorted(LETTERS)
    for i in range(per_kind):
        yield "letters", letter(rng, names[i % len(names)])
    for i in range(per_kind):
        yield "dots", dots(rng, i % 3)
    for i in range(per_kind):
        yield "scribbles", scribble(rng, i % 4)
    for _ in range(per_kind):
        yield "several digits", several_digits(rng, test_digits)
