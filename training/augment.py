"""Make MNIST digits look like drawings: redrawn with a uniform pen, random pen width,
rotation, scale, slant, shift and elastic bending.

All on the tensor side, one batch at a time, so an epoch stays cheap.
"""

import math

import paddle
from paddle.nn import functional as F

MAX_ROTATION = math.radians(12)
SCALE = (0.9, 1.1)
MAX_SHEAR = 0.15
MAX_SHIFT = 0.08  # of the half-width: about a pixel at 28×28
# Pen width change, as a blend towards the eroded (-1) or dilated (+1) digit: a fraction of
# a pixel either way, and up to two pixels thicker as thin drawn strokes need.
PEN_CHANGE = (-0.6, 1.0)
# Part of each batch (the recipe's redraw_share) is redrawn from its centre line (at 56×56)
# with a square pen 5 or 7 pixels wide: 2.5–3.5 px at 28×28, what the app's pipeline makes of
# a drawing's strokes.
PENS = (5, 7)
# Elastic distortion (Simard et al. 2003) of part of each batch (the recipe's elastic_share):
# a random displacement field smoothed by a Gaussian of ELASTIC_SIGMA px and scaled by
# ELASTIC_ALPHA px bends strokes as another writer would; it took their convolutional
# network's MNIST error from 0.6 to 0.4 %. Their 34 px, on top of the other changes here,
# bent some digits into others (a 7 into a 3); lenet5 trained with 28 px read MNIST at
# 99.49 % against 99.44 % with 20 px.
ELASTIC_ALPHA, ELASTIC_SIGMA = 28.0, 4.0


def _pen_width(images: paddle.Tensor) -> paddle.Tensor:
    amount = paddle.uniform([images.shape[0], 1, 1, 1], min=PEN_CHANGE[0], max=PEN_CHANGE[1])
    thicker = F.max_pool2d(images, 3, 1, 1)
    thinner = -F.max_pool2d(-images, 3, 1, 1)
    target = paddle.where(amount > 0, thicker, thinner)
    return images + amount.abs() * (target - images)


def _redraw(images: paddle.Tensor, centre_lines: paddle.Tensor, share: float) -> paddle.Tensor:
    batch = images.shape[0]
    pens = [F.avg_pool2d(F.max_pool2d(centre_lines, pen, 1, pen // 2), 2) for pen in PENS]
    pick = paddle.rand([batch, 1, 1, 1]) < 0.5
    redrawn = paddle.where(pick, pens[0], pens[1])
    return paddle.where(paddle.rand([batch, 1, 1, 1]) < share, redrawn, images)


def _random_affine(batch: int) -> paddle.Tensor:
    """(B, 2, 3) matrices mapping output to input coordinates, as affine_grid wants."""
    def uniform(low, high):
        return paddle.uniform([batch], min=low, max=high)

    angle, scale = uniform(-MAX_ROTATION, MAX_ROTATION), uniform(*SCALE)
    shear = uniform(-MAX_SHEAR, MAX_SHEAR)
    cos, sin = paddle.cos(angle) * scale, paddle.sin(angle) * scale
    row0 = paddle.stack([cos, -sin + shear, uniform(-MAX_SHIFT, MAX_SHIFT)], axis=1)
    row1 = paddle.stack([sin, cos, uniform(-MAX_SHIFT, MAX_SHIFT)], axis=1)
    return paddle.stack([row0, row1], axis=1)


def _elastic(batch: int, size: int, share: float) -> paddle.Tensor:
    """(B, size, size, 2) displacements in grid_sample's units, zero for all but `share` of the batch."""
    radius = round(3 * ELASTIC_SIGMA)
    x = paddle.arange(-radius, radius + 1, dtype="float32")
    kernel = paddle.exp(-x ** 2 / (2 * ELASTIC_SIGMA ** 2))
    kernel = kernel / kernel.sum()
    field = paddle.uniform([2 * batch, 1, size, size], min=-1.0, max=1.0)
    field = F.conv2d(field, kernel.reshape([1, 1, 1, -1]), padding=[0, radius])
    field = F.conv2d(field, kernel.reshape([1, 1, -1, 1]), padding=[radius, 0])
    chosen = (paddle.rand([batch, 1, 1, 1]) < share).astype("float32")
    pixel = 2 / size  # grid_sample's coordinates span 2 across the image
    return field.reshape([batch, 2, size, size]).transpose([0, 2, 3, 1]) * (ELASTIC_ALPHA * pixel) * chosen


def augment(images: paddle.Tensor, centre_lines: paddle.Tensor, redraw_share: float,
            elastic_share: float = 0.0) -> paddle.Tensor:
    """images: (B, 1, 28, 28) in [0, 1]; centre_lines: their skeletons, (B, 1, 56, 56) of 0
    and 1 (training.drawn.skeleton) → (B, 1, 28, 28), `redraw_share` of them redrawn,
    `elastic_share` bent, all randomly turned, scaled, slanted, shifted and given another pen width."""
    images = _pen_width(_redraw(images, centre_lines, redraw_share))
    grid = F.affine_grid(_random_affine(images.shape[0]), images.shape, align_corners=False)
    if elastic_share:
        grid = grid + _elastic(images.shape[0], images.shape[-1], elastic_share)
    return F.grid_sample(images, grid, align_corners=False)


def turn_and_flip(images: paddle.Tensor, turnable: paddle.Tensor) -> paddle.Tensor:
    """Any rotation, mirrored half the time, of the images where `turnable` (B,) is true: most
    non-digits turned are still not digits."""
    batch = images.shape[0]
    angle = paddle.uniform([batch], min=0, max=2 * math.pi)
    mirror = paddle.where(paddle.rand([batch]) < 0.5, paddle.full([batch], -1.0), paddle.ones([batch]))
    zero = paddle.zeros([batch])
    row0 = paddle.stack([paddle.cos(angle) * mirror, -paddle.sin(angle), zero], axis=1)
    row1 = paddle.stack([paddle.sin(angle) * mirror, paddle.cos(angle), zero], axis=1)
    grid = F.affine_grid(paddle.stack([row0, row1], axis=1), images.shape, align_corners=False)
    return paddle.where(turnable.reshape([-1, 1, 1, 1]), F.grid_sample(images, grid, align_corners=False), images)
