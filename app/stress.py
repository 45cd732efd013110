"""Stress tests: the 28×28 the network saw, turned, scaled, moved, thickened or made noisy.

Each sweep is a batch of variants of one input, so the page can plot every digit's
probability along it and show where the answer flips. The neutral value (0, or 1 for
scale) gives back the input itself, exactly.
"""

import numpy as np
from PIL import Image

from app.models import IMAGE_SIZE

SWEEP_ORDER = ("rotate", "scale", "shift_x", "shift_y", "thickness", "noise")
NEUTRAL = {"rotate": 0.0, "scale": 1.0, "shift_x": 0.0, "shift_y": 0.0, "thickness": 0.0, "noise": 0.0}
# The page's sweeps, 31 values each: wide enough to find where a drawing stops being read.
SWEEPS = {"rotate": np.linspace(-45, 45, 31), "scale": np.linspace(0.5, 1.5, 31),
          "shift_x": np.linspace(-8, 8, 31), "shift_y": np.linspace(-8, 8, 31),
          "thickness": np.linspace(-1.5, 3, 31), "noise": np.linspace(0, 0.6, 31)}
NOISE_SEED = 0


def _affine(image: np.ndarray, angle: float = 0.0, scale: float = 1.0, dx: float = 0.0, dy: float = 0.0):
    """Rotate by `angle` degrees and scale about the centre, then move by (dx, dy) pixels."""
    centre = IMAGE_SIZE / 2
    turn = np.radians(angle)
    cos, sin = np.cos(turn) / scale, np.sin(turn) / scale
    # PIL maps each output pixel back to the input: the inverse of rotate-scale-then-move.
    ox, oy = centre + dx, centre + dy
    matrix = (cos, sin, centre - cos * ox - sin * oy, -sin, cos, centre + sin * ox - cos * oy)
    return np.asarray(Image.fromarray(image).transform(image.shape[::-1], Image.Transform.AFFINE, matrix,
                                                       Image.Resampling.BILINEAR), np.float32)


def _grey_morphology(image: np.ndarray, grow: bool) -> np.ndarray:
    """A 3×3 grey dilation (grow) or erosion, borders padded with paper."""
    padded = np.pad(image, 1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, (3, 3))
    return windows.max(axis=(2, 3)) if grow else windows.min(axis=(2, 3))


def _thickness(image: np.ndarray, amount: float) -> np.ndarray:
    """`amount` pixels of dilation (negative: erosion), fractions blended between whole steps."""
    whole, part = int(np.floor(abs(amount))), abs(amount) % 1
    current = image
    for _ in range(whole):
        current = _grey_morphology(current, amount > 0)
    if part:
        current = current + part * (_grey_morphology(current, amount > 0) - current)
    return current


def variant(image: np.ndarray, sweep: str, value: float) -> np.ndarray:
    """One variant of a 28×28 float32 image in [0, 1]."""
    if sweep not in SWEEP_ORDER:
        raise ValueError(f"unknown stress sweep {sweep!r}; one of {', '.join(SWEEP_ORDER)}")
    if value == NEUTRAL[sweep]:
        return image
    if sweep == "rotate":
        changed = _affine(image, angle=value)
    elif sweep == "scale":
        changed = _affine(image, scale=value)
    elif sweep == "shift_x":
        changed = _affine(image, dx=value)
    elif sweep == "shift_y":
        changed = _affine(image, dy=value)
    elif sweep == "thickness":
        changed = _thickness(image, value)
    else:
        changed = image + np.random.default_rng(NOISE_SEED).normal(0, value, image.shape)
    return np.clip(changed, 0, 1).astype(np.float32)


def variants(image: np.ndarray, sweep: str, values) -> np.ndarray:
    """(len(values), 28, 28): one variant per value, for one batched forward pass."""
    return np.stack([variant(image, sweep, float(value)) for value in values])


def flips(probabilities: np.ndarray, values, neutral: float) -> list[int]:
    """Indices where the answer (argmax) differs from its neighbour on the side of the neutral
    value: the first variant, walking outwards from the neutral one, read as another digit."""
    labels = probabilities.argmax(axis=1)
    values = np.asarray(values, float)
    middle = int(np.abs(values - neutral).argmin())
    found = []
    for step in (-1, 1):
        i = middle
        while 0 <= i + step < len(values):
            i += step
            if labels[i] != labels[middle]:
                found.append(i)
                break
    return sorted(found)
