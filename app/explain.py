"""Why the network says what it says, from Paddle's autograd on the 28×28 it saw.

- unit_gradient: how one unit of one map depends on every input pixel (its effective
  receptive field); zero outside the square its receptive field allows.
- integrated_gradients: each pixel's share of a digit's score, from a blank input to the
  drawing, the points of the path in batched forward and backward passes; the shares add up
  to score(drawing) − score(blank) within 0.5 %, points added where the path bends until they do.
- occlusion: how much the digit's probability drops when a small patch is blanked.
"""

from dataclasses import dataclass

import numpy as np
import paddle

from app.models import Network

# Integrated Gradients by an adaptive trapezoid rule along the path from blank to drawing.
# Every point's pass gives the score and its gradient, so each interval's error is known
# exactly: the score's change across it, less what the trapezoid credits it with. The
# intervals holding the larger half of the error are halved until the shares add up to the
# change in score within IG_TOLERANCE. A ReLU network is piecewise linear along the path, so
# the points gather at its kinks, where evenly spaced steps (128 of them left a fifth of
# MNIST's first 200 test digits over 1 % off) spend most of theirs on the straight parts.
IG_START, IG_TOLERANCE, IG_MAX_POINTS = 32, 0.005, 2048
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


def _scores_and_gradients(network: Network, image: np.ndarray, label: int, rival: int | None,
                          alphas: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """At the points alpha·image of the path: the score, its gradient and the logits."""
    scores, gradients, logits = [], [], []
    for start in range(0, len(alphas), BATCH):
        path = _input_tensor(alphas[start:start + BATCH, None, None].astype(np.float32) * image[None])
        outputs = network(path)
        target = outputs[:, label] - (outputs[:, rival] if rival is not None else 0)
        target.sum().backward()
        scores.append(target.numpy().astype(np.float64))
        gradients.append(path.grad.numpy()[:, 0])
        logits.append(outputs.numpy())
    return np.concatenate(scores), np.concatenate(gradients), np.concatenate(logits)


def integrated_gradients(network: Network, image: np.ndarray, label: int,
                         rival: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(attribution 28×28, logits at the input): IG of logit(label) − logit(rival) from the blank image."""
    alphas = np.linspace(0, 1, IG_START + 1)
    scores, gradients, logits = _scores_and_gradients(network, image, label, rival, alphas)
    change, pixels = scores[-1] - scores[0], image.ravel().astype(np.float64)
    while True:
        slopes = gradients.reshape(len(alphas), -1) @ pixels  # d score / d alpha at each point
        errors = np.diff(scores) - np.diff(alphas) * (slopes[:-1] + slopes[1:]) / 2
        if abs(errors.sum()) <= IG_TOLERANCE * abs(change) or len(alphas) >= IG_MAX_POINTS:
            break
        worst = np.argsort(-np.abs(errors))
        count = np.searchsorted(np.cumsum(np.abs(errors[worst])), np.abs(errors).sum() / 2) + 1
        halved = worst[:min(count, BATCH, IG_MAX_POINTS - len(alphas))]
        middles = (alphas[halved] + alphas[halved + 1]) / 2
        new_scores, new_gradients, _ = _scores_and_gradients(network, image, label, rival, middles)
        order = np.argsort(np.concatenate([alphas, middles]))
        alphas = np.concatenate([alphas, middles])[order]
        scores = np.concatenate([scores, new_scores])[order]
        gradients = np.concatenate([gradients, new_gradients])[order]
    weights = np.zeros_like(alphas)  # the trapezoid's: half of each interval to each end
    weights[:-1] += np.diff(alphas) / 2
    weights[1:] += np.diff(alphas) / 2
    return (image * np.tensordot(weights, gradients, axes=1)).astype(np.float32), logits[-1]


def occlusion(network: Network, image: np.ndarray, label: int) -> np.ndarray:
    """Each pixel's mean drop in P(label) over the blank PATCH×PATCH squares that cover it.
    A square over no ink leaves the input as it is, so its drop is 0 without a pass: only the
    inked ones (about half of a digit's 169) go through the network."""
    size = image.shape[0]
    corners = [(top, left) for top in range(0, size - PATCH + 1, STRIDE) for left in range(0, size - PATCH + 1, STRIDE)]
    inked = [(top, left) for top, left in corners if image[top:top + PATCH, left:left + PATCH].any()]
    covered = np.repeat(image[None], len(inked) + 1, axis=0)
    for i, (top, left) in enumerate(inked, start=1):
        covered[i, top:top + PATCH, left:left + PATCH] = 0
    with paddle.no_grad():
        logits = network(paddle.to_tensor(covered[:, None].astype(np.float32)))
        probabilities = paddle.nn.functional.softmax(logits, axis=1).numpy()[:, label]
    drop, count = np.zeros_like(image, np.float32), np.zeros_like(image, np.float32)
    for (top, left), p in zip(inked, probabilities[1:], strict=True):
        drop[top:top + PATCH, left:left + PATCH] += probabilities[0] - p
    for top, left in corners:
        count[top:top + PATCH, left:left + PATCH] += 1
    return drop / np.maximum(count, 1)
