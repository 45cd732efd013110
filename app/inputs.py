"""What the pipeline takes: a PIL image, a numpy array of pixels or a gr.Sketchpad value,
as one L, RGB or RGBA image; and what it refuses, with a message that says why."""

import numpy as np
from PIL import Image

MAX_PIXELS = 4096 * 4096   # larger inputs are refused before any work is done on them


class InputError(ValueError):
    """The input cannot be read as a drawing; the message says why. `code` and `values` let
    the page say it in another language (app/texts/zh.py ERRORS)."""

    def __init__(self, message: str, code: str = "unreadable", **values):
        super().__init__(message)
        self.code, self.values = code, values


class UnknownModel(InputError):
    """A caller named a model that is not served (or not registered): `choices` are those that are."""

    def __init__(self, name, choices):
        shown, listed = str(name)[:40], ", ".join(choices)
        super().__init__(f"unknown model {shown!r}; choose one of {listed}", code="unknown_model", name=shown,
                         choices=listed)


def to_image(image) -> Image.Image | None:
    """Any supported input as an L, RGB or RGBA image, or None for nothing. Arrays are
    wrapped, not copied, and an image in one of those modes is used as it is: an 800×800
    canvas copied once costs as much as the network's whole forward pass."""
    if isinstance(image, dict):
        # A gr.Sketchpad value: the composite is what the user sees.
        if image.get("composite") is not None:
            return to_image(image["composite"])
        if image.get("background") is not None:
            return to_image(image["background"])
        layers = [layer for layer in image.get("layers") or [] if layer is not None]
        return to_image(layers[-1]) if layers else None
    if image is None:
        return None
    if isinstance(image, Image.Image):
        if image.width * image.height > MAX_PIXELS:
            raise InputError(f"image is {image.width}×{image.height}; the limit is {MAX_PIXELS:,} pixels",
                             code="too_large", width=image.width, height=image.height, limit=MAX_PIXELS)
        if image.mode == "F" or image.mode.startswith("I"):  # 32-bit floats or 16/32-bit integers:
            return to_image(np.asarray(image))                 # checked and scaled as arrays are
        if image.mode not in ("L", "RGB", "RGBA"):
            image = image.convert("RGBA" if "A" in image.getbands() or "transparency" in image.info else "RGB")
        return image
    if not isinstance(image, np.ndarray):
        raise InputError(f"expected an image, an array or a Sketchpad value, got {type(image).__name__}",
                         code="not_an_image")
    pixels = _normalise_array(image)
    return Image.fromarray(pixels[:, :, 0] if pixels.shape[2] == 1 else pixels)


def _normalise_array(array: np.ndarray) -> np.ndarray:
    if array.ndim == 2:
        array = array[:, :, None]
    if array.ndim != 3 or array.shape[2] not in (1, 3, 4):
        raise InputError(f"expected an H×W, H×W×3 or H×W×4 image, got shape {array.shape}", code="shape",
                         shape=array.shape)
    height, width = array.shape[:2]
    if height == 0 or width == 0:
        raise InputError(f"the image is empty ({height}×{width})", code="empty")
    if height * width > MAX_PIXELS:
        raise InputError(f"image is {width}×{height}; the limit is {MAX_PIXELS:,} pixels", code="too_large",
                         width=width, height=height, limit=MAX_PIXELS)
    if array.dtype == np.uint8:
        return array
    if array.dtype == bool:
        return array.astype(np.uint8) * 255
    if not (np.issubdtype(array.dtype, np.integer) or np.issubdtype(array.dtype, np.floating)):
        raise InputError(f"pixels must be numbers, got {array.dtype}", code="not_numbers")
    values = array.astype(np.float64)
    if not np.isfinite(values).all():
        raise InputError("the image contains NaN or infinite values", code="nan")
    # Floats up to 1 are read as 0–1 intensities; anything larger as 0–255.
    scale = 255.0 if np.issubdtype(array.dtype, np.floating) and values.max() <= 1.0 else 1.0
    return np.clip(values * scale, 0, 255).round().astype(np.uint8)
