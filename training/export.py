"""Write a trained network to assets/: safetensors weights, a model card (JSON and Markdown),
and plots of the training curves and the confusion matrix."""

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
from app.inference import DigitClassifier  # noqa: E402
from app.texts import layer_title  # noqa: E402
from app.weights import save_weights  # noqa: E402
from training.evaluate import classify, drawn_accuracy, scores  # noqa: E402


def model_card(network, args, history, data, seconds, result) -> dict:
    return {
        "name": args.model,
        "architecture": [{"layer": layer_title(info), "formula": info.formula} for info in network.infos],
        "notes": registry.get(args.model).notes,
        "parameters": int(sum(p.size for p in network.parameters())),
        **result,
        "epochs": args.epochs, "batch_size": args.batch_size, "learning_rate": args.lr,
        "weight_decay": args.weight_decay, "seed": args.seed,
        "training_digits": int(min(args.limit or len(data.train_x), len(data.train_x))),
        "data_source": data.source,
        "training_seconds": round(seconds),
        "history": {key: [round(v, 5) for v in values] for key, values in vars(history).items()},
        "versions": {"python": platform.python_version(), "paddlepaddle": paddle.__version__,
                     "numpy": np.__version__},
        "command": "python -m training " + " ".join(sys.argv[1:]),
        "date": date.today().isoformat(),
    }


def markdown(card: dict) -> str:
    rows = "\n".join(f"| {layer['layer']} | {layer['formula'] or ''} |" for layer in card["architecture"])
    drawn = (f"- Redrawn test digits (800×800 canvas, thin pen, through the app's pipeline): "
             f"**{card['drawn_accuracy']:.2%}** of {card['drawn_count']}\n" if "drawn_accuracy" in card else "")
    per_class = " · ".join(f"{d}: {a:.2%}" for d, a in enumerate(card["per_class_accuracy"]))
    return f"""# Model card: `{card['name']}`

{card['notes']}

| layer | out = (in − k + 2p)/s + 1 |
| --- | --- |
{rows}

- Parameters: {card['parameters']:,}
- MNIST test accuracy: **{card['test_accuracy']:.2%}** (10,000 digits)
{drawn}- Per class: {per_class}
- Trained: {card['epochs']} epochs, batch {card['batch_size']}, SGD with Nesterov momentum, lr {card['learning_rate']} \
on a cosine schedule, weight decay {card['weight_decay']}, seed {card['seed']}, on {card['training_digits']:,} digits \
from {card['data_source']}, in {card['training_seconds']} s
- Command: `{card['command']}`
- Versions: Python {card['versions']['python']}, PaddlePaddle {card['versions']['paddlepaddle']}, \
NumPy {card['versions']['numpy']}; {card['date']}

![training curves]({card['name']}-curves.png) ![confusion matrix]({card['name']}-confusion.png)
"""


def plot_curves(history, path: Path) -> None:
    epochs = np.arange(1, len(history.loss) + 1)
    figure, (left, right) = plt.subplots(1, 2, figsize=(9, 3.2))
    left.plot(epochs, history.loss)
    left.set(xlabel="epoch", ylabel="training loss")
    right.plot(epochs, np.array(history.train_accuracy) * 100, label="train (augmented)")
    right.plot(epochs, np.array(history.test_accuracy) * 100, label="test")
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


def export(network, args, history, data, seconds) -> None:
    args.out.mkdir(parents=True, exist_ok=True)
    save_weights(network, args.out / f"{args.model}.safetensors")
    clf = DigitClassifier(args.model, network)
    result = scores(data.test_y, classify(clf, data.test_x))
    if args.drawn:
        result["drawn_accuracy"] = drawn_accuracy(clf, data.test_x[:args.drawn], data.test_y[:args.drawn])
        result["drawn_count"] = args.drawn
    card = model_card(network, args, history, data, seconds, result)
    (args.out / f"{args.model}.json").write_text(json.dumps(card, indent=1, ensure_ascii=False) + "\n")
    (args.out / f"{args.model}.md").write_text(markdown(card))
    plot_curves(history, args.out / f"{args.model}-curves.png")
    plot_confusion(result["confusion_matrix"], args.out / f"{args.model}-confusion.png")
    print(f"exported {args.model} to {args.out}: test {result['test_accuracy']:.2%}"
          + (f", drawn {result['drawn_accuracy']:.2%}" if args.drawn else ""))
