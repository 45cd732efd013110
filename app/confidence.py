"""Is this a convincing digit? The answer behind `Prediction.confident`.

Two rules for what the pipeline can tell by itself, then the network's own score:

- a speck: ink whose extent is under SPECK of the canvas's side (digits are drawn 25–80 % of
  it high);
- several pieces side by side: the crop splits into parts with empty columns between
  them, as several digits or letters do and a single digit almost never does;
- otherwise the score, how far the top guess is ahead of the runner-up (the gap between
  their logits, log p1/p2), against the model's threshold, calibrated on held-out drawings
  (training.honesty) and kept in its model card.

Why the gap and not the top probability, as measured: README, The models.
"""

import numpy as np

from app.preprocess import INK_THRESHOLD

SPECK = 0.1
# A gap this share of the crop's height splits pieces; each must hold this share of the ink
# (so a stray mark beside a digit is not a second piece).
GAP, PIECE = 0.08, 0.15
DEFAULT_THRESHOLD = 2.0  # for weights without a calibrated one: the top guess 7 times the runner-up

BLANK, SPECK_DOUBT, PIECES_DOUBT, SCORE_DOUBT = "blank", "speck", "pieces", "score"


def pieces(crop: np.ndarray) -> int:
    """How many parts of the cropped ink (2-D, 0–1) stand side by side with empty
    columns at least GAP of its height wide between them and PIECE of the ink each."""
    columns = (crop >= INK_THRESHOLD / 255).sum(axis=0)
    filled = columns > 0
    gap = max(1, round(GAP * crop.shape[0]))
    parts, run, empty = [], 0, 0
    for count, ink in zip(columns, filled, strict=True):
        if ink:
            if empty >= gap and run:
                parts.append(run)
                run = 0
            run, empty = run + count, 0
        else:
            empty += 1
    parts.append(run)
    return sum(part >= PIECE * columns.sum() for part in parts)


def score(probabilities: np.ndarray) -> float:
    """log(p1 / p2) of the two likeliest digits: the gap between their logits."""
    second, first = np.maximum(np.sort(probabilities)[-2:], np.finfo(np.float32).tiny)
    return float(np.log(first / second))


def doubt(probabilities: np.ndarray | None, steps, threshold: float) -> str | None:
    """Why a prediction is not confident (BLANK, SPECK_DOUBT, PIECES_DOUBT, SCORE_DOUBT),
    or None when it is. `steps` are app.preprocess's."""
    if probabilities is None:  # nothing to read: an empty pad, or ink too little to be a digit (a dot)
        return SPECK_DOUBT if "ink" in steps and (steps["ink"] >= INK_THRESHOLD / 255).any() else BLANK
    if "crop" in steps:
        if max(steps["crop"].shape) < SPECK * max(steps["ink"].shape):
            return SPECK_DOUBT
        if pieces(steps["crop"]) > 1:
            return PIECES_DOUBT
    return SCORE_DOUBT if score(probabilities) < threshold else None
