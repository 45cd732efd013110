"""MNIST test digits redrawn the way people draw on an 800×800 canvas.

Each digit is thinned to its centre line (scikit-image's skeletonize) and stroked again
with a round pen of one width, 3–12 % of the digit's height, at 25–80 % of the canvas
height, anywhere on it, in black or a colour, on white or transparent paper. The set is
made from a seed, so every run of the benchmark and the tests sees the same drawings.

python -m training.drawn --out DIR --count N   writes the drawings as PNG files
"""

import argparse
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw
from skimage.morphology import skeletonize

CANVAS = 800
UPSAMPLE = 4  # thin at 112×112, so the centre line is smooth
NEIGHBOURS = ((0, 1), (1, 0), (1, 1), (1, -1))


def skeleton(digit: np.ndarray, upsample: int) -> np.ndarray:
    """The centre line of a 28×28 uint8 digit, one pixel wide, at `upsample` times the size."""
    size = digit.shape[0] * upsample
    large = np.asarray(Image.fromarray(digit).resize((size, size), Image.Resampling.BILINEAR))
    return skeletonize(large > 96)


def centre_line(digit: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Skeleton points (y, x) of a 28×28 digit at 112×112, and index pairs of touching points."""
    line = skeleton(digit, UPSAMPLE)
    size = line.shape[0]
    points = np.argwhere(line)
    index = -np.ones(line.shape, int)
    index[points[:, 0], points[:, 1]] = np.arange(len(points))
    pairs = []
    for dy, dx in NEIGHBOURS:
        for i, (y, x) in enumerate(points):
            ny, nx = y + dy, x + dx
            if 0 <= ny < size and 0 <= nx < size and index[ny, nx] >= 0:
                pairs.append((i, index[ny, nx]))
    return points, np.array(pairs, int).reshape(-1, 2)


def draw(digit: np.ndarray, rng: np.random.Generator) -> Image.Image:
    """One 800×800 RGBA drawing of a 28×28 MNIST digit."""
    points, pairs = centre_line(digit)
    height_px = rng.uniform(0.25, 0.80) * CANVAS
    pen = max(2, round(rng.uniform(0.03, 0.12) * height_px))
    span = np.ptp(points[:, 0]) or 1
    scale = (height_px - pen) / span
    xy = (points[:, ::-1] - points.min(axis=0)[::-1]) * scale
    extent = xy.max(axis=0) + pen
    offset = rng.uniform(0, np.maximum(CANVAS - extent, 0)) + pen / 2
    xy = xy + offset

    transparent = rng.random() < 0.3
    ink = (0, 0, 0) if rng.random() < 0.5 else tuple(int(c) for c in rng.integers(0, 200, 3))
    paper = (255, 255, 255, 0 if transparent else 255)
    image = Image.new("RGBA", (CANVAS, CANVAS), paper)
    pen_draw = ImageDraw.Draw(image)
    colour = ink + (255,)
    for a, b in pairs:
        pen_draw.line([tuple(xy[a]), tuple(xy[b])], fill=colour, width=pen)
    radius = pen / 2
    for x, y in xy:
        pen_draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colour)
    return image


def drawn_set(digits: np.ndarray, seed: int = 0):
    """Yield one drawing per digit, reproducibly from the seed."""
    rng = np.random.default_rng(seed)
    for digit in digits:
        yield draw(digit, rng)


def redrawn_inputs(digits: np.ndarray, seed: int) -> np.ndarray:
    """What the app's pipeline makes of drawn_set(digits, seed): (N, 28, 28) uint8, cached.

    Training takes part of each batch from redrawn training digits, exactly the redrawn
    test set's distribution; experiments read the redrawn test set in one forward pass."""
    from training.cache import fingerprint, through_pipeline

    name = f"redrawn-{fingerprint(digits.tobytes())}-{len(digits)}-seed{seed}"
    return through_pipeline(name, drawn_set(digits, seed), len(digits))


def main() -> None:
    from training.data import load_mnist

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--count", type=int, default=20)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    mnist = load_mnist()
    args.out.mkdir(parents=True, exist_ok=True)
    for i, image in enumerate(drawn_set(mnist.test_x[:args.count], args.seed)):
        image.save(args.out / f"{i:05d}-label{mnist.test_y[i]}.png", optimize=True)


if __name__ == "__main__":
    main()
