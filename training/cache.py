"""Drawings read through the app's own pipeline, computed once and cached under data/
(never committed): the 28×28 inputs the network gets from them.

Drawing on a canvas and preprocessing take about 10 ms an image, so the sets training and
experiments read again and again (redrawn digits, non-digits) are made once.
"""

import hashlib
import os
from collections.abc import Iterable
from pathlib import Path

import numpy as np
from PIL import Image
from tqdm import tqdm

from app.models import IMAGE_SIZE
from app.preprocess import preprocess

CACHE_DIR = Path(__file__).resolve().parent.parent / "data"


def fingerprint(*parts: bytes) -> str:
    """A short name for what a cached set is made from: its source digits, its code."""
    digest = hashlib.sha1()
    for part in parts:
        digest.update(part)
    return digest.hexdigest()[:12]


def through_pipeline(name: str, drawings: Iterable[Image.Image], count: int,
                     cache_dir: Path = CACHE_DIR) -> np.ndarray:
    """(count, 28, 28) uint8: preprocess() of each drawing, all zeros where it found no
    digit; read from cache_dir/name.npz if made before."""
    path = cache_dir / f"{name}.npz"
    if path.exists():
        with np.load(path, allow_pickle=False) as f:
            return f["inputs"]
    inputs = np.zeros((count, IMAGE_SIZE, IMAGE_SIZE), np.uint8)
    for i, drawing in enumerate(tqdm(drawings, total=count, desc=name, leave=False)):
        digit, _ = preprocess(drawing)
        if digit is not None:
            inputs[i] = np.round(digit * 255)
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Data-parallel processes may make the same set at once: each writes its own file and
    # renames it into place, which is atomic, so no reader sees half a file.
    partial = cache_dir / f"{name}.{os.getpid()}.partial.npz"
    np.savez(partial, inputs=inputs)
    partial.replace(path)
    return inputs
