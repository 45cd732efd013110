"""Why the network says what it says, from Paddle's autograd on the 28×28 it saw.

- unit_gradient: how one unit of one map depends on every input pixel (its effective
  receptive field); zero outside the square its receptive field allows.
- integrated_gradients: each pixel's share of a digit's score, from a blank input to the
  drawing, the steps in batched forward and backward passes; the shares add up to
  score(drawing) − score(blank) within 1 %, the steps tripled until they do (to a cap).
- occlusion: how much the digit's probability drops when a small patch is blanked.
"""

from dataclasses import dataclass

import numpy as np
import paddle

from app.models import Network

# Midpoint Riemann sums of 128 steps, tripled while the shares miss the change in score by
# over 1 %, to at most 1,152: a third of a tripled grid's midpoints are the last grid's, so
# each level computes only the new ones. A ReLU network is piecewise linear along the path,
# and the shipped lenet5's pieces are many: 128 steps leave 20 % of MNIST test digits over
# 1 % (benchmarks/explain.py).
IG_STEPS, IG_MAX_STEPS, IG_TOLERANCE = 128, 1152, 0.01
BATCH = 256  # path points per forward and backward pass
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


def _gradient_sum(network: Network, image: np.ndarray, label: int, rival: int | None,
                  alphas: np.ndarray) -> np.ndarray:
    """The sum of the score's gradients at these points alpha·image of the path."""
    total = np.zeros_like(image, np.float32)
    for start in range(0, len(alphas), BATCH):
        path = _input_tensor(alphas[start:start + BATCH, None, None] * image[None])
        logits = network(path)
        target = logits[:, label] - (logits[:, rival] if rival is not None else 0)
        target.sum().backward()
        total += path.grad.numpy()[:, 0].sum(axis=0)
    return total


def integrated_gradients(network: Network, image: np.ndarray, label: int, rival: int | None = None,
                         steps: int = IG_STEPS) -> tuple[np.ndarray, np.ndarray]:
    """(attribution 28×28, logits at the input): IG of logit(label) − logit(rival) from the blank image."""
    with paddle.no_grad():
        ends = network(paddle.to_tensor(np.stack([np.zeros_like(image), image])[:, None].astype(np.float32)))
    blank, at_input = ends.numpy()
    change = (at_input[label] - blank[label]) - ((at_input[rival] - blank[rival]) if rival is not None else 0)
    new = np.arange(steps)  # the midpoints (k + ½)/steps not computed yet
    total = np.zeros_like(image, np.float32)
    while True:
        total += _gradient_sum(network, image, label, rival, ((new + 0.5) / steps).astype(np.float32))
        attribution = image * total / steps
        if abs(attribution.sum() - change) <= IG_TOLERANCE * abs(change) or steps * 3 > IG_MAX_STEPS:
            return attribution.astype(np.float32), at_input
        steps *= 3
        new = np.flatnonzero(np.arange(steps) % 3 != 1)  # (3i + 1 + ½)/3N is the old (i + ½)/N


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
