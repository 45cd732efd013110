"""Re-measure a model: the network alone on MNIST's test digits (per class, the confusion
matrix), `DigitClassifier.predict` on the same 28×28 images (the app's pipeline included),
the redrawn test digits read through the pipeline, and how honest it is (training.honesty).

python -m training.evaluate --model lenet5 [--drawn 10000] [--weights FILE]
"""

import argparse
import time
from pathlib import Path

import numpy as np

from app import registry
from app.inference import DigitClassifier
from app.models import NUM_CLASSES
from training.data import Mnist, load_mnist

BATCH = 1000


def classify(clf: DigitClassifier, digits: np.ndarray) -> np.ndarray:
    """Labels for raw MNIST digits (N, 28, 28) uint8, straight into the network as in training."""
    return np.concatenate([
        clf.forward(digits[i:i + BATCH].astype(np.float32) / 255.0, with_activations=False)[0].argmax(1)
        for i in range(0, len(digits), BATCH)])


def scores(labels: np.ndarray, predicted: np.ndarray) -> dict:
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), int)
    np.add.at(confusion, (labels, predicted), 1)
    per_class = confusion.diagonal() / confusion.sum(axis=1)
    return {"test_accuracy": float(confusion.trace() / confusion.sum()),
            "per_class_accuracy": [round(float(a), 4) for a in per_class],
            "confusion_matrix": confusion.tolist()}


def format_scores(result: dict) -> str:
    from training.honesty import format_honesty

    count = np.sum(result["confusion_matrix"])
    lines = [f"network alone {result['test_accuracy']:.2%} on {count} MNIST test digits",
             f"through the app's pipeline (DigitClassifier.predict) {result['pipeline_test_accuracy']:.2%} "
             f"on the same {count} 28×28 images"]
    if "honesty" in result:
        lines.append(format_honesty(result))
    lines.append("per class: " + "  ".join(f"{d}:{a:.2%}" for d, a in enumerate(result["per_class_accuracy"])))
    lines.append("confusion matrix (rows: true digit, columns: predicted)")
    lines.append("     " + "".join(f"{d:>6}" for d in range(NUM_CLASSES)))
    lines += [f"{d:>5}" + "".join(f"{n:>6}" for n in row) for d, row in enumerate(result["confusion_matrix"])]
    return "\n".join(lines)


def evaluate(clf: DigitClassifier, drawn: int, data: Mnist | None = None, per_kind: int = 260) -> dict:
    """Every figure of a model card: `drawn` redrawn test digits (0: none, and no honesty)
    and `per_kind` non-digits of each kind."""
    from training.honesty import measure, read  # the redrawn digits need training extras

    data = data or load_mnist()
    result = scores(data.test_y, classify(clf, data.test_x))
    through_app = read(clf, data.test_x)
    result["pipeline_test_accuracy"] = float(np.mean([r.label for r in through_app] == data.test_y))
    if drawn:
        result.update(measure(clf, data.test_x, data.test_y, drawn, per_kind))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", choices=registry.MODELS, default=registry.DEFAULT_MODEL)
    parser.add_argument("--weights", type=Path, help="a .safetensors file (default: the shipped one)")
    parser.add_argument("--drawn", type=int, default=2000, help="how many redrawn test digits (0: none)")
    args = parser.parse_args()
    start = time.perf_counter()
    clf = DigitClassifier.load(args.model, args.weights)
    print(f"{args.model}: {format_scores(evaluate(clf, args.drawn))}")
    print(f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
