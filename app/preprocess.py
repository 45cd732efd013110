"""From any drawing to the 28×28 image MNIST digits are: the MNIST recipe, step by step.

ink map (big canvases shrunk first) → crop to the ink → stroke width made MNIST-like → longest side 20 px →
placed in 28×28 with the centre of mass in the middle. Every step is kept so the page can
show how the network's input came about.
"""

from collections import OrderedDict

import numpy as np
from PIL import Image

from app.inputs import to_image
from app.models import IMAGE_SIZE

DIGIT_BOX = 20             # MNIST fits each digit's longest side into 20 px...
WORK_SIZE = 4 * DIGIT_BOX  # ...we fix the stroke width at 4× that, then shrink.
# MNIST's median stroke width, measured with stroke_width() on the training set scaled to
# WORK_SIZE (python -m training.stroke_stats): drawings are brought to it.
TARGET_STROKE = 12.8
MAX_WORKING_SIDE = 400    # canvases are box-averaged down to this before any other work
INK_THRESHOLD = 64         # of 255: what counts as ink when cropping and measuring
MIN_DIGIT_FRACTION = 0.02  # less ink than a square of this share of the canvas's side is specks


def shrink(image: Image.Image) -> Image.Image:
    """Box-average big canvases down to at most MAX_WORKING_SIDE: a digit a quarter of the
    canvas high is still over WORK_SIZE, and every later step is that much cheaper."""
    factor = -(-max(image.size) // MAX_WORKING_SIDE)
    return image.reduce(factor) if factor > 1 else image


def ink_map(image: Image.Image) -> np.ndarray:
    """uint8, 255 = full ink, whatever the drawing's convention, at most MAX_WORKING_SIDE.

    On transparent paper the ink is the alpha channel. Otherwise it is the difference in
    brightness from the commonest border value, so dark ink on light paper, light ink on
    dark (MNIST) and coloured ink all come out the same; faint ink is stretched to full.
    """
    # Transparent paper covers most of the canvas, so a sparse sample of alpha finds it.
    if image.mode == "RGBA" and _sample(image).getextrema()[3][0] < 250:
        return np.asarray(shrink(image.getchannel("A")))
    grey = shrink(image if image.mode == "L" else image.convert("L"))
    darkest, brightest = grey.getextrema()
    values = np.asarray(grey)
    border = np.concatenate([values[0], values[-1], values[:, 0], values[:, -1]])
    paper = int(np.bincount(border, minlength=256).argmax())
    strongest = max(paper - darkest, brightest - paper)
    if strongest == 0:
        return np.zeros_like(values)
    lookup = np.minimum(np.abs(np.arange(256) - paper) * 255 // strongest, 255)
    return np.asarray(grey.point(lookup.tolist()))


def _sample(image: Image.Image, every: int = 8) -> Image.Image:
    """Every `every`-th pixel each way: a few thousand pixels to look at, not all of them."""
    return image.resize((max(1, image.width // every), max(1, image.height // every)), Image.Resampling.NEAREST)


def ink_box(ink: np.ndarray) -> tuple[int, int, int, int] | None:
    """(top, bottom, left, right) of the ink, or None when there is no more than specks."""
    solid = ink >= INK_THRESHOLD
    if solid.sum() < (MIN_DIGIT_FRACTION * max(ink.shape)) ** 2:
        return None
    rows = np.flatnonzero(solid.any(axis=1))
    cols = np.flatnonzero(solid[rows[0]:rows[-1] + 1].any(axis=0))
    return rows[0], rows[-1] + 1, cols[0], cols[-1] + 1


def stroke_width(ink: np.ndarray) -> float:
    """Mean stroke width in pixels: a stroke of width w and length L covers w·L pixels and
    has 2·L edge pixels, so w ≈ 2 · area / edge."""
    solid = ink >= INK_THRESHOLD
    padded = np.pad(solid, 1)
    inner = (padded[:-2, 1:-1] & padded[2:, 1:-1] & padded[1:-1, :-2] & padded[1:-1, 2:])
    area = int(solid.sum())
    edge = area - int((solid & inner).sum())
    return 2.0 * area / max(edge, 1)


def _fit(image: Image.Image, size: int) -> Image.Image:
    """Scale so the longest side is `size`, keeping the aspect ratio, anti-aliased."""
    scale = size / max(image.size)
    target = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(target, Image.Resampling.LANCZOS if scale < 1 else Image.Resampling.BILINEAR)


def _rank_filter(ink: np.ndarray, radius: int, grow: bool) -> np.ndarray:
    """Square dilation (grow: max, with a border so nothing is cut) or erosion (min) of
    the given radius: the max (min) of each 2r + 1 rows, then of each 2r + 1 columns, as
    whole-array steps."""
    size = 2 * radius + 1
    combine = np.maximum if grow else np.minimum
    if grow:
        ink = np.pad(ink, 2 * radius)
    for _ in range(2):  # rows, then (transposed) columns
        count = len(ink) - size + 1
        window = ink[:count]
        for offset in range(1, size):
            window = combine(window, ink[offset:offset + count])
        ink = window.T
    return np.ascontiguousarray(ink)


def normalise_stroke(image: Image.Image) -> Image.Image:
    """Thicken thin strokes (or thin fat ones) to MNIST's width, at WORK_SIZE."""
    ink = np.asarray(image)
    radius = round((TARGET_STROKE - stroke_width(ink)) / 2)
    if radius > 0:
        return Image.fromarray(_rank_filter(ink, radius, grow=True))
    if radius < -2:  # only clearly fat strokes: eroding can break thin joins
        return Image.fromarray(_rank_filter(ink, -radius, grow=False))
    return image


def centre_offset(digit: np.ndarray) -> tuple[int, int]:
    """(top, left) that puts the digit's centre of mass at the centre of 28×28, as MNIST does."""
    height, width = digit.shape
    mass = digit.astype(np.float64)
    total = mass.sum()
    rows, cols = np.arange(height), np.arange(width)
    cy = (mass.sum(axis=1) @ rows) / total
    cx = (mass.sum(axis=0) @ cols) / total
    # MNIST's centres of mass sit at pixel (14, 14), measured over its test set.
    middle = IMAGE_SIZE / 2
    return (int(np.clip(round(middle - cy), 0, IMAGE_SIZE - height)),
            int(np.clip(round(middle - cx), 0, IMAGE_SIZE - width)))


def placement(steps) -> tuple[float, int, int] | None:
    """How the crop sits in the 28×28: (scale, top, left) such that input pixel (y, x) shows
    crop pixel ((y − top) / scale, (x − left) / scale); None when the steps have no crop."""
    if "crop" not in steps or "20×20" not in steps:
        return None
    box = steps["20×20"]
    top, left = centre_offset(box)
    return max(box.shape) / max(steps["crop"].shape), top, left


def centre(digit: np.ndarray) -> np.ndarray:
    """Place the digit in 28×28 so its centre of mass is the centre, as MNIST does."""
    height, width = digit.shape
    top, left = centre_offset(digit)
    out = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)
    out[top:top + height, left:left + width] = digit
    return out


# The one step of a digit that is already as MNIST makes them, and is passed through as it is.
MNIST_SHAPED = "already MNIST-shaped"
MNIST_CENTRING = 0.55  # px: MNIST shifted whole pixels, so its centres of mass are within 0.52 of 14


def mnist_shaped(image: Image.Image) -> np.ndarray | None:
    """The digit as the network's float32 input if the image is already one as MNIST makes
    them, else None: 28×28 grey, light ink on black paper, the ink's longest side 19 or 20
    px (fitted to MNIST's 20-px box) and its centre of mass at (14, 14) to within MNIST's
    own rounding.

    Every one of MNIST's 70,000 digits is (measured), and re-processing them cost accuracy:
    the stroke step thickens MNIST's thinner digits and re-fitting blurs them, so lenet5 read
    99.27 % of the test digits through the pipeline and 99.43 % as given.
    """
    if image.size != (IMAGE_SIZE, IMAGE_SIZE):
        return None
    pixels = np.asarray(image).reshape(IMAGE_SIZE, IMAGE_SIZE, -1)
    if pixels.shape[2] == 4 and pixels[:, :, 3].min() < 255:
        return None
    grey = pixels[:, :, 0]
    if pixels.shape[2] > 1 and (pixels[:, :, 1:3] != grey[:, :, None]).any():
        return None
    border = np.concatenate([grey[0], grey[-1], grey[:, 0], grey[:, -1]])
    if np.bincount(border, minlength=256).argmax() != 0:
        return None
    rows, cols = np.flatnonzero(grey.any(axis=1)), np.flatnonzero(grey.any(axis=0))
    if rows.size == 0 or max(rows[-1] - rows[0], cols[-1] - cols[0]) + 1 not in (DIGIT_BOX - 1, DIGIT_BOX):
        return None
    mass = grey.astype(np.float64)
    centre_of_mass = (mass.sum(axis=1) @ np.arange(IMAGE_SIZE), mass.sum(axis=0) @ np.arange(IMAGE_SIZE))
    if np.abs(np.array(centre_of_mass) / mass.sum() - IMAGE_SIZE / 2).max() > MNIST_CENTRING:
        return None
    return grey.astype(np.float32) / 255.0


# The steps the stress lab can turn off, one at a time, to show what each one is for.
SWITCHES = ("stroke", "box", "centre")


def preprocess(image, skip=()) -> tuple[np.ndarray | None, "OrderedDict[str, np.ndarray]"]:
    """The network's 28×28 float32 input in [0, 1] (None for a blank canvas) and the steps.

    Step arrays are 2-D float32 in [0, 1], in pipeline order. A digit that is already
    MNIST-shaped has one step, MNIST_SHAPED, and reaches the network exactly as given.
    `skip` names SWITCHES to leave out: "stroke" keeps the drawn stroke width, "box" keeps
    the digit's size relative to the canvas instead of fitting it to 20 px, "centre" keeps
    it where it was drawn.
    """
    if set(skip) - set(SWITCHES):
        raise ValueError(f"unknown steps to skip {sorted(set(skip) - set(SWITCHES))}; one of {SWITCHES}")
    steps = OrderedDict()
    image = to_image(image)
    if image is None:
        return None, steps
    digit = mnist_shaped(image)
    if digit is not None:
        steps[MNIST_SHAPED] = digit
        return digit, steps
    ink = ink_map(image)
    steps["ink"] = ink
    box = ink_box(ink)
    if box is None:
        return None, _as_float(steps)
    top, bottom, left, right = box
    cropped = Image.fromarray(np.ascontiguousarray(ink[top:bottom, left:right]))
    steps["crop"] = cropped
    stroked = _fit(cropped, WORK_SIZE)
    steps["stroke"] = stroked if "stroke" in skip else normalise_stroke(stroked)
    drawn_side = max(1, round(max(bottom - top, right - left) * IMAGE_SIZE / max(ink.shape)))
    side = drawn_side if "box" in skip else DIGIT_BOX
    scaled = np.asarray(_fit(steps["stroke"], side), np.float32) / 255.0
    steps["20×20"] = scaled
    digit = centre(scaled) if "centre" not in skip else _as_drawn(scaled, top / ink.shape[0], left / ink.shape[1])
    steps["28×28"] = digit
    return digit, _as_float(steps)


def _as_drawn(digit: np.ndarray, top: float, left: float) -> np.ndarray:
    """The digit placed in 28×28 where it sat on the canvas (`top`, `left` as fractions)."""
    height, width = digit.shape
    row = int(np.clip(round(top * IMAGE_SIZE), 0, IMAGE_SIZE - height))
    col = int(np.clip(round(left * IMAGE_SIZE), 0, IMAGE_SIZE - width))
    out = np.zeros((IMAGE_SIZE, IMAGE_SIZE), np.float32)
    out[row:row + height, col:col + width] = digit
    return out


def _as_float(steps) -> "OrderedDict[str, np.ndarray]":
    return OrderedDict((name, value if isinstance(value, np.ndarray) and value.dtype == np.float32
                        else np.asarray(value) * np.float32(1 / 255)) for name, value in steps.items())
