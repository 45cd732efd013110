from pathlib import Path

import numpy as np
import pytest
from PIL import Image

FIXTURES = Path(__file__).resolve().parent / "fixtures"
DRAWN = sorted((FIXTURES / "drawn").glob("*.png"))


def label_of(path: Path) -> int:
    return int(path.stem.split("label")[1])


@pytest.fixture(scope="session")
def mnist_fixture():
    from training.data import from_idx_folder
    return from_idx_folder(FIXTURES / "mnist")


@pytest.fixture(scope="session")
def classifier():
    from app.inference import DigitClassifier
    return DigitClassifier.load()


@pytest.fixture(scope="session")
def drawings():
    """(image, label) for each redrawn test digit in the fixtures."""
    return [(Image.open(path).copy(), label_of(path)) for path in DRAWN]


def canvas_with(digit: np.ndarray, size=800, top=100, left=200, height=400) -> np.ndarray:
    """An MNIST-style digit (bright ink on black) pasted large onto a white-paper RGBA canvas."""
    ink = np.asarray(Image.fromarray(digit).resize((height, height), Image.Resampling.BILINEAR))
    canvas = np.full((size, size, 4), 255, np.uint8)
    region = canvas[top:top + height, left:left + height, :3]
    region[:] = 255 - ink[:, :, None]
    return canvas
