"""The model cards shipped beside the weights (`assets/<name>.json`, written by training):
each model's measured figures and its calibrated confidence threshold. The page reads its
accuracy table from here; nothing is recomputed at start-up.
"""

import json
from dataclasses import dataclass
from pathlib import Path

from app import registry
from app.confidence import DEFAULT_THRESHOLD


def card_path(weights: Path) -> Path:
    return Path(weights).with_suffix(".json")


def read_card(weights: Path) -> dict | None:
    """The card beside a weights file, or None when there is none."""
    path = card_path(weights)
    return json.loads(path.read_text()) if path.is_file() else None


def threshold(weights: Path) -> float:
    """The confidence threshold calibrated for these weights, else DEFAULT_THRESHOLD."""
    card = read_card(weights) or {}
    return float(card.get("confidence", {}).get("threshold", DEFAULT_THRESHOLD))


@dataclass(frozen=True)
class Scores:
    """One row of the models table: shares in [0, 1], each on its test set's whole count."""
    model: str
    parameters: int
    mnist: float           # the network alone on MNIST's 10,000 test digits
    mnist_pipeline: float  # DigitClassifier.predict on the same 28×28 images, pipeline included
    drawn: float           # the redrawn test digits (training.drawn), read through the pipeline
    drawn_count: int
    drawn_confident: float           # share of redrawn digits called confident...
    drawn_confident_accuracy: float  # ...and the share of those read right
    unsure: dict[str, float]         # share called unsure per kind of non-digit (training.nondigits)


def scores(name: str) -> Scores | None:
    """A model's row from its shipped card, or None if it has none or an older one."""
    card = read_card(registry.get(name).weights)
    if not card or "honesty" not in card:
        return None
    honesty = card["honesty"]
    return Scores(name, card["parameters"], card["test_accuracy"], card["pipeline_test_accuracy"],
                  card["drawn_accuracy"], card["drawn_count"], honesty["drawn_confident"],
                  honesty["drawn_confident_accuracy"], honesty["unsure"])


def accuracy_table() -> list[Scores]:
    """Every registered model with a shipped card, in registry order."""
    return [row for row in map(scores, registry.MODELS) if row is not None]
