"""Read digits from image files.

    python -m app.predict FILE… [--model NAME] [--weights FILE] [--json]

A file that cannot be read gets a message on stderr and exit status 1; the others are
still answered.
"""

import argparse
import json
import sys
from pathlib import Path

from app import registry
from app.decode import read_image
from app.inference import DigitClassifier
from app.inputs import InputError
from app.weights import WeightsError


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m app.predict", description="Read digits from image files.")
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--model", choices=registry.MODELS, default=registry.DEFAULT_MODEL)
    parser.add_argument("--weights", type=Path, help="a .safetensors file (default: the shipped one)")
    parser.add_argument("--json", action="store_true", help="one JSON object per line")
    args = parser.parse_args(argv)
    try:
        clf = DigitClassifier.load(args.model, args.weights)
    except WeightsError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    status = 0
    for path in args.files:
        try:
            result = clf.predict(read_image(path), with_activations=False)
        except InputError as error:
            print(f"{path}: error: {error}", file=sys.stderr)
            status = 1
            continue
        probabilities = {str(digit): round(float(p), 4) for digit, p in enumerate(result.probabilities)}
        if args.json:
            print(json.dumps({"file": str(path), "label": result.label, "probabilities": probabilities}))
        elif result.label is None:
            print(f"{path}: no digit (blank)")
        else:
            top = sorted(probabilities.items(), key=lambda item: -item[1])[:3]
            print(f"{path}: {result.label}  (" + ", ".join(f"{d}: {p:.1%}" for d, p in top) + ")")
    return status


if __name__ == "__main__":
    sys.exit(main())
