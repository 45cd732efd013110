"""The one API the app, the command line, the benchmarks and outside code use.

    clf = DigitClassifier.load()          # the shipped lenet5
    res = clf.predict(image)              # a Sketchpad value, PIL image or numpy array
    res.label, res.probabilities, res.input, res.stages, res.activations
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import paddle
from safetensors import SafetensorError
from safetensors.numpy import load_file, save_file

from app.models import DEFAULT_MODEL, NUM_CLASSES, LeNet, build
from app.preprocess import preprocess

ASSETS = Path(__file__).resolve().parent.parent / "assets"


class WeightsError(RuntimeError):
    """A weights file is missing, unreadable, or for another network."""


@dataclass
class Prediction:
    label: int | None           # 0–9, or None when there was no digit to read
    probabilities: np.ndarray   # (10,) summing to 1; uniform when there was no digit
    input: np.ndarray | None    # the 28×28 float32 image the network saw
    stages: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)
    activations: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)


def weights_path(name: str) -> Path:
    return ASSETS / f"{name}.safetensors"


def save_weights(network: LeNet, path: Path) -> None:
    save_file({key: value.numpy() for key, value in network.state_dict().items()}, str(path))


def load_weights(network: LeNet, path: Path) -> None:
    """Safetensors only: unlike a pickled .pdparams, loading it cannot run code."""
    path = Path(path)
    if path.suffix != ".safetensors":
        raise WeightsError(f"{path}: weights must be a .safetensors file")
    if not path.is_file():
        raise WeightsError(f"{path}: weights file not found (train one with `python -m training`)")
    try:
        arrays = load_file(str(path))
    except (SafetensorError, OSError, ValueError) as error:
        raise WeightsError(f"{path}: not a readable safetensors file ({error})") from None
    expected = network.state_dict()
    if arrays.keys() != expected.keys():
        raise WeightsError(f"{path}: holds {sorted(arrays)}, the network needs {sorted(expected)}")
    for key, value in expected.items():
        if tuple(arrays[key].shape) != tuple(value.shape):
            raise WeightsError(f"{path}: {key} is {arrays[key].shape}, the network needs {value.shape}")
    network.set_state_dict({key: paddle.to_tensor(value) for key, value in arrays.items()})


class DigitClassifier:
    def __init__(self, name: str, network: LeNet):
        self.name = name
        self.network = network
        self.network.eval()
        self.layers = network.infos  # each layer's name, kind, shape and formula
        # The server calls predict from several threads; one forward pass at a time is safe
        # and costs little here (the network takes about a millisecond).
        self._forward_lock = threading.Lock()

    @classmethod
    def load(cls, name: str = DEFAULT_MODEL, weights: Path | None = None) -> "DigitClassifier":
        network = build(name)
        load_weights(network, weights or weights_path(name))
        return cls(name, network)

    def forward(self, inputs: np.ndarray, with_activations: bool = True):
        """inputs: (B, 28, 28) float32 in [0, 1] → probabilities (B, 10), and the
        activations as {layer name: (B, …) array} shaped as self.layers says."""
        with self._forward_lock, paddle.no_grad():
            tensor = paddle.to_tensor(inputs[:, None].astype(np.float32, copy=False))
            logits, activations = self.network(tensor, with_activations=True)
            probabilities = paddle.nn.functional.softmax(logits, axis=1).numpy()
            if not with_activations:
                return probabilities, OrderedDict()
            shaped = OrderedDict((info.name, activations[info.name].numpy().reshape(-1, *info.shape))
                                 for info in self.layers)
        return probabilities, shaped

    def predict(self, image, with_activations: bool = True) -> Prediction:
        return self.predict_batch([image], with_activations)[0]

    def predict_batch(self, images, with_activations: bool = True) -> list[Prediction]:
        """One forward pass for every image that holds a digit."""
        prepared = [preprocess(image) for image in images]
        drawn = [i for i, (digit, _) in enumerate(prepared) if digit is not None]
        results = [Prediction(None, np.full(NUM_CLASSES, 1 / NUM_CLASSES, np.float32), None, stages)
                   for _, stages in prepared]
        if not drawn:
            return results
        probabilities, activations = self.forward(np.stack([prepared[i][0] for i in drawn]),
                                                  with_activations)
        for row, i in enumerate(drawn):
            result = results[i]
            result.input = prepared[i][0]
            result.probabilities = probabilities[row]
            result.label = int(probabilities[row].argmax())
            result.activations = OrderedDict((name, maps[row]) for name, maps in activations.items())
        return results
