"""The models the page and the API serve, loaded once at start-up and shared by every
callback (all module-level, so each panel's module can reach them)."""

import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from app import registry
from app.inference import DigitClassifier
from app.inputs import UnknownModel

CLASSIFIERS: dict[str, DigitClassifier] = {}
# Models shipped with checkpoints: their (step, accuracy) list and one classifier per checkpoint,
# all loaded at start-up so that moving the training slider loads nothing.
CHECKPOINTS: dict[str, tuple[list, list[DigitClassifier]]] = {}
DEFAULT = registry.DEFAULT_MODEL  # --model: the model shown first, and the API's when a call names none
# The threads that read drawings outside the queue (the pad's reads, POST /predict), as many
# as the queue's workers: first come, first served.
READERS = ThreadPoolExecutor(max_workers=2, thread_name_prefix="read")


def load_classifiers(default: str = registry.DEFAULT_MODEL, weights: Path | None = None) -> None:
    """Every registered model whose weights are there; --weights replaces the default's file.
    A missing default is an error (WeightsError); another missing model is one line on stderr."""
    global DEFAULT
    DEFAULT = default
    CLASSIFIERS.clear()
    CLASSIFIERS[default] = DigitClassifier.load(default, weights)
    for name, spec in registry.MODELS.items():
        if name == default:
            continue
        if not spec.weights.is_file():
            print(f"* {name}: no weights at {spec.weights}; skipped (train it with "
                  f"`python -m training --model {name}`)", file=sys.stderr)
            continue
        CLASSIFIERS[name] = DigitClassifier.load(name)
    CHECKPOINTS.clear()
    for name in CLASSIFIERS:
        entries = DigitClassifier.checkpoints(name, weights if name == default else None)
        if entries:
            CHECKPOINTS[name] = (entries, [DigitClassifier.load(name, weights if name == default else None, i)
                                           for i in range(len(entries) - 1)] + [CLASSIFIERS[name]])


def position(name: str, checkpoint) -> int | None:
    """The checkpoint a page's `checkpoint` stands for, the one rule for the slider, its words
    and the network: anything but a number of one of the model's checkpoints (None, past the
    last, negative, not a number) is the last, the shipped weights. None for a model shipped
    without checkpoints."""
    entries = CHECKPOINTS.get(name, ([], []))[0]
    if not entries:
        return None
    known = isinstance(checkpoint, int | float) and 0 <= checkpoint < len(entries)
    return int(checkpoint) if known else len(entries) - 1


def classifier(name, checkpoint=None) -> DigitClassifier:
    """A served model, or the network at one of its checkpoints (state.position's)."""
    if not isinstance(name, str) or name not in CLASSIFIERS:
        raise UnknownModel(name, CLASSIFIERS)
    index = position(name, checkpoint)
    return CLASSIFIERS[name] if index is None else CHECKPOINTS[name][1][index]
