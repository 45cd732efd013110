"""A model card's Markdown, from its JSON (training.export writes both)."""


def _honesty(card: dict) -> str:
    if "honesty" not in card:
        return ""
    honesty, confidence = card["honesty"], card["confidence"]
    unsure = ", ".join(f"{kind} {share:.1%}" for kind, share in honesty["unsure"].items())
    return (f"- Honest answers (`Prediction.confident`): {honesty['drawn_confident']:.2%} of the redrawn digits "
            f"called confident, {honesty['drawn_confident_accuracy']:.2%} of those right; called unsure, of "
            f"{honesty['nondigits_per_kind']} drawings of each kind: {unsure}. Threshold "
            f"{confidence['threshold']:.2f} on the gap between the top two logits, set to call "
            f"{confidence['target']:.1%} of "
            f"{confidence['calibrated_on']} confident\n")


def _checkpoints(card: dict) -> str:
    if "checkpoints" not in card:
        return ""
    points = card["checkpoints"]
    return (f"- Checkpoints: {points['count']}, steps {points['steps'][0]}–{points['steps'][-1]:,} log-spaced, "
            f"MNIST test accuracy {points['test_accuracy'][0]:.2%} at the start; {points['bytes'] / 1e6:.1f} MB "
            f"(float16, the last is the weights file)\n")


def _batch(card: dict) -> str:
    added = (("redrawn", "redrawn digits"), ("negatives", "non-digits"))
    extra = [f"{card[key]:.0%} more {what}" for key, what in added if card.get(key)]
    recipe = (f" (drawings from seeds {', '.join(map(str, card['drawing_seeds']))}, non-digit loss weight "
              f"{card['negative_weight']}, {card['redraw_share']:.0%} of the augmented digits redrawn from "
              f"their centre lines, {card.get('elastic_share', 0):.0%} bent)"
              if extra and "drawing_seeds" in card else "")
    return f"batch {card['batch_size']}" + (f" plus {' and '.join(extra)}{recipe}" if extra else "")


def markdown(card: dict) -> str:
    rows = "\n".join(f"| {layer['layer']} | {layer['formula'] or ''} |" for layer in card["architecture"])
    drawn = (f"- Redrawn test digits (800×800 canvas, thin pen, through the app's pipeline): "
             f"**{card['drawn_accuracy']:.2%}** of {card['drawn_count']:,}\n" if "drawn_accuracy" in card else "")
    per_class = " · ".join(f"{d}: {a:.2%}" for d, a in enumerate(card["per_class_accuracy"]))
    return f"""# Model card: `{card['name']}`

{card['notes']}

| layer | out = (in − k + 2p)/s + 1 |
| --- | --- |
{rows}

- Parameters: {card['parameters']:,}
- MNIST test digits ({sum(map(sum, card['confusion_matrix'])):,}): network alone **{card['test_accuracy']:.2%}**, \
through the app's pipeline (`DigitClassifier.predict` on the 28×28 images) **{card['pipeline_test_accuracy']:.2%}**
{drawn}{_honesty(card)}- Per class (network alone): {per_class}
{_checkpoints(card)}- Trained: {card['epochs']} epochs, {_batch(card)}, SGD with Nesterov momentum, \
lr {card['learning_rate']} on a cosine schedule, weight decay {card['weight_decay']}, seed {card['seed']}, on \
{card['training_digits']:,} digits from {card['data_source']}, in {card['training_seconds']} s
- Command: `{card['command']}`
- Versions: Python {card['versions']['python']}, PaddlePaddle {card['versions']['paddlepaddle']}, \
NumPy {card['versions']['numpy']}; {card['date']}

![training curves]({card['name']}-curves.png) ![confusion matrix]({card['name']}-confusion.png)
"""
