"""Activations and pipeline stages as small heatmap images, with numpy and pillow only.

Images are made at one pixel per value and the page scales them up with nearest-neighbour
(CSS `image-rendering: pixelated`), so they stay crisp and cost little to encode and send.
"""

import base64
import io

import numpy as np
from PIL import Image

from app.texts import layer_title

# Colour scale from zero to the layer's largest activation: "magma"-like, dark to bright,
# so a learner reads bright as "this feature fired here".
_ANCHORS = np.array([
    (0.00, (0, 0, 4)), (0.25, (81, 18, 124)), (0.50, (183, 55, 121)),
    (0.75, (252, 137, 97)), (1.00, (252, 253, 191)),
], dtype=object)
COLOURS = np.stack([np.interp(np.linspace(0, 1, 256), [a[0] for a in _ANCHORS], [a[1][c] for a in _ANCHORS])
                    for c in range(3)], axis=1).round().astype(np.uint8)
NEGATIVE = np.array([40, 90, 180], np.uint8)  # below zero (only layers without ReLU have it)
GAP = (235, 235, 240)


def colour_scale(values: np.ndarray) -> tuple[np.ndarray, float, float]:
    """RGB uint8 for each value, on one scale for the whole layer, and the scale's ends.

    Positive values go through COLOURS from 0 to the largest; negative ones (sigmoid-free
    layers of the tutorial net) blend towards NEGATIVE, so the sign stays visible.
    """
    low, high = float(min(values.min(), 0.0)), float(max(values.max(), 0.0))
    positive = np.clip(values / high, 0, 1) if high > 0 else np.zeros_like(values)
    rgb = COLOURS[(positive * 255).round().astype(np.uint8)]
    if low < 0:
        negative = (np.clip(values / low, 0, 1))[..., None]
        rgb = np.where(values[..., None] < 0, (negative * NEGATIVE).astype(np.uint8), rgb)
    return rgb, low, high


def feature_grid(maps: np.ndarray, columns: int) -> tuple[np.ndarray, float, float]:
    """(C, H, W) maps → one RGB image: a grid of `columns`, one pixel apart."""
    channels, height, width = maps.shape
    rows = -(-channels // columns)
    rgb, low, high = colour_scale(maps)
    grid = np.empty((rows * (height + 1) - 1, columns * (width + 1) - 1, 3), np.uint8)
    grid[:] = GAP
    for i in range(channels):
        top, left = (i // columns) * (height + 1), (i % columns) * (width + 1)
        grid[top:top + height, left:left + width] = rgb[i]
    return grid, low, high


def vector_strip(values: np.ndarray, columns: int) -> tuple[np.ndarray, float, float]:
    """(N,) values → a block of cells, `columns` wide, one pixel per value."""
    rows = -(-len(values) // columns)
    padded = np.full(rows * columns, np.nan)
    padded[:len(values)] = values
    rgb, low, high = colour_scale(np.nan_to_num(padded).reshape(rows, columns))
    rgb[np.isnan(padded).reshape(rows, columns)] = GAP
    return rgb, low, high


def grey(image: np.ndarray) -> np.ndarray:
    """A pipeline stage (2-D, 0–1, 1 = ink) as dark ink on white, the way it was drawn."""
    return (255 - np.clip(image, 0, 1) * 255).astype(np.uint8)


def png_data_uri(pixels: np.ndarray) -> str:
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format="PNG", compress_level=1)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _figure(pixels: np.ndarray, caption: str, width: int, extra: str = "", under: str = "") -> str:
    return (f'<figure class="ll-fig"><img src="{png_data_uri(pixels)}" alt="{caption}" '
            f'style="width:{width}px">{under}<figcaption>{caption}{extra}</figcaption></figure>')


def _scale_note(low: float, high: float) -> str:
    swatch = "".join(f'<i style="background:rgb{tuple(int(c) for c in COLOURS[v])}"></i>' for v in range(0, 256, 32))
    below = f'<i style="background:rgb{tuple(int(c) for c in NEGATIVE)}"></i>{low:.2g} ' if low < 0 else ""
    return f'<span class="ll-scale">{below}0 {swatch} {high:.2g}</span>'


# Grid columns and on-page width (px) per layer shape: wide layers get more room.
def _layout(shape: tuple[int, ...]) -> tuple[int, int]:
    if len(shape) == 3:
        channels, size, _ = shape
        columns = channels if channels <= 8 else 8
        return columns, min(560, columns * (size + 1) * (4 if size <= 6 else 2 if size <= 14 else 1) * 2)
    return (20, 280) if shape[0] > 10 else (10, 200)


def activations_html(activations, layers) -> str:
    """Every layer's activations, in network order, each captioned with its name, kind,
    shape and the tutorial's formula."""
    parts = []
    for info in layers:
        values = activations[info.name]
        columns, width = _layout(info.shape)
        if values.ndim == 3:
            pixels, low, high = feature_grid(values, columns)
        else:
            pixels, low, high = vector_strip(values, columns)
        caption = layer_title(info) + (f" · {info.formula}" if info.formula else "")
        # The output is one score per digit: label each cell with its digit.
        digits = ('<span class="ll-digits">' + "".join(f"<b>{d}</b>" for d in range(len(values)))
                  + "</span>") if info is layers[-1] else ""
        parts.append(_figure(pixels, caption, width, _scale_note(low, high), digits))
    return '<div class="ll-layers">' + "".join(parts) + "</div>"


def pipeline_html(stages) -> str:
    """The drawing's way to the network: each stage dark-on-white, with its size."""
    box = 72  # each stage fits a 72 px square on the page, its shape kept
    parts = [_figure(grey(image), f"{name} · {image.shape[1]}×{image.shape[0]}",
                     max(1, round(box * image.shape[1] / max(image.shape))))
             for name, image in stages.items()]
    return '<div class="ll-pipeline">' + " → ".join(parts) + "</div>"


def kernels_html(weights: dict) -> str:
    """Learned convolution kernels, {caption: (out, in, k, k) array}: each output channel's
    kernels side by side, on a blue (negative) to red (positive) scale."""
    parts = []
    for caption, kernels in weights.items():
        out_channels, in_channels, size, _ = kernels.shape
        limit = float(np.abs(kernels).max()) or 1.0
        scaled = np.clip(kernels / limit, -1, 1)
        red = np.where(scaled > 0, 255, 255 * (1 + scaled))
        blue = np.where(scaled < 0, 255, 255 * (1 - scaled))
        green = 255 * (1 - np.abs(scaled))
        rgb = np.stack([red, green, blue], axis=-1).astype(np.uint8)   # (out, in, k, k, 3)
        grid = np.full((out_channels * (size + 1) - 1, in_channels * (size + 1) - 1, 3), GAP, np.uint8)
        for o in range(out_channels):
            for i in range(in_channels):
                grid[o * (size + 1):o * (size + 1) + size, i * (size + 1):i * (size + 1) + size] = rgb[o, i]
        parts.append(_figure(grid, f"{caption} · {out_channels}×{in_channels} @ {size}×{size} · ±{limit:.2g}",
                             min(560, grid.shape[1] * 8)))
    return '<div class="ll-layers">' + "".join(parts) + "</div>"
