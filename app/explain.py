"""Why the network says what it says, from Paddle's autograd on the 28×28 it saw.

- unit_gradient: how one unit of one map depends on every input pixel (its effective
  receptive field); zero outside the square its receptive field allows.
- integrated_gradients: each pixel's share of a digit's score, from a blank input to the
  drawing, all steps in one batched forward and backward pass; the shares add up to
  score(drawing) − score(blank).
- occlusion: how much the digit's probability drops when a small patch is blanked.
"""

from dataclasses import dataclass

import numpy as np
import paddle

from app.models import Network

IG_STEPS = 128  # midpoint Riemann sum: 64 left 4 % of MNIST test digits over 1 % (benchmarks/explain.py)
PATCH, STRIDE = 4, 2


@dataclass
class Explanation:
    label: int | None           # the digit explained (the prediction), None for a blank drawing
    rival: int | None           # the digit it is contrasted with, if any
    input: np.ndarray | None    # the 28×28 float32 image the network saw
    attribution: np.ndarray | None  # 28×28 float32: Integrated Gradients of logit(label) [− logit(rival)]
    occlusion: np.ndarray | None    # 28×28 float32: drop of P(label) with a 4×4 blank patch over each pixel
    logits: np.ndarray | None = None  # (10,) at the input


def _input_tensor(images: np.ndarray) -> paddle.Tensor:
    tensor = paddle.to_tensor(images[:, None].astype(np.float32))
    tensor.stop_gradient = False
    return tensor


def unit_gradient(network: Network, image: np.ndarray, layer: str, channel: int, y: int, x: int):
    """(the unit's value, d unit / d input as 28×28 float32) for cell (y, x) of map `channel`."""
    tensor = _input_tensor(image[None])
    _, activations = network(tensor, with_activations=True)
    unit = activations[layer][0, channel, y, x]
    unit.backward()
    return float(unit), tensor.grad.numpy()[0, 0]


def integrated_gradients(network: Network, image: np.ndarray, label: int, rival: int | None = None,
                         steps: int = IG_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """(attribution 28×28, logits at the input): IG of logit(label) − logit(rival) from the blank image."""
    alphas = (np.arange(steps, dtype=np.float32) + 0.5) / steps
    path = _input_tensor(alphas[:, None, None] * image[None])
    logits = network(path)
    target = logits[:, label] - (logits[:, rival] if rival is not None else 0)
    target.sum().backward()
    attribution = image * path.grad.numpy()[:, 0].mean(axis=0)
    with paddle.no_grad():
        at_input = network(paddle.to_tensor(image[None, None].astype(np.float32))).numpy()[0]
    return attribution.astype(np.float32), at_input


def occlusion(network: Network, image: np.ndarray, label: int) -> np.ndarray:
    """Each pixel's mean drop in P(label) over the blank PATCH×PATCH squares that cover it."""
    size = image.shape[0]
    corners = [(top, left) for top in range(0, size - PATCH + 1, STRIDE) for left in range(0, size - PATCH + 1, STRIDE)]
    covered = np.repeat(image[None], len(corners) + 1, axis=0)
    for i, (top, left) in enumerate(corners, start=1):
        covered[i, top:top + PATCH, left:left + PATCH] = 0
    with paddle.no_grad():
        logits = network(paddle.to_tensor(covered[:, None].astype(np.float32)))
        probabilities = paddle.nn.functional.softmax(logits, axis=1).numpy()[:, label]
    drop, count = np.zeros_like(image, np.float32), np.zeros_like(image, np.float32)
    for (top, left), p in zip(corners, probabilities[1:], strict=True):
        drop[top:top + PATCH, left:left + PATCH] += probabilities[0] - p
        count[top:top + PATCH, left:left + PATCH] += 1
    return drop / np.maximum(count, 1)
