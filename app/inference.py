"""The one API the app, the command line, the benchmarks and outside code use.

    clf = DigitClassifier.load()          # the shipped lenet5
    res = clf.predict(image)              # a Sketchpad value, PIL image or numpy array
    res.label, res.probabilities, res.input, res.steps, res.activations
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import paddle

from app import registry
from app.models import NUM_CLASSES, Network
from app.preprocess import preprocess
from app.weights import load_weights


@dataclass
class Prediction:
    label: int | None           # 0–9, or None when there was no digit to read
    probabilities: np.ndarray   # (10,) summing to 1; uniform when there was no digit
    input: np.ndarray | None    # the 28×28 float32 image the network saw
    steps: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)
    activations: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)


class DigitClassifier:
    def __init__(self, name: str, network: Network):
        self.name = name
        self.network = network
        self.network.eval()  # no dropout or batch norm today, but a trained net reads in eval mode
        self.layers = network.infos  # each layer's name, kind, shape, formula and receptive field
        # The server calls predict from several threads; one forward pass at a time is safe
        # and costs little here (the network takes about a millisecond).
        self._forward_lock = threading.Lock()

    @classmethod
    def load(cls, name: str = registry.DEFAULT_MODEL, weights: Path | None = None) -> "DigitClassifier":
        spec = registry.get(name)
        network = spec.build()
        load_weights(network, weights or spec.weights)
        return cls(name, network)

    def forward(self, inputs: np.ndarray, with_activations: bool = True):
        """inputs: (B, 28, 28) float32 in [0, 1] → probabilities (B, 10), and the
        activations as {layer name: (B, …) array} shaped as self.layers says."""
        with self._forward_lock, paddle.no_grad():
            tensor = paddle.to_tensor(inputs[:, None].astype(np.float32, copy=False))
            if not with_activations:
                return paddle.nn.functional.softmax(self.network(tensor), axis=1).numpy(), OrderedDict()
            logits, activations = self.network(tensor, with_activations=True)
            probabilities = paddle.nn.functional.softmax(logits, axis=1).numpy()
            shaped = OrderedDict((info.name, activations[info.name].numpy().reshape(-1, *info.shape))
                                 for info in self.layers)
        return probabilities, shaped

    def predict(self, image, with_activations: bool = True) -> Prediction:
        return self.predict_batch([image], with_activations)[0]

    def predict_batch(self, images, with_activations: bool = True) -> list[Prediction]:
        """One forward pass for every image that holds a digit."""
        prepared = [preprocess(image) for image in images]
        drawn = [i for i, (digit, _) in enumerate(prepared) if digit is not None]
        results = [Prediction(None, np.full(NUM_CLASSES, 1 / NUM_CLASSES, np.float32), None, steps)
                   for _, steps in prepared]
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
