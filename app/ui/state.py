"""The models the page and the API serve, loaded once at start-up and shared by every
callback (all module-level, so each panel's module can reach them)."""

import sys
from pathlib import Path

from app import registry
from app.inference import DigitClassifier

CLASSIFIERS: dict[str, DigitClassifier] = {}
DEFAULT = registry.DEFAULT_MODEL  # the model shown first and read by /predict


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


class UnknownModel(ValueError):
    """A caller named a model that is not served."""


def classifier(name) -> DigitClassifier:
    if not isinstance(name, str) or name not in CLASSIFIERS:
        raise UnknownModel(f"unknown model {str(name)[:40]!r}; choose one of {', '.join(CLASSIFIERS)}")
    return CLASSIFIERS[name]
