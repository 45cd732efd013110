"""The fixtures' digits: where they are, their labels, and a canvas to paste one on."""

from pathlib import Path

import numpy as np
from PIL import Image

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
DRAWN = sorted((FIXTURES / "drawn").glob("*.png"))


def label_of(path: Path) -> int:
    return int(path.stem.split("label")[1])


def canvas_with(digit: np.ndarray, size=800, top=100, left=200, height=400) -> np.ndarray:
    """An MNIST-style digit (bright ink on black) pasted large onto a white-paper RGBA canvas."""
    ink = np.asarray(Image.fromarray(digit).resize((height, height), Image.Resampling.BILINEAR))
    canvas = np.full((size, size, 4), 255, np.uint8)
    region = canvas[top:top + height, left:left + height, :3]
    region[:] = 255 - ink[:, :, None]
    return canvas
