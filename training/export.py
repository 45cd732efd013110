"""Write a trained network to assets/: safetensors weights, its checkpoints, a model card
(JSON and Markdown) and plots of the training curves and the confusion matrix.

    python -m training.export --model tutorial    # re-measure a shipped model, rewrite its card

The second form recalibrates the confidence threshold and re-measures every figure of a
model already in assets/, without training it again.
"""

import argparse
import json
import platform
import sys
from datetime import date
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # files only, no screen
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import paddle  # noqa: E402

from app import registry  # noqa: E402
from app.cards import card_path  # noqa: E402
from app.checkpoints import Checkpoint, save_checkpoints  # noqa: E402
from app.inference import DigitClassifier  # noqa: E402
from app.texts import layer_title  # noqa: E402
from app.weights import save_weights, set_weights  # noqa: E402
from training.card import markdown  # noqa: E402
from training.data import load_mnist, split  # noqa: E402
from training.evaluate import classify, evaluate  # noqa: E402
from training.honesty import CALIBRATION_SEEDS, CALIBRATION_TARGET, calibrate  # noqa: E402


def model_card(network, args, history, data, seconds, result, trained: slice) -> dict:
    return {
        "name": args.model,
        "architecture": [{"layer": layer_title(info), "formula": info.formula} for info in network.infos],
        "notes": registry.get(args.model).notes,
        "parameters": int(sum(p.size for p in network.parameters())),
        **result,
        "epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.lr,
        "weight_decay": args.weight_decay, "seed": args.seed,
        "redrawn": args.redrawn, "negatives": args.negatives, "redraw_share": args.redraw_share,
        "drawing_seeds": list(args.drawing_seeds), "negative_weight": args.negative_weight,
        "elastic_share": args.elastic_share,
        "training_digits": trained.stop - trained.start,
        "data_source": data.source,
        "training_seconds": round(seconds),
        "history": {key: [round(v, 5) for v in values] for key, values in history.curves().items()},
        "versions": {"python": platform.python_version(), "paddlepaddle": paddle.__version__,
                     "numpy": np.__version__},
        "command": "python -m training " + " ".join(sys.argv[1:]),
        "date": date.today().isoformat(),
    }


def measure(clf: DigitClassifier, data, holdout: slice, drawn: int, seen: bool) -> dict:
    """Calibrate the confidence threshold on the held-out training digits, then every figure."""
    clf.threshold = calibrate(clf, data.train_x[holdout])
    result = evaluate(clf, drawn, data)
    count = holdout.stop - holdout.start
    result["confidence"] = {
        "threshold": clf.threshold, "target": CALIBRATION_TARGET,
        "calibrated_on": (f"training digits {holdout.start:,}–{holdout.stop - 1:,}, "
                          + ("seen in training" if seen else "held out of training")
                          + f", each drawn {len(CALIBRATION_SEEDS)} ways: {count * len(CALIBRATION_SEEDS):,} drawings")}
    return result


def export_checkpoints(args, history, data, result) -> dict:
    """The snapshots but the last, stored as float16 and measured as stored; the last is the
    weights file. Returns the card's summary of them."""
    network = registry.get(args.model).build()
    probe, states = DigitClassifier(args.model, network), []
    entries = []
    for step, state in history.snapshots[:-1]:
        stored = {key: value.astype(np.float16).astype(np.float32) for key, value in state.items()}
        set_weights(network, stored, f"checkpoint at step {step}")
        states.append(stored)
        entries.append(Checkpoint(step, float(np.mean(classify(probe, data.test_x) == data.test_y))))
    entries.append(Checkpoint(history.snapshots[-1][0], result["test_accuracy"]))
    path = save_checkpoints(args.out / f"{args.model}.safetensors", states, entries)
    return {"count": len(entries), "bytes": path.stat().st_size,
            "steps": [entry.step for entry in entries],
            "test_accuracy": [round(entry.test_accuracy, 4) for entry in entries]}


def plot_curves(history, path: Path) -> None:
    epochs = np.arange(1, len(history.loss) + 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(epochs, history.loss)
    left.set(xlabel="epoch", ylabel="training loss")
    right.plot(epochs, np.array(history.train_accuracy) * 100, label="train (augmented)")
    right.plot(epochs, np.array(history.test_accuracy) * 100, label="MNIST test")
    if history.drawn_accuracy:
        right.plot(epochs, np.array(history.drawn_accuracy) * 100, label="redrawn test")
    right.set(xlabel="epoch", ylabel="accuracy (%)", ylim=(97, 100))
    right.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def plot_confusion(confusion: list, path: Path) -> None:
    matrix = np.array(confusion)
    figure, axes = plt.subplots(figsize=(4.6, 4))
    # Log colours, or the diagonal's thousands hide the mistakes.
    axes.imshow(np.log1p(matrix), cmap="Blues")
    for (row, col), count in np.ndenumerate(matrix):
        if count:
            axes.text(col, row, count, ha="center", va="center", fontsize=6,
                      color="white" if row == col else "black")
    axes.set(xlabel="predicted", ylabel="true", xticks=range(10), yticks=range(10))
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)


def write_card(card: dict, out: Path) -> None:
    path = card_path(out / f"{card['name']}.safetensors")
    path.write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n")
    path.with_suffix(".md").write_text(markdown(card))
    plot_confusion(card["confusion_matrix"], out / f"{card['name']}-confusion.png")


def export(network, args, history, data, seconds) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    save_weights(network, args.out / f"{args.model}.safetensors")
    trained, holdout = split(data, args)
    result = measure(DigitClassifier(args.model, network), data, holdout, args.drawn, seen=False)
    if history.snapshots:
        result["checkpoints"] = export_checkpoints(args, history, data, result)
    card = model_card(network, args, history, data, seconds, result, trained)
    write_card(card, args.out)
    plot_curves(history, args.out / f"{args.model}-curves.png")
    print(f"exported {args.model} to {args.out}: test {result['test_accuracy']:.2%}, "
          f"through the pipeline {result['pipeline_test_accuracy']:.2%}"
          + (f", drawn {result['drawn_accuracy']:.2%}" if args.drawn else ""))


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m training.export", description=__doc__.split("\n\n")[2])
    parser.add_argument("--model", choices=registry.MODELS, default=registry.DEFAULT_MODEL)
    parser.add_argument("--drawn", type=int, default=10000, help="redrawn test digits to measure")
    parser.add_argument("--holdout", type=int, default=1000, help="the last training digits to calibrate on")
    args = parser.parse_args()
    spec, data = registry.get(args.model), load_mnist()
    card = json.loads(card_path(spec.weights).read_text())
    # A model that trained on every digit is calibrated on digits it has seen; the card says so.
    seen = card["training_digits"] == len(data.train_x)
    holdout = slice(len(data.train_x) - args.holdout, len(data.train_x))
    card.update(measure(DigitClassifier.load(args.model), data, holdout, args.drawn, seen))
    write_card(card, spec.weights.parent)
    print(f"rewrote the card of {args.model}: test {card['test_accuracy']:.2%}, "
          f"through the pipeline {card['pipeline_test_accuracy']:.2%}, drawn {card['drawn_accuracy']:.2%}")


if __name__ == "__main__":
    main()
