"""Does a model say so when a drawing is not a digit, and stay sure of real ones?

    python -m training.honesty --model lenet5 [--drawn 10000] [--per-kind 260]

Reads the non-digit set (training.nondigits: letters, dots, scribbles, several digits) and
the redrawn MNIST test digits (training.drawn) through `DigitClassifier.predict`, and
prints the share of each kind of non-digit called unsure, and the share of drawings called
confident with the accuracy among those. `calibrate` sets a model's threshold.
"""

import argparse
from pathlib import Path

import numpy as np

from app import confidence, registry
from app.inference import DigitClassifier, Prediction
from training.data import load_mnist
from training.drawn import drawn_set
from training.nondigits import KINDS, nondigit_set

BATCH = 250
# The threshold calls this share of held-out drawings confident. The floor on the redrawn
# test digits is 97 %, and they come from other writers than the held-out ones: the test
# share came out 0.1 to 1.1 points under the held-out one (96.9 % for the first 50-epoch
# lenet5 at 98 %; 97.9 % at this target, 99.48 % of those right).
CALIBRATION_TARGET = 0.985
CALIBRATION_SEEDS = (101, 102, 103, 104, 105)  # each held-out digit drawn five ways
DRAWN_SEED = 0  # the redrawn test set of the model cards


def read(clf: DigitClassifier, images) -> list[Prediction]:
    """predict_batch over any iterable of images, BATCH at a time, without activations."""
    results, batch = [], []
    for image in images:
        batch.append(image)
        if len(batch) == BATCH:
            results += clf.predict_batch(batch, with_activations=False)
            batch = []
    return results + (clf.predict_batch(batch, with_activations=False) if batch else [])


def calibrate(clf: DigitClassifier, holdout: np.ndarray) -> float:
    """The score threshold that calls CALIBRATION_TARGET of the held-out digits' drawings
    confident, counting those the rules already doubt (a speck, pieces) as unsure."""
    scores = []
    for seed in CALIBRATION_SEEDS:
        for result in read(clf, drawn_set(holdout, seed)):
            ruled_out = confidence.doubt(result.probabilities, result.steps, -np.inf) is not None
            scores.append(-np.inf if ruled_out else confidence.score(result.probabilities))
    return float(np.quantile(scores, 1 - CALIBRATION_TARGET, method="higher"))  # ruled out: -inf


def measure(clf: DigitClassifier, test_x: np.ndarray, test_y: np.ndarray, drawn: int,
            per_kind: int = 260) -> dict:
    """The redrawn test digits' accuracy and confidence, and each non-digit kind's unsure share."""
    results = read(clf, drawn_set(test_x[:drawn], DRAWN_SEED))
    right = np.array([r.label == label for r, label in zip(results, test_y[:drawn], strict=True)])
    sure = np.array([r.confident for r in results])
    kinds, images = zip(*nondigit_set(test_x, per_kind), strict=True)
    unsure, kinds = np.array([not r.confident for r in read(clf, images)]), np.array(kinds)
    return {"drawn_accuracy": float(right.mean()), "drawn_count": drawn,
            "honesty": {"drawn_confident": float(sure.mean()),
                        "drawn_confident_accuracy": float(right[sure].mean()) if sure.any() else 0.0,
                        "unsure": {kind: float(unsure[kinds == kind].mean()) for kind in KINDS},
                        "nondigits_per_kind": per_kind, "threshold": clf.threshold}}


def format_honesty(result: dict) -> str:
    honesty = result["honesty"]
    unsure = "  ".join(f"{kind} {share:.1%}" for kind, share in honesty["unsure"].items())
    return (f"redrawn digits: {honesty['drawn_confident']:.2%} of {result['drawn_count']} called confident, "
            f"{honesty['drawn_confident_accuracy']:.2%} of those right (all: {result['drawn_accuracy']:.2%})\n"
            f"called unsure, of {honesty['nondigits_per_kind']} each: {unsure}  "
            f"(threshold {honesty['threshold']:.3f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=registry.MODELS, default=registry.DEFAULT_MODEL)
    parser.add_argument("--weights", type=Path, help="a .safetensors file (default: the shipped one)")
    parser.add_argument("--drawn", type=int, default=2000, help="how many redrawn test digits")
    parser.add_argument("--per-kind", type=int, default=260, help="non-digits of each kind")
    args = parser.parse_args()
    mnist = load_mnist()
    clf = DigitClassifier.load(args.model, args.weights)
    print(f"{args.model}: {format_honesty(measure(clf, mnist.test_x, mnist.test_y, args.drawn, args.per_kind))}")


if __name__ == "__main__":
    main()
