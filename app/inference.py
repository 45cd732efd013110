"""The one API the app, the command line, the benchmarks and outside code use.

    clf = DigitClassifier.load()          # the shipped lenet5
    res = clf.predict(image)              # a Sketchpad value, PIL image or numpy array
    res.label, res.confident, res.probabilities, res.input, res.steps, res.activations

    DigitClassifier.checkpoints("lenet5")           # [(step, test accuracy), ...] in training order
    DigitClassifier.load("lenet5", checkpoint=0)    # the network before its first step
"""

import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import paddle

from app import cards, confidence, registry
from app.checkpoints import Checkpoint, checkpoint_weights, list_checkpoints
from app.models import NUM_CLASSES, Network
from app.preprocess import preprocess
from app.weights import load_weights, set_weights


@dataclass
class Prediction:
    label: int | None           # 0–9, or None when there was no digit to read
    probabilities: np.ndarray   # (10,) summing to 1; uniform when there was no digit
    input: np.ndarray | None    # the 28×28 float32 image the network saw
    steps: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)
    activations: "OrderedDict[str, np.ndarray]" = field(default_factory=OrderedDict)
    # False when the drawing is not a convincing digit (a speck, a scribble, a letter, several
    # digits, a blank); `doubt` says which test it failed (app.confidence), None when confident.
    confident: bool = False
    doubt: str | None = confidence.BLANK


class DigitClassifier:
    def __init__(self, name: str, network: Network, threshold: float = confidence.DEFAULT_THRESHOLD):
        self.name = name
        self.network = network
        self.threshold = threshold  # the smallest confidence.score called confident
        self.network.eval()  # no dropout or batch norm today, but a trained net reads in eval mode
        self.layers = network.infos  # each layer's name, kind, shape, formula and receptive field
        # The server calls predict from several threads; one forward pass at a time is safe
        # and costs little here (the network takes about a millisecond).
        self._forward_lock = threading.Lock()

    @classmethod
    def load(cls, name: str = registry.DEFAULT_MODEL, weights: Path | None = None,
             checkpoint: int | None = None) -> "DigitClassifier":
        """A registered model with its shipped weights, or `weights` (a .safetensors file);
        `checkpoint=i` takes the i-th of checkpoints(name) instead (-1: the last, which is
        the weights themselves). The confidence threshold comes from the model card beside
        the weights; without one, DEFAULT_THRESHOLD."""
        spec = registry.get(name)
        network = spec.build()
        path = Path(weights or spec.weights)
        if checkpoint is None:
            load_weights(network, path)
        else:
            set_weights(network, checkpoint_weights(path, checkpoint), f"{path}, checkpoint {checkpoint}")
        return cls(name, network, cards.threshold(path))

    @staticmethod
    def checkpoints(name: str = registry.DEFAULT_MODEL, weights: Path | None = None) -> list[Checkpoint]:
        """(step, test_accuracy) for each checkpoint of the model's training, in training
        order; [] for a model shipped without checkpoints (see app.checkpoints)."""
        return list_checkpoints(Path(weights or registry.get(name).weights))

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
            result.doubt = confidence.doubt(result.probabilities, result.steps, self.threshold)
            result.confident = result.doubt is None
            result.activations = OrderedDict((name, maps[row]) for name, maps in activations.items())
        return results
