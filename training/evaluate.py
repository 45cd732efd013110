"""Re-measure a shipped model: MNIST test accuracy, per class, the confusion matrix, and the
accuracy on MNIST test digits redrawn as people draw them (through the app's pipeline).

python -m training.evaluate --model lenet5 [--drawn 10000] [--weights FILE]
"""

import argparse
import time
from pathlib import Path

import numpy as np

from app import registry
from app.inference import DigitClassifier
from app.models import NUM_CLASSES
from training.data import load_mnist

BATCH = 1000


def classify(clf: DigitClassifier, digits: np.ndarray) -> np.ndarray:
    """Labels for raw MNIST digits (N, 28, 28) uint8, straight into the network as in training."""
    return np.concatenate([
        clf.forward(digits[i:i + BATCH].astype(np.float32) / 255.0, with_activations=False)[0].argmax(1)
        for i in range(0, len(digits), BATCH)])


def drawn_accuracy(clf: DigitClassifier, digits: np.ndarray, labels: np.ndarray, seed: int = 0) -> float:
    """Accuracy on the digits redrawn on an 800×800 canvas, read through the whole pipeline."""
    from training.drawn import drawn_set  # needs scikit-image, a training dependency

    right = 0
    for i, drawing in enumerate(drawn_set(digits, seed)):
        right += clf.predict(drawing, with_activations=False).label == labels[i]
    return right / len(digits)


def scores(labels: np.ndarray, predicted: np.ndarray) -> dict:
    confusion = np.zeros((NUM_CLASSES, NUM_CLASSES), int)
    np.add.at(confusion, (labels, predicted), 1)
    per_class = confusion.diagonal() / confusion.sum(axis=1)
    return {"test_accuracy": float(confusion.trace() / confusion.sum()),
            "per_class_accuracy": [round(float(a), 4) for a in per_class],
            "confusion_matrix": confusion.tolist()}


def format_scores(result: dict) -> str:
    lines = [f"test accuracy {result['test_accuracy']:.2%} on {np.sum(result['confusion_matrix'])} MNIST test digits"]
    if "drawn_accuracy" in result:
        lines.append(f"drawn accuracy {result['drawn_accuracy']:.2%} on {result['drawn_count']} redrawn test digits")
    lines.append("per class: " + "  ".join(f"{d}:{a:.2%}" for d, a in enumerate(result["per_class_accuracy"])))
    lines.append("confusion matrix (rows: true digit, columns: predicted)")
    lines.append("     " + "".join(f"{d:>6}" for d in range(NUM_CLASSES)))
    lines += [f"{d:>5}" + "".join(f"{n:>6}" for n in row) for d, row in enumerate(result["confusion_matrix"])]
    return "\n".join(lines)


def evaluate(clf: DigitClassifier, drawn: int, seed: int = 0) -> dict:
    mnist = load_mnist()
    result = scores(mnist.test_y, classify(clf, mnist.test_x))
    if drawn:
        result["drawn_accuracy"] = drawn_accuracy(clf, mnist.test_x[:drawn], mnist.test_y[:drawn], seed)
        result["drawn_count"] = drawn
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
